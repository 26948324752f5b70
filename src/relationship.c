/*
 * relationship.c: SQL interface of the relationship measures:
 * likert_rescale, relationship_index(_detail) and the cronbach_alpha
 * aggregate (interaction strength: strength.c).
 *
 * State:
 *   cronbach_alpha         double precision[2k+4] {k, n, item sums, item sums of
 *       squares, sum of totals, sum of squared totals}; {} before the first row
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/timestamp.h"

#include "relationship_core.h"
#include "result_row.h"
#include "state.h"

#define ALPHA_NAME "cronbach_alpha"

static void
check_finite_arg(double value, const char *what)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not allowed: it must be finite", what, value)));
}

PG_FUNCTION_INFO_V1(kam_likert_rescale_sql);
Datum
kam_likert_rescale_sql(PG_FUNCTION_ARGS)
{
	float8		mean = PG_GETARG_FLOAT8(0),
				lo = PG_GETARG_FLOAT8(1),
				hi = PG_GETARG_FLOAT8(2);

	check_finite_arg(lo, "likert scale minimum");
	check_finite_arg(hi, "likert scale maximum");
	if (!(lo < hi))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("likert scale %g to %g is not allowed: the minimum must be below the maximum", lo, hi)));
	if (!(mean >= lo && mean <= hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("likert score %g is outside the scale %g to %g", mean, lo, hi)));
	PG_RETURN_FLOAT8(kam_likert_rescale(mean, lo, hi));
}

static const char *const construct_names[KAM_CONSTRUCTS] = {
	"trust", "satisfaction", "commitment", "cooperation intent"
};

/*
 * Arguments 0..3: the construct scores 0..100 (NULL = missing), 4: the
 * weights double precision[4].  False when no construct is present.
 */
static bool
index_of_arguments(FunctionCallInfo fcinfo, double *index, double contributions[KAM_CONSTRUCTS])
{
	double		scores[KAM_CONSTRUCTS];
	double		weights[KAM_CONSTRUCTS];
	ArrayType  *w;

	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relationship_index weights must not be NULL")));
	w = PG_GETARG_ARRAYTYPE_P(4);
	if (ARR_ELEMTYPE(w) != FLOAT8OID || ARR_NDIM(w) != 1 || ARR_HASNULL(w) ||
		ARR_DIMS(w)[0] != KAM_CONSTRUCTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relationship_index weights must be an array of 4 non-null numbers (trust, satisfaction, commitment, cooperation intent)")));
	for (int i = 0; i < KAM_CONSTRUCTS; i++)
	{
		weights[i] = ((float8 *) ARR_DATA_PTR(w))[i];
		if (!(weights[i] >= 0 && isfinite(weights[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relationship_index weight %g of %s is not allowed: weights must be finite and >= 0",
							weights[i], construct_names[i])));
		scores[i] = PG_ARGISNULL(i) ? NAN : PG_GETARG_FLOAT8(i);
		if (!PG_ARGISNULL(i) && !(scores[i] >= 0 && scores[i] <= 100))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("relationship_index %s score %g is outside the allowed range 0 to 100",
							construct_names[i], scores[i])));
	}
	return kam_relationship_index(scores, weights, index, contributions);
}

PG_FUNCTION_INFO_V1(kam_relationship_index_sql);
Datum
kam_relationship_index_sql(PG_FUNCTION_ARGS)
{
	double		index,
				contributions[KAM_CONSTRUCTS];

	if (!index_of_arguments(fcinfo, &index, contributions))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(index);
}

PG_FUNCTION_INFO_V1(kam_relationship_index_detail);
Datum
kam_relationship_index_detail(PG_FUNCTION_ARGS)
{
	double		index,
				contributions[KAM_CONSTRUCTS];
	Datum		values[6];
	bool		nulls[6] = {false};
	int			present = 0;

	if (!index_of_arguments(fcinfo, &index, contributions))
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(index);
	for (int i = 0; i < KAM_CONSTRUCTS; i++)
	{
		nulls[1 + i] = PG_ARGISNULL(i);
		values[1 + i] = Float8GetDatum(contributions[i]);
		present += !PG_ARGISNULL(i);
	}
	values[5] = Int32GetDatum(present);
	return kam_result_row(fcinfo, values, nulls);
}

/* ------------------------------------------------------------ Cronbach's alpha */

