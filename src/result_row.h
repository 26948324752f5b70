/*
 * result_row.h: building the composite results of kam functions.
 */
#ifndef KAM_RESULT_ROW_H
#define KAM_RESULT_ROW_H

#include "postgres.h"
#include "fmgr.h"

#include <math.h>

/*
 * A row of the function's declared composite result type from values and
 * nulls (one per attribute, in order).
 */
extern Datum kam_result_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

/* A float8 Datum, or a null flag for NaN (an undefined statistic). */
static inline Datum
kam_float8_or_null(double value, bool *isnull)
{
	*isnull = isnan(value);
	return Float8GetDatum(*isnull ? 0.0 : value);
}

#endif							/* KAM_RESULT_ROW_H */
