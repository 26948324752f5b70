/*
 * fuzz_value.c: RFM scores and segments, ABC classes, closed-form CLV, the
 * order summary and purchase-days states and the ranks, on inputs the SQL
 * layer lets through: results in range, states consistent after every step,
 * ranks as SQL's rank() computes them (checked by counting).
 */
#include "fuzz_input.h"
#include "../../src/value_core.h"

#define MAX_ACCOUNTS 64

static int32_t
years_before(int32_t day, int years)
{
	return day - 365 * years;	/* the SQL layer's calendar is not the point here */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	int64_t		values[MAX_ACCOUNTS],
				ids[MAX_ACCOUNTS],
				ranks[MAX_ACCOUNTS],
				order[MAX_ACCOUNTS];
	bool		known[MAX_ACCOUNTS];
	__int128	before[MAX_ACCOUNTS],
				total;
	double		cuts[8];
	int64_t		state[KAM_OS_SLOTS],
				other[KAM_OS_SLOTS];
	int			n,
				ncuts;

	/* scores and classes */
	{
		int			r = (int) take_between(&in, 1, 5),
					f = (int) take_between(&in, 1, 5);
		int64_t		rows = take_between(&in, 1, INT64_MAX),
					rank = take_between(&in, 1, rows);
		int			score = kam_quintile_of_rank(rank, rows);
		double		a_cut = take_in(&in, 0, 1),
					b_cut = take_in(&in, a_cut, 1);

		FUZZ_ASSERT(kam_rfm_segment(r, f) < KAM_SEG_COUNT);
		FUZZ_ASSERT(score >= 1 && score <= 5);
		FUZZ_ASSERT(kam_abc_class_of(take_in(&in, 0, 1), a_cut, b_cut) <= KAM_ABC_C);
	}
	/* cut points: ascending, no NaN */
	ncuts = (int) take_between(&in, 0, 8);
	for (int i = 0; i < ncuts; i++)
	{
		cuts[i] = take_double(&in);
		if (isnan(cuts[i]))
			cuts[i] = 0;
		for (int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
		{
			double		swap = cuts[j];

			cuts[j] = cuts[j - 1];
			cuts[j - 1] = swap;
		}
	}
	{
		double		value = take_double(&in);
		int			score = kam_score_by_cuts(isnan(value) ? 0 : value, cuts, ncuts);

		FUZZ_ASSERT(score >= 1 && score <= ncuts + 1);
	}
	/*
	 * CLV: margin any finite number (0 included: 0 * an overflowed q^T was
	 * NaN), retention in [0, 1), discount > -1.  An infinite result is
	 * reported by the SQL layer; NaN never is.
	 */
	{
		double		m = take_double(&in),
					r = take_in(&in, 0, nextafter(1, 0)),
					i = take_in(&in, nextafter(-1, 0), 10);
		int64_t		periods = take_between(&in, 0, 100000);

		if (!isfinite(m))
			m = take_u64(&in) & 1 ? 0 : nextafter(0, 1);
		if (r < 1 + i)
			FUZZ_ASSERT(!isnan(kam_clv_infinite(m, r, i)));
		FUZZ_ASSERT(!isnan(kam_clv_finite(m, r, i, periods)));
	}
	/* the order summary: a day, then orders; merge two */
	{
		int32_t		as_of = (int32_t) take_between(&in, -2451545, 2000000);

		/* any 14 numbers: the check must hold without overflow or a crash */
		for (int i = 0; i < KAM_OS_SLOTS; i++)
			state[i] = take_i64(&in);
		(void) kam_order_summary_valid(state);
		/* the aggregate's initial state (INITCOND), then its day */
		for (int i = 0; i < KAM_OS_SLOTS; i++)
			state[i] = i <= KAM_OS_LAST_DATE ? KAM_OS_UNSET : 0;
		FUZZ_ASSERT(kam_order_summary_valid(state));
		kam_order_summary_set_day(state, as_of, years_before);
		memcpy(other, state, sizeof(state));
		FUZZ_ASSERT(kam_order_summary_valid(state));
		for (int k = 0; k < 16 && in.size > 0; k++)
		{
			int64_t    *into = (k & 1) ? other : state;
			int32_t		day = (int32_t) take_between(&in, as_of - 2000, as_of);
			int64_t		amount = take_i64(&in) >> (int) take_between(&in, 0, 63);
			bool		has_margin = take_u64(&in) & 1;

			if (!kam_order_summary_add(into, day, amount, has_margin, take_i64(&in) >> 8))
				return 0;		/* overflow: the SQL layer reports an error */
			FUZZ_ASSERT(kam_order_summary_valid(into));
		}
		if (kam_order_summary_merge(state, other))
			FUZZ_ASSERT(kam_order_summary_valid(state));
	}
	/* purchase days: any slots checked; then orders (growing), and a merge */
	{
		enum
		{
			CAPACITY = 40
		};
		int64_t		a[KAM_PD_HEADER + CAPACITY],
					b[KAM_PD_HEADER + CAPACITY],
					m[KAM_PD_HEADER + 2 * CAPACITY];
		int64_t		len_a = KAM_PD_HEADER,
					len_b = KAM_PD_HEADER;
		int64_t		len_any = take_between(&in, 0, KAM_PD_HEADER + CAPACITY);

		for (int64_t i = 0; i < len_any; i++)
			a[i] = take_i64(&in);
		(void) kam_purchase_days_valid(a, len_any);
		/*
		 * an order added to any state with a valid header (all the
		 * aggregate checks per order) leaves a wrong state wrong, save junk
		 * in the one slot the new day fills
		 */
		if (kam_purchase_days_header_valid(a, len_any))
		{
			int64_t		before[KAM_PD_HEADER + CAPACITY];
			int64_t		held = a[KAM_PD_DAYS];
			bool		was_valid = kam_purchase_days_valid(a, len_any);
			int32_t		day = (int32_t) take_between(&in, KAM_DAY_MIN, KAM_DAY_END - 1);

			memcpy(before, a, sizeof(int64_t) * len_any);
			if (kam_purchase_days_add(a, len_any, day, take_i64(&in) >> 8) == KAM_PD_ADDED &&
				kam_purchase_days_valid(a, len_any) && !was_valid)
			{
				FUZZ_ASSERT(a[KAM_PD_DAYS] == held + 1);
				before[KAM_PD_HEADER + held] = KAM_PD_UNUSED;
				FUZZ_ASSERT(kam_purchase_days_valid(before, len_any));
			}
		}
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		for (int k = 0; k < 32 && in.size > 0; k++)
		{
			int64_t    *into = (k & 1) ? b : a;
			int64_t    *len = (k & 1) ? &len_b : &len_a;
			int32_t		day = (int32_t) take_between(&in, KAM_DAY_MIN, KAM_DAY_END - 1);
			int64_t		units = take_i64(&in) >> (int) take_between(&in, 0, 63);
			KamPurchaseAdd added = kam_purchase_days_add(into, *len, day, units);

			if (added == KAM_PD_FULL)
			{
				if (*len == KAM_PD_HEADER + CAPACITY)
					break;
				into[(*len)++] = KAM_PD_UNUSED;
				added = kam_purchase_days_add(into, *len, day, units);
				FUZZ_ASSERT(added != KAM_PD_FULL);
			}
			if (added == KAM_PD_OVERFLOW)
				return 0;		/* the SQL layer reports an error */
			FUZZ_ASSERT(kam_purchase_days_valid(into, *len));
		}
		if (kam_purchase_days_merge(a, b, m, KAM_PD_HEADER + a[KAM_PD_DAYS] + b[KAM_PD_DAYS]))
		{
			FUZZ_ASSERT(kam_purchase_days_valid(m, KAM_PD_HEADER + a[KAM_PD_DAYS] + b[KAM_PD_DAYS]));
			FUZZ_ASSERT(m[KAM_PD_DAYS] >= a[KAM_PD_DAYS] && m[KAM_PD_DAYS] >= b[KAM_PD_DAYS]);
		}
	}
	/* ranks and ABC over up to 64 accounts */
	n = (int) take_between(&in, 0, MAX_ACCOUNTS);
	for (int i = 0; i < n; i++)
	{
		values[i] = take_i64(&in) >> (int) take_between(&in, 0, 63);
		known[i] = take_u64(&in) & 1;
		ids[i] = i * 7 % 13 + i;
	}
	kam_rank_ascending(values, n, ranks, order);
	for (int i = 0; i < n; i++)
	{
		int64_t		smaller = 0;

		for (int j = 0; j < n; j++)
			smaller += values[j] < values[i];
		FUZZ_ASSERT(ranks[i] == 1 + smaller);
	}
	kam_abc_before(values, known, ids, n, before, &total, order);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(before[i] == -1 || (before[i] >= 0 && before[i] <= total));
	return 0;
}
