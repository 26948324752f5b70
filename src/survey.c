/*
 * survey.c: SQL interface of the survey measures (NPS, CSAT, CES).
 *
 * States (see README.md, "Aggregate states"):
 *   nps            bigint[3]  answers counted by class {detractors, passives, promoters}
 *   nps weighted   float8[3]  weights summed by class, same order
 *   csat           bigint[3]  {scale_max (0 = not yet known), n, satisfied}
 *   ces            bigint[7]  answers counted by value 1..7
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "check.h"
#include "result_row.h"
#include "state.h"
#include "stats_core.h"
#include "survey_core.h"

#define NPS_NAME "nps"
#define NPS_WEIGHTED_NAME "weighted nps"
#define CSAT_NAME "csat"
#define CES_NAME "ces"

enum
{
	CSAT_SCALE = 0,
	CSAT_N = 1,
	CSAT_SATISFIED = 2,
	CSAT_STATE_LEN = 3
};

static void
check_score(int32 score, int32 low, int32 high, const char *measure)
{
	if (unlikely(score < low || score > high))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s score %d is outside the allowed range %d to %d",
						measure, score, low, high)));
}

/* Total of a validated count state; an error if it exceeds bigint. */
static int64
checked_total(const int64 *counts, int len, const char *aggname)
{
	int64		total = kam_count_total(counts, len);

	if (total < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s state count out of range", aggname)));
	return total;
}

/* The validated counts of a final function's state, and their total. */
static int64 *
final_counts(FunctionCallInfo fcinfo, int len, const char *aggname, int64 *n)
{
	int64	   *counts = kam_checked_count_state(PG_GETARG_ARRAYTYPE_P(0), len, aggname);

	*n = checked_total(counts, len, aggname);
	return counts;
}

#ifdef KAM_CHECKS
/* every count >= 0 (their total may pass 2^63: the final function reports it) */
static bool
counts_nonnegative(const int64 *counts, int len)
{
	for (int i = 0; i < len; i++)
		if (counts[i] < 0)
			return false;
	return true;
}
#endif

/* Adds count state 2 into count state 1 (in place under an aggregate). */
static Datum
combine_count_states(FunctionCallInfo fcinfo, int len, const char *aggname)
{
	ArrayType  *into = kam_writable_state(fcinfo, 0);
	int64	   *into_counts = kam_checked_count_state(into, len, aggname);
	int64	   *from_counts = kam_checked_count_state(PG_GETARG_ARRAYTYPE_P(1),
													  len, aggname);

	kam_add_counts(into_counts, from_counts, len, aggname);
	KAM_CHECK(counts_nonnegative(into_counts, len));
	PG_RETURN_ARRAYTYPE_P(into);
}

/* ---------------------------------------------------------------- NPS */

PG_FUNCTION_INFO_V1(kam_nps_accum);
Datum
kam_nps_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64	   *counts = kam_transition_count_state(fcinfo, state, KAM_NPS_CLASSES, NPS_NAME);
	int32		score = PG_GETARG_INT32(1);

	check_score(score, KAM_NPS_MIN, KAM_NPS_MAX, NPS_NAME);
	kam_count_one(counts, kam_nps_class(score), NPS_NAME);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_nps_retract);
Datum
kam_nps_retract(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64	   *counts = kam_transition_count_state(fcinfo, state, KAM_NPS_CLASSES, NPS_NAME);
	int32		score = PG_GETARG_INT32(1);

	check_score(score, KAM_NPS_MIN, KAM_NPS_MAX, NPS_NAME);
	kam_uncount_one(counts, kam_nps_class(score), NPS_NAME);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_nps_combine);
Datum
kam_nps_combine(PG_FUNCTION_ARGS)
{
	return combine_count_states(fcinfo, KAM_NPS_CLASSES, NPS_NAME);
}

