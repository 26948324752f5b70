/*
 * clv.c: SQL interface of the predictive CLV fits, kam.bgnbd_fit and
 * kam.gammagamma_fit.
 *
 * Their states are double precision[] arrays of the customers seen:
 *   bgnbd_fit       {x, t_x, T, count} per entry (count 1 per row; the
 *                   final function sorts the entries and merges equal ones)
 *   gammagamma_fit  {excluded, x, z, x, z, ...}: excluded counts the repeat
 *                   customers with no positive mean spend
 * In aggregate context they grow as expanded arrays (amortised appends).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"

#include "clv_core.h"
#include "result_row.h"
#include "state.h"

#define BGNBD_NAME "bgnbd_fit"
#define GG_NAME "gammagamma_fit"

/* The elements of a flat double precision[] state (a copy when expanded). */
static float8 *
flat_elements(Datum state, int *n, const char *aggname)
{
	ArrayType  *a = DatumGetArrayTypeP(state);

	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a) ||
		(ARR_NDIM(a) == 1 && ARR_LBOUND(a)[0] != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state: expected a one-dimensional double precision array without NULLs",
						aggname)));
	*n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	return (float8 *) ARR_DATA_PTR(a);
}

/* The number of elements of an expanded one-dimensional array. */
static int
expanded_length(Datum state)
{
	ExpandedArrayHeader *eah = (ExpandedArrayHeader *) DatumGetEOHP(state);

	return eah->ndims == 0 ? 0 : eah->dims[0];
}

/*
 * Appends values to the state of argument 0: in aggregate context to the
 * executor's expanded copy (amortised growth, kept in the aggregate's
 * memory context), otherwise to a new array.
 */
static Datum
append_values(FunctionCallInfo fcinfo, Datum state, const float8 *values, int count,
			  const char *aggname)
{
	MemoryContext aggcontext;
	int			n;

	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(state)))
	{
		int			flat_n;

		(void) flat_elements(state, &flat_n, aggname);	/* validates the shape */
		if (!AggCheckCallContext(fcinfo, &aggcontext))
			aggcontext = CurrentMemoryContext;
		state = expand_array(state, aggcontext, NULL);
	}
	n = expanded_length(state);
	for (int i = 0; i < count; i++)
	{
		int			index = n + 1 + i;

		state = array_set_element(state, 1, &index, Float8GetDatum(values[i]), false,
								  -1, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	}
	return state;
}

static void
check_finite_input(double value, const char *what, const char *aggname)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s %g is not allowed: it must be finite", aggname, what, value)));
}

/* One customer's (x, t_x, T): x whole >= 0, 0 <= t_x <= T, T > 0, t_x > 0 iff x > 0. */
static void
check_bgnbd_customer(double x, double t_x, double T)
{
	check_finite_input(x, "x", BGNBD_NAME);
	check_finite_input(t_x, "t_x", BGNBD_NAME);
	check_finite_input(T, "T", BGNBD_NAME);
	if (x < 0 || x != floor(x) || x > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bgnbd_fit x %g is not allowed: the number of repeat transactions must be a whole number from 0 to 1e9", x)));
	if (!(T > 0) || t_x < 0 || t_x > T || (x == 0) != (t_x == 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bgnbd_fit customer (x %g, t_x %g, T %g) is not allowed: it needs T > 0, 0 <= t_x <= T, and t_x = 0 exactly when x = 0",
						x, t_x, T)));
}

