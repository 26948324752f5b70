/*
 * value_core.h: customer value analysis in pure C: RFM scores and the R/F
 * segment grid, ABC contribution classes, closed-form lifetime value.
 * Definitions: README.md, "Customer value: definitions".
 */
#ifndef KAM_VALUE_CORE_H
#define KAM_VALUE_CORE_H

#include <stdbool.h>
#include <stdint.h>

#define KAM_RFM_MIN 1
#define KAM_RFM_MAX 5

/* Segments of the R/F grid, in the order of kam_rfm_segment_names. */
typedef enum KamRfmSegment
{
	KAM_SEG_CHAMPIONS,
	KAM_SEG_LOYAL,
	KAM_SEG_POTENTIAL_LOYALISTS,
	KAM_SEG_NEW,
	KAM_SEG_PROMISING,
	KAM_SEG_NEED_ATTENTION,
	KAM_SEG_ABOUT_TO_SLEEP,
	KAM_SEG_AT_RISK,
	KAM_SEG_CANT_LOSE,
	KAM_SEG_HIBERNATING,
	KAM_SEG_COUNT
} KamRfmSegment;

extern const char *const kam_rfm_segment_names[KAM_SEG_COUNT];

/* The segment of scores r, f in 1..5 (the grid does not use M). */
extern KamRfmSegment kam_rfm_segment(int r, int f);

/*
 * Quintile score of a value from its rank: 1 + floor(5 (rank - 1) / n),
 * rank = 1 + the number of values strictly better placed (SQL rank()).
 * Requires 1 <= rank <= n.
 */
extern int	kam_quintile_of_rank(int64_t rank, int64_t n);

/*
 * Score of a value against ascending cut points c_1 <= ... <= c_k:
 * 1 + the number of cut points <= value.
 */
extern int	kam_score_by_cuts(double value, const double *cuts, int ncuts);

/* ABC classes */
typedef enum KamAbcClass
{
	KAM_ABC_A,
	KAM_ABC_B,
	KAM_ABC_C
} KamAbcClass;

extern const char *const kam_abc_class_names[3];	/* "A", "B", "C" */

/*
 * The class of an account whose predecessors (in descending order of
 * value) hold share_before of the total: A while share_before < a_cut,
 * B while < b_cut, C after; the account crossing a cut-off keeps the
 * higher class.
 */
extern KamAbcClass kam_abc_class_of(double share_before, double a_cut, double b_cut);

/*
 * Closed-form CLV: margin m per period, retention r in [0, 1), discount
 * rate i > -1.  Infinite horizon m r / (1 + i - r), defined for r < 1 + i;
 * finite horizon of T >= 0 periods: sum_{t=1..T} m r^t / (1 + i)^t.
 */
extern double kam_clv_infinite(double margin, double retention, double discount);
extern double kam_clv_finite(double margin, double retention, double discount,
							 int64_t periods);

/*
 * The order summary of one account: one pass over its orders as of a day.
 * Amounts are integers in units of 1/10000 (KAM_AMOUNT_SCALE decimals).
 * Dates are days since 2000-01-01, as PostgreSQL stores them.  The windows
 * are (start_12m, as_of] and (start_24m, start_12m], start_12m and start_24m
 * being as_of one and two years earlier (29 February: 28 February); orders
 * after as_of are not counted.
 */
#define KAM_AMOUNT_SCALE 4

typedef enum KamOrderSummarySlot
{
	KAM_OS_AS_OF,				/* the day and windows the state is for */
	KAM_OS_START_12M,
	KAM_OS_START_24M,
	KAM_OS_FIRST_DATE,
	KAM_OS_LAST_DATE,
	KAM_OS_ORDERS_TOTAL,
	KAM_OS_ORDERS_12M,
	KAM_OS_ORDERS_PRIOR,
	KAM_OS_REVENUE_12M,
	KAM_OS_REVENUE_PRIOR,
	KAM_OS_MARGIN_12M,
	KAM_OS_MARGIN_PRIOR,
	KAM_OS_MARGIN_MISSING_12M,
	KAM_OS_MARGIN_MISSING_PRIOR,
	KAM_OS_SLOTS
} KamOrderSummarySlot;

/*
 * Slot values of a state that has seen no order (and no day yet); the SQL
 * aggregate's INITCOND spells the empty state out.
 */
