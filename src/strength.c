/*
 * strength.c: SQL interface of interaction strength: the kam.strength_state
 * type (text and binary forms), kam.strength_at() and the
 * relationship_strength aggregate's state, combine and final functions.
 * The arithmetic and the state's rules are in strength_core.c.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "nodes/pg_list.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/timestamp.h"

#include "check.h"
#include "result_row.h"
#include "state.h"
#include "strength_core.h"

StaticAssertDecl(KAM_TIME_MIN == MIN_TIMESTAMP && KAM_TIME_END == END_TIMESTAMP,
				 "kam's time range is PostgreSQL's");
StaticAssertDecl(sizeof(KamStrengthState) == 64, "kam.strength_state is 64 bytes long");

#define STRENGTH_NAME "relationship_strength"

/* ------------------------------------------------------------ checks */

static inline void
check_strength_time(int64 t)
{
	if (unlikely(!kam_time_ok(t)))
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

/* A state from outside (text, binary, an SQL argument) must be consistent. */
static void
check_strength_state(const KamStrengthState *s)
{
	const char *problem = kam_strength_state_problem(s);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid relationship_strength state: %s", problem)));
}

/* ------------------------------------------------------------ the type */

PG_FUNCTION_INFO_V1(kam_strength_state_in);
Datum
kam_strength_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	KamStrengthState *s = palloc(sizeof(KamStrengthState));

	if (!kam_strength_parse(text, s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type kam.strength_state: \"%s\"", text),
				 errdetail("Expected (strength,interactions,reciprocal,last,last_reciprocal,as_of,half_life_days,window_days), "
						   "times in microseconds since 2000-01-01 UTC, absent ones empty.")));
	check_strength_state(s);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kam_strength_state_out);
Datum
kam_strength_state_out(PG_FUNCTION_ARGS)
{
	KamStrengthState *s = (KamStrengthState *) PG_GETARG_POINTER(0);
	char	   *text = palloc(KAM_STRENGTH_TEXT_MAX);

	kam_strength_format(s, text, KAM_STRENGTH_TEXT_MAX);
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(kam_strength_state_recv);
Datum
kam_strength_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	KamStrengthState *s = palloc(sizeof(KamStrengthState));

	s->strength = pq_getmsgfloat8(buf);
	s->interactions = pq_getmsgint64(buf);
	s->reciprocal = pq_getmsgint64(buf);
	s->last = pq_getmsgint64(buf);
	s->last_reciprocal = pq_getmsgint64(buf);
	s->as_of = pq_getmsgint64(buf);
	s->half_life_days = pq_getmsgfloat8(buf);
	s->window_days = pq_getmsgfloat8(buf);
	check_strength_state(s);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kam_strength_state_send);
Datum
kam_strength_state_send(PG_FUNCTION_ARGS)
{
	KamStrengthState *s = (KamStrengthState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendfloat8(&buf, s->strength);
	pq_sendint64(&buf, s->interactions);
	pq_sendint64(&buf, s->reciprocal);
	pq_sendint64(&buf, s->last);
	pq_sendint64(&buf, s->last_reciprocal);
	pq_sendint64(&buf, s->as_of);
	pq_sendfloat8(&buf, s->half_life_days);
	pq_sendfloat8(&buf, s->window_days);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The state argument argno ready to be written: the executor's own when
 * called as an aggregate (updated in place), a copy when called from SQL.
 */
static inline KamStrengthState *
writable_strength_state(FunctionCallInfo fcinfo, int argno)
{
	KamStrengthState *s = (KamStrengthState *) PG_GETARG_POINTER(argno);
	KamStrengthState *copy;

	if (likely(kam_called_as_aggregate(fcinfo)))
		return s;
	copy = palloc(sizeof(KamStrengthState));
	*copy = *s;
	return copy;
}

/* ------------------------------------------------------------ parameters */

/* kam.strength_at(): {as_of (us since 2000), half_life_days, window_days} */
typedef struct StrengthParameters
{
	int64		as_of;
	double		half_life;
	double		window;
} StrengthParameters;

#define PARAMETERS_NAME "relationship_strength parameters"

static void
parse_parameters(ArrayType *a, StrengthParameters *p)
{
	float8	   *v = kam_sum_state(a, 3, PARAMETERS_NAME);

	/* as_of travels as a double: whole microseconds, exact up to 2^53 */
	if (!(v[0] >= (double) MIN_TIMESTAMP && v[0] < (double) END_TIMESTAMP && v[0] == floor(v[0])))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("relationship_strength as_of %g is not a finite time in microseconds", v[0])));
	p->as_of = (int64) v[0];
	p->half_life = v[1];
	p->window = v[2];
	check_strength_time(p->as_of);
	check_strength_parameters(p->half_life, p->window);
}