PG_FUNCTION_INFO_V1(kam_nps_final);
Datum
kam_nps_final(PG_FUNCTION_ARGS)
{
	int64		n;
	int64	   *counts = final_counts(fcinfo, KAM_NPS_CLASSES, NPS_NAME, &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(kam_nps(counts, n));
}

PG_FUNCTION_INFO_V1(kam_nps_detail_final);
Datum
kam_nps_detail_final(PG_FUNCTION_ARGS)
{
	int64		n;
	int64	   *counts = final_counts(fcinfo, KAM_NPS_CLASSES, NPS_NAME, &n);
	KamNpsSummary s;
	Datum		values[8];
	bool		nulls[8] = {false};

	if (n == 0)
		PG_RETURN_NULL();
	kam_nps_summarise(counts, n, &s);
	values[0] = Int64GetDatum(s.n);
	values[1] = Int64GetDatum(s.promoters);
	values[2] = Int64GetDatum(s.passives);
	values[3] = Int64GetDatum(s.detractors);
	values[4] = Float8GetDatum(s.nps);
	values[5] = Float8GetDatum(s.se);
	values[6] = Float8GetDatum(s.ci_low);
	values[7] = Float8GetDatum(s.ci_high);
	return kam_result_row(fcinfo, values, nulls);
}

/* ------------------------------------------------------- weighted NPS */

PG_FUNCTION_INFO_V1(kam_nps_weighted_accum);
Datum
kam_nps_weighted_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	float8	   *sums = kam_transition_sum_state(fcinfo, state, KAM_NPS_CLASSES, NPS_WEIGHTED_NAME);
	int32		score = PG_GETARG_INT32(1);
	float8		weight = PG_GETARG_FLOAT8(2);

	check_score(score, KAM_NPS_MIN, KAM_NPS_MAX, NPS_NAME);
	if (unlikely(isnan(weight) || isinf(weight)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nps weight %g is not allowed: weights must be finite and >= 0",
						weight)));
	if (unlikely(weight < 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("nps weight %g is negative: weights must be finite and >= 0",
						weight)));
	sums[kam_nps_class(score)] += weight;
	if (unlikely(isinf(sums[kam_nps_class(score)])))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s state sum out of range", NPS_WEIGHTED_NAME)));
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_nps_weighted_combine);
Datum
kam_nps_weighted_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = kam_writable_state(fcinfo, 0);
	float8	   *into_sums = kam_checked_sum_state(into, KAM_NPS_CLASSES,
												  NPS_WEIGHTED_NAME);
	float8	   *from_sums = kam_checked_sum_state(PG_GETARG_ARRAYTYPE_P(1),
												  KAM_NPS_CLASSES,
												  NPS_WEIGHTED_NAME);

	kam_add_sums(into_sums, from_sums, KAM_NPS_CLASSES, NPS_WEIGHTED_NAME);
	PG_RETURN_ARRAYTYPE_P(into);
}

PG_FUNCTION_INFO_V1(kam_nps_weighted_final);
Datum
kam_nps_weighted_final(PG_FUNCTION_ARGS)
{
	float8	   *sums = kam_checked_sum_state(PG_GETARG_ARRAYTYPE_P(0),
											 KAM_NPS_CLASSES, NPS_WEIGHTED_NAME);
	double		total = sums[0] + sums[1] + sums[2];

	if (total == 0)
		PG_RETURN_NULL();
	if (isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s state sum out of range", NPS_WEIGHTED_NAME)));
	PG_RETURN_FLOAT8(kam_nps_weighted(sums));
}

/* ------------------------------------------------------ two-sample test */

PG_FUNCTION_INFO_V1(kam_nps_test_counts);
Datum
kam_nps_test_counts(PG_FUNCTION_ARGS)
{
	int64		a[KAM_NPS_CLASSES];
	int64		b[KAM_NPS_CLASSES];
	int64		na,
				nb;
	KamNpsTest	t;
	Datum		values[4];
	bool		nulls[4] = {false};

	/* SQL order: promoters, passives, detractors of sample 1, then of 2 */
	for (int i = 0; i < 6; i++)
	{
		int64		count = PG_GETARG_INT64(i);
		int64	   *sample = i < 3 ? a : b;

		if (count < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("nps_test count " INT64_FORMAT " is negative: counts must be >= 0",
							count)));
		sample[KAM_NPS_PROMOTERS - i % 3] = count;
	}
	na = checked_total(a, KAM_NPS_CLASSES, "nps_test");
	nb = checked_total(b, KAM_NPS_CLASSES, "nps_test");
	if (na == 0 || nb == 0)
		PG_RETURN_NULL();
	kam_nps_test(a, na, b, nb, &t);
	values[0] = Float8GetDatum(t.difference);
	values[1] = Float8GetDatum(t.se);
	values[2] = kam_float8_or_null(t.z, &nulls[2]);
	values[3] = kam_float8_or_null(t.p_value, &nulls[3]);
	return kam_result_row(fcinfo, values, nulls);
}

