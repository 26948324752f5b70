/*
 * stats_core.c: normal and Student t tail arithmetic, Wilson interval.
 */
#include "stats_core.h"

#include <math.h>

int64_t
kam_count_total(const int64_t *counts, int len)
{
	int64_t		total = 0;

	for (int i = 0; i < len; i++)
		if (__builtin_add_overflow(total, counts[i], &total))
			return -1;
	return total;
}

double
kam_normal_two_sided_p(double z)
{
	return erfc(fabs(z) / sqrt(2.0));
}

/*
 * Continued fraction for I_x(a, b), evaluated by the modified Lentz method;
 * converges quickly for x < (a + 1) / (a + b + 2).
 */
static double
beta_continued_fraction(double x, double a, double b)
{
	const double tiny = 1e-300;
	const double eps = 1e-15;
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		f;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	f = d;
	for (int m = 1; m <= 1000; m++)
	{
		/* even step, then odd step of the fraction */
		double		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));

		for (int step = 0; step < 2; step++)
		{
			double		delta;

			d = 1.0 + num * d;
			if (fabs(d) < tiny)
				d = tiny;
			c = 1.0 + num / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1.0 / d;
			delta = c * d;
			f *= delta;
			if (step == 1 && fabs(delta - 1.0) < eps)
				return f;
			num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		}
	}
	return f;
}

double
kam_incomplete_beta(double x, double a, double b)
{
	double		log_front;

	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	log_front = lgamma(a + b) - lgamma(a) - lgamma(b) +
		a * log(x) + b * log1p(-x);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(log_front) * beta_continued_fraction(x, a, b) / a;
	return 1.0 - exp(log_front) * beta_continued_fraction(1.0 - x, b, a) / b;
}

/* Upper tail P(T > t) of Student's t with df degrees of freedom, t >= 0. */
static double
t_upper_tail(double t, double df)
{
	return 0.5 * kam_incomplete_beta(df / (df + t * t), df / 2.0, 0.5);
}

static double
t_density(double t, double df)
{
	return exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * M_PI) -
			   (df + 1) / 2 * log1p(t * t / df));
}

/*
 * Cornish-Fisher expansion of the t quantile around the normal one
 * (Abramowitz & Stegun 26.7.5); its error is below 1e-12 from df = 200.
 */
static double
t_quantile_expansion(double z, double df)
{
	double		z2 = z * z;
	double		g1 = (z2 + 1) * z / 4;
	double		g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
	double		g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
	double		g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;

	return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) +
		g4 / (df * df * df * df);
}

#define T975_EXACT_BELOW 200

/* Newton's method on the exact tail, kept inside a shrinking bracket. */
static double
t975_exact(double df)
{
	const double tail = 0.025;
	double		lo = 0.0;
	double		hi = 1e4;
	double		t = t_quantile_expansion(1.959963984540054, df);

	if (df == 1)
		return tan(M_PI * 0.475);
	for (int i = 0; i < 100; i++)
	{
		double		excess = t_upper_tail(t, df) - tail;
		double		next;

		if (excess > 0)
			lo = t;
		else
			hi = t;
		next = t + excess / t_density(t, df);
		if (!(next > lo && next < hi))
			next = (lo + hi) / 2;
		if (fabs(next - t) <= 1e-14 * t)
			return next;
		t = next;
	}
	return t;
}

double
kam_t975(int64_t df)
{
	static double cache[T975_EXACT_BELOW];

	if (df < 1)
		return NAN;
	if (df >= T975_EXACT_BELOW)
		return t_quantile_expansion(1.959963984540054, (double) df);
	if (cache[df] == 0)
		cache[df] = t975_exact((double) df);
	return cache[df];
}

void
kam_wilson_interval(int64_t successes, int64_t n, double z,
					double *low, double *high)
{
	double		nn = (double) n;
	double		p = (double) successes / nn;
	double		z2n = z * z / nn;
	double		centre = p + z2n / 2;
	double		half = z * sqrt(p * (1 - p) / nn + z2n / (4 * nn));
	double		scale = 1 + z2n;

	*low = fmax(0.0, (centre - half) / scale);
	*high = fmin(1.0, (centre + half) / scale);
}