/* kam.strength_at(as_of, half_life_days, window_days): the parameters as one value */
PG_FUNCTION_INFO_V1(kam_strength_at);
Datum
kam_strength_at(PG_FUNCTION_ARGS)
{
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(0);
	Datum		values[3];

	check_strength_time(as_of);
	check_strength_parameters(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	values[0] = Float8GetDatum((double) as_of);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	PG_RETURN_ARRAYTYPE_P(construct_array(values, 3, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * The parameters of a state: set by its first interaction, the same for
 * every other.  The caller has checked them.
 */
static void
settle_strength_parameters(KamStrengthState *s, const StrengthParameters *p)
{
	if (s->as_of == p->as_of && s->half_life_days == p->half_life && s->window_days == p->window)
		return;
	if (kam_strength_has_parameters(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relationship_strength as_of, half-life and window must be the same in every row of one aggregate")));
	s->as_of = p->as_of;
	s->half_life_days = p->half_life;
	s->window_days = p->window;
}

/* bytes of a plain (4-byte header, 1-D, no nulls) float8[3]: no padding */
#define PARAMETERS_BYTES (ARR_OVERHEAD_NONULLS(1) + 3 * sizeof(float8))
#define PARAMETERS_WORDS (PARAMETERS_BYTES / sizeof(uint64))
StaticAssertDecl(PARAMETERS_BYTES % sizeof(uint64) == 0, "parameters are whole words");

/*
 * What a call site of the state function knows of its parameters: the last
 * ones it checked, whether they are a constant of the query, and whether
 * they ever changed.
 */
typedef struct StrengthCallSite
{
	bool		parsed;			/* p holds checked parameters */
	bool		constant;		/* the argument is a Const: p holds it for good */
	bool		varied;			/* the parameters have not always been the same */
	bool		have_words;		/* words holds the array p was read from */
	StrengthParameters p;
	double		exponent_per_usec;	/* -1 / (half-life in microseconds) */
	uint64		words[PARAMETERS_WORDS];
} StrengthCallSite;

/*
 * Whether raw is, word for word, the array the call site last checked: then
 * it needs no look at its header and values.  (Inline word compares: a
 * memcmp call cost more than the rest of the test.)
 */
static inline bool
same_parameters(const StrengthCallSite *site, const struct varlena *raw)
{
	uint64		differ = 0;

	if (!site->have_words || !VARATT_IS_4B_U(raw) || VARSIZE(raw) != PARAMETERS_BYTES)
		return false;
	for (int i = 0; i < (int) PARAMETERS_WORDS; i++)
	{
		uint64		word;

		memcpy(&word, (const char *) raw + i * sizeof(uint64), sizeof(uint64));
		differ |= word ^ site->words[i];
	}
	return differ == 0;
}

/*
 * Whether the parameters argument (the fourth) of the aggregate being
 * advanced is a constant of the query, as kam.strength_at() of constants
 * is once planned: then the call site reads it once.  (The state function
 * sees only a placeholder in its own call expression, so it asks for the
 * aggregate's arguments.)
 */
static bool
parameters_are_constant(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	TargetEntry *parameters;

	if (aggref == NULL || list_length(aggref->args) != 4)
		return false;
	parameters = list_nth_node(TargetEntry, aggref->args, 3);
	return IsA(parameters->expr, Const) && !((Const *) parameters->expr)->constisnull;
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
	site->parsed = true;
	site->exponent_per_usec = -1.0 / (site->p.half_life * KAM_USECS_PER_DAY);
	site->have_words = VARSIZE(parameters) == PARAMETERS_BYTES;
	if (site->have_words)
		memcpy(site->words, parameters, PARAMETERS_BYTES);
}

/* The call site's first row, or parameters other than the last ones. */
static pg_noinline StrengthCallSite *
refresh_call_site(FunctionCallInfo fcinfo)
{
	StrengthCallSite *site = fcinfo->flinfo->fn_extra;

	if (site == NULL)
	{
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(StrengthCallSite));
		site->constant = parameters_are_constant(fcinfo);
		fcinfo->flinfo->fn_extra = site;
	}
	take_parameters(site, fcinfo);
	return site;
}

/* The checked parameters of this row. */
static inline const StrengthCallSite *
strength_call_site(FunctionCallInfo fcinfo)
{
	StrengthCallSite *site = fcinfo->flinfo->fn_extra;

	if (likely(site != NULL &&
			   (site->constant || same_parameters(site, (struct varlena *) PG_GETARG_POINTER(4)))))
		return site;
	return refresh_call_site(fcinfo);
}

/* ------------------------------------------------------------ the aggregate */

static pg_noinline pg_attribute_noreturn() void
strength_weight_error(double weight)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("relationship_strength weight %g is not allowed: it must be finite and >= 0", weight)));
}

static pg_noinline pg_attribute_noreturn() void
strength_count_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("relationship_strength state count out of range")));
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
	KamStrengthState *s = writable_strength_state(fcinfo, 0);
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	float8		weight = PG_GETARG_FLOAT8(2);
	const StrengthCallSite *site = strength_call_site(fcinfo);

	/*
	 * A state takes the parameters at its first interaction and is compared
	 * with them again only if they ever varied at this call site: the
	 * per-row path is what the benchmark against avg() measures.
	 */
	if (unlikely(s->interactions == 0 || site->varied))
		settle_strength_parameters(s, &site->p);
	check_strength_time(t);
	if (unlikely(!(weight >= 0 && weight <= DBL_MAX)))	/* NaN fails too */
		strength_weight_error(weight);
	if (t > site->p.as_of)
		PG_RETURN_POINTER(s);	/* after as_of: not yet */
	if (unlikely(s->interactions == PG_INT64_MAX))
		strength_count_error();
	kam_strength_add(s, t, weight * exp2(kam_time_distance(site->p.as_of, t) * site->exponent_per_usec),
					 PG_GETARG_BOOL(3));
	KAM_CHECK(kam_strength_state_problem(s) == NULL);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kam_relationship_strength_combine);
