/*
 * value_core.c: RFM grid and scores, ABC classes, closed-form CLV.
 */
#include "value_core.h"

#include <math.h>

const char *const kam_rfm_segment_names[KAM_SEG_COUNT] = {
	[KAM_SEG_CHAMPIONS] = "Champions",
	[KAM_SEG_LOYAL] = "Loyal Customers",
	[KAM_SEG_POTENTIAL_LOYALISTS] = "Potential Loyalists",
	[KAM_SEG_NEW] = "New Customers",
	[KAM_SEG_PROMISING] = "Promising",
	[KAM_SEG_NEED_ATTENTION] = "Need Attention",
	[KAM_SEG_ABOUT_TO_SLEEP] = "About To Sleep",
	[KAM_SEG_AT_RISK] = "At Risk",
	[KAM_SEG_CANT_LOSE] = "Can't Lose Them",
	[KAM_SEG_HIBERNATING] = "Hibernating",
};

/* The widely copied R/F grid; rows R = 1..5, columns F = 1..5. */
static const KamRfmSegment rf_grid[5][5] = {
	/* R1 */ {KAM_SEG_HIBERNATING, KAM_SEG_HIBERNATING, KAM_SEG_AT_RISK, KAM_SEG_AT_RISK, KAM_SEG_CANT_LOSE},
	/* R2 */ {KAM_SEG_HIBERNATING, KAM_SEG_HIBERNATING, KAM_SEG_AT_RISK, KAM_SEG_AT_RISK, KAM_SEG_CANT_LOSE},
	/* R3 */ {KAM_SEG_ABOUT_TO_SLEEP, KAM_SEG_ABOUT_TO_SLEEP, KAM_SEG_NEED_ATTENTION, KAM_SEG_LOYAL, KAM_SEG_LOYAL},
	/* R4 */ {KAM_SEG_PROMISING, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_LOYAL, KAM_SEG_LOYAL},
	/* R5 */ {KAM_SEG_NEW, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_CHAMPIONS, KAM_SEG_CHAMPIONS},
};

KamRfmSegment
kam_rfm_segment(int r, int f)
{
	return rf_grid[r - 1][f - 1];
}

int
kam_quintile_of_rank(int64_t rank, int64_t n)
{
	/* (rank - 1) * 5 < 5n <= 5 * 2^63 / 5: done in unsigned 128 bits */
	return 1 + (int) (((unsigned __int128) (rank - 1) * 5) / (unsigned __int128) n);
}

int
kam_score_by_cuts(double value, const double *cuts, int ncuts)
{
	int			score = 1;

	for (int i = 0; i < ncuts; i++)
		score += value >= cuts[i];
	return score;
}

KamAbcClass
kam_abc_class_of(double share_before, double a_cut, double b_cut)
{
	if (share_before < a_cut)
		return KAM_ABC_A;
	if (share_before < b_cut)
		return KAM_ABC_B;
	return KAM_ABC_C;
}

double
kam_clv_infinite(double margin, double retention, double discount)
{
	return margin * retention / (1.0 + discount - retention);
}

double
kam_clv_finite(double margin, double retention, double discount, int64_t periods)
{
	/* a geometric series in q = r / (1 + i) */
	double		q = retention / (1.0 + discount);

	if (periods == 0 || q == 0)
		return 0.0;
	if (fabs(1.0 - q) < 1e-12)
		return margin * q * (double) periods;
	/* q (1 - q^T) / (1 - q), with expm1/log for accuracy near q = 1 */
	return margin * q * -expm1((double) periods * log(q)) / (1.0 - q);
}
