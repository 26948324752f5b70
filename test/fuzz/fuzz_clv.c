/*
 * fuzz_clv.c: BG/NBD and Gamma-Gamma likelihoods, scores and fits on valid
 * customers (x >= 0 whole, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0):
 * log-likelihoods (densities in the purchase times, so they may pass 0)
 * never NaN nor +Infinity, P(alive) in [0, 1], expected counts
 * >= 0 or NaN (documented: a series too slow), fits that end with finite
 * positive parameters or say they did not converge.
 */
#include "fuzz_input.h"
#include "../../src/clv_core.h"

#define MAX_CUSTOMERS 24

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	double		r = take_in(&in, 1e-4, 1e4),
				alpha = take_in(&in, 1e-4, 1e4),
				a = take_in(&in, 1e-4, 1e4),
				b = take_in(&in, 1e-4, 1e4);
	double		x[MAX_CUSTOMERS],
				t_x[MAX_CUSTOMERS],
				T[MAX_CUSTOMERS],
				w[MAX_CUSTOMERS],
				z[MAX_CUSTOMERS];
	int			n = (int) take_between(&in, 1, MAX_CUSTOMERS);
	KamFit		fit;

	for (int i = 0; i < n; i++)
	{
		x[i] = (double) take_between(&in, 0, 5000);
		T[i] = take_in(&in, 1e-3, 1e4);
		t_x[i] = x[i] == 0 ? 0 : take_in(&in, 0, T[i]);
		w[i] = (double) take_between(&in, 1, 1000);
		z[i] = take_in(&in, 1e-2, 1e6);
	}
	for (int i = 0; i < n; i++)
	{
		double		ll = kam_bgnbd_customer_ll(r, alpha, a, b, x[i], t_x[i], T[i]),
					p = kam_bgnbd_p_alive(r, alpha, a, b, x[i], t_x[i], T[i]),
					e = kam_bgnbd_expected(r, alpha, a, b, x[i], t_x[i], T[i], take_in(&in, 0, 1e3));

		FUZZ_ASSERT(!isnan(ll) && ll < INFINITY);	/* a density: may pass 0 */
		FUZZ_ASSERT(p >= 0 && p <= 1);	/* NaN fails too */
		FUZZ_ASSERT(isnan(e) || (e >= 0 && isfinite(e)));
		if (x[i] >= 1)
		{
			double		gll = kam_gammagamma_customer_ll(take_in(&in, 1e-3, 1e3), take_in(&in, 1e-3, 1e3),
														 take_in(&in, 1e-3, 1e3), x[i], z[i]);
			double		spend = kam_gammagamma_expected_spend(take_in(&in, 1e-3, 1e3), take_in(&in, 1.001, 1e3),
															  take_in(&in, 1e-3, 1e3), x[i], z[i]);

			FUZZ_ASSERT(!isnan(gll));
			FUZZ_ASSERT(isnan(spend) || spend > 0);
		}
	}
	{
		double		h = kam_hyp2f1(take_in(&in, -50, 50), take_in(&in, -50, 50), take_in(&in, 1e-3, 100),
								   take_in(&in, 0, nextafter(1, 0)));

		(void) h;				/* NaN when the series is slow: documented */
	}
	/* merged customers: ascending, distinct, the same total weight */
	{
		double		rows[4 * MAX_CUSTOMERS],
					before = 0,
					after = 0;
		int64_t		m;

		for (int i = 0; i < n; i++)
		{
			/* (few distinct values, so that some rows are equal) */
			rows[4 * i] = fmin(x[i], 2);
			rows[4 * i + 1] = rows[4 * i] == 0 ? 0 : 1;
			rows[4 * i + 2] = 1 + (int) T[i] % 3;
			rows[4 * i + 3] = w[i];
			before += w[i];
		}
		m = kam_bgnbd_merge_customers(rows, n);
		FUZZ_ASSERT(m >= 1 && m <= n);
		for (int64_t i = 0; i < m; i++)
		{
			after += rows[4 * i + 3];
			FUZZ_ASSERT(i == 0 || rows[4 * (i - 1)] < rows[4 * i] ||
						(rows[4 * (i - 1)] == rows[4 * i] &&
						 (rows[4 * (i - 1) + 1] < rows[4 * i + 1] ||
						  (rows[4 * (i - 1) + 1] == rows[4 * i + 1] && rows[4 * (i - 1) + 2] < rows[4 * i + 2]))));
		}
		FUZZ_ASSERT(after == before);	/* whole weights: exact */
	}
	if (size > 600)				/* fits cost more: the longer inputs */
	{
		kam_bgnbd_fit(x, t_x, T, w, n, &fit);
		for (int i = 0; i < 4; i++)
			FUZZ_ASSERT(!fit.converged || (isfinite(fit.params[i]) && fit.params[i] > 0));
		for (int i = 0; i < n; i++)
			x[i] = fmax(x[i], 1);
		kam_gammagamma_fit(x, z, w, n, &fit);
	}
	return 0;
}