/* --------------------------------------------------------------- CSAT */

static void
check_csat_scale(int64 scale_max)
{
	if (scale_max < KAM_CSAT_MIN_SCALE || scale_max > KAM_CSAT_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat scale maximum " INT64_FORMAT " is outside the allowed range %d to %d",
						scale_max, KAM_CSAT_MIN_SCALE, KAM_CSAT_MAX_SCALE)));
}

/*
 * A csat state's scale slot is 0 until the first answer fixes it; one
 * aggregate never mixes two scales.
 */
static void
settle_csat_scale(int64 *state, int64 scale_max)
{
	check_csat_scale(scale_max);
	if (state[CSAT_SCALE] == scale_max)
		return;
	if (state[CSAT_SCALE] != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat scale maximum changed within one aggregate: " INT64_FORMAT " then " INT64_FORMAT,
						state[CSAT_SCALE], scale_max)));
	state[CSAT_SCALE] = scale_max;
}

/* The counts of a csat state, checked for consistency (off the per-row path). */
static pg_noinline int64 *
checked_csat_state(ArrayType *state)
{
	int64	   *s = kam_checked_count_state(state, CSAT_STATE_LEN, CSAT_NAME);

	if (s[CSAT_SCALE] != 0)
		check_csat_scale(s[CSAT_SCALE]);
	if (s[CSAT_SATISFIED] > s[CSAT_N] || (s[CSAT_SCALE] == 0 && s[CSAT_N] != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid csat state: {" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT "} is not {scale_max, n, satisfied <= n}",
						s[CSAT_SCALE], s[CSAT_N], s[CSAT_SATISFIED])));
	return s;
}

/* Adds (retract = false) or removes (true) one answer of a csat state. */
static Datum
csat_transition(FunctionCallInfo fcinfo, int32 scale_max, bool retract)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64	   *s = unlikely(kam_transition_checks_whole_state(fcinfo)) ?
		checked_csat_state(state) : kam_count_state(state, CSAT_STATE_LEN, CSAT_NAME);
	int32		score = PG_GETARG_INT32(1);

	settle_csat_scale(s, scale_max);
	check_score(score, 1, scale_max, CSAT_NAME);
	if (!retract)
	{
		kam_count_one(s, CSAT_N, CSAT_NAME);
		s[CSAT_SATISFIED] += kam_csat_satisfied(score, scale_max);
	}
	else
	{
		if (kam_csat_satisfied(score, scale_max))
			kam_uncount_one(s, CSAT_SATISFIED, CSAT_NAME);
		kam_uncount_one(s, CSAT_N, CSAT_NAME);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_csat_accum);
Datum
kam_csat_accum(PG_FUNCTION_ARGS)
{
	return csat_transition(fcinfo, KAM_CSAT_DEFAULT_SCALE, false);
}

PG_FUNCTION_INFO_V1(kam_csat_scale_accum);
Datum
kam_csat_scale_accum(PG_FUNCTION_ARGS)
{
	return csat_transition(fcinfo, PG_GETARG_INT32(2), false);
}

PG_FUNCTION_INFO_V1(kam_csat_retract);
Datum
kam_csat_retract(PG_FUNCTION_ARGS)
{
	return csat_transition(fcinfo, KAM_CSAT_DEFAULT_SCALE, true);
}

PG_FUNCTION_INFO_V1(kam_csat_scale_retract);
Datum
kam_csat_scale_retract(PG_FUNCTION_ARGS)
{
	return csat_transition(fcinfo, PG_GETARG_INT32(2), true);
}