Datum
kam_relationship_strength_combine(PG_FUNCTION_ARGS)
{
	KamStrengthState *into = writable_strength_state(fcinfo, 0);
	const KamStrengthState *from = (const KamStrengthState *) PG_GETARG_POINTER(1);

	/* once per group and partial state: worth checking what SQL can pass */
	check_strength_state(into);
	check_strength_state(from);
	switch (kam_strength_combine(into, from))
	{
		case KAM_STRENGTH_COMBINED:
			break;
		case KAM_STRENGTH_OTHER_PARAMETERS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relationship_strength as_of, half-life and window must be the same in every row of one aggregate")));
			break;
		case KAM_STRENGTH_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("relationship_strength state out of range: a count or the sum overflows")));
			break;
	}
	KAM_CHECK(kam_strength_state_problem(into) == NULL);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(kam_relationship_strength_final);
Datum
kam_relationship_strength_final(PG_FUNCTION_ARGS)
{
	const KamStrengthState *s = (const KamStrengthState *) PG_GETARG_POINTER(0);
	Datum		values[6];
	bool		nulls[6] = {false};

	check_strength_state(s);
	if (s->interactions == 0)
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(s->strength);
	values[1] = Int64GetDatum(s->interactions);
	values[2] = Int64GetDatum(s->reciprocal);
	values[3] = BoolGetDatum(kam_strength_one_way(s));
	values[4] = TimestampTzGetDatum(s->last);
	nulls[5] = s->last_reciprocal == KAM_TIME_NONE;
	values[5] = TimestampTzGetDatum(nulls[5] ? 0 : s->last_reciprocal);
	return kam_result_row(fcinfo, values, nulls);
}
