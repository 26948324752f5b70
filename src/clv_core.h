/*
 * clv_core.h: BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader &
 * Hardie) likelihoods and their maximum-likelihood fits, in pure C.
 * Definitions: README.md, "Predictive CLV"; METHODS.md.
 */
#ifndef KAM_CLV_CORE_H
#define KAM_CLV_CORE_H

#include <stdbool.h>
#include <stdint.h>

/* digamma psi(x) for x > 0 */
extern double kam_digamma(double x);

/* Log-likelihood of one customer (x, t_x, T) at BG/NBD parameters r, alpha, a, b. */
extern double kam_bgnbd_customer_ll(double r, double alpha, double a, double b,
									double x, double t_x, double T);

/* Log of the Gamma-Gamma density of one customer's mean spend z (x >= 1, z > 0). */
extern double kam_gammagamma_customer_ll(double p, double q, double gamma,
										 double x, double z);

typedef struct KamFit
{
	double		params[4];		/* BG/NBD: r, alpha, a, b; Gamma-Gamma: p, q, gamma */
	double		log_likelihood;
	int			iterations;
	bool		converged;
} KamFit;

/*
 * Maximum-likelihood BG/NBD fit of n weighted customers (x, t_x, T, weight),
 * by BFGS over the logarithms of the parameters from (1, 1, 1, 1).  Requires
 * n >= 1 with valid data (x >= 0 whole, 0 <= t_x <= T, T > 0, t_x = 0 when
 * x = 0, weight > 0).
 */
extern void kam_bgnbd_fit(const double *x, const double *t_x, const double *T,
						  const double *weight, int64_t n, KamFit *fit);

/*
 * Sorts n customers given as rows of four doubles {x, t_x, T, weight} by
 * (x, t_x, T) and merges equal ones, their weights added; returns the rows
 * left.  The fit's work per iteration follows the rows, and its sums their
 * order: merged and sorted, the same customers cost the same and give the
 * same fit, bit for bit, however the rows arrived.
 */
extern int64_t kam_bgnbd_merge_customers(double *rows, int64_t n);

/* The same for Gamma-Gamma's customers, rows {x, z, weight} by (x, z). */
extern int64_t kam_gammagamma_merge_customers(double *rows, int64_t n);

/*
 * Maximum-likelihood Gamma-Gamma fit of n weighted repeat customers (x >= 1,
 * mean spend z > 0, weight), likelihood of the mean spend.
 */
extern void kam_gammagamma_fit(const double *x, const double *z, const double *weight,
							   int64_t n, KamFit *fit);


/* Scoring at fitted parameters; NaN where undefined (see each). */

/* P(alive | x, t_x, T) for BG/NBD. */
extern double kam_bgnbd_p_alive(double r, double alpha, double a, double b,
								double x, double t_x, double T);

/*
 * E[Y(t) | x, t_x, T]: expected transactions in the next t time units, by
 * the bounded Euler-transformed series; NaN if the series does not
 * converge (a = 1 is treated as its limit from 1 + 1e-9).
 */
extern double kam_bgnbd_expected(double r, double alpha, double a, double b,
								 double x, double t_x, double T, double t);

/* Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 by its series; NaN if slow. */
extern double kam_hyp2f1(double a, double b, double c, double z);

/* E[M | x, z]: expected mean spend (x = 0: the population mean, needs q > 1). */
extern double kam_gammagamma_expected_spend(double p, double q, double gamma,
											double x, double z);

#endif							/* KAM_CLV_CORE_H */
