/*
 * account_value.c: kam.account_value_as_of(as_of), the value analysis of
 * every account, as a C set-returning function.
 *
 * Two SQL queries (through SPI, as the calling role, so row-level security
 * applies): one reads the orders, each of which goes into its account's
 * states by the steps of kam.order_summary_state (and kam.purchase_days,
 * when asked), the other lists the accounts; everything per
 * account after that (RFM ranks and scores, segments, ABC classes,
 * retention, CLV) is computed here in one pass over arrays, because doing
 * it in SQL took several window sorts and joins of every account, more
 * than the aggregation itself.  Definitions: README.md.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "nodes/params.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include "check.h"
#include "state.h"
#include "value.h"
#include "value_core.h"

/* what is in force on the day: kam.value_parameters(as_of) */
typedef struct ValueParameters
{
	char	   *currency;
	double		discount;
	ArrayType  *cuts[3];		/* recency, frequency, monetary; NULL: quintiles */
	double		a_cutoff;
	double		b_cutoff;
	bool		margin_basis;
	bool		has_map;
	DateADT		map_from;
} ValueParameters;

/* one row of a user segment map */
typedef struct SegmentRule
{
	int			low[3];
	int			high[3];
	text	   *segment;
} SegmentRule;

enum
{
	DIM_R,
	DIM_F,
	DIM_M
};

#define ACCOUNT_VALUE_COLUMNS 27

/* kam.currency_code() of a checked three-letter upper-case code */
static int16
currency_code(const char *currency)
{
	return (int16) ((currency[0] - 'A') * 676 + (currency[1] - 'A') * 26 + (currency[2] - 'A'));
}

/*
 * The orders in the reporting currency: $2 the currency, $3 its
 * kam.currency_code (comparing that small integer per order instead of the
 * text costs a fifth of the pass).  Each row goes straight into its
 * account's states (OrderStates): through the executor's hash aggregation
 * the same steps took about twice as long.
 */
#define REPORTING_UNITS(column) \
	"CASE WHEN o.currency_code = $2 THEN o." column "_units " \
	"     ELSE round(kam.convert_amount(o." column ", o.currency, o.order_date, $1) * 10000)::bigint END"

static const char *const orders_query =
"SELECT o.account_id, o.order_date, " REPORTING_UNITS("amount") ", " REPORTING_UNITS("margin") " "
"FROM kam.sales_order AS o";

static const char *const accounts_query = "SELECT account_id, name FROM kam.account";

/*
 * kam.account_standing_as_of: the same rows with the account's status,
 * strategic importance and share of the revenue of the accounts with a
 * positive one, what the classification reads (in SQL that took a window
 * over every account's row and a join to kam.account), and on request its
 * purchase days (a second pass over the orders took as long as the value
 * analysis; the classification alone does without them).
 */
static const char *const standing_query =
"SELECT account_id, name, status, strategic_importance FROM kam.account";

/* status, strategic_importance, revenue_share, purchase_days */
#define STANDING_COLUMNS 4

/* account id -> position in OrderStates */
typedef struct IdEntry
{
	int64		id;
	int64		position;
	char		status;			/* (simplehash's slot state) */
} IdEntry;

#define SH_PREFIX idmap
#define SH_ELEMENT_TYPE IdEntry
#define SH_KEY_TYPE int64
#define SH_KEY id
#define SH_HASH_KEY(tb, key) murmurhash32((uint32) ((uint64) (key) ^ ((uint64) (key) >> 32)))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DEFINE
#define SH_DECLARE
#include "lib/simplehash.h"

/*
 * A DestReceiver keeping each account's order summary and, when asked,
 * purchase days: what kam.order_summary_state and kam.purchase_days would
 * aggregate, by the same steps (value.h), in any order of the orders.
 */
typedef struct OrderStates
{
	DestReceiver pub;
	MemoryContext cxt;
	DateADT		as_of;
	bool		with_days;
	idmap_hash *positions;
	int64		count;
	int64		capacity;
	int64	   *ids;
	int64	   *slots;			/* KAM_OS_SLOTS per account */
	ArrayType **days;			/* purchase-days state per account, NULL before its first */
} OrderStates;