/* The entries of a bgnbd_fit state, each checked; *n entries of 4. */
static float8 *
checked_bgnbd_state(Datum state, int *n)
{
	int			len;
	float8	   *v = flat_elements(state, &len, BGNBD_NAME);

	if (len % 4 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid bgnbd_fit state: %d elements is not a multiple of 4 {x, t_x, T, count}", len)));
	*n = len / 4;
	for (int i = 0; i < *n; i++)
	{
		float8		count = v[4 * i + 3];

		check_bgnbd_customer(v[4 * i], v[4 * i + 1], v[4 * i + 2]);
		if (!(count >= 1 && count <= 1e15 && count == floor(count)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid bgnbd_fit state: count %g must be a whole number >= 1", count)));
	}
	return v;
}

/*
 * Is this state perhaps not one this aggregate built?  A flat array is a
 * direct call's, or an aggregate's initial condition (which a user's own
 * aggregate may declare): checked whole.  After its first row the
 * aggregate's state is its own expanded array, made from a checked one.
 */
static inline bool
state_may_be_handmade(Datum state)
{
	return !VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(state));
}

PG_FUNCTION_INFO_V1(kam_bgnbd_accum);
Datum
kam_bgnbd_accum(PG_FUNCTION_ARGS)
{
	Datum		state = PG_GETARG_DATUM(0);
	float8		entry[4] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), 1};
	int			n;

	check_bgnbd_customer(entry[0], entry[1], entry[2]);
	if (state_may_be_handmade(state))
		(void) checked_bgnbd_state(state, &n);
	PG_RETURN_DATUM(append_values(fcinfo, state, entry, 4, BGNBD_NAME));
}

PG_FUNCTION_INFO_V1(kam_bgnbd_combine);
Datum
kam_bgnbd_combine(PG_FUNCTION_ARGS)
{
	int			n1,
				n2;
	float8	   *from;

	(void) checked_bgnbd_state(PG_GETARG_DATUM(0), &n1);
	from = checked_bgnbd_state(PG_GETARG_DATUM(1), &n2);
	PG_RETURN_DATUM(append_values(fcinfo, PG_GETARG_DATUM(0), from, 4 * n2, BGNBD_NAME));
}

PG_FUNCTION_INFO_V1(kam_bgnbd_final);
Datum
kam_bgnbd_final(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *v = checked_bgnbd_state(PG_GETARG_DATUM(0), &n);
	float8	   *rows;
	float8	   *columns;
	double		customers = 0;
	KamFit		fit;
	Datum		values[8];
	bool		nulls[8] = {false};

	if (n == 0)
		PG_RETURN_NULL();
	/* (a copy: a final function leaves its state as it found it) */
	rows = palloc(sizeof(float8) * 4 * n);
	memcpy(rows, v, sizeof(float8) * 4 * n);
	n = (int) kam_bgnbd_merge_customers(rows, n);
	columns = palloc(sizeof(float8) * 4 * n);
	for (int i = 0; i < n; i++)
		for (int c = 0; c < 4; c++)
			columns[c * n + i] = rows[4 * i + c];
	for (int i = 0; i < n; i++)
		customers += columns[3 * n + i];
	if (customers > 9e18)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bgnbd_fit customer count out of range")));
	kam_bgnbd_fit(columns, columns + n, columns + 2 * n, columns + 3 * n, n, &fit);
	if (isnan(fit.log_likelihood))
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("bgnbd_fit could not allocate its work space")));
	for (int i = 0; i < 4; i++)
		values[i] = Float8GetDatum(fit.params[i]);
	values[4] = Float8GetDatum(fit.log_likelihood);
	values[5] = Int32GetDatum(fit.iterations);
	values[6] = BoolGetDatum(fit.converged);
	values[7] = Int64GetDatum((int64) customers);
	return kam_result_row(fcinfo, values, nulls);
}

/* ------------------------------------------------------------ Gamma-Gamma */

/* The pairs of a gammagamma_fit state, checked; *excluded, *n pairs. */
static float8 *
checked_gammagamma_state(Datum state, double *excluded, int *n)
{
	int			len;
	float8	   *v = flat_elements(state, &len, GG_NAME);

	if (len < 1 || len % 2 != 1 || !(v[0] >= 0 && v[0] <= 1e15 && v[0] == floor(v[0])))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid gammagamma_fit state: expected {excluded, x, z, x, z, ...} with a whole excluded count")));
	*excluded = v[0];
	*n = (len - 1) / 2;
	for (int i = 0; i < *n; i++)
	{
		float8		x = v[1 + 2 * i],
					z = v[2 + 2 * i];

		if (!(x >= 1 && x <= 1e9 && x == floor(x) && z > 0 && isfinite(z)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid gammagamma_fit state: customer (x %g, mean value %g) needs a whole x >= 1 and a finite mean value > 0",
							x, z)));
	}
	return v + 1;
}

