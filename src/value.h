/*
 * value.h: the value analysis's per-order steps, shared by the aggregates
 * (value.c) and kam.account_value_as_of (account_value.c), which keeps each
 * account's states itself instead of aggregating through the executor.
 * Each step raises the errors the aggregate raises.
 */
#ifndef KAM_VALUE_H
#define KAM_VALUE_H

#include "postgres.h"

#include "utils/array.h"
#include "utils/date.h"

#include "value_core.h"

/* as_of a finite date between 1900 and 2999, else an error */
extern void kam_order_summary_check_day(DateADT as_of);

/* s = the empty order summary of as_of (kam.order_summary_state's first state) */
extern void kam_order_summary_begin(int64 s[KAM_OS_SLOTS], DateADT as_of);

/* one order added to an order summary (finite date; overflow an error) */
extern void kam_order_summary_take(int64 s[KAM_OS_SLOTS], DateADT order_date, int64 amount_units,
								   bool has_margin, int64 margin_units);

/* the room of a purchase-days state for its first days (it doubles when full) */
#define KAM_PURCHASE_DAYS_FIRST_CAPACITY 8

/* an empty purchase-days state with room for capacity days */
extern ArrayType *kam_purchase_days_new(int64 capacity);

/*
 * one order added to a purchase-days state whose header is valid: the same
 * state, or (when it was full) a larger copy; the old one is left to the
 * caller
 */
extern ArrayType *kam_purchase_days_take(ArrayType *state, DateADT day, int64 units);

/*
 * the five fields of kam.purchase_days_result of a valid state; false when
 * it holds no day (the result is NULL)
 */
extern bool kam_purchase_days_values(const int64 *s, Datum values[5]);

#endif							/* KAM_VALUE_H */
