/*
 * value.c: SQL interface of the customer value functions: rfm_tier,
 * quintile_score, cut_score, abc_class, clv, and the order_summary
 * aggregate behind account_value.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "result_row.h"
#include "check.h"
#include "state.h"
#include "value.h"
#include "value_core.h"

#define KAM_MAX_CUTS 100

static void
check_rfm_score(int32 score, const char *dimension)
{
	if (score < KAM_RFM_MIN || score > KAM_RFM_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm %s score %d is outside the allowed range %d to %d",
						dimension, score, KAM_RFM_MIN, KAM_RFM_MAX)));
}

static void
check_finite(double value, const char *what)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not allowed: it must be finite", what, value)));
}

PG_FUNCTION_INFO_V1(kam_rfm_tier);
Datum
kam_rfm_tier(PG_FUNCTION_ARGS)
{
	int32		r = PG_GETARG_INT32(0);
	int32		f = PG_GETARG_INT32(1);

	check_rfm_score(r, "recency");
	check_rfm_score(f, "frequency");
	check_rfm_score(PG_GETARG_INT32(2), "monetary");
	PG_RETURN_TEXT_P(cstring_to_text(kam_rfm_segment_names[kam_rfm_segment(r, f)]));
}

PG_FUNCTION_INFO_V1(kam_quintile_score);
Datum
kam_quintile_score(PG_FUNCTION_ARGS)
{
	int64		rank = PG_GETARG_INT64(0);
	int64		n = PG_GETARG_INT64(1);

	if (n < 1 || rank < 1 || rank > n)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quintile rank " INT64_FORMAT " of " INT64_FORMAT " is not allowed: the rank must be from 1 to the count, and the count at least 1",
						rank, n)));
	PG_RETURN_INT32(kam_quintile_of_rank(rank, n));
}

PG_FUNCTION_INFO_V1(kam_cut_score);
Datum
kam_cut_score(PG_FUNCTION_ARGS)
{
	float8		value = PG_GETARG_FLOAT8(0);
	ArrayType  *cuts = PG_GETARG_ARRAYTYPE_P(1);
	int			ncuts;
	float8	   *c;

	check_finite(value, "cut_score value");
	if (ARR_ELEMTYPE(cuts) != FLOAT8OID || ARR_NDIM(cuts) != 1 || ARR_HASNULL(cuts) ||
		ARR_DIMS(cuts)[0] < 1 || ARR_DIMS(cuts)[0] > KAM_MAX_CUTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cut points must be a one-dimensional array of 1 to %d non-null numbers",
						KAM_MAX_CUTS)));
	ncuts = ARR_DIMS(cuts)[0];
	c = (float8 *) ARR_DATA_PTR(cuts);
	for (int i = 0; i < ncuts; i++)
	{
		check_finite(c[i], "cut point");
		if (i > 0 && c[i] < c[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cut points must be ascending: %g follows %g", c[i], c[i - 1])));
	}
	PG_RETURN_INT32(kam_score_by_cuts(value, c, ncuts));
}

PG_FUNCTION_INFO_V1(kam_abc_class);
Datum
kam_abc_class(PG_FUNCTION_ARGS)
{
	float8		share_before = PG_GETARG_FLOAT8(0);
	float8		a_cut = PG_GETARG_FLOAT8(1);
	float8		b_cut = PG_GETARG_FLOAT8(2);

	if (!(share_before >= 0 && share_before <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("abc cumulative share %g is outside the allowed range 0 to 1",
						share_before)));
	if (!(a_cut > 0 && a_cut <= b_cut && b_cut <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("abc cut-offs %g and %g are not allowed: they must satisfy 0 < a <= b <= 1",
						a_cut, b_cut)));
	PG_RETURN_TEXT_P(cstring_to_text(kam_abc_class_names[kam_abc_class_of(share_before, a_cut, b_cut)]));
}

static void
check_clv_arguments(double margin, double retention, double discount)
{
	check_finite(margin, "clv margin");
	check_finite(retention, "clv retention");
	check_finite(discount, "clv discount rate");
	if (retention < 0 || retention >= 1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv retention %g is outside the allowed range [0, 1)", retention)));
	if (discount <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv discount rate %g is not allowed: it must be greater than -1", discount)));
}

/* a finite result of finite arguments can still overflow a double */
static double
checked_clv_result(double result)
{
	if (isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv value out of range: the result exceeds the range of double precision")));
	return result;
}

PG_FUNCTION_INFO_V1(kam_clv);
Datum
kam_clv(PG_FUNCTION_ARGS)
{
	float8		margin = PG_GETARG_FLOAT8(0);
	float8		retention = PG_GETARG_FLOAT8(1);
	float8		discount = PG_GETARG_FLOAT8(2);

	check_clv_arguments(margin, retention, discount);
	if (retention >= 1 + discount)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clv over an infinite horizon diverges for retention %g and discount rate %g: retention must be below 1 + discount rate",
						retention, discount)));
	PG_RETURN_FLOAT8(checked_clv_result(kam_clv_infinite(margin, retention, discount)));
}

