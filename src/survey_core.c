/*
 * survey_core.c: NPS (with its standard error, adjusted-Wald interval and
 * two-sample test), CSAT with a Wilson interval, CES mean and buckets.
 */
#include "survey_core.h"

#include <math.h>

#include "stats_core.h"

/* Net share p - d and per-respondent variance (p + d) - (p - d)^2. */
static void
nps_moments(double promoters, double detractors, double n,
			double *net, double *variance)
{
	double		p = promoters / n;
	double		d = detractors / n;

	*net = p - d;
	/* never below 0, whatever the rounding */
	*variance = fmax(0.0, (p + d) - (p - d) * (p - d));
}

double
kam_nps(const int64_t counts[KAM_NPS_CLASSES], int64_t n)
{
	/* the share first: |share| <= 1 exactly, so the result stays in [-100, 100] */
	return 100.0 * ((double) (counts[KAM_NPS_PROMOTERS] - counts[KAM_NPS_DETRACTORS]) / (double) n);
}

double
kam_nps_weighted(const double sums[KAM_NPS_CLASSES])
{
	double		total = sums[KAM_NPS_DETRACTORS] + sums[KAM_NPS_PASSIVES] +
		sums[KAM_NPS_PROMOTERS];

	return 100.0 * ((sums[KAM_NPS_PROMOTERS] - sums[KAM_NPS_DETRACTORS]) / total);
}

void
kam_nps_summarise(const int64_t counts[KAM_NPS_CLASSES], int64_t n,
				  KamNpsSummary *out)
{
	double		net;
	double		variance;
	double		adjusted_n = (double) n + 3.0;

	out->n = n;
	out->promoters = counts[KAM_NPS_PROMOTERS];
	out->passives = counts[KAM_NPS_PASSIVES];
	out->detractors = counts[KAM_NPS_DETRACTORS];
	out->nps = kam_nps(counts, n);

	nps_moments((double) out->promoters, (double) out->detractors, (double) n,
				&net, &variance);
	out->se = 100.0 * sqrt(variance / (double) n);

	/* adjusted Wald (Rocks 2016): 3 more answers, 3/4 of them P and D each */
	nps_moments(out->promoters + 0.75, out->detractors + 0.75, adjusted_n,
				&net, &variance);
	out->ci_low = fmax(-100.0, 100.0 * (net - KAM_Z95 * sqrt(variance / adjusted_n)));
	out->ci_high = fmin(100.0, 100.0 * (net + KAM_Z95 * sqrt(variance / adjusted_n)));
}

void
kam_nps_test(const int64_t a[KAM_NPS_CLASSES], int64_t na,
			 const int64_t b[KAM_NPS_CLASSES], int64_t nb, KamNpsTest *out)
{
	double		net_a,
				var_a,
				net_b,
				var_b;

	nps_moments((double) a[KAM_NPS_PROMOTERS], (double) a[KAM_NPS_DETRACTORS],
				(double) na, &net_a, &var_a);
	nps_moments((double) b[KAM_NPS_PROMOTERS], (double) b[KAM_NPS_DETRACTORS],
				(double) nb, &net_b, &var_b);
	out->difference = 100.0 * (net_a - net_b);
	out->se = 100.0 * sqrt(var_a / (double) na + var_b / (double) nb);
	out->defined = out->se > 0;
	out->z = out->defined ? out->difference / out->se : NAN;
	out->p_value = out->defined ? kam_normal_two_sided_p(out->z) : NAN;
}

void
kam_csat_summarise(int64_t n, int64_t satisfied, KamCsatSummary *out)
{
	double		low,
				high;

	out->n = n;
	out->satisfied = satisfied;
	out->csat = 100.0 * ((double) satisfied / (double) n);
	kam_wilson_interval(satisfied, n, KAM_Z95, &low, &high);
	out->ci_low = 100.0 * low;
	out->ci_high = 100.0 * high;
}

double
kam_ces_mean(const int64_t counts[KAM_CES_MAX], int64_t n)
{
	double		sum = 0;

	for (int answer = KAM_CES_MIN; answer <= KAM_CES_MAX; answer++)
		sum += (double) answer * (double) counts[answer - 1];
	/* in [1, 7] exactly; rounding of counts past 2^53 could step an ulp out */
	return fmin(7.0, fmax(1.0, sum / (double) n));
}

void
kam_ces_summarise(const int64_t counts[KAM_CES_MAX], int64_t n,
				  KamCesSummary *out)
{
	double		nn = (double) n;
	double		squares = 0;

	out->n = n;
	out->mean = kam_ces_mean(counts, n);
	/* deviations from the mean, exact enough for 7 distinct values */
	for (int answer = KAM_CES_MIN; answer <= KAM_CES_MAX; answer++)
		squares += (double) counts[answer - 1] *
			(answer - out->mean) * (answer - out->mean);
	if (n > 1)
	{
		double		half;

		out->sd = sqrt(squares / (nn - 1));
		half = kam_t975(n - 1) * out->sd / sqrt(nn);
		out->ci_low = fmax(KAM_CES_MIN, out->mean - half);
		out->ci_high = fmin(KAM_CES_MAX, out->mean + half);
	}
	else
		out->sd = out->ci_low = out->ci_high = NAN;
	out->pct_difficult = 100.0 * ((double) (counts[0] + counts[1] + counts[2]) / nn);
	out->pct_neutral = 100.0 * ((double) (counts[3] + counts[4]) / nn);
	out->pct_easy = 100.0 * ((double) (counts[5] + counts[6]) / nn);
}