#define KAM_OS_UNSET INT64_MIN

/* Sets the day of an empty state and its windows (year arithmetic by year_shift). */
extern void kam_order_summary_set_day(int64_t state[KAM_OS_SLOTS], int32_t as_of,
									  int32_t (*years_before) (int32_t day, int years));

/*
 * Adds one order; false if a sum or count would overflow (state then
 * unspecified).  The caller has checked the state's windows.
 */
extern bool kam_order_summary_add(int64_t state[KAM_OS_SLOTS], int32_t order_date,
								  int64_t amount_units, bool has_margin,
								  int64_t margin_units);

/* into += from (same windows); false on overflow. */
extern bool kam_order_summary_merge(int64_t into[KAM_OS_SLOTS],
									const int64_t from[KAM_OS_SLOTS]);

/* A state's internal consistency (counts >= 0, bounds ordered ...). */
extern bool kam_order_summary_valid(const int64_t state[KAM_OS_SLOTS]);

/*
 * Purchase days (the CLV calibration's input): an account's distinct order
 * days, the sum of all its amounts and the sum of its first day's, in one
 * pass over its orders in any order.  The state is a bigint[] of
 * KAM_PD_HEADER slots followed by the days in ascending order and then
 * unused slots (KAM_PD_UNUSED), which let a state grow in place: its length
 * is its capacity.  Days are finite dates (days since 2000-01-01); amounts
 * in units of 1/10000.
 */
typedef enum KamPurchaseDaysSlot
{
	KAM_PD_DAYS,				/* distinct days held */
	KAM_PD_TOTAL,				/* sum of all amounts */
	KAM_PD_FIRST_TOTAL,			/* sum of the first day's amounts */
	KAM_PD_HEADER
} KamPurchaseDaysSlot;

#define KAM_PD_UNUSED INT64_MIN

/* PostgreSQL's finite dates in days since 2000-01-01: 4714-11-24 BC up to 5874898-01-01, excluded */
#define KAM_DAY_MIN INT64_C(-2451545)
#define KAM_DAY_END INT64_C(2145031949)

typedef enum KamPurchaseAdd
{
	KAM_PD_ADDED,
	KAM_PD_FULL,				/* a new day and no unused slot: grow, then add */
	KAM_PD_OVERFLOW				/* a sum would pass the bigint range */
} KamPurchaseAdd;

/* Whether a state of len slots is one the aggregate can reach. */
extern bool kam_purchase_days_valid(const int64_t *state, int64_t len);

/*
 * The part of kam_purchase_days_valid that needs no pass over the days: the
 * header (0 or 1 day: sums that agree with it) and room for the days held.
 * Enough for kam_purchase_days_add to stay inside the state; what it leaves
 * unchecked (days finite, ascending, unused slots) an add keeps wrong
 * (days are never changed, and inserted where the ones probed around them
 * are smaller and not smaller), so the final function's full check still
 * sees it.  The one exception is junk in the slot the new day fills, which
 * carried nothing.
 */
extern bool kam_purchase_days_header_valid(const int64_t *state, int64_t len);

/*
 * Adds an order of a (finite) day to a state of len slots with a valid
 * header (kam_purchase_days_header_valid).
 */
extern KamPurchaseAdd kam_purchase_days_add(int64_t *state, int64_t len, int32_t day,
											int64_t units);

/*
 * out = a and b merged (valid states); out has len_out >= KAM_PD_HEADER +
 * a's days + b's days slots.  False if a sum would overflow.
 */
extern bool kam_purchase_days_merge(const int64_t *a, const int64_t *b, int64_t *out,
									int64_t len_out);

/*
 * Ranks as SQL's rank() over ascending values: 1 + the number of values
 * strictly smaller.  order is scratch space for n indices.
 */
extern void kam_rank_ascending(const int64_t *values, int64_t n, int64_t *ranks,
							   int64_t *order);

/*
 * ABC: for the accounts with a positive value, the sum of the values of
 * the accounts placed before each (values descending, ties by ascending
 * id) and the total.  Others get before = -1.  order: scratch of n.
 */
extern void kam_abc_before(const int64_t *values, const bool *known, const int64_t *ids,
						   int64_t n, __int128 *before, __int128 *total, int64_t *order);

#endif							/* KAM_VALUE_CORE_H */