/* the states of an account, new ones for its first order */
static int64
order_states_position(OrderStates *r, int64 id)
{
	bool		found;
	IdEntry    *entry = idmap_insert(r->positions, id, &found);

	if (found)
		return entry->position;
	if (r->count == r->capacity)
	{
		r->capacity *= 2;
		r->ids = repalloc_huge(r->ids, sizeof(int64) * r->capacity);
		r->slots = repalloc_huge(r->slots, sizeof(int64) * KAM_OS_SLOTS * r->capacity);
		r->days = repalloc_huge(r->days, sizeof(ArrayType *) * r->capacity);
	}
	entry->position = r->count;
	r->ids[r->count] = id;
	kam_order_summary_begin(&r->slots[r->count * KAM_OS_SLOTS], r->as_of);
	r->days[r->count] = NULL;
	return r->count++;
}

static bool
order_states_receive(TupleTableSlot *slot, DestReceiver *self)
{
	OrderStates *r = (OrderStates *) self;
	MemoryContext oldcxt;
	int64		k;
	DateADT		day;
	int64		amount;

	slot_getallattrs(slot);
	/* (the aggregates skip an order without a date or amount; no account: no row) */
	if (slot->tts_isnull[0] || slot->tts_isnull[1] || slot->tts_isnull[2])
		return true;
	day = DatumGetDateADT(slot->tts_values[1]);
	amount = DatumGetInt64(slot->tts_values[2]);
	oldcxt = MemoryContextSwitchTo(r->cxt);
	k = order_states_position(r, DatumGetInt64(slot->tts_values[0]));
	kam_order_summary_take(&r->slots[k * KAM_OS_SLOTS], day, amount, !slot->tts_isnull[3],
						   slot->tts_isnull[3] ? 0 : DatumGetInt64(slot->tts_values[3]));
	KAM_CHECK(kam_order_summary_valid(&r->slots[k * KAM_OS_SLOTS]));
	if (r->with_days && day <= r->as_of)
	{
		ArrayType  *state = r->days[k] ? r->days[k] : kam_purchase_days_new(KAM_PURCHASE_DAYS_FIRST_CAPACITY);
		ArrayType  *taken = kam_purchase_days_take(state, day, amount);

		if (taken != state)
			pfree(state);
		r->days[k] = taken;
		KAM_CHECK(kam_purchase_days_valid((int64 *) ARR_DATA_PTR(taken), ARR_DIMS(taken)[0]));
	}
	MemoryContextSwitchTo(oldcxt);
	return true;
}

/* the receiver needs no set-up or clean-up: its arrays live in r->cxt */
static void
order_states_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	(void) self;
	(void) operation;
	(void) typeinfo;
}

static void
order_states_nothing(DestReceiver *self)
{
	(void) self;
}

static void
read_order_states(OrderStates *r, DateADT as_of, const char *currency, bool with_days)
{
	ParamListInfo params = makeParamList(2);
	SPIExecuteOptions options;
	MemoryContext oldcxt = MemoryContextSwitchTo(r->cxt);

	/* (the aggregate checked its day at its first row, whatever the row held) */
	kam_order_summary_check_day(as_of);
	r->pub.receiveSlot = order_states_receive;
	r->pub.rStartup = order_states_startup;
	r->pub.rShutdown = order_states_nothing;
	r->pub.rDestroy = order_states_nothing;
	r->pub.mydest = DestNone;
	r->as_of = as_of;
	r->with_days = with_days;
	r->count = 0;
	r->capacity = 1024;
	r->positions = idmap_create(r->cxt, (uint32) r->capacity, NULL);
	r->ids = palloc(sizeof(int64) * r->capacity);
	r->slots = palloc(sizeof(int64) * KAM_OS_SLOTS * r->capacity);
	r->days = palloc(sizeof(ArrayType *) * r->capacity);
	MemoryContextSwitchTo(oldcxt);

	params->numParams = 2;
	params->params[0] = (ParamExternData) {CStringGetTextDatum(currency), false, PARAM_FLAG_CONST, TEXTOID};
	params->params[1] = (ParamExternData) {Int16GetDatum(currency_code(currency)), false, PARAM_FLAG_CONST, INT2OID};
	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.dest = (DestReceiver *) r;
	/* (SPI reports SPI_OK_UTILITY for a SELECT whose rows go to DestNone) */
	if (SPI_execute_extended(orders_query, &options) < 0)
		elog(ERROR, "the order query of account_value failed");
}

