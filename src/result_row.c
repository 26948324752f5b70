/*
 * result_row.c: composite results of kam functions.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "result_row.h"

/*
 * The blessed descriptor of the function's result type is looked up once
 * per call site and kept in fn_extra: final functions of grouped aggregates
 * build one row per group, and the look-up cost more than the row.
 */
Datum
kam_result_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;

	if (tupdesc == NULL)
	{
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning a row called in a context that cannot accept it")));
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
