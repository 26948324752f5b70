/*
 * clv_core.c: BG/NBD and Gamma-Gamma log-likelihoods, gradients and fits.
 *
 * Both fits maximise the log-likelihood over the logarithms of the
 * parameters (which keeps them positive) with BFGS and a backtracking line
 * search; gradients are analytic.  The terms that depend on a customer's x
 * only (the log-gamma and digamma functions) are computed once per distinct
 * x, so a fit costs a few logarithms per customer and iteration.
 */
#include "clv_core.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 4
#define MAX_ITERATIONS 500

double
kam_digamma(double x)
{
	double		result = 0;
	double		inv,
				inv2;

	/* recurrence up to x >= 6, then the asymptotic series */
	while (x < 6)
	{
		result -= 1 / x;
		x += 1;
	}
	inv = 1 / x;
	inv2 = inv * inv;
	return result + log(x) - 0.5 * inv -
		inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132))));
}

/* log(exp(u) + exp(v)) without overflow */
static inline double
log_sum_exp(double u, double v)
{
	return u > v ? u + log1p(exp(v - u)) : v + log1p(exp(u - v));
}

double
kam_bgnbd_customer_ll(double r, double alpha, double a, double b,
					  double x, double t_x, double T)
{
	double		common = lgamma(r + x) - lgamma(r) + r * log(alpha) +
		lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
	double		l3 = -(r + x) * log(alpha + T);

	if (x == 0)
		return common + l3;
	return common + log_sum_exp(l3, log(a) - log(b + x - 1) - (r + x) * log(alpha + t_x));
}

double
kam_gammagamma_customer_ll(double p, double q, double gamma, double x, double z)
{
	return lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(gamma) +
		(p * x - 1) * log(z) + p * x * log(x) - (p * x + q) * log(gamma + x * z);
}

/* ------------------------------------------------------------ data by x */

/*
 * Customers grouped by distinct x: group[i] is the index of customer i's
 * x in xs[], whose total weight is xweight[].
 */
typedef struct ByX
{
	int64_t		n;
	const double *x,
			   *u,
			   *v,
			   *weight;			/* u, v: t_x, T (BG/NBD) or z, log z (GG) */
	int64_t    *group;
	double	   *xs;
	double	   *xweight;
	int64_t		ngroups;
	double		total_weight;
	double	   *scratch;		/* per group, as the likelihood needs */
} ByX;