/* k of a cronbach_alpha state (0 if empty), checked */
static int
checked_alpha_state(ArrayType *state, float8 **values)
{
	int			len;
	int			k;
	float8	   *s;

	if (ARR_ELEMTYPE(state) != FLOAT8OID || ARR_NDIM(state) > 1 || ARR_HASNULL(state))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cronbach_alpha state: expected a one-dimensional double precision array")));
	len = ARR_NDIM(state) == 0 ? 0 : ARR_DIMS(state)[0];
	if (len == 0)
		return 0;
	s = (float8 *) ARR_DATA_PTR(state);
	/* range first: casting an out-of-range double to int is undefined */
	k = (s[0] >= 1 && s[0] <= 1000) ? (int) s[0] : 0;
	if (k == 0 || s[0] != k || len != 2 * k + 4 ||
		!(s[1] >= 0 && s[1] == floor(s[1])))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cronbach_alpha state: expected {k, n, k sums, k sums of squares, sum, sum of squares}")));
	for (int i = 2; i < len; i++)
		if (!isfinite(s[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid cronbach_alpha state: element %d is not finite", i + 1)));
	*values = s;
	return k;
}

PG_FUNCTION_INFO_V1(kam_cronbach_alpha_accum);
Datum
kam_cronbach_alpha_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *items = PG_GETARG_ARRAYTYPE_P(1);
	int			k,
				len;
	float8	   *s,
			   *v;
	double		total = 0;

	if (kam_transition_checks_whole_state(fcinfo))
		(void) checked_alpha_state(state, &s);
	if (ARR_ELEMTYPE(items) != FLOAT8OID || ARR_NDIM(items) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cronbach_alpha items must be a one-dimensional array of numbers")));
	if (ARR_HASNULL(items))
		PG_RETURN_ARRAYTYPE_P(kam_called_as_aggregate(fcinfo) ? state : DatumGetArrayTypePCopy(PointerGetDatum(state)));
	k = ARR_DIMS(items)[0];
	if (k < 1 || k > 1000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cronbach_alpha %d items is not allowed: from 1 to 1000", k)));
	v = (float8 *) ARR_DATA_PTR(items);
	len = ARR_NDIM(state) == 0 ? 0 : ARR_DIMS(state)[0];
	if (len == 0)
	{
		/* the first respondent fixes k: a new zeroed state of 2k + 4 */
		Datum	   *zeros = palloc0(sizeof(Datum) * (2 * k + 4));
		MemoryContext aggcontext,
					old;

		for (int i = 0; i < 2 * k + 4; i++)
			zeros[i] = Float8GetDatum(0);
		zeros[0] = Float8GetDatum(k);
		old = AggCheckCallContext(fcinfo, &aggcontext) ? MemoryContextSwitchTo(aggcontext) : CurrentMemoryContext;
		state = construct_array(zeros, 2 * k + 4, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
		MemoryContextSwitchTo(old);
	}
	else
		state = kam_writable_state(fcinfo, 0);
	s = kam_sum_state(state, 2 * k + 4, ALPHA_NAME);
	if (s[0] != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cronbach_alpha got %d items after %g: every respondent must answer the same items", k, s[0])));
	for (int i = 0; i < k; i++)
	{
		check_finite_arg(v[i], "cronbach_alpha item score");
		s[2 + i] += v[i];
		s[2 + k + i] += v[i] * v[i];
		total += v[i];
	}
	s[1] += 1;
	s[2 + 2 * k] += total;
	s[3 + 2 * k] += total * total;
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(kam_cronbach_alpha_combine);
Datum
kam_cronbach_alpha_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	float8	   *sa = NULL,
			   *sb = NULL;
	int			ka = checked_alpha_state(a, &sa);
	int			kb = checked_alpha_state(b, &sb);

	if (kb == 0)
		PG_RETURN_ARRAYTYPE_P(kam_called_as_aggregate(fcinfo) ? a : DatumGetArrayTypePCopy(PointerGetDatum(a)));
	if (ka == 0)
		PG_RETURN_ARRAYTYPE_P(DatumGetArrayTypePCopy(PointerGetDatum(b)));
	if (ka != kb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cronbach_alpha states of %d and %d items cannot be combined", ka, kb)));
	a = kam_writable_state(fcinfo, 0);
	sa = (float8 *) ARR_DATA_PTR(a);
	for (int i = 1; i < 2 * ka + 4; i++)
		sa[i] += sb[i];
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(kam_cronbach_alpha_final);
Datum
kam_cronbach_alpha_final(PG_FUNCTION_ARGS)
{
	float8	   *s = NULL;
	int			k = checked_alpha_state(PG_GETARG_ARRAYTYPE_P(0), &s);
	double		alpha;

	if (k == 0)
		PG_RETURN_NULL();
	alpha = kam_cronbach_alpha(k, s[1], s + 2, s + 2 + k, s[2 + 2 * k], s[3 + 2 * k]);
	if (isnan(alpha))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(alpha);
}
