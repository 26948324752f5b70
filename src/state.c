/*
 * state.c: validation and arithmetic of kam's array aggregate states.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"

#include "state.h"

void
kam_state_shape_error(Oid elemtype, int len, const char *aggname)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s state: expected a one-dimensional %s array of %d non-null elements indexed from 1",
					aggname, elemtype == INT8OID ? "bigint" : "double precision", len)));
}

int64 *
kam_checked_count_state(ArrayType *state, int len, const char *aggname)
{
	int64	   *counts = kam_count_state(state, len, aggname);

	for (int i = 0; i < len; i++)
		if (counts[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s state: element %d is " INT64_FORMAT ", counts must be >= 0",
							aggname, i + 1, counts[i])));
	return counts;
}

float8 *
kam_checked_sum_state(ArrayType *state, int len, const char *aggname)
{
	float8	   *sums = kam_sum_state(state, len, aggname);

	for (int i = 0; i < len; i++)
		if (!isfinite(sums[i]) || sums[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s state: element %d is %g, sums must be finite and >= 0",
							aggname, i + 1, sums[i])));
	return sums;
}

void
kam_add_counts(int64 *into, const int64 *from, int len, const char *aggname)
{
	for (int i = 0; i < len; i++)
		if (pg_add_s64_overflow(into[i], from[i], &into[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s state count out of range", aggname)));
}

void
kam_add_sums(float8 *into, const float8 *from, int len, const char *aggname)
{
	for (int i = 0; i < len; i++)
	{
		into[i] += from[i];
		if (unlikely(isinf(into[i])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s state sum out of range", aggname)));
	}
}
