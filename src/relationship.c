/*
 * relationship.c: SQL interface of the relationship measures:
 * likert_rescale, relationship_index(_detail), the relationship_strength
 * aggregate and the cronbach_alpha aggregate.
 *
 * States:
 *   relationship_strength  double precision[8]  {strength, interactions,
 *       reciprocal interactions, last contact (us since 2000), last reciprocal
 *       contact (us), as_of (us), half_life_days, window_days}; NaN as_of = not
 *       set yet, -Infinity = no contact yet
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

#define STRENGTH_NAME "relationship_strength"
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

/* ------------------------------------------------------------ strength */

enum
{
	/* the slots every row updates first: they share the state's first cache line */
	ST_STRENGTH, ST_COUNT, ST_RECIPROCAL, ST_LAST, ST_LAST_RECIPROCAL,
	ST_AS_OF, ST_HALF_LIFE, ST_WINDOW, ST_SLOTS
};

#define USECS_PER_DAY_F 86400000000.0

/* t (microseconds since 2000 as a double) is a finite timestamp; NaN is not */
static inline bool
strength_time_ok(double t)
{
	return t >= (double) MIN_TIMESTAMP && t < (double) END_TIMESTAMP;
}

static inline void
check_strength_time(double t)
{
	if (unlikely(!strength_time_ok(t)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength times must be finite")));
}

static void
check_strength_parameters(double half_life, double window)
{
	if (!(half_life > 0 && isfinite(half_life)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength half-life %g days is not allowed: it must be finite and > 0", half_life)));
	if (!(window > 0 && isfinite(window)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength window %g days is not allowed: it must be finite and > 0", window)));
}

/*
 * The parameters of a state: set by the first row, the same in every other.
 * The callers have checked them.
 */
static void
settle_strength_parameters(float8 *s, double as_of, double half_life, double window)
{
	if (s[ST_AS_OF] == as_of && s[ST_HALF_LIFE] == half_life && s[ST_WINDOW] == window)
		return;
	if (!isnan(s[ST_AS_OF]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relationship_strength as_of, half-life and window must be the same in every row of one aggregate")));
	s[ST_AS_OF] = as_of;
	s[ST_HALF_LIFE] = half_life;
	s[ST_WINDOW] = window;
}

/* kam.strength_at(): {as_of (us since 2000), half_life_days, window_days} */
typedef struct StrengthParameters
{
	double		as_of;
	double		half_life;
	double		window;
} StrengthParameters;

#define PARAMETERS_NAME "relationship_strength parameters"

static void
parse_parameters(ArrayType *a, StrengthParameters *p)
{
	float8	   *v = kam_sum_state(a, 3, PARAMETERS_NAME);

	p->as_of = v[0];
	p->half_life = v[1];
	p->window = v[2];
	check_strength_time(p->as_of);
	check_strength_parameters(p->half_life, p->window);
}

/* bytes of a plain (4-byte header, 1-D, no nulls) float8[3]: no padding */
#define PARAMETERS_BYTES (ARR_OVERHEAD_NONULLS(1) + 3 * sizeof(float8))

/*
 * What a call site of the state function knows of its parameters: the last
 * ones it checked and whether they ever changed.  (An aggregate's state
 * function cannot tell a constant argument from its expression: the
 * executor gives it placeholder parameters.)
 */
typedef struct StrengthCallSite
{
	bool		parsed;			/* p holds checked parameters */
	bool		varied;			/* the parameters have not always been the same */
	bool		have_bytes;		/* bytes holds the array p was read from */
	StrengthParameters p;
	double		exponent_per_usec;	/* -1 / (half-life in microseconds) */
	char		bytes[PARAMETERS_BYTES];
} StrengthCallSite;

/*
 * Whether raw is, byte for byte, the array the call site last checked: then
 * it needs no look at its header and values.
 */
static inline bool
same_parameters(const StrengthCallSite *site, const struct varlena *raw)
{
	return site->have_bytes && VARATT_IS_4B_U(raw) && VARSIZE(raw) == PARAMETERS_BYTES &&
		memcmp(raw, site->bytes, PARAMETERS_BYTES) == 0;
}

/* Read and check new parameters at the call site. */
static void
take_parameters(StrengthCallSite *site, FunctionCallInfo fcinfo)
{
	ArrayType  *parameters = PG_GETARG_ARRAYTYPE_P(4);
	StrengthParameters before = site->p;

	parse_parameters(parameters, &site->p);
	if (site->parsed && (before.as_of != site->p.as_of || before.half_life != site->p.half_life ||
						 before.window != site->p.window))
		site->varied = true;
	site->exponent_per_usec = -1.0 / (site->p.half_life * USECS_PER_DAY_F);
	site->parsed = true;
	site->have_bytes = VARSIZE(parameters) == PARAMETERS_BYTES;
	if (site->have_bytes)
		memcpy(site->bytes, parameters, PARAMETERS_BYTES);
}

static StrengthCallSite *
strength_call_site(FunctionCallInfo fcinfo)
{
	StrengthCallSite *site = fcinfo->flinfo->fn_extra;

	if (site == NULL)
	{
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(StrengthCallSite));
		fcinfo->flinfo->fn_extra = site;
	}
	return site;
}

/*
 * relationship_strength_accum(state, occurred_at, weight, reciprocal,
 * parameters): weight w_channel * w_direction of the interaction;
 * reciprocal = inbound or two-way; parameters from kam.strength_at().
 */
PG_FUNCTION_INFO_V1(kam_relationship_strength_accum);
Datum
kam_relationship_strength_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = kam_writable_state(fcinfo, 0);
	float8	   *s = kam_sum_state(state, ST_SLOTS, STRENGTH_NAME);
	TimestampTz occurred = PG_GETARG_TIMESTAMPTZ(1);
	float8		weight = PG_GETARG_FLOAT8(2);
	bool		reciprocal = PG_GETARG_BOOL(3);
	StrengthCallSite *site = strength_call_site(fcinfo);
	double		t;

	/*
	 * The parameters (kam.strength_at) are read again only when their bytes
	 * differ from the last ones seen here, and compared with a state only
	 * when it counts its first interaction, unless they ever varied: six
	 * arguments per row had cost the executor half again the instructions
	 * of the whole transition.
	 */
	if (unlikely(!same_parameters(site, (struct varlena *) PG_GETARG_POINTER(4))))
		take_parameters(site, fcinfo);
	if (s[ST_COUNT] == 0 || site->varied)
		settle_strength_parameters(s, site->p.as_of, site->p.half_life, site->p.window);
	check_strength_time((double) occurred);
	if (unlikely(!(weight >= 0 && isfinite(weight))))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength weight %g is not allowed: it must be finite and >= 0", weight)));
	t = (double) occurred;
	if (t > site->p.as_of)
		PG_RETURN_ARRAYTYPE_P(state);	/* after as_of: not yet */
	s[ST_STRENGTH] += weight * exp2((site->p.as_of - t) * site->exponent_per_usec);
	s[ST_COUNT] += 1;
	s[ST_LAST] = fmax(s[ST_LAST], t);
	if (reciprocal)
	{
		s[ST_RECIPROCAL] += 1;
		s[ST_LAST_RECIPROCAL] = fmax(s[ST_LAST_RECIPROCAL], t);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* kam.strength_at(as_of, half_life_days, window_days): the parameters as one value */
PG_FUNCTION_INFO_V1(kam_strength_at);
Datum
kam_strength_at(PG_FUNCTION_ARGS)
{
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(0);
	Datum		values[3];

	check_strength_time((double) as_of);
	check_strength_parameters(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	values[0] = Float8GetDatum((double) as_of);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	PG_RETURN_ARRAYTYPE_P(construct_array(values, 3, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

static float8 *
checked_strength_state(ArrayType *state)
{
	float8	   *s = kam_sum_state(state, ST_SLOTS, STRENGTH_NAME);
	bool		unset = isnan(s[ST_AS_OF]);

	/* a last contact is a time, or -Infinity before the first one */
	if ((!unset && (!strength_time_ok(s[ST_AS_OF]) || !(s[ST_HALF_LIFE] > 0) || !(s[ST_WINDOW] > 0) ||
					!isfinite(s[ST_HALF_LIFE]) || !isfinite(s[ST_WINDOW]))) ||
		!(s[ST_STRENGTH] >= 0 && isfinite(s[ST_STRENGTH])) ||
		!(s[ST_COUNT] >= 0 && s[ST_COUNT] == floor(s[ST_COUNT]) && s[ST_COUNT] <= 9e18) ||
		!(s[ST_LAST] == -INFINITY || strength_time_ok(s[ST_LAST])) ||
		!(s[ST_LAST_RECIPROCAL] == -INFINITY || strength_time_ok(s[ST_LAST_RECIPROCAL])) ||
		!(s[ST_RECIPROCAL] >= 0 && s[ST_RECIPROCAL] <= s[ST_COUNT] && s[ST_RECIPROCAL] == floor(s[ST_RECIPROCAL])) ||
		s[ST_LAST_RECIPROCAL] > s[ST_LAST] ||
		(!unset && s[ST_LAST] > s[ST_AS_OF]) || ((s[ST_COUNT] == 0) != (isinf(s[ST_LAST]) != 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid relationship_strength state: its values are inconsistent")));
	return s;
}

PG_FUNCTION_INFO_V1(kam_relationship_strength_combine);
Datum
kam_relationship_strength_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *into = kam_writable_state(fcinfo, 0);
	float8	   *a = checked_strength_state(into);
	float8	   *b = checked_strength_state(PG_GETARG_ARRAYTYPE_P(1));

	if (!isnan(b[ST_AS_OF]))
		settle_strength_parameters(a, b[ST_AS_OF], b[ST_HALF_LIFE], b[ST_WINDOW]);
	a[ST_STRENGTH] += b[ST_STRENGTH];
	a[ST_COUNT] += b[ST_COUNT];
	a[ST_RECIPROCAL] += b[ST_RECIPROCAL];
	a[ST_LAST] = fmax(a[ST_LAST], b[ST_LAST]);
	a[ST_LAST_RECIPROCAL] = fmax(a[ST_LAST_RECIPROCAL], b[ST_LAST_RECIPROCAL]);
	if (isinf(a[ST_STRENGTH]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength sum out of range")));
	PG_RETURN_ARRAYTYPE_P(into);
}

PG_FUNCTION_INFO_V1(kam_relationship_strength_final);
Datum
kam_relationship_strength_final(PG_FUNCTION_ARGS)
{
	float8	   *s = checked_strength_state(PG_GETARG_ARRAYTYPE_P(0));
	Datum		values[6];
	bool		nulls[6] = {false};

	if (s[ST_COUNT] == 0)
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(s[ST_STRENGTH]);
	values[1] = Int64GetDatum((int64) s[ST_COUNT]);
	values[2] = Int64GetDatum((int64) s[ST_RECIPROCAL]);
	/* one-way: no inbound or two-way contact in (as_of - window, as_of] */
	values[3] = BoolGetDatum(!(s[ST_LAST_RECIPROCAL] > s[ST_AS_OF] - s[ST_WINDOW] * USECS_PER_DAY_F));
	values[4] = TimestampTzGetDatum((TimestampTz) s[ST_LAST]);
	nulls[5] = isinf(s[ST_LAST_RECIPROCAL]) != 0;
	values[5] = TimestampTzGetDatum(nulls[5] ? 0 : (TimestampTz) s[ST_LAST_RECIPROCAL]);
	return kam_result_row(fcinfo, values, nulls);
}

/* ------------------------------------------------------------ Cronbach's alpha */

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
