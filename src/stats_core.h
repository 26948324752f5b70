/*
 * stats_core.h: small statistical building blocks shared by kam's models.
 *
 * Pure C (no server headers): callable from fuzzers and unit harnesses.
 */
#ifndef KAM_STATS_CORE_H
#define KAM_STATS_CORE_H

#include <stdint.h>

/* The 97.5 % normal quantile rounded as in the published worked examples. */
#define KAM_Z95 1.96

/* Sum of len counts (each >= 0); -1 if the sum exceeds INT64_MAX. */
extern int64_t kam_count_total(const int64_t *counts, int len);

/* Two-sided p-value of a standard normal statistic: erfc(|z| / sqrt 2). */
extern double kam_normal_two_sided_p(double z);

/*
 * Regularised incomplete beta function I_x(a, b) for a, b > 0 and
 * 0 <= x <= 1; NaN for arguments outside that domain.
 */
extern double kam_incomplete_beta(double x, double a, double b);

/*
 * The 97.5 % quantile of Student's t with df >= 1 degrees of freedom
 * (the multiplier of a two-sided 95 % interval); NaN if df < 1.
 */
extern double kam_t975(int64_t df);

/*
 * Wilson score interval for successes out of n (0 <= successes <= n, n > 0)
 * at normal quantile z; bounds are shares in [0, 1].
 */
extern void kam_wilson_interval(int64_t successes, int64_t n, double z,
								double *low, double *high);

#endif							/* KAM_STATS_CORE_H */