PG_FUNCTION_INFO_V1(kam_clv_periods);
Datum
kam_clv_periods(PG_FUNCTION_ARGS)
{
	float8		margin = PG_GETARG_FLOAT8(0);
	float8		retention = PG_GETARG_FLOAT8(1);
	float8		discount = PG_GETARG_FLOAT8(2);
	int32		periods = PG_GETARG_INT32(3);

	check_clv_arguments(margin, retention, discount);
	if (periods < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("clv periods %d is negative: periods must be >= 0", periods)));
	PG_RETURN_FLOAT8(checked_clv_result(kam_clv_finite(margin, retention, discount, periods)));
}

/* ------------------------------------------------------- order summary */

#define ORDER_SUMMARY_NAME "order_summary"

/* day minus whole years, 29 February falling back to 28 February */
static int32
years_before(int32 day, int years)
{
	int			year,
				month,
				mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	year -= years;
	if (month == 2 && mday == 29 && !isleap(year))
		mday = 28;
	return date2j(year, month, mday) - POSTGRES_EPOCH_JDATE;
}

static void
invalid_order_summary(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid order_summary state: its counts, dates or windows are inconsistent")));
}

static int64 *
checked_order_summary(ArrayType *state)
{
	int64	   *s = kam_count_state(state, KAM_OS_SLOTS, ORDER_SUMMARY_NAME);

	if (!kam_order_summary_valid(s) ||
		(s[KAM_OS_AS_OF] != KAM_OS_UNSET &&
		 (s[KAM_OS_START_12M] != years_before((int32) s[KAM_OS_AS_OF], 1) ||
		  s[KAM_OS_START_24M] != years_before((int32) s[KAM_OS_AS_OF], 2))))
		invalid_order_summary();
	return s;
}

static void
order_summary_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("order_summary sum or count out of range")));
}

/* The 12- and 24-month windows of a day, kept per call site. */
typedef struct OrderSummaryDay
{
	bool		known;
	int32		as_of;
	int64		start_12m;
	int64		start_24m;
} OrderSummaryDay;

static const OrderSummaryDay *
order_summary_day(FunctionCallInfo fcinfo, int32 as_of)
{
	OrderSummaryDay *day = (OrderSummaryDay *) fcinfo->flinfo->fn_extra;

	if (day == NULL)
	{
		day = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(OrderSummaryDay));
		fcinfo->flinfo->fn_extra = day;
	}
	if (!day->known || day->as_of != as_of)
	{
		day->as_of = as_of;
		day->start_12m = years_before(as_of, 1);
		day->start_24m = years_before(as_of, 2);
		day->known = true;
	}
	return day;
}

