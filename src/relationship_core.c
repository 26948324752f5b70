/*
 * relationship_core.c: relationship quality index, decay, Cronbach's alpha.
 */
#include "relationship_core.h"

#include <math.h>

double
kam_likert_rescale(double mean, double lo, double hi)
{
	return (mean - lo) / (hi - lo) * 100.0;
}

bool
kam_relationship_index(const double scores[KAM_CONSTRUCTS], const double weights[KAM_CONSTRUCTS],
					   double *index, double contributions[KAM_CONSTRUCTS])
{
	double		total_weight = 0;

	/* a missing construct leaves the sum: the others are renormalised */
	for (int i = 0; i < KAM_CONSTRUCTS; i++)
		if (!isnan(scores[i]))
			total_weight += weights[i];
	if (!(total_weight > 0))
		return false;
	*index = 0;
	for (int i = 0; i < KAM_CONSTRUCTS; i++)
	{
		/* the weight's share first: exact even for tiny (subnormal) weights */
		contributions[i] = isnan(scores[i]) ? 0 : weights[i] / total_weight * scores[i];
		*index += contributions[i];
	}
	return true;
}

/* sample variance from a sum and a sum of squares, never below 0 */
static double
variance(double n, double sum, double sumsq)
{
	return fmax(0.0, (sumsq - sum * sum / n) / (n - 1));
}

double
kam_cronbach_alpha(int k, double n, const double *sum, const double *sumsq,
				   double sum_total, double sumsq_total)
{
	double		item_variances = 0,
				total_variance;

	if (k < 2 || n < 2)
		return NAN;
	for (int i = 0; i < k; i++)
		item_variances += variance(n, sum[i], sumsq[i]);
	total_variance = variance(n, sum_total, sumsq_total);
	if (total_variance == 0)
		return NAN;
	return (double) k / (k - 1) * (1 - item_variances / total_variance);
}
