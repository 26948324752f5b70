/*
 * relationship_core.h: the relationship measures in pure C: Likert
 * rescaling, the relationship quality index, time-decayed interaction
 * strength, Cronbach's alpha.  Definitions: README.md, "Relationship".
 */
#ifndef KAM_RELATIONSHIP_CORE_H
#define KAM_RELATIONSHIP_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <math.h>

#define KAM_CONSTRUCTS 4		/* trust, satisfaction, commitment, cooperation intent */

/* (mean - lo) / (hi - lo) * 100, for lo < hi and lo <= mean <= hi */
extern double kam_likert_rescale(double mean, double lo, double hi);

/*
 * Index = sum w_i c_i / sum w_i over the constructs present (c_i not NaN);
 * contributions[i] = w_i c_i / sum w_i (0 for a missing one), so they add up
 * to the index.  False when no construct with a positive total weight is
 * present (the index is then undefined).
 */
extern bool kam_relationship_index(const double scores[KAM_CONSTRUCTS],
								   const double weights[KAM_CONSTRUCTS],
								   double *index, double contributions[KAM_CONSTRUCTS]);

/* The decay factor 2^(-age / half_life) of an interaction age days old. */
static inline double
kam_decay(double age_days, double half_life_days)
{
	return exp2(-age_days / half_life_days);
}

/*
 * Cronbach's alpha of k items over n respondents from the per-item sums and
 * sums of squares and those of the respondents' totals:
 * k / (k - 1) (1 - sum s_i^2 / s_T^2), sample variances.  NaN when k < 2,
 * n < 2 or s_T^2 = 0 (undefined).
 */
extern double kam_cronbach_alpha(int k, double n, const double *sum, const double *sumsq,
								 double sum_total, double sumsq_total);

#endif							/* KAM_RELATIONSHIP_CORE_H */