PG_FUNCTION_INFO_V1(kam_gammagamma_accum);
Datum
kam_gammagamma_accum(PG_FUNCTION_ARGS)
{
	float8		x = PG_GETARG_FLOAT8(1);
	float8		z = PG_GETARG_FLOAT8(2);
	float8		pair[2] = {x, z};
	Datum		state = PG_GETARG_DATUM(0);
	double		excluded;
	int			n;

	if (state_may_be_handmade(state))
		(void) checked_gammagamma_state(state, &excluded, &n);
	check_finite_input(x, "x", GG_NAME);
	check_finite_input(z, "mean value", GG_NAME);
	if (x < 0 || x != floor(x) || x > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("gammagamma_fit x %g is not allowed: the number of repeat transactions must be a whole number from 0 to 1e9", x)));
	if (z < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("gammagamma_fit mean value %g is negative", z)));
	if (x == 0)
		PG_RETURN_DATUM(kam_called_as_aggregate(fcinfo) ? state
						: PointerGetDatum(DatumGetArrayTypePCopy(state)));
	if (z == 0)
	{
		/* a repeat customer without spend: counted, left out of the fit */
		int			first = 1;
		bool		isnull;

		state = append_values(fcinfo, state, NULL, 0, GG_NAME);
		/* (read from the expanded array in place, not from a flat copy of it) */
		excluded = DatumGetFloat8(array_get_element(state, 1, &first, -1, sizeof(float8),
													FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &isnull));
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid gammagamma_fit state: the first element counts the excluded customers")));
		PG_RETURN_DATUM(array_set_element(state, 1, &first, Float8GetDatum(excluded + 1), false,
										  -1, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	}
	PG_RETURN_DATUM(append_values(fcinfo, state, pair, 2, GG_NAME));
}

PG_FUNCTION_INFO_V1(kam_gammagamma_combine);
Datum
kam_gammagamma_combine(PG_FUNCTION_ARGS)
{
	double		excluded1,
				excluded2;
	int			n1,
				n2,
				first = 1;
	float8	   *from;
	Datum		state;

	(void) checked_gammagamma_state(PG_GETARG_DATUM(0), &excluded1, &n1);
	from = checked_gammagamma_state(PG_GETARG_DATUM(1), &excluded2, &n2);
	state = append_values(fcinfo, PG_GETARG_DATUM(0), from, 2 * n2, GG_NAME);
	PG_RETURN_DATUM(array_set_element(state, 1, &first, Float8GetDatum(excluded1 + excluded2), false,
									  -1, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(kam_gammagamma_final);
Datum
kam_gammagamma_final(PG_FUNCTION_ARGS)
{
	double		excluded;
	int			n;
	float8	   *v = checked_gammagamma_state(PG_GETARG_DATUM(0), &excluded, &n);
	float8	   *rows,
			   *x,
			   *z,
			   *w;
	int			distinct;
	KamFit		fit;
	Datum		values[9];
	bool		nulls[9] = {false};

	if (excluded > 0)
		ereport(NOTICE,
				(errmsg("gammagamma_fit left out %.0f repeat customers whose mean value is 0", excluded)));
	if (n == 0)
		PG_RETURN_NULL();
	/* sorted and merged, as bgnbd_fit's: the same fit in any row order */
	rows = palloc(sizeof(float8) * 3 * n);
	for (int i = 0; i < n; i++)
	{
		rows[3 * i] = v[2 * i];
		rows[3 * i + 1] = v[2 * i + 1];
		rows[3 * i + 2] = 1;
	}
	distinct = (int) kam_gammagamma_merge_customers(rows, n);
	x = palloc(sizeof(float8) * distinct);
	z = palloc(sizeof(float8) * distinct);
	w = palloc(sizeof(float8) * distinct);
	for (int i = 0; i < distinct; i++)
	{
		x[i] = rows[3 * i];
		z[i] = rows[3 * i + 1];
		w[i] = rows[3 * i + 2];
	}
	kam_gammagamma_fit(x, z, w, distinct, &fit);
	if (isnan(fit.log_likelihood))
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("gammagamma_fit could not allocate its work space")));
	for (int i = 0; i < 3; i++)
		values[i] = Float8GetDatum(fit.params[i]);
	values[3] = Float8GetDatum(fit.log_likelihood);
	values[4] = Int32GetDatum(fit.iterations);
	values[5] = BoolGetDatum(fit.converged);
	values[6] = Int64GetDatum(n);
	values[7] = Int64GetDatum((int64) excluded);
	/* the population mean spend p gamma / (q - 1) exists only for q > 1 */
	if (fit.params[1] > 1)
		values[8] = Float8GetDatum(fit.params[0] * fit.params[2] / (fit.params[1] - 1));
	else
	{
		nulls[8] = true;
		ereport(NOTICE,
				(errmsg("gammagamma_fit q = %g <= 1: the expected spend is undefined", fit.params[1])));
	}
	return kam_result_row(fcinfo, values, nulls);
}

/* ------------------------------------------------------------ scoring */

static void
check_parameters(const double *params, int n, const char *const *names, const char *function)
{
	for (int i = 0; i < n; i++)
		if (!(params[i] > 0 && isfinite(params[i])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s parameter %s %g is not allowed: it must be finite and > 0",
							function, names[i], params[i])));
}

static const char *const bgnbd_names[] = {"r", "alpha", "a", "b"};
static const char *const gg_names[] = {"p", "q", "gamma"};

/* arguments 0..3: r, alpha, a, b; 4..6: x, t_x, T */
static void
bgnbd_arguments(FunctionCallInfo fcinfo, double *params, double *customer, const char *function)
{
	for (int i = 0; i < 4; i++)
		params[i] = PG_GETARG_FLOAT8(i);
	for (int i = 0; i < 3; i++)
		customer[i] = PG_GETARG_FLOAT8(4 + i);
	check_parameters(params, 4, bgnbd_names, function);
	check_bgnbd_customer(customer[0], customer[1], customer[2]);
}

static double
checked_horizon(double t, const char *function)
{
	if (!(t >= 0 && isfinite(t)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s horizon %g is not allowed: it must be finite and >= 0", function, t)));
	return t;
}

static double
checked_result(double value, const char *function)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot be computed accurately for these parameters: the hypergeometric series does not converge, cancels or overflows", function)));
	return value;
}

/* Extreme parameters can overflow a double: an error, never NaN or infinity. */
static double
finite_result(double value, const char *function)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range: the result for these arguments is %g, not a finite number",
						function, value)));
	return value;
}