void
kam_order_summary_check_day(DateADT as_of)
{
	if (DATE_NOT_FINITE(as_of) ||
		as_of < date2j(1900, 1, 1) - POSTGRES_EPOCH_JDATE ||
		as_of > date2j(2999, 12, 31) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order_summary as_of must be a finite date between 1900 and 2999")));
}

void
kam_order_summary_begin(int64 s[KAM_OS_SLOTS], DateADT as_of)
{
	kam_order_summary_check_day(as_of);
	for (int i = 0; i < KAM_OS_SLOTS; i++)
		s[i] = i < KAM_OS_ORDERS_TOTAL ? KAM_OS_UNSET : 0;
	kam_order_summary_set_day(s, as_of, years_before);
}

void
kam_order_summary_take(int64 s[KAM_OS_SLOTS], DateADT order_date, int64 amount_units,
					   bool has_margin, int64 margin_units)
{
	if (DATE_NOT_FINITE(order_date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order_summary order date must be finite")));
	if (!kam_order_summary_add(s, order_date, amount_units, has_margin, margin_units))
		order_summary_overflow();
}

/*
 * A state's day: set on the first row, the same on every later one, with
 * the windows that day has (a state built elsewhere may claim a day with
 * other windows).
 */
static void
settle_order_summary_day(FunctionCallInfo fcinfo, int64 *s, int32 as_of)
{
	const OrderSummaryDay *day;

	if (s[KAM_OS_AS_OF] != KAM_OS_UNSET && s[KAM_OS_AS_OF] != as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("order_summary as_of changed within one aggregate")));
	kam_order_summary_check_day(as_of);
	day = order_summary_day(fcinfo, as_of);
	if (s[KAM_OS_AS_OF] == KAM_OS_UNSET)
		kam_order_summary_set_day(s, as_of, years_before);
	else if (s[KAM_OS_START_12M] != day->start_12m || s[KAM_OS_START_24M] != day->start_24m)
		invalid_order_summary();
}

/*
 * order_summary_accum(state, order_date, amount_units, margin_units, as_of):
 * not strict, because a NULL margin is counted as unknown; rows without a
 * date or amount are skipped as NULLs are by built-in aggregates.
 */
PG_FUNCTION_INFO_V1(kam_order_summary_accum);
Datum
kam_order_summary_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *s;
	DateADT		order_date;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("order_summary state must not be NULL")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("order_summary as_of must not be NULL")));
	state = kam_writable_state(fcinfo, 0);
	s = kam_count_state(state, KAM_OS_SLOTS, ORDER_SUMMARY_NAME);
	/* (a direct call, or another aggregate's initial condition, may pass any state) */
	if (!kam_order_summary_valid(s))
		invalid_order_summary();
	settle_order_summary_day(fcinfo, s, PG_GETARG_DATEADT(4));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_ARRAYTYPE_P(state);
	order_date = PG_GETARG_DATEADT(1);
	kam_order_summary_take(s, order_date, PG_GETARG_INT64(2), !PG_ARGISNULL(3),
						   PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3));
	KAM_CHECK(kam_order_summary_valid(s));
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_order_summary_combine);
Datum
kam_order_summary_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = kam_writable_state(fcinfo, 0);
	int64	   *a = checked_order_summary(into);
	int64	   *b = checked_order_summary(PG_GETARG_ARRAYTYPE_P(1));

	if (b[KAM_OS_AS_OF] != KAM_OS_UNSET)
		settle_order_summary_day(fcinfo, a, (int32) b[KAM_OS_AS_OF]);
	if (!kam_order_summary_merge(a, b))
		order_summary_overflow();
	KAM_CHECK(kam_order_summary_valid(a));
	PG_RETURN_ARRAYTYPE_P(into);
}

/* units of 1/10000 as numeric, without trailing zeros (2000, not 2000.0000) */
static Datum
units_to_numeric(int64 units)
{
	return DirectFunctionCall1(numeric_trim_scale,
							   NumericGetDatum(int64_div_fast_to_numeric(units, KAM_AMOUNT_SCALE)));
}