/* an account's purchase days as a kam.purchase_days_result, or 0 for none */
static Datum
purchase_days_result(ArrayType *state, TupleDesc desc)
{
	Datum		values[5];
	bool		nulls[5] = {false};

	if (state == NULL || !kam_purchase_days_values((int64 *) ARR_DATA_PTR(state), values))
		return (Datum) 0;
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

static Datum
spi_value(int row, int column, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column, isnull);
}

static void
read_parameters(DateADT as_of, ValueParameters *p)
{
	Oid			argtypes[1] = {DATEOID};
	Datum		args[1] = {DateADTGetDatum(as_of)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT currency, discount, r_cuts, f_cuts, m_cuts, a_cutoff, b_cutoff, "
							  "basis, map_from FROM kam.value_parameters($1)",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "kam.value_parameters failed");
	p->currency = TextDatumGetCString(spi_value(0, 1, &isnull));
	p->discount = DatumGetFloat8(spi_value(0, 2, &isnull));
	for (int d = 0; d < 3; d++)
	{
		Datum		cuts = spi_value(0, 3 + d, &isnull);

		p->cuts[d] = isnull ? NULL : DatumGetArrayTypeP(cuts);
	}
	p->a_cutoff = DatumGetFloat8(spi_value(0, 6, &isnull));
	p->b_cutoff = DatumGetFloat8(spi_value(0, 7, &isnull));
	p->margin_basis = strcmp(TextDatumGetCString(spi_value(0, 8, &isnull)), "margin") == 0;
	p->map_from = DatumGetDateADT(spi_value(0, 9, &isnull));
	p->has_map = !isnull;
}

static SegmentRule *
read_segment_map(DateADT map_from, int *nrules)
{
	Oid			argtypes[1] = {DATEOID};
	Datum		args[1] = {DateADTGetDatum(map_from)};
	SegmentRule *rules;

	if (SPI_execute_with_args("SELECT segment, r_min, r_max, f_min, f_max, m_min, m_max "
							  "FROM kam.rfm_segment_rule WHERE valid_from = $1 ORDER BY priority",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading kam.rfm_segment_rule failed");
	*nrules = (int) SPI_processed;
	rules = palloc(sizeof(SegmentRule) * Max(*nrules, 1));
	for (int i = 0; i < *nrules; i++)
	{
		bool		isnull;

		rules[i].segment = DatumGetTextPP(spi_value(i, 1, &isnull));
		for (int d = 0; d < 3; d++)
		{
			rules[i].low[d] = DatumGetInt16(spi_value(i, 2 + 2 * d, &isnull));
			rules[i].high[d] = DatumGetInt16(spi_value(i, 3 + 2 * d, &isnull));
		}
	}
	return rules;
}

static int
score_by_cuts(ArrayType *cuts, double value)
{
	return kam_score_by_cuts(value, (const double *) ARR_DATA_PTR(cuts), ARR_DIMS(cuts)[0]);
}

/* Money: units of 1/10000 as numeric, 2 decimals when they suffice. */
static Datum
money_numeric(int64 units)
{
	if (units % 100 == 0)
		return NumericGetDatum(int64_div_fast_to_numeric(units / 100, 2));
	return NumericGetDatum(int64_div_fast_to_numeric(units, KAM_AMOUNT_SCALE));
}

/* units / count rounded half away from zero to cents, as numeric */
static Datum
average_money(int64 units, int64 count)
{
	__int128	scaled = (__int128) units * 2;
	__int128	divisor = (__int128) count * 100 * 2;
	__int128	cents = (scaled + (scaled >= 0 ? divisor / 2 : -divisor / 2)) / divisor;

	return NumericGetDatum(int64_div_fast_to_numeric((int64) cents, 2));
}

static text *
segment_of(const ValueParameters *p, const SegmentRule *rules, int nrules, const int score[3])
{
	if (!p->has_map)
		return cstring_to_text(kam_rfm_segment_names[kam_rfm_segment(score[DIM_R], score[DIM_F])]);
	for (int i = 0; i < nrules; i++)
	{
		bool		match = true;

		for (int d = 0; d < 3; d++)
			match &= score[d] >= rules[i].low[d] && score[d] <= rules[i].high[d];
		if (match)
			return rules[i].segment;
	}
	ereport(ERROR,
			(errcode(ERRCODE_CASE_NOT_FOUND),
			 errmsg("the rfm segment map in force from %s has no row for R %d F %d M %d",
					DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(p->map_from))),
					score[DIM_R], score[DIM_F], score[DIM_M]),
			 errhint("A segment map must cover all 125 R/F/M cells: add a row to kam.rfm_segment_rule.")));
	return NULL;
}

