/*
 * fuzz_relationship.c: the relationship index (a weighted mean of the
 * constructs present: between their smallest and largest score, the
 * contributions adding up to it) and Cronbach's alpha (never above 1).
 */
#include "fuzz_input.h"
#include "../../src/relationship_core.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	double		scores[KAM_CONSTRUCTS],
				weights[KAM_CONSTRUCTS],
				contributions[KAM_CONSTRUCTS],
				index,
				lo = INFINITY,
				hi = -INFINITY,
				sum = 0;

	for (int i = 0; i < KAM_CONSTRUCTS; i++)
	{
		/* a construct is a rescaled mean in [0, 100], or missing (NaN) */
		scores[i] = (take_u64(&in) % 4 == 0) ? NAN : take_in(&in, 0, 100);
		weights[i] = take_in(&in, 0, 1e6);
	}
	if (kam_relationship_index(scores, weights, &index, contributions))
	{
		for (int i = 0; i < KAM_CONSTRUCTS; i++)
			if (!isnan(scores[i]) && weights[i] > 0)
			{
				lo = fmin(lo, scores[i]);
				hi = fmax(hi, scores[i]);
			}
		for (int i = 0; i < KAM_CONSTRUCTS; i++)
			sum += contributions[i];
		FUZZ_ASSERT(index >= lo - 1e-9 && index <= hi + 1e-9);
		FUZZ_ASSERT(fabs(sum - index) <= 1e-9 * fmax(1, fabs(index)));
	}
	{
		/* alpha from the sums of n answers to k items on a 1..7 scale */
		int			k = (int) take_between(&in, 1, 8);
		int			n = (int) take_between(&in, 0, 50);
		double		s[8] = {0},
					ss[8] = {0},
					st = 0,
					sst = 0,
					alpha;

		for (int r = 0; r < n; r++)
		{
			double		total = 0;

			for (int i = 0; i < k; i++)
			{
				double		answer = (double) take_between(&in, 1, 7);

				s[i] += answer;
				ss[i] += answer * answer;
				total += answer;
			}
			st += total;
			sst += total * total;
		}
		alpha = kam_cronbach_alpha(k, n, s, ss, st, sst);
		FUZZ_ASSERT(isnan(alpha) || alpha <= 1 + 1e-9);
		FUZZ_ASSERT(!(k < 2 || n < 2) || isnan(alpha));
	}
	{
		double		lo_scale = take_in(&in, -1e6, 1e6),
					hi_scale = take_in(&in, lo_scale + 1, lo_scale + 1e6),
					mean = take_in(&in, lo_scale, hi_scale),
					rescaled = kam_likert_rescale(mean, lo_scale, hi_scale);

		FUZZ_ASSERT(rescaled >= -1e-9 && rescaled <= 100 + 1e-9);
	}
	return 0;
}