PG_FUNCTION_INFO_V1(kam_order_summary_final);
Datum
kam_order_summary_final(PG_FUNCTION_ARGS)
{
	int64	   *s = checked_order_summary(PG_GETARG_ARRAYTYPE_P(0));
	Datum		values[9];
	bool		nulls[9] = {false};

	if (s[KAM_OS_ORDERS_TOTAL] == 0)
		PG_RETURN_NULL();
	values[0] = DateADTGetDatum((DateADT) s[KAM_OS_FIRST_DATE]);
	values[1] = DateADTGetDatum((DateADT) s[KAM_OS_LAST_DATE]);
	values[2] = Int64GetDatum(s[KAM_OS_ORDERS_TOTAL]);
	values[3] = Int64GetDatum(s[KAM_OS_ORDERS_12M]);
	values[4] = Int64GetDatum(s[KAM_OS_ORDERS_PRIOR]);
	values[5] = units_to_numeric(s[KAM_OS_REVENUE_12M]);
	values[6] = units_to_numeric(s[KAM_OS_REVENUE_PRIOR]);
	/* a window's margin is known only if every order in it has one */
	values[7] = units_to_numeric(s[KAM_OS_MARGIN_12M]);
	nulls[7] = s[KAM_OS_MARGIN_MISSING_12M] > 0;
	values[8] = units_to_numeric(s[KAM_OS_MARGIN_PRIOR]);
	nulls[8] = s[KAM_OS_MARGIN_MISSING_PRIOR] > 0;
	return kam_result_row(fcinfo, values, nulls);
}

/*
 * Purchase days (kam.purchase_days): the state is a bigint[] whose length is
 * its capacity (value_core.h); a new day in a full state moves it to one of
 * twice the capacity, which the executor copies once, so a state of n days
 * is copied about log2(n) times.
 */
#define PURCHASE_DAYS_NAME "purchase_days"

static void
invalid_purchase_days(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid purchase_days state: expected {days, total, first day's total, days ascending..., unused slots}")));
}

/*
 * The slots of a state and their number, checked: all of it, or (per
 * order, where a pass over the days cost a tenth of the aggregate's
 * instructions) its header only, which the final function's full check
 * completes (value_core.h).
 */
static int64 *
checked_purchase_days(ArrayType *state, int64 *len, bool header_only)
{
	int64	   *s;

	if (!kam_state_is_vector(state, INT8OID))
		invalid_purchase_days();
	*len = ARR_DIMS(state)[0];
	s = (int64 *) ARR_DATA_PTR(state);
	if (!(header_only ? kam_purchase_days_header_valid(s, *len) : kam_purchase_days_valid(s, *len)))
		invalid_purchase_days();
	return s;
}

ArrayType *
kam_purchase_days_new(int64 capacity)
{
	int64		len = KAM_PD_HEADER + capacity;
	Size		size;
	ArrayType  *state;
	int64	   *s;

	if (capacity > (int64) ((MaxAllocSize - ARR_OVERHEAD_NONULLS(1)) / sizeof(int64)) - KAM_PD_HEADER)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("purchase_days state of %lld days is too large", (long long) capacity)));
	size = ARR_OVERHEAD_NONULLS(1) + len * sizeof(int64);
	state = (ArrayType *) palloc0(size);
	SET_VARSIZE(state, size);
	state->ndim = 1;
	state->dataoffset = 0;
	state->elemtype = INT8OID;
	ARR_DIMS(state)[0] = (int) len;
	ARR_LBOUND(state)[0] = 1;
	s = (int64 *) ARR_DATA_PTR(state);
	for (int64 i = KAM_PD_HEADER; i < len; i++)
		s[i] = KAM_PD_UNUSED;
	return state;
}

static void
purchase_days_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("purchase_days sum out of range")));
}

