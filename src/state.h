/*
 * state.h: checked access to the array states of kam's aggregates.
 *
 * Aggregate states are plain SQL arrays (bigint[] of counts, or
 * double precision[] of sums) so that they travel as text between nodes and
 * work with parallel query and Citus.  Every state, combine and final
 * function is also callable from SQL, so each one validates the array it is
 * given before touching its elements.
 */
#ifndef KAM_STATE_H
#define KAM_STATE_H

#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/nodes.h"
#include "utils/array.h"

/*
 * Transition functions run once per input row, so the per-row path below is
 * inline: the same tests as AggCheckCallContext and pg_detoast_datum, and
 * the shape check of the state, without a function call each.
 */

/* Called by the executor as an aggregate or window aggregate? */
static inline bool
kam_called_as_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState));
}

/*
 * The state array argument argno, ready to be written: the executor's own
 * copy when called as an aggregate (updated in place), a fresh copy when
 * called directly from SQL.
 */
static inline ArrayType *
kam_writable_state(FunctionCallInfo fcinfo, int argno)
{
	if (kam_called_as_aggregate(fcinfo))
	{
		struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(argno);

		if (likely(!VARATT_IS_EXTENDED(raw)))
			return (ArrayType *) raw;
		return PG_GETARG_ARRAYTYPE_P(argno);
	}
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

/*
 * Must a transition function check its state whole, rather than only its
 * shape?  Always when called directly from SQL, where the state may be
 * anything.  Under an aggregate only on the function's first call in the
 * node: that call gets the aggregate's initial condition (the same for every
 * group, and a user's own aggregate may declare any), and every later state
 * was made by this function from a checked one.  fn_extra, unused otherwise
 * by these functions, remembers the first call.
 */
static inline bool
kam_transition_checks_whole_state(FunctionCallInfo fcinfo)
{
	if (!kam_called_as_aggregate(fcinfo))
		return true;
	if (likely(fcinfo->flinfo->fn_extra != NULL))
		return false;
	fcinfo->flinfo->fn_extra = fcinfo->flinfo;	/* any non-NULL marker */
	return true;
}

/* The error of a state that fails kam_state_has_shape. */
extern void kam_state_shape_error(Oid elemtype, int len, const char *aggname)
			pg_attribute_noreturn();

/* A one-dimensional array of elemtype, no NULLs, indexed from 1? */
static inline bool
kam_state_is_vector(ArrayType *state, Oid elemtype)
{
	return ARR_ELEMTYPE(state) == elemtype &&
		ARR_NDIM(state) == 1 &&
		!ARR_HASNULL(state) &&
		ARR_LBOUND(state)[0] == 1;
}

/* ... and of len elements? */
static inline bool
kam_state_has_shape(ArrayType *state, Oid elemtype, int len)
{
	return kam_state_is_vector(state, elemtype) && ARR_DIMS(state)[0] == len;
}

/*
 * The elements of a state of the right shape: one dimension and no null
 * bitmap put them at a fixed offset (ARR_DATA_PTR's general form trips
 * -Wsign-compare).
 */
static inline void *
kam_state_elements(ArrayType *state, Oid elemtype, int len, const char *aggname)
{
	if (unlikely(!kam_state_has_shape(state, elemtype, len)))
		kam_state_shape_error(elemtype, len, aggname);
	return (char *) state + ARR_OVERHEAD_NONULLS(1);
}

/*
 * The elements of a bigint[] state of exactly len non-null elements.
 * Only the shape is checked: this runs once per input row.
 */
static inline int64 *
kam_count_state(ArrayType *state, int len, const char *aggname)
{
	return (int64 *) kam_state_elements(state, INT8OID, len, aggname);
}

/* The shape-only check of a double precision[] state, for transition functions. */
static inline float8 *
kam_sum_state(ArrayType *state, int len, const char *aggname)
{
	return (float8 *) kam_state_elements(state, FLOAT8OID, len, aggname);
}

/*
 * As kam_count_state, and also every element is >= 0: for combine and
 * final functions, which may receive a state built by hand.
 */
extern int64 *kam_checked_count_state(ArrayType *state, int len,
									  const char *aggname);

/* A double precision[] state of len elements, each finite and >= 0. */
extern float8 *kam_checked_sum_state(ArrayType *state, int len,
									 const char *aggname);

/* A transition's count state: checked whole when it may be hand-made. */
static inline int64 *
kam_transition_count_state(FunctionCallInfo fcinfo, ArrayType *state, int len,
						   const char *aggname)
{
	if (unlikely(kam_transition_checks_whole_state(fcinfo)))
		return kam_checked_count_state(state, len, aggname);
	return kam_count_state(state, len, aggname);
}

/* A transition's sum state: checked whole when it may be hand-made. */
static inline float8 *
kam_transition_sum_state(FunctionCallInfo fcinfo, ArrayType *state, int len,
						 const char *aggname)
{
	if (unlikely(kam_transition_checks_whole_state(fcinfo)))
		return kam_checked_sum_state(state, len, aggname);
	return kam_sum_state(state, len, aggname);
}

/* counts[i] += 1, with an error rather than a wrap-around at 2^63 - 1. */
static inline void
kam_count_one(int64 *counts, int i, const char *aggname)
{
	if (unlikely(counts[i] == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s state count out of range", aggname)));
	counts[i]++;
}

/*
 * counts[i] -= 1: the inverse transition of moving window frames, which
 * only removes answers it counted before.
 */
static inline void
kam_uncount_one(int64 *counts, int i, const char *aggname)
{
	if (unlikely(counts[i] <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state: cannot remove an answer that was not counted",
						aggname)));
	counts[i]--;
}

/* into[i] += from[i] for len counts, with an error on overflow. */
extern void kam_add_counts(int64 *into, const int64 *from, int len,
						   const char *aggname);

/* into[i] += from[i] for len sums, with an error if a sum overflows. */
extern void kam_add_sums(float8 *into, const float8 *from, int len,
						 const char *aggname);

#endif							/* KAM_STATE_H */
