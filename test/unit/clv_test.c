/*
 * clv_test.c: parameter recovery of the BG/NBD and Gamma-Gamma fits on
 * customers simulated from known parameters.  Prints TAP; run by tools/test.
 *
 * Tolerance, stated and justified: 60 000 simulated customers; over 20
 * seeds (KAM_CLV_SEEDS=20, run on 2026-11-22) the largest relative errors
 * were r 2.1 %, alpha 2.2 %, a 5.6 %, b 7.3 % (a and b are the parameters
 * the data identify least), p 5.6 %, q 3.0 %, gamma 7.9 %, and every fit
 * converged.  The test allows 15 %: it fails on a wrong likelihood or
 * optimiser, not on sampling noise.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/clv_core.h"

static uint64_t rng_state;

static double
uniform(void)
{
	/* xorshift64*, to 53 bits in (0, 1) */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((double) ((rng_state * 2685821657736338717ULL) >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Gamma(shape, 1) by Marsaglia & Tsang (2000) */
static double
gamma_variate(double shape)
{
	double		d,
				c;

	if (shape < 1)
		return gamma_variate(shape + 1) * pow(uniform(), 1 / shape);
	d = shape - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;)
	{
		double		z = normal(),
					v = pow(1 + c * z, 3);

		if (v > 0 && log(uniform()) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v;
	}
}

static int	tests = 0,
			failures = 0;

static void
check_relative(double got, double want, double tolerance, const char *what)
{
	double		error = fabs(got / want - 1);
	int			ok = error <= tolerance;

	tests++;
	failures += !ok;
	printf("%s %d - %s recovered: %.4f for %.4f (%.1f %%)\n", ok ? "ok" : "not ok", tests, what,
		   got, want, 100 * error);
}

/*
 * Simulates one BG/NBD customer (alive at the first purchase, time 0; may
 * drop out after each repeat purchase) observed for T; returns x, sets t_x.
 */
static double
simulate_customer(double r, double alpha, double a, double b, double T, double *t_x)
{
	double		lambda = gamma_variate(r) / alpha;
	double		ga = gamma_variate(a);
	double		dropout = ga / (ga + gamma_variate(b));
	double		t = 0,
				x = 0;

	*t_x = 0;
	for (;;)
	{
		t += -log(uniform()) / lambda;
		if (t > T)
			break;
		x += 1;
		*t_x = t;
		if (uniform() < dropout)
			break;
	}
	return x;
}

int
main(int argc, char **argv)
{
	const int	n = 60000;
	const double r = 0.5, alpha = 5, a = 0.8, b = 2.5;	/* BG/NBD truth */
	const double p = 6, q = 4, gamma = 15;	/* Gamma-Gamma truth */
	double	   *x = malloc(sizeof(double) * n),
			   *t_x = malloc(sizeof(double) * n),
			   *T = malloc(sizeof(double) * n),
			   *w = malloc(sizeof(double) * n),
			   *gx = malloc(sizeof(double) * n),
			   *gz = malloc(sizeof(double) * n);
	int			seeds = getenv("KAM_CLV_SEEDS") ? atoi(getenv("KAM_CLV_SEEDS")) : 1;

	/* clv_test --csv N: N simulated customers as CSV x,t_x,T (for the benchmark) */
	if (argc == 3 && strcmp(argv[1], "--csv") == 0)
	{
		long		count = atol(argv[2]);

		rng_state = 0x9E3779B97F4A7C15ULL;
		for (long i = 0; i < count; i++)
		{
			double		T = 26 + 26 * uniform(),
						tx,
						xx = simulate_customer(r, alpha, a, b, T, &tx);

			printf("%.0f,%.6f,%.6f\n", xx, tx, T);
		}
		return 0;
	}

	/* customers merged: sorted by (x, t_x, T), equal ones' weights added */
	{
		double		rows[] = {2, 1, 5, 1, 0, 0, 3, 1, 2, 1, 5, 2, 0, 0, 3, 1, 2, 1, 4, 1};
		double		want[] = {0, 0, 3, 2, 2, 1, 4, 1, 2, 1, 5, 3};
		int64_t		left = kam_bgnbd_merge_customers(rows, 5);
		int			ok = left == 3 && memcmp(rows, want, sizeof(want)) == 0;

		tests++;
		failures += !ok;
		printf("%s %d - five customer rows merge to three, sorted, weights added\n", ok ? "ok" : "not ok", tests);
	}
	{
		double		rows[] = {3, 10.5, 1, 1, 20, 1, 3, 10.5, 1, 3, 9, 1};
		double		want[] = {1, 20, 1, 3, 9, 1, 3, 10.5, 2};
		int64_t		left = kam_gammagamma_merge_customers(rows, 4);
		int			ok = left == 3 && memcmp(rows, want, sizeof(want)) == 0;

		tests++;
		failures += !ok;
		printf("%s %d - four Gamma-Gamma rows merge to three, sorted by x and spend\n", ok ? "ok" : "not ok", tests);
	}

	for (int seed = 1; seed <= seeds; seed++)
	{
		int			m = 0;
		KamFit		fit;

		rng_state = 0x9E3779B97F4A7C15ULL * (uint64_t) seed;
		for (int i = 0; i < n; i++)
		{
			T[i] = 26 + 26 * uniform();
			x[i] = simulate_customer(r, alpha, a, b, T[i], &t_x[i]);
			w[i] = 1;
			if (x[i] > 0)
			{
				/* mean of x spends, each Gamma(p, nu), nu ~ Gamma(q, gamma) */
				double		nu = gamma_variate(q) / gamma;
				double		total = 0;

				for (int k = 0; k < (int) x[i]; k++)
					total += gamma_variate(p) / nu;
				gx[m] = x[i];
				gz[m] = total / x[i];
				m++;
			}
		}
		kam_bgnbd_fit(x, t_x, T, w, n, &fit);
		tests++;
		failures += !fit.converged;
		printf("%s %d - BG/NBD fit of %d simulated customers converges (%d iterations)\n",
			   fit.converged ? "ok" : "not ok", tests, n, fit.iterations);
		check_relative(fit.params[0], r, 0.15, "BG/NBD r");
		check_relative(fit.params[1], alpha, 0.15, "BG/NBD alpha");
		check_relative(fit.params[2], a, 0.15, "BG/NBD a");
		check_relative(fit.params[3], b, 0.15, "BG/NBD b");
		kam_gammagamma_fit(gx, gz, w, m, &fit);
		tests++;
		failures += !fit.converged;
		printf("%s %d - Gamma-Gamma fit of %d simulated repeat customers converges\n",
			   fit.converged ? "ok" : "not ok", tests, m);
		check_relative(fit.params[0], p, 0.15, "Gamma-Gamma p");
		check_relative(fit.params[1], q, 0.15, "Gamma-Gamma q");
		check_relative(fit.params[2], gamma, 0.15, "Gamma-Gamma gamma");
	}
	printf("1..%d\n", tests);
	return failures != 0;
}