ArrayType *
kam_purchase_days_take(ArrayType *state, DateADT day, int64 units)
{
	int64	   *s = (int64 *) ARR_DATA_PTR(state);
	int64		len = ARR_DIMS(state)[0];
	KamPurchaseAdd added;

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("purchase_days order date must be finite, not %s",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day))))));
	added = kam_purchase_days_add(s, len, day, units);
	if (added == KAM_PD_FULL)
	{
		int64		days = len - KAM_PD_HEADER;
		ArrayType  *grown = kam_purchase_days_new(days < KAM_PURCHASE_DAYS_FIRST_CAPACITY / 2 ?
												  KAM_PURCHASE_DAYS_FIRST_CAPACITY : 2 * days);

		memcpy(ARR_DATA_PTR(grown), s, len * sizeof(int64));
		state = grown;
		s = (int64 *) ARR_DATA_PTR(grown);
		len = ARR_DIMS(grown)[0];
		added = kam_purchase_days_add(s, len, day, units);
	}
	if (added == KAM_PD_OVERFLOW)
		purchase_days_overflow();
	return state;
}

/* purchase_days_accum(state, order_date, amount_units), strict: NULLs skipped */
PG_FUNCTION_INFO_V1(kam_purchase_days_accum);
Datum
kam_purchase_days_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64		len;

	/* the header per order; the whole state when it may be hand-made */
	(void) checked_purchase_days(state, &len, !kam_transition_checks_whole_state(fcinfo));
	/* (a grown state: the executor copies it into its context and frees the old) */
	state = kam_purchase_days_take(state, PG_GETARG_DATEADT(1), PG_GETARG_INT64(2));
	KAM_CHECK(kam_purchase_days_valid((int64 *) ARR_DATA_PTR(state), ARR_DIMS(state)[0]));
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_purchase_days_combine);
Datum
kam_purchase_days_combine(PG_FUNCTION_ARGS)
{
	int64		len_a,
				len_b;
	int64	   *a = checked_purchase_days(PG_GETARG_ARRAYTYPE_P(0), &len_a, false);
	int64	   *b = checked_purchase_days(PG_GETARG_ARRAYTYPE_P(1), &len_b, false);
	ArrayType  *merged = kam_purchase_days_new(a[KAM_PD_DAYS] + b[KAM_PD_DAYS]);
	int64	   *m = (int64 *) ARR_DATA_PTR(merged);

	if (!kam_purchase_days_merge(a, b, m, ARR_DIMS(merged)[0]))
		purchase_days_overflow();
	KAM_CHECK(kam_purchase_days_valid(m, ARR_DIMS(merged)[0]));
	PG_RETURN_ARRAYTYPE_P(merged);
}

bool
kam_purchase_days_values(const int64 *s, Datum values[5])
{
	int64		days = s[KAM_PD_DAYS];
	int64		repeat;

	if (days == 0)
		return false;
	/* (total - first day's: the sums of two sets of orders, may overflow) */
	if (__builtin_sub_overflow(s[KAM_PD_TOTAL], s[KAM_PD_FIRST_TOTAL], &repeat))
		purchase_days_overflow();
	values[0] = Int64GetDatum(days);
	values[1] = DateADTGetDatum((DateADT) s[KAM_PD_HEADER]);
	values[2] = DateADTGetDatum((DateADT) s[KAM_PD_HEADER + days - 1]);
	values[3] = units_to_numeric(s[KAM_PD_TOTAL]);
	values[4] = units_to_numeric(repeat);
	return true;
}

PG_FUNCTION_INFO_V1(kam_purchase_days_final);
Datum
kam_purchase_days_final(PG_FUNCTION_ARGS)
{
	int64		len;
	int64	   *s = checked_purchase_days(PG_GETARG_ARRAYTYPE_P(0), &len, false);
	Datum		values[5];
	bool		nulls[5] = {false};

	if (!kam_purchase_days_values(s, values))
		PG_RETURN_NULL();
	return kam_result_row(fcinfo, values, nulls);
}
