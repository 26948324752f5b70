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
#include "fmgr.h"
#include "utils/array.h"

/*
 * The state array argument argno, ready to be written: the executor's own
 * copy when called as an aggregate (updated in place), a fresh copy when
 * called directly from SQL.
 */
extern ArrayType *kam_writable_state(FunctionCallInfo fcinfo, int argno);

/*
 * The elements of a bigint[] state of exactly len non-null elements.
 * Only the shape is checked: this runs once per input row.
 */
extern int64 *kam_count_state(ArrayType *state, int len, const char *aggname);

/*
 * As kam_count_state, and also every element is >= 0: for combine and
 * final functions, which may receive a state built by hand.
 */
extern int64 *kam_checked_count_state(ArrayType *state, int len,
									  const char *aggname);

/* A double precision[] state of len elements, each finite and >= 0. */
extern float8 *kam_checked_sum_state(ArrayType *state, int len,
									 const char *aggname);

/* The shape-only variant of kam_checked_sum_state, for transition functions. */
extern float8 *kam_sum_state(ArrayType *state, int len, const char *aggname);

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

/* into[i] += from[i] for len counts, with an error on overflow. */
extern void kam_add_counts(int64 *into, const int64 *from, int len,
						   const char *aggname);

/* into[i] += from[i] for len sums, with an error if a sum overflows. */
extern void kam_add_sums(float8 *into, const float8 *from, int len,
						 const char *aggname);

#endif							/* KAM_STATE_H */