PG_FUNCTION_INFO_V1(kam_bgnbd_p_alive_sql);
Datum
kam_bgnbd_p_alive_sql(PG_FUNCTION_ARGS)
{
	double		p[4],
				c[3];

	bgnbd_arguments(fcinfo, p, c, "bgnbd_p_alive");
	PG_RETURN_FLOAT8(finite_result(kam_bgnbd_p_alive(p[0], p[1], p[2], p[3], c[0], c[1], c[2]),
								   "bgnbd_p_alive"));
}

PG_FUNCTION_INFO_V1(kam_bgnbd_expected_sql);
Datum
kam_bgnbd_expected_sql(PG_FUNCTION_ARGS)
{
	double		p[4],
				c[3];
	double		t = checked_horizon(PG_GETARG_FLOAT8(7), "bgnbd_expected_transactions");

	bgnbd_arguments(fcinfo, p, c, "bgnbd_expected_transactions");
	PG_RETURN_FLOAT8(checked_result(kam_bgnbd_expected(p[0], p[1], p[2], p[3], c[0], c[1], c[2], t),
									"bgnbd_expected_transactions"));
}

/* arguments 0..2: p, q, gamma; 3, 4: x, mean value */
static double
expected_spend(double p, double q, double gamma, double x, double z, const char *function)
{
	double		params[3] = {p, q, gamma};
	double		spend;

	check_parameters(params, 3, gg_names, function);
	if (!(x >= 0 && x == floor(x) && x <= 1e9) || !(z >= 0 && isfinite(z)) || (x == 0 && z != 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s customer (x %g, mean value %g) is not allowed: x a whole number >= 0, the mean value finite, >= 0 and 0 when x = 0",
						function, x, z)));
	spend = kam_gammagamma_expected_spend(p, q, gamma, x, z);
	if (isnan(spend))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is undefined for q = %g: the Gamma-Gamma mean spend needs q > 1 (p x + q > 1 for a repeat customer)",
						function, q)));
	return finite_result(spend, function);
}

