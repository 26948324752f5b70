/*
 * survey_core.h: the survey measures NPS, CSAT and CES, in pure C.
 *
 * Everything here works on counts that the SQL layer has validated; the
 * definitions are those of README.md ("Survey measures").
 */
#ifndef KAM_SURVEY_CORE_H
#define KAM_SURVEY_CORE_H

#include <stdbool.h>
#include <stdint.h>

/* NPS answers are 0..10; the state counts them by class. */
#define KAM_NPS_MIN 0
#define KAM_NPS_MAX 10
enum
{
	KAM_NPS_DETRACTORS = 0,		/* 0-6 */
	KAM_NPS_PASSIVES = 1,		/* 7-8 */
	KAM_NPS_PROMOTERS = 2,		/* 9-10 */
	KAM_NPS_CLASSES = 3
};

/* The class slot of a valid 0..10 answer, without a branch. */
static inline int
kam_nps_class(int32_t score)
{
	return (score >= 7) + (score >= 9);
}

typedef struct KamNpsSummary
{
	int64_t		n;
	int64_t		promoters;
	int64_t		passives;
	int64_t		detractors;
	double		nps;			/* 100 (P - D) / n */
	double		se;				/* 100 sqrt(v / n), v = (p + d) - (p - d)^2 */
	double		ci_low;			/* adjusted-Wald 95 % interval, */
	double		ci_high;		/* clipped to [-100, 100] */
} KamNpsSummary;

/*
 * NPS of class counts (index by KAM_NPS_*); counts >= 0 and n, their sum
 * (kam_count_total), > 0.
 */
extern double kam_nps(const int64_t counts[KAM_NPS_CLASSES], int64_t n);

/* Weighted NPS of class weight sums; total > 0. */
extern double kam_nps_weighted(const double sums[KAM_NPS_CLASSES]);

/* Full summary of class counts with total n > 0. */
extern void kam_nps_summarise(const int64_t counts[KAM_NPS_CLASSES], int64_t n,
							  KamNpsSummary *out);

typedef struct KamNpsTest
{
	double		difference;		/* NPS_1 - NPS_2 */
	double		se;				/* 100 sqrt(v1/n1 + v2/n2) */
	double		z;
	double		p_value;		/* two-sided */
	bool		defined;		/* false when se = 0: z and p undefined */
} KamNpsTest;

/* Two-sample Wald test of two NPS class-count vectors with totals > 0. */
extern void kam_nps_test(const int64_t a[KAM_NPS_CLASSES], int64_t na,
						 const int64_t b[KAM_NPS_CLASSES], int64_t nb,
						 KamNpsTest *out);

/* CSAT: top-two-box share of a 1..scale_max scale. */
#define KAM_CSAT_DEFAULT_SCALE 5
#define KAM_CSAT_MIN_SCALE 3
#define KAM_CSAT_MAX_SCALE 1000

typedef struct KamCsatSummary
{
	int64_t		n;
	int64_t		satisfied;
	double		csat;			/* 100 satisfied / n */
	double		ci_low;			/* Wilson 95 % interval, percent */
	double		ci_high;
} KamCsatSummary;

static inline bool
kam_csat_satisfied(int32_t score, int32_t scale_max)
{
	return score >= scale_max - 1;
}

extern void kam_csat_summarise(int64_t n, int64_t satisfied,
							   KamCsatSummary *out);

/* CES 2.0: answers 1..7, the state counts each answer. */
#define KAM_CES_MIN 1
#define KAM_CES_MAX 7

typedef struct KamCesSummary
{
	int64_t		n;
	double		mean;
	double		sd;				/* sample standard deviation; NaN if n = 1 */
	double		ci_low;			/* mean +- t(0.975, n-1) sd / sqrt n, */
	double		ci_high;		/* clipped to [1, 7]; NaN if n = 1 */
	double		pct_difficult;	/* answers 1-3, percent */
	double		pct_neutral;	/* answers 4-5 */
	double		pct_easy;		/* answers 6-7 */
} KamCesSummary;

/* Mean answer of counts with total n > 0. */
extern double kam_ces_mean(const int64_t counts[KAM_CES_MAX], int64_t n);

extern void kam_ces_summarise(const int64_t counts[KAM_CES_MAX], int64_t n,
							  KamCesSummary *out);

#endif							/* KAM_SURVEY_CORE_H */