PG_FUNCTION_INFO_V1(kam_csat_combine);
Datum
kam_csat_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = kam_writable_state(fcinfo, 0);
	int64	   *a = checked_csat_state(into);
	int64	   *b = checked_csat_state(PG_GETARG_ARRAYTYPE_P(1));

	if (b[CSAT_SCALE] != 0)
		settle_csat_scale(a, b[CSAT_SCALE]);
	kam_add_counts(&a[CSAT_N], &b[CSAT_N], 2, CSAT_NAME);
	PG_RETURN_ARRAYTYPE_P(into);
}

PG_FUNCTION_INFO_V1(kam_csat_final);
Datum
kam_csat_final(PG_FUNCTION_ARGS)
{
	int64	   *s = checked_csat_state(PG_GETARG_ARRAYTYPE_P(0));
	KamCsatSummary summary;

	if (s[CSAT_N] == 0)
		PG_RETURN_NULL();
	kam_csat_summarise(s[CSAT_N], s[CSAT_SATISFIED], &summary);
	PG_RETURN_FLOAT8(summary.csat);
}

PG_FUNCTION_INFO_V1(kam_csat_detail_final);
Datum
kam_csat_detail_final(PG_FUNCTION_ARGS)
{
	int64	   *s = checked_csat_state(PG_GETARG_ARRAYTYPE_P(0));
	KamCsatSummary summary;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (s[CSAT_N] == 0)
		PG_RETURN_NULL();
	kam_csat_summarise(s[CSAT_N], s[CSAT_SATISFIED], &summary);
	values[0] = Int64GetDatum(summary.n);
	values[1] = Int64GetDatum(summary.satisfied);
	values[2] = Float8GetDatum(summary.csat);
	values[3] = Float8GetDatum(summary.ci_low);
	values[4] = Float8GetDatum(summary.ci_high);
	values[5] = Int32GetDatum((int32) s[CSAT_SCALE]);
	return kam_result_row(fcinfo, values, nulls);
}

/* ---------------------------------------------------------------- CES */

PG_FUNCTION_INFO_V1(kam_ces_accum);
Datum
kam_ces_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64	   *counts = kam_transition_count_state(fcinfo, state, KAM_CES_MAX, CES_NAME);
	int32		score = PG_GETARG_INT32(1);

	check_score(score, KAM_CES_MIN, KAM_CES_MAX, CES_NAME);
	kam_count_one(counts, score - KAM_CES_MIN, CES_NAME);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_ces_retract);
Datum
kam_ces_retract(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	int64	   *counts = kam_transition_count_state(fcinfo, state, KAM_CES_MAX, CES_NAME);
	int32		score = PG_GETARG_INT32(1);

	check_score(score, KAM_CES_MIN, KAM_CES_MAX, CES_NAME);
	kam_uncount_one(counts, score - KAM_CES_MIN, CES_NAME);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_ces_combine);
Datum
kam_ces_combine(PG_FUNCTION_ARGS)
{
	return combine_count_states(fcinfo, KAM_CES_MAX, CES_NAME);
}

PG_FUNCTION_INFO_V1(kam_ces_final);
Datum
kam_ces_final(PG_FUNCTION_ARGS)
{
	int64		n;
	int64	   *counts = final_counts(fcinfo, KAM_CES_MAX, CES_NAME, &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(kam_ces_mean(counts, n));
}

PG_FUNCTION_INFO_V1(kam_ces_detail_final);
Datum
kam_ces_detail_final(PG_FUNCTION_ARGS)
{
	int64		n;
	int64	   *counts = final_counts(fcinfo, KAM_CES_MAX, CES_NAME, &n);
	KamCesSummary s;
	Datum		values[8];
	bool		nulls[8] = {false};

	if (n == 0)
		PG_RETURN_NULL();
	kam_ces_summarise(counts, n, &s);
	values[0] = Int64GetDatum(s.n);
	values[1] = Float8GetDatum(s.mean);
	values[2] = kam_float8_or_null(s.sd, &nulls[2]);
	values[3] = kam_float8_or_null(s.ci_low, &nulls[3]);
	values[4] = kam_float8_or_null(s.ci_high, &nulls[4]);
	values[5] = Float8GetDatum(s.pct_difficult);
	values[6] = Float8GetDatum(s.pct_neutral);
	values[7] = Float8GetDatum(s.pct_easy);
	return kam_result_row(fcinfo, values, nulls);
}