PG_FUNCTION_INFO_V1(kam_gammagamma_expected_spend_sql);
Datum
kam_gammagamma_expected_spend_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_spend(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
									PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
									"gammagamma_expected_spend"));
}

#define CLV_STEPS 12

/*
 * predicted_clv(r, alpha, a, b, p, q, gamma, x, t_x, T, mean_value,
 * horizon, discount_rate, margin): the expected transactions of each of 12
 * equal steps of the horizon, discounted at the end of their step
 * ((1 + discount_rate) per time unit), times the expected spend and margin.
 */
PG_FUNCTION_INFO_V1(kam_predicted_clv);
Datum
kam_predicted_clv(PG_FUNCTION_ARGS)
{
	double		params[4],
				customer[3];
	double		spend,
				horizon = checked_horizon(PG_GETARG_FLOAT8(11), "predicted_clv"),
				discount = PG_GETARG_FLOAT8(12),
				margin = PG_GETARG_FLOAT8(13),
				previous = 0,
				total = 0;

	for (int i = 0; i < 4; i++)
		params[i] = PG_GETARG_FLOAT8(i);
	for (int i = 0; i < 3; i++)
		customer[i] = PG_GETARG_FLOAT8(7 + i);
	check_parameters(params, 4, bgnbd_names, "predicted_clv");
	check_bgnbd_customer(customer[0], customer[1], customer[2]);
	spend = expected_spend(PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6),
						   customer[0], PG_GETARG_FLOAT8(10), "predicted_clv");
	if (!(discount > -1 && isfinite(discount)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("predicted_clv discount rate %g is not allowed: it must be finite and > -1", discount)));
	if (!(margin >= 0 && margin <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("predicted_clv margin %g is outside the allowed range 0 to 1 (a share of the spend)", margin)));
	for (int k = 1; k <= CLV_STEPS && horizon > 0; k++)
	{
		double		t = horizon * k / CLV_STEPS;
		double		expected = checked_result(kam_bgnbd_expected(params[0], params[1], params[2], params[3],
																  customer[0], customer[1], customer[2], t),
											   "predicted_clv");

		total += (expected - previous) / pow(1 + discount, t);
		previous = expected;
	}
	PG_RETURN_FLOAT8(finite_result(total * spend * margin, "predicted_clv"));
}

PG_FUNCTION_INFO_V1(kam_bgnbd_log_likelihood);
Datum
kam_bgnbd_log_likelihood(PG_FUNCTION_ARGS)
{
	double		p[4],
				c[3];

	bgnbd_arguments(fcinfo, p, c, "bgnbd_log_likelihood");
	PG_RETURN_FLOAT8(finite_result(kam_bgnbd_customer_ll(p[0], p[1], p[2], p[3], c[0], c[1], c[2]),
								   "bgnbd_log_likelihood"));
}

PG_FUNCTION_INFO_V1(kam_gammagamma_log_likelihood);
Datum
kam_gammagamma_log_likelihood(PG_FUNCTION_ARGS)
{
	double		params[3] = {PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)};
	double		x = PG_GETARG_FLOAT8(3),
				z = PG_GETARG_FLOAT8(4);

	check_parameters(params, 3, gg_names, "gammagamma_log_likelihood");
	if (!(x >= 1 && x == floor(x) && x <= 1e9 && z > 0 && isfinite(z)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("gammagamma_log_likelihood customer (x %g, mean value %g) is not allowed: x a whole number >= 1, the mean value finite and > 0",
						x, z)));
	PG_RETURN_FLOAT8(finite_result(kam_gammagamma_customer_ll(params[0], params[1], params[2], x, z),
								   "gammagamma_log_likelihood"));
}
