/*
 * fuzz_survey.c: NPS, CSAT and CES summaries and the statistics under them,
 * on any counts the state functions can reach (each >= 0, total without
 * overflow): results within their ranges, intervals ordered.
 */
#include "fuzz_input.h"
#include "../../src/stats_core.h"
#include "../../src/survey_core.h"

/* counts >= 0 whose total fits: the total, or -1 */
static int64_t
take_counts(FuzzInput *in, int64_t *counts, int len)
{
	int64_t		total = 0;
	int			scale = (int) take_between(in, 0, 62);	/* small and huge counts */

	for (int i = 0; i < len; i++)
	{
		counts[i] = (int64_t) (take_u64(in) >> (1 + 62 - scale) >> 1);
		if (__builtin_add_overflow(total, counts[i], &total))
			return -1;
	}
	return total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	int64_t		a[KAM_NPS_CLASSES],
				b[KAM_NPS_CLASSES],
				ces[KAM_CES_MAX];
	int64_t		na = take_counts(&in, a, KAM_NPS_CLASSES),
				nb = take_counts(&in, b, KAM_NPS_CLASSES),
				nc = take_counts(&in, ces, KAM_CES_MAX);
	double		sums[KAM_NPS_CLASSES];
	KamNpsSummary s;
	KamNpsTest t;
	KamCsatSummary c;
	KamCesSummary e;
	double		lo,
				hi;

	if (na > 0)
	{
		double		nps = kam_nps(a, na);

		FUZZ_ASSERT(nps >= -100 && nps <= 100);
		kam_nps_summarise(a, na, &s);
		FUZZ_ASSERT(s.n == na && s.nps == nps);
		FUZZ_ASSERT(s.se >= 0 && isfinite(s.se));
		FUZZ_ASSERT(s.ci_low >= -100 && s.ci_low <= s.ci_high && s.ci_high <= 100);
		if (nb > 0)
		{
			kam_nps_test(a, na, b, nb, &t);
			FUZZ_ASSERT(t.difference >= -200 && t.difference <= 200 && t.se >= 0);
			FUZZ_ASSERT(!t.defined || (t.p_value >= 0 && t.p_value <= 1));
		}
		/* CSAT of the same numbers: satisfied = promoters <= n */
		kam_csat_summarise(na, a[KAM_NPS_PROMOTERS], &c);
		FUZZ_ASSERT(c.csat >= 0 && c.csat <= 100);
		FUZZ_ASSERT(c.ci_low >= 0 && c.ci_low <= c.ci_high && c.ci_high <= 100);
	}
	if (nc > 0)
	{
		double		mean = kam_ces_mean(ces, nc);

		FUZZ_ASSERT(mean >= 1 && mean <= 7);
		kam_ces_summarise(ces, nc, &e);
		FUZZ_ASSERT(e.mean == mean);
		FUZZ_ASSERT(nc == 1 ? isnan(e.sd) : (e.sd >= 0 && e.ci_low >= 1 && e.ci_low <= e.ci_high && e.ci_high <= 7));
		FUZZ_ASSERT(fabs(e.pct_difficult + e.pct_neutral + e.pct_easy - 100) < 1e-9);
	}
	for (int i = 0; i < KAM_NPS_CLASSES; i++)
		sums[i] = take_in(&in, 0, 1e300);
	if (sums[0] + sums[1] + sums[2] > 0)
	{
		double		w = kam_nps_weighted(sums);

		FUZZ_ASSERT(w >= -100 && w <= 100);
	}
	/* the statistics */
	{
		double		x = take_in(&in, 0, 1),
					p = take_in(&in, 1e-3, 1e6),
					q = take_in(&in, 1e-3, 1e6),
					ib = kam_incomplete_beta(x, p, q),
					z = take_in(&in, -1e3, 1e3),
					pv = kam_normal_two_sided_p(z);
		int64_t		df = take_between(&in, 1, INT64_MAX);
		int64_t		n = take_between(&in, 1, INT64_MAX);
		int64_t		k = take_between(&in, 0, n);

		FUZZ_ASSERT(!(ib < 0 || ib > 1));
		FUZZ_ASSERT(pv >= 0 && pv <= 1);
		FUZZ_ASSERT(kam_t975(df) >= 1.959 && isfinite(kam_t975(df)));
		kam_wilson_interval(k, n, 1.959963984540054, &lo, &hi);
		FUZZ_ASSERT(lo >= 0 && lo <= hi && hi <= 1);
	}
	return 0;
}