static int
compare_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* binary search of a value known to be in the sorted distinct xs */
static int64_t
find_x(const double *xs, int64_t ngroups, double x)
{
	int64_t		lo = 0,
				hi = ngroups - 1;

	while (lo < hi)
	{
		int64_t		mid = (lo + hi) / 2;

		if (xs[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
group_by_x(ByX *d, int scratch_per_group)
{
	int64_t		m = 0;
	double	   *sorted = malloc(sizeof(double) * (size_t) d->n);

	d->group = malloc(sizeof(int64_t) * (size_t) d->n);
	if (sorted == NULL || d->group == NULL)
	{
		free(sorted);
		return false;
	}
	memcpy(sorted, d->x, sizeof(double) * (size_t) d->n);
	qsort(sorted, (size_t) d->n, sizeof(double), compare_double);
	for (int64_t i = 0; i < d->n; i++)
		if (i == 0 || sorted[i] != sorted[m - 1])
			sorted[m++] = sorted[i];
	d->xs = sorted;
	d->ngroups = m;
	d->xweight = calloc((size_t) m, sizeof(double));
	d->scratch = malloc(sizeof(double) * (size_t) (m * scratch_per_group));
	if (d->xweight == NULL || d->scratch == NULL)
		return false;
	d->total_weight = 0;
	for (int64_t i = 0; i < d->n; i++)
	{
		d->group[i] = find_x(d->xs, m, d->x[i]);
		d->xweight[d->group[i]] += d->weight[i];
		d->total_weight += d->weight[i];
	}
	return true;
}

static void
free_by_x(ByX *d)
{
	free(d->group);
	free(d->xs);
	free(d->xweight);
	free(d->scratch);
}

/* ------------------------------------------------------------ BG/NBD */

enum
{
	BG_LG_RX, BG_DG_RX, BG_LG_BX, BG_DG_BX, BG_LG_ABX, BG_DG_ABX, BG_LOG_BX1, BG_SCRATCH
};

/*
 * Negative mean log-likelihood of the data at exp(theta) and its gradient
 * with respect to theta; +inf where it cannot be evaluated.
 */
/*
 * A sum with Neumaier's compensation: the fits add a term per customer, and
 * with a million customers the rounding of a plain sum depends on their
 * order enough to stall the line search near the optimum (three times the
 * objective evaluations with the customers sorted, tested).
 */
typedef struct CompensatedSum
{
	double		sum;
	double		error;
} CompensatedSum;

static inline void
add_compensated(CompensatedSum *s, double term)
{
	double		t = s->sum + term;

	if (fabs(s->sum) >= fabs(term))
		s->error += (s->sum - t) + term;
	else
		s->error += (term - t) + s->sum;
	s->sum = t;
}

static inline double
compensated_total(const CompensatedSum *s)
{
	return s->sum + s->error;
}

static double
bgnbd_objective(const double *theta, double *grad, void *arg)
{
	ByX		   *d = arg;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	CompensatedSum ll = {0, 0},
				g_r = {0, 0},
				g_alpha = {0, 0},
				g_a = {0, 0},
				g_b = {0, 0};
	double		lg_r = lgamma(r),
				dg_r = kam_digamma(r),
				lg_ab = lgamma(a + b),
				dg_ab = kam_digamma(a + b),
				lg_b = lgamma(b),
				dg_b = kam_digamma(b),
				log_a = log(a),
				log_alpha = log(alpha);

	for (int64_t k = 0; k < d->ngroups; k++)
	{
		double		x = d->xs[k];
		double		w = d->xweight[k];
		double	   *s = &d->scratch[k * BG_SCRATCH];

		s[BG_LG_RX] = lgamma(r + x);
		s[BG_DG_RX] = kam_digamma(r + x);
		s[BG_LG_BX] = lgamma(b + x);
		s[BG_DG_BX] = kam_digamma(b + x);
		s[BG_LG_ABX] = lgamma(a + b + x);
		s[BG_DG_ABX] = kam_digamma(a + b + x);
		s[BG_LOG_BX1] = x > 0 ? log(b + x - 1) : 0;
		add_compensated(&ll, w * (s[BG_LG_RX] - lg_r + r * log_alpha + lg_ab + s[BG_LG_BX] - lg_b - s[BG_LG_ABX]));
		add_compensated(&g_r, w * (s[BG_DG_RX] - dg_r + log_alpha));
		add_compensated(&g_alpha, w * r / alpha);
		add_compensated(&g_a, w * (dg_ab - s[BG_DG_ABX]));
		add_compensated(&g_b, w * (dg_ab + s[BG_DG_BX] - dg_b - s[BG_DG_ABX]));
	}
	for (int64_t i = 0; i < d->n; i++)
	{
		const double *s = &d->scratch[d->group[i] * BG_SCRATCH];
		double		x = d->x[i];
		double		w = d->weight[i];
		double		log_at = log(alpha + d->v[i]);
		double		l3 = -(r + x) * log_at;

		if (x == 0)
		{
			add_compensated(&ll, w * l3);
			add_compensated(&g_r, -(w * log_at));
			add_compensated(&g_alpha, -(w * r / (alpha + d->v[i])));
		}
		else
		{
			double		log_atx = log(alpha + d->u[i]);
			double		l4 = log_a - s[BG_LOG_BX1] - (r + x) * log_atx;
			double		l = log_sum_exp(l3, l4);
			double		w3 = exp(l3 - l),
						w4 = exp(l4 - l);

			add_compensated(&ll, w * l);
			add_compensated(&g_r, -(w * (w3 * log_at + w4 * log_atx)));
			add_compensated(&g_alpha, -(w * (r + x) * (w3 / (alpha + d->v[i]) + w4 / (alpha + d->u[i]))));
			add_compensated(&g_a, w * w4 / a);
			add_compensated(&g_b, -(w * w4 / (b + x - 1)));
		}
	}
	if (!isfinite(compensated_total(&ll)))
		return INFINITY;
	/* d/dtheta = param * d/dparam; minimise -ll / W */
	grad[0] = -r * compensated_total(&g_r) / d->total_weight;
	grad[1] = -alpha * compensated_total(&g_alpha) / d->total_weight;
	grad[2] = -a * compensated_total(&g_a) / d->total_weight;
	grad[3] = -b * compensated_total(&g_b) / d->total_weight;
	return -compensated_total(&ll) / d->total_weight;
}

/* ------------------------------------------------------------ BFGS */

typedef double (*Objective) (const double *theta, double *grad, void *arg);

/*
 * Minimises f from theta (k <= MAX_PARAMS) by BFGS with an Armijo
 * backtracking line search; theta is kept within [-40, 40].  Converged when
 * the largest gradient component (of the mean log-likelihood, per log
 * parameter) falls below 1e-9, or when f can no longer decrease (rounding)
 * with it below 1e-6.
 */
static void
bfgs(Objective f, void *arg, int k, double *theta, double *value, int *iterations,
	 bool *converged)
{
	double		H[MAX_PARAMS][MAX_PARAMS] = {{0}};
	double		g[MAX_PARAMS],
				g_new[MAX_PARAMS],
				step[MAX_PARAMS],
				trial[MAX_PARAMS];
	double		fx = f(theta, g, arg);
	int			stalls = 0;

	*converged = false;
	for (int i = 0; i < k; i++)
		H[i][i] = 1;
	for (*iterations = 0; *iterations < MAX_ITERATIONS && isfinite(fx); (*iterations)++)
	{
		double		slope = 0,
					t = 1,
					f_new,
					largest = 0,
					longest = 0,
					sy = 0;
		double		y[MAX_PARAMS],
					s[MAX_PARAMS],
					Hy[MAX_PARAMS],
					yHy = 0;

		for (int i = 0; i < k; i++)
			largest = fmax(largest, fabs(g[i]));
		if (largest < 1e-9)
		{
			*converged = true;
			break;
		}
		for (int i = 0; i < k; i++)
		{
			step[i] = 0;
			for (int j = 0; j < k; j++)
				step[i] -= H[i][j] * g[j];
			slope += step[i] * g[i];
			longest = fmax(longest, fabs(step[i]));
		}
		if (slope >= 0)
		{
			/* not a descent direction: restart from steepest descent */
			for (int i = 0; i < k; i++)
			{
				for (int j = 0; j < k; j++)
					H[i][j] = i == j;
				step[i] = -g[i];
			}
			slope = 0;
			longest = 0;
			for (int i = 0; i < k; i++)
			{
				slope -= g[i] * g[i];
				longest = fmax(longest, fabs(step[i]));
			}
		}
		if (longest > 2)
			t = 2 / longest;	/* at most a factor e^2 per parameter and step */
		for (;;)
		{
			for (int i = 0; i < k; i++)
				trial[i] = fmin(40, fmax(-40, theta[i] + t * step[i]));
			f_new = f(trial, g_new, arg);
			if (isfinite(f_new) && f_new <= fx + 1e-4 * t * slope)
				break;
			t *= 0.5;
			if (t < 1e-20)
				break;
		}
		if (!(isfinite(f_new) && f_new <= fx))
		{
			/* no progress possible: at the optimum if the gradient is tiny */
			*converged = largest < 1e-6;
			break;
		}
		stalls = fx - f_new <= 1e-15 * fmax(1, fabs(fx)) ? stalls + 1 : 0;
		for (int i = 0; i < k; i++)
		{
			s[i] = trial[i] - theta[i];
			y[i] = g_new[i] - g[i];
			sy += s[i] * y[i];
			theta[i] = trial[i];
			g[i] = g_new[i];
		}
		fx = f_new;
		if (stalls >= 3)
		{
			*converged = largest < 1e-6;
			break;
		}
		if (sy <= 1e-300)
			continue;			/* keep H: the curvature condition failed */
		for (int i = 0; i < k; i++)
		{
			Hy[i] = 0;
			for (int j = 0; j < k; j++)
				Hy[i] += H[i][j] * y[j];
			yHy += y[i] * Hy[i];
		}
		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++)
				H[i][j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy) -
					(Hy[i] * s[j] + s[i] * Hy[j]) / sy;
	}
	*value = fx;
}

/* qsort has no context argument: the key columns of the rows being sorted */
static int	merge_keys;

/* rows by their key columns, the first first */
static int
compare_rows(const void *a, const void *b)
{
	const double *p = a,
			   *q = b;

	for (int c = 0; c < merge_keys; c++)
		if (p[c] != q[c])
			return p[c] < q[c] ? -1 : 1;
	return 0;
}

/* rows of width doubles, the last a weight: sorted, equal keys merged */
static int64_t
merge_rows(double *rows, int64_t n, int width)
{
	int64_t		m = 0;

	merge_keys = width - 1;
	qsort(rows, (size_t) n, (size_t) width * sizeof(double), compare_rows);
	for (int64_t i = 0; i < n; i++)
	{
		if (m > 0 && compare_rows(&rows[width * (m - 1)], &rows[width * i]) == 0)
			rows[width * (m - 1) + width - 1] += rows[width * i + width - 1];
		else
		{
			memmove(&rows[width * m], &rows[width * i], (size_t) width * sizeof(double));
			m++;
		}
	}
	return m;
}

int64_t
kam_bgnbd_merge_customers(double *rows, int64_t n)
{
	return merge_rows(rows, n, 4);
}

int64_t
kam_gammagamma_merge_customers(double *rows, int64_t n)
{
	return merge_rows(rows, n, 3);
}

void
kam_bgnbd_fit(const double *x, const double *t_x, const double *T,
			  const double *weight, int64_t n, KamFit *fit)
{
	ByX			d = {.n = n, .x = x, .u = t_x, .v = T, .weight = weight};
	double		theta[4] = {0, 0, 0, 0};	/* r = alpha = a = b = 1 */
	double		value;

	memset(fit, 0, sizeof(*fit));
	if (!group_by_x(&d, BG_SCRATCH))
	{
		free_by_x(&d);
		fit->log_likelihood = NAN;
		return;
	}
	bfgs(bgnbd_objective, &d, 4, theta, &value, &fit->iterations, &fit->converged);
	for (int i = 0; i < 4; i++)
		fit->params[i] = exp(theta[i]);
	fit->log_likelihood = -value * d.total_weight;
	free_by_x(&d);
}

/* ------------------------------------------------------------ Gamma-Gamma */

enum
{
	GG_LG_PX, GG_DG_PX, GG_LG_PXQ, GG_DG_PXQ, GG_LOG_X, GG_SCRATCH
};

static double
gammagamma_objective(const double *theta, double *grad, void *arg)
{
	ByX		   *d = arg;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				gamma = exp(theta[2]);
	CompensatedSum ll = {0, 0},
				g_p = {0, 0},
				g_q = {0, 0},
				g_gamma = {0, 0};
	double		lg_q = lgamma(q),
				dg_q = kam_digamma(q),
				log_gamma = log(gamma);

	for (int64_t k = 0; k < d->ngroups; k++)
	{
		double		x = d->xs[k];
		double		w = d->xweight[k];
		double	   *s = &d->scratch[k * GG_SCRATCH];

		s[GG_LG_PX] = lgamma(p * x);
		s[GG_DG_PX] = kam_digamma(p * x);
		s[GG_LG_PXQ] = lgamma(p * x + q);
		s[GG_DG_PXQ] = kam_digamma(p * x + q);
		s[GG_LOG_X] = log(x);
		add_compensated(&ll, w * (s[GG_LG_PXQ] - s[GG_LG_PX] - lg_q + q * log_gamma + p * x * s[GG_LOG_X]));
		add_compensated(&g_p, w * x * (s[GG_DG_PXQ] - s[GG_DG_PX] + s[GG_LOG_X]));
		add_compensated(&g_q, w * (s[GG_DG_PXQ] - dg_q + log_gamma));
		add_compensated(&g_gamma, w * q / gamma);
	}
	for (int64_t i = 0; i < d->n; i++)
	{
		double		x = d->x[i];
		double		w = d->weight[i];
		double		log_z = d->v[i];
		double		spent = gamma + x * d->u[i];
		double		log_spent = log(spent);

		add_compensated(&ll, w * ((p * x - 1) * log_z - (p * x + q) * log_spent));
		add_compensated(&g_p, w * x * (log_z - log_spent));
		add_compensated(&g_q, -(w * log_spent));
		add_compensated(&g_gamma, -(w * (p * x + q) / spent));
	}
	if (!isfinite(compensated_total(&ll)))
		return INFINITY;
	grad[0] = -p * compensated_total(&g_p) / d->total_weight;
	grad[1] = -q * compensated_total(&g_q) / d->total_weight;
	grad[2] = -gamma * compensated_total(&g_gamma) / d->total_weight;
	return -compensated_total(&ll) / d->total_weight;
}

void
kam_gammagamma_fit(const double *x, const double *z, const double *weight,
				   int64_t n, KamFit *fit)
{
	double	   *log_z = malloc(sizeof(double) * (size_t) n);
	ByX			d = {.n = n, .x = x, .u = z, .v = log_z, .weight = weight};
	double		theta[3] = {0, 0, 0};
	double		value;

	memset(fit, 0, sizeof(*fit));
	if (log_z == NULL || !group_by_x(&d, GG_SCRATCH))
	{
		free(log_z);
		free_by_x(&d);
		fit->log_likelihood = NAN;
		return;
	}
	for (int64_t i = 0; i < n; i++)
		log_z[i] = log(z[i]);
	bfgs(gammagamma_objective, &d, 3, theta, &value, &fit->iterations, &fit->converged);
	for (int i = 0; i < 3; i++)
		fit->params[i] = exp(theta[i]);
	fit->log_likelihood = -value * d.total_weight;
	free(log_z);
	free_by_x(&d);
}

/* ------------------------------------------------------------ scoring */

double
kam_bgnbd_p_alive(double r, double alpha, double a, double b,
				  double x, double t_x, double T)
{
	if (x == 0)
		return 1.0;
	/* 1 / (1 + exp(l)); exp(l) = inf gives 0, as it should */
	return 1.0 / (1.0 + exp(log(a) - log(b + x - 1) +
						   (r + x) * (log(alpha + T) - log(alpha + t_x))));
}

double
kam_hyp2f1(double a, double b, double c, double z)
{
	double		term = 1,
				sum = 1,
				magnitude = 1;	/* sum of |term|: bounds the rounding error */

	for (int k = 0; k < 200000; k++)
	{
		term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
		sum += term;
		magnitude += fabs(term);
		if (fabs(term) <= 1e-15 * fabs(sum))
		{
			/*
			 * Terms of both signs that cancel leave rounding errors of up
			 * to ~1e-16 * magnitude: NaN rather than a wrong number when
			 * fewer than ~9 digits could be right.
			 */
			return magnitude <= 1e7 * fabs(sum) ? sum : NAN;
		}
		if (!isfinite(sum))
			break;
	}
	return NAN;
}

double
kam_bgnbd_expected(double r, double alpha, double a, double b,
				   double x, double t_x, double T, double t)
{
	double		c = a + b + x - 1;
	double		z = t / (alpha + T + t);
	double		bounded,
				numerator;

	if (t == 0)
		return 0;
	if (fabs(a - 1) < 1e-9)
		a = 1 + 1e-9;
	/*
	 * ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z) =
	 * (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z) (Euler): finite for any x
	 */
	bounded = pow(1 - z, a - 1) * kam_hyp2f1(a + b - 1 - r, a - 1, c, z);
	if (!isfinite(bounded))
		return NAN;				/* the series overflowed: not computable here */
	numerator = (c / (a - 1)) * (1 - bounded);
	/* >= 0 in exact arithmetic: below only by rounding, else not computable */
	if (numerator < 0)
	{
		if (numerator < -1e-9 * fabs(c / (a - 1)))
			return NAN;
		numerator = 0;
	}
	numerator *= kam_bgnbd_p_alive(r, alpha, a, b, x, t_x, T);
	return isfinite(numerator) ? numerator : NAN;
}

double
kam_gammagamma_expected_spend(double p, double q, double gamma, double x, double z)
{
	if (x == 0)
		return q > 1 ? p * gamma / (q - 1) : NAN;
	if (p * x + q <= 1)
		return NAN;
	return p * (gamma + x * z) / (p * x + q - 1);
}