static Datum
account_value_rows(FunctionCallInfo fcinfo, bool standing)
{
	DateADT		as_of = PG_GETARG_DATEADT(0);
	bool		with_days = standing && PG_GETARG_BOOL(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ValueParameters p;
	SegmentRule *rules = NULL;
	int			nrules = 0;
	OrderStates orders;
	idmap_hash *positions;
	int64		n,
				nscored = 0,
				base = 0,
				retained = 0;
	int64	  **states;
	ArrayType **days;
	TupleDesc	days_desc = NULL;
	int64	   *ids,
			   *scored_index,
			   *dim_values[3],
			   *dim_ranks[3],
			   *abc_values,
			   *order;
	bool	   *abc_known;
	__int128   *abc_before;
	__int128	abc_total;
	double		retention;
	bool		has_retention;
	Datum		revenue_total = (Datum) 0;
	bool		has_revenue = false;
	MemoryContext rowcxt;

	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("account_value as_of must be a finite date")));
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	read_parameters(as_of, &p);
	if (p.has_map)
		rules = read_segment_map(p.map_from, &nrules);

	orders.cxt = CurrentMemoryContext;
	read_order_states(&orders, as_of, p.currency, with_days);
	positions = orders.positions;
	if (with_days)
		days_desc = lookup_rowtype_tupdesc_copy(TupleDescAttr(rsinfo->setDesc, ACCOUNT_VALUE_COLUMNS + 3)->atttypid, -1);

	if (SPI_execute(standing ? standing_query : accounts_query, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "the account query of account_value failed");
	n = (int64) SPI_processed;

	states = palloc0(sizeof(int64 *) * Max(n, 1));
	days = palloc0(sizeof(ArrayType *) * Max(n, 1));
	ids = palloc(sizeof(int64) * Max(n, 1));
	scored_index = palloc(sizeof(int64) * Max(n, 1));
	order = palloc(sizeof(int64) * Max(n, 1));
	for (int d = 0; d < 3; d++)
	{
		dim_values[d] = palloc(sizeof(int64) * Max(n, 1));
		dim_ranks[d] = palloc(sizeof(int64) * Max(n, 1));
	}
	abc_values = palloc(sizeof(int64) * Max(n, 1));
	abc_known = palloc(sizeof(bool) * Max(n, 1));
	/* palloc aligns to 8 bytes; __int128 wants 16 */
	abc_before = (__int128 *) TYPEALIGN(16, palloc(sizeof(__int128) * (Max(n, 1) + 1)));

	/* the accounts and their order summaries */
	for (int64 i = 0; i < n; i++)
	{
		bool		isnull;
		IdEntry    *entry;
		int64	   *s = NULL;

		ids[i] = DatumGetInt64(spi_value((int) i, 1, &isnull));
		entry = idmap_lookup(positions, ids[i]);
		if (entry != NULL)
		{
			if (with_days)
				days[i] = orders.days[entry->position];
			s = &orders.slots[entry->position * KAM_OS_SLOTS];
			if (s[KAM_OS_ORDERS_TOTAL] == 0)
				s = NULL;
		}
		states[i] = s;
		scored_index[i] = -1;
		abc_values[i] = 0;
		abc_known[i] = true;
		if (s == NULL)
			continue;
		/* RFM over the accounts with an order on or before as_of */
		scored_index[i] = nscored;
		dim_values[DIM_R][nscored] = s[KAM_OS_LAST_DATE];
		dim_values[DIM_F][nscored] = s[KAM_OS_ORDERS_12M];
		dim_values[DIM_M][nscored] = s[KAM_OS_REVENUE_12M];
		nscored++;
		if (p.margin_basis)
		{
			abc_values[i] = s[KAM_OS_MARGIN_12M];
			abc_known[i] = s[KAM_OS_MARGIN_MISSING_12M] == 0;
		}
		else
			abc_values[i] = s[KAM_OS_REVENUE_12M];
		/* (summed as numeric, as SQL's sum(): the share's scale follows from it) */
		if (standing && s[KAM_OS_REVENUE_12M] > 0)
		{
			Datum		revenue = money_numeric(s[KAM_OS_REVENUE_12M]);

			if (has_revenue)
			{
				Datum		sum = DirectFunctionCall2(numeric_add, revenue_total, revenue);

				pfree(DatumGetPointer(revenue_total));
				pfree(DatumGetPointer(revenue));
				revenue = sum;
			}
			revenue_total = revenue;
			has_revenue = true;
		}
		if (s[KAM_OS_ORDERS_PRIOR] > 0)
		{
			base++;
			retained += s[KAM_OS_ORDERS_12M] > 0;
		}
	}
	for (int d = 0; d < 3; d++)
		kam_rank_ascending(dim_values[d], nscored, dim_ranks[d], order);
	kam_abc_before(abc_values, abc_known, ids, n, abc_before, &abc_total, order);
	has_retention = base > 0;
	retention = has_retention ? (double) retained / (double) base : 0;

	/* one row at a time: what a row allocates is freed after it */
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "account_value row", ALLOCSET_SMALL_SIZES);
	for (int64 i = 0; i < n; i++)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(rowcxt);
		Datum		values[ACCOUNT_VALUE_COLUMNS + STANDING_COLUMNS];
		bool		nulls[ACCOUNT_VALUE_COLUMNS + STANDING_COLUMNS];
		int64	   *s = states[i];
		int64		k = scored_index[i];
		bool		isnull;
		bool		margin_known;
		int64		margin_units;

		memset(nulls, false, sizeof(nulls));
		values[0] = Int64GetDatum(ids[i]);
		values[1] = spi_value((int) i, 2, &isnull);
		values[2] = DateADTGetDatum(as_of);
		values[3] = money_numeric(s ? s[KAM_OS_REVENUE_12M] : 0);
		values[4] = money_numeric(s ? s[KAM_OS_REVENUE_PRIOR] : 0);
		nulls[5] = !(s && s[KAM_OS_REVENUE_PRIOR] > 0);
		if (!nulls[5])
			values[5] = Float8GetDatum((double) (s[KAM_OS_REVENUE_12M] - s[KAM_OS_REVENUE_PRIOR]) /
									   (double) s[KAM_OS_REVENUE_PRIOR]);
		/* a window's margin is known if every order in it has one */
		margin_known = !s || s[KAM_OS_MARGIN_MISSING_12M] == 0;
		margin_units = s ? s[KAM_OS_MARGIN_12M] : 0;
		nulls[6] = !margin_known;
		values[6] = money_numeric(margin_units);
		nulls[7] = s && s[KAM_OS_MARGIN_MISSING_PRIOR] > 0;
		values[7] = money_numeric(s ? s[KAM_OS_MARGIN_PRIOR] : 0);
		values[8] = Int32GetDatum(s ? (int32) s[KAM_OS_ORDERS_12M] : 0);
		values[9] = Int32GetDatum(s ? (int32) s[KAM_OS_ORDERS_TOTAL] : 0);
		/* columns only an account with orders has */
		for (int c = 10; c <= 20; c++)
			nulls[c] = (s == NULL);
		if (s)
		{
			int			score[3];
			char		cell[4];

			values[10] = DateADTGetDatum((DateADT) s[KAM_OS_FIRST_DATE]);
			values[11] = DateADTGetDatum((DateADT) s[KAM_OS_LAST_DATE]);
			values[12] = Int32GetDatum(as_of - (int32) s[KAM_OS_LAST_DATE]);
			values[13] = Int32GetDatum((int32) s[KAM_OS_ORDERS_12M]);
			values[14] = money_numeric(s[KAM_OS_REVENUE_12M]);
			nulls[15] = s[KAM_OS_ORDERS_12M] == 0;
			if (!nulls[15])
				values[15] = average_money(s[KAM_OS_REVENUE_12M], s[KAM_OS_ORDERS_12M]);
			score[DIM_R] = p.cuts[DIM_R]
				? 6 - score_by_cuts(p.cuts[DIM_R], (double) (as_of - s[KAM_OS_LAST_DATE]))
				: kam_quintile_of_rank(dim_ranks[DIM_R][k], nscored);
			score[DIM_F] = p.cuts[DIM_F]
				? score_by_cuts(p.cuts[DIM_F], (double) s[KAM_OS_ORDERS_12M])
				: kam_quintile_of_rank(dim_ranks[DIM_F][k], nscored);
			score[DIM_M] = p.cuts[DIM_M]
				? score_by_cuts(p.cuts[DIM_M], (double) s[KAM_OS_REVENUE_12M] / 10000.0)
				: kam_quintile_of_rank(dim_ranks[DIM_M][k], nscored);
			for (int d = 0; d < 3; d++)
				values[16 + d] = Int32GetDatum(score[d]);
			snprintf(cell, sizeof(cell), "%d%d%d", score[DIM_R], score[DIM_F], score[DIM_M]);
			values[19] = CStringGetTextDatum(cell);
			values[20] = PointerGetDatum(segment_of(&p, rules, nrules, score));
		}
		values[21] = CStringGetTextDatum(p.margin_basis ? "margin" : "revenue");
		if (abc_before[i] >= 0)
		{
			double		before = (double) abc_before[i] / (double) abc_total;
			double		share = (double) abc_values[i] / (double) abc_total;

			values[22] = Float8GetDatum(share);
			values[23] = Float8GetDatum(before + share);
			values[24] = CStringGetTextDatum(kam_abc_class_names[kam_abc_class_of(before, p.a_cutoff, p.b_cutoff)]);
		}
		else
		{
			values[22] = Float8GetDatum(0);
			values[23] = Float8GetDatum(1);
			/* unknown margin on the margin basis: unknown class */
			nulls[24] = !abc_known[i] && s && s[KAM_OS_ORDERS_12M] > 0;
			values[24] = CStringGetTextDatum("C");
		}
		nulls[25] = !has_retention;
		values[25] = Float8GetDatum(retention);
		nulls[26] = !(margin_known && has_retention && retention < 1 && retention < 1 + p.discount);
		if (!nulls[26])
			values[26] = Float8GetDatum(kam_clv_infinite((double) margin_units / 10000.0,
														 retention, p.discount));
		if (standing)
		{
			values[27] = spi_value((int) i, 3, &nulls[27]);
			values[28] = spi_value((int) i, 4, &nulls[28]);
			/* revenue_12m / the positive revenues' sum, NULL when there is none */
			nulls[29] = !has_revenue;
			if (has_revenue)
				values[29] = DirectFunctionCall2(numeric_div, values[3], revenue_total);
			values[30] = with_days ? purchase_days_result(days[i], days_desc) : (Datum) 0;
			nulls[30] = values[30] == (Datum) 0;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(rowcxt);
	}
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(kam_account_value_as_of);
Datum
kam_account_value_as_of(PG_FUNCTION_ARGS)
{
	return account_value_rows(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kam_account_standing_as_of);
Datum
kam_account_standing_as_of(PG_FUNCTION_ARGS)
{
	return account_value_rows(fcinfo, true);
}
