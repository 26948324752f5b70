/*
 * value_core.c: RFM grid and scores, ABC classes, closed-form CLV.
 */
#include "value_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const kam_rfm_segment_names[KAM_SEG_COUNT] = {
	[KAM_SEG_CHAMPIONS] = "Champions",
	[KAM_SEG_LOYAL] = "Loyal Customers",
	[KAM_SEG_POTENTIAL_LOYALISTS] = "Potential Loyalists",
	[KAM_SEG_NEW] = "New Customers",
	[KAM_SEG_PROMISING] = "Promising",
	[KAM_SEG_NEED_ATTENTION] = "Need Attention",
	[KAM_SEG_ABOUT_TO_SLEEP] = "About To Sleep",
	[KAM_SEG_AT_RISK] = "At Risk",
	[KAM_SEG_CANT_LOSE] = "Can't Lose Them",
	[KAM_SEG_HIBERNATING] = "Hibernating",
};

/* The widely copied R/F grid; rows R = 1..5, columns F = 1..5. */
static const KamRfmSegment rf_grid[5][5] = {
	/* R1 */ {KAM_SEG_HIBERNATING, KAM_SEG_HIBERNATING, KAM_SEG_AT_RISK, KAM_SEG_AT_RISK, KAM_SEG_CANT_LOSE},
	/* R2 */ {KAM_SEG_HIBERNATING, KAM_SEG_HIBERNATING, KAM_SEG_AT_RISK, KAM_SEG_AT_RISK, KAM_SEG_CANT_LOSE},
	/* R3 */ {KAM_SEG_ABOUT_TO_SLEEP, KAM_SEG_ABOUT_TO_SLEEP, KAM_SEG_NEED_ATTENTION, KAM_SEG_LOYAL, KAM_SEG_LOYAL},
	/* R4 */ {KAM_SEG_PROMISING, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_LOYAL, KAM_SEG_LOYAL},
	/* R5 */ {KAM_SEG_NEW, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_POTENTIAL_LOYALISTS, KAM_SEG_CHAMPIONS, KAM_SEG_CHAMPIONS},
};

KamRfmSegment
kam_rfm_segment(int r, int f)
{
	return rf_grid[r - 1][f - 1];
}

int
kam_quintile_of_rank(int64_t rank, int64_t n)
{
	/* (rank - 1) * 5 < 5n <= 5 * 2^63 / 5: done in unsigned 128 bits */
	return 1 + (int) (((unsigned __int128) (rank - 1) * 5) / (unsigned __int128) n);
}

int
kam_score_by_cuts(double value, const double *cuts, int ncuts)
{
	int			score = 1;

	for (int i = 0; i < ncuts; i++)
		score += value >= cuts[i];
	return score;
}

const char *const kam_abc_class_names[3] = {"A", "B", "C"};

KamAbcClass
kam_abc_class_of(double share_before, double a_cut, double b_cut)
{
	if (share_before < a_cut)
		return KAM_ABC_A;
	if (share_before < b_cut)
		return KAM_ABC_B;
	return KAM_ABC_C;
}

double
kam_clv_infinite(double margin, double retention, double discount)
{
	return margin * retention / (1.0 + discount - retention);
}

double
kam_clv_finite(double margin, double retention, double discount, int64_t periods)
{
	/* a geometric series in q = r / (1 + i) */
	double		q = retention / (1.0 + discount);

	/* a zero margin is worth 0 even where q^T overflows (0 * inf is NaN) */
	if (periods == 0 || q == 0 || margin == 0)
		return 0.0;
	if (fabs(1.0 - q) < 1e-12)
		return margin * q * (double) periods;
	/* q (1 - q^T) / (1 - q), with expm1/log for accuracy near q = 1 */
	return margin * q * -expm1((double) periods * log(q)) / (1.0 - q);
}

void
kam_order_summary_set_day(int64_t state[KAM_OS_SLOTS], int32_t as_of,
						  int32_t (*years_before) (int32_t day, int years))
{
	state[KAM_OS_AS_OF] = as_of;
	state[KAM_OS_START_12M] = years_before(as_of, 1);
	state[KAM_OS_START_24M] = years_before(as_of, 2);
}

static inline bool
add_to(int64_t *slot, int64_t value)
{
	return !__builtin_add_overflow(*slot, value, slot);
}

bool
kam_order_summary_add(int64_t s[KAM_OS_SLOTS], int32_t order_date,
					  int64_t amount_units, bool has_margin, int64_t margin_units)
{
	bool		ok;

	if (order_date > s[KAM_OS_AS_OF])
		return true;
	ok = add_to(&s[KAM_OS_ORDERS_TOTAL], 1);
	if (s[KAM_OS_FIRST_DATE] == KAM_OS_UNSET || order_date < s[KAM_OS_FIRST_DATE])
		s[KAM_OS_FIRST_DATE] = order_date;
	if (s[KAM_OS_LAST_DATE] == KAM_OS_UNSET || order_date > s[KAM_OS_LAST_DATE])
		s[KAM_OS_LAST_DATE] = order_date;
	if (order_date > s[KAM_OS_START_12M])
	{
		ok &= add_to(&s[KAM_OS_ORDERS_12M], 1);
		ok &= add_to(&s[KAM_OS_REVENUE_12M], amount_units);
		if (has_margin)
			ok &= add_to(&s[KAM_OS_MARGIN_12M], margin_units);
		else
			ok &= add_to(&s[KAM_OS_MARGIN_MISSING_12M], 1);
	}
	else if (order_date > s[KAM_OS_START_24M])
	{
		ok &= add_to(&s[KAM_OS_ORDERS_PRIOR], 1);
		ok &= add_to(&s[KAM_OS_REVENUE_PRIOR], amount_units);
		if (has_margin)
			ok &= add_to(&s[KAM_OS_MARGIN_PRIOR], margin_units);
		else
			ok &= add_to(&s[KAM_OS_MARGIN_MISSING_PRIOR], 1);
	}
	return ok;
}

bool
kam_order_summary_merge(int64_t into[KAM_OS_SLOTS], const int64_t from[KAM_OS_SLOTS])
{
	bool		ok = true;

	if (from[KAM_OS_ORDERS_TOTAL] == 0)
		return true;
	if (into[KAM_OS_ORDERS_TOTAL] == 0)
	{
		for (int i = KAM_OS_FIRST_DATE; i < KAM_OS_SLOTS; i++)
			into[i] = from[i];
		return true;
	}
	if (from[KAM_OS_FIRST_DATE] < into[KAM_OS_FIRST_DATE])
		into[KAM_OS_FIRST_DATE] = from[KAM_OS_FIRST_DATE];
	if (from[KAM_OS_LAST_DATE] > into[KAM_OS_LAST_DATE])
		into[KAM_OS_LAST_DATE] = from[KAM_OS_LAST_DATE];
	for (int i = KAM_OS_ORDERS_TOTAL; i < KAM_OS_SLOTS; i++)
		ok &= add_to(&into[i], from[i]);
	return ok;
}

bool
kam_order_summary_valid(const int64_t s[KAM_OS_SLOTS])
{
	bool		no_day = s[KAM_OS_AS_OF] == KAM_OS_UNSET;

	if (no_day != (s[KAM_OS_START_12M] == KAM_OS_UNSET) ||
		no_day != (s[KAM_OS_START_24M] == KAM_OS_UNSET))
		return false;
	if (no_day && s[KAM_OS_ORDERS_TOTAL] != 0)
		return false;
	if (!no_day && !(s[KAM_OS_START_24M] < s[KAM_OS_START_12M] &&
					 s[KAM_OS_START_12M] < s[KAM_OS_AS_OF] &&
					 s[KAM_OS_AS_OF] < INT32_MAX && s[KAM_OS_START_24M] > INT32_MIN))
		return false;
	for (int i = KAM_OS_ORDERS_TOTAL; i <= KAM_OS_ORDERS_PRIOR; i++)
		if (s[i] < 0)
			return false;
	if (s[KAM_OS_MARGIN_MISSING_12M] < 0 || s[KAM_OS_MARGIN_MISSING_PRIOR] < 0 ||
		s[KAM_OS_MARGIN_MISSING_12M] > s[KAM_OS_ORDERS_12M] ||
		s[KAM_OS_MARGIN_MISSING_PRIOR] > s[KAM_OS_ORDERS_PRIOR] ||
		s[KAM_OS_ORDERS_12M] > s[KAM_OS_ORDERS_TOTAL] - s[KAM_OS_ORDERS_PRIOR])	/* no overflow: all >= 0 */
		return false;
	if (s[KAM_OS_ORDERS_TOTAL] == 0)
		return s[KAM_OS_FIRST_DATE] == KAM_OS_UNSET && s[KAM_OS_LAST_DATE] == KAM_OS_UNSET &&
			s[KAM_OS_REVENUE_12M] == 0 && s[KAM_OS_REVENUE_PRIOR] == 0 &&
			s[KAM_OS_MARGIN_12M] == 0 && s[KAM_OS_MARGIN_PRIOR] == 0;
	return s[KAM_OS_FIRST_DATE] <= s[KAM_OS_LAST_DATE] &&
		s[KAM_OS_FIRST_DATE] > INT32_MIN && s[KAM_OS_LAST_DATE] <= s[KAM_OS_AS_OF];
}

static bool
finite_day(int64_t day)
{
	return day >= KAM_DAY_MIN && day < KAM_DAY_END;
}

bool
kam_purchase_days_header_valid(const int64_t *s, int64_t len)
{
	int64_t		days;

	if (len < KAM_PD_HEADER)
		return false;
	days = s[KAM_PD_DAYS];
	if (days < 0 || days > len - KAM_PD_HEADER)
		return false;
	if (days == 0 && (s[KAM_PD_TOTAL] != 0 || s[KAM_PD_FIRST_TOTAL] != 0))
		return false;
	/* one day: every amount is the first day's */
	return days != 1 || s[KAM_PD_TOTAL] == s[KAM_PD_FIRST_TOTAL];
}

bool
kam_purchase_days_valid(const int64_t *s, int64_t len)
{
	int64_t		days;

	if (!kam_purchase_days_header_valid(s, len))
		return false;
	days = s[KAM_PD_DAYS];
	for (int64_t i = 0; i < days; i++)
	{
		int64_t		day = s[KAM_PD_HEADER + i];

		if (!finite_day(day) || (i > 0 && day <= s[KAM_PD_HEADER + i - 1]))
			return false;
	}
	for (int64_t i = KAM_PD_HEADER + days; i < len; i++)
		if (s[i] != KAM_PD_UNUSED)
			return false;
	return true;
}

/* The position of day among n ascending days, or where it would go. */
static int64_t
day_position(const int64_t *days, int64_t n, int64_t day, bool *found)
{
	int64_t		low = 0,
				high = n;

	while (low < high)
	{
		int64_t		middle = low + (high - low) / 2;

		if (days[middle] < day)
			low = middle + 1;
		else
			high = middle;
	}
	*found = low < n && days[low] == day;
	return low;
}

KamPurchaseAdd
kam_purchase_days_add(int64_t *s, int64_t len, int32_t day, int64_t units)
{
	int64_t    *days = s + KAM_PD_HEADER;
	int64_t		n = s[KAM_PD_DAYS];
	int64_t		total,
				first_total = s[KAM_PD_FIRST_TOTAL];
	bool		found;
	int64_t		at = day_position(days, n, day, &found);

	if (!found && n == len - KAM_PD_HEADER)
		return KAM_PD_FULL;
	if (__builtin_add_overflow(s[KAM_PD_TOTAL], units, &total))
		return KAM_PD_OVERFLOW;
	if (at == 0)
	{
		/* a new first day starts its own sum; the first day's adds to it */
		if (!found)
			first_total = units;
		else if (__builtin_add_overflow(first_total, units, &first_total))
			return KAM_PD_OVERFLOW;
	}
	if (!found)
	{
		memmove(days + at + 1, days + at, (size_t) (n - at) * sizeof(int64_t));
		days[at] = day;
		s[KAM_PD_DAYS] = n + 1;
	}
	s[KAM_PD_TOTAL] = total;
	s[KAM_PD_FIRST_TOTAL] = first_total;
	return KAM_PD_ADDED;
}

bool
kam_purchase_days_merge(const int64_t *a, const int64_t *b, int64_t *out, int64_t len_out)
{
	const int64_t *da = a + KAM_PD_HEADER,
			   *db = b + KAM_PD_HEADER;
	int64_t		na = a[KAM_PD_DAYS],
				nb = b[KAM_PD_DAYS],
				i = 0,
				j = 0,
				n = 0;
	int64_t		total,
				first_total;

	if (__builtin_add_overflow(a[KAM_PD_TOTAL], b[KAM_PD_TOTAL], &total))
		return false;
	if (nb == 0 || (na > 0 && da[0] < db[0]))
		first_total = a[KAM_PD_FIRST_TOTAL];
	else if (na == 0 || db[0] < da[0])
		first_total = b[KAM_PD_FIRST_TOTAL];
	else if (__builtin_add_overflow(a[KAM_PD_FIRST_TOTAL], b[KAM_PD_FIRST_TOTAL], &first_total))
		return false;
	while (i < na || j < nb)
	{
		int64_t		day;

		if (j == nb || (i < na && da[i] < db[j]))
			day = da[i++];
		else if (i == na || db[j] < da[i])
			day = db[j++];
		else
		{
			day = da[i++];
			j++;
		}
		out[KAM_PD_HEADER + n++] = day;
	}
	for (int64_t k = KAM_PD_HEADER + n; k < len_out; k++)
		out[k] = KAM_PD_UNUSED;
	out[KAM_PD_DAYS] = n;
	out[KAM_PD_TOTAL] = total;
	out[KAM_PD_FIRST_TOTAL] = first_total;
	return true;
}

/* qsort has no context argument: the arrays being ordered, per call */
static const int64_t *sort_values;
static const int64_t *sort_ids;

static int
compare_ascending(const void *a, const void *b)
{
	int64_t		x = sort_values[*(const int64_t *) a];
	int64_t		y = sort_values[*(const int64_t *) b];

	return (x > y) - (x < y);
}

void
kam_rank_ascending(const int64_t *values, int64_t n, int64_t *ranks, int64_t *order)
{
	for (int64_t i = 0; i < n; i++)
		order[i] = i;
	sort_values = values;
	qsort(order, (size_t) n, sizeof(int64_t), compare_ascending);
	for (int64_t i = 0; i < n; i++)
	{
		/* a tie keeps the rank of its first member */
		if (i > 0 && values[order[i]] == values[order[i - 1]])
			ranks[order[i]] = ranks[order[i - 1]];
		else
			ranks[order[i]] = i + 1;
	}
}

static int
compare_value_desc_id_asc(const void *a, const void *b)
{
	int64_t		i = *(const int64_t *) a;
	int64_t		j = *(const int64_t *) b;

	if (sort_values[i] != sort_values[j])
		return sort_values[i] > sort_values[j] ? -1 : 1;
	return (sort_ids[i] > sort_ids[j]) - (sort_ids[i] < sort_ids[j]);
}

void
kam_abc_before(const int64_t *values, const bool *known, const int64_t *ids,
			   int64_t n, __int128 *before, __int128 *total, int64_t *order)
{
	int64_t		m = 0;
	__int128	running = 0;

	for (int64_t i = 0; i < n; i++)
	{
		before[i] = -1;
		if (known[i] && values[i] > 0)
			order[m++] = i;
	}
	sort_values = values;
	sort_ids = ids;
	qsort(order, (size_t) m, sizeof(int64_t), compare_value_desc_id_asc);
	for (int64_t k = 0; k < m; k++)
	{
		before[order[k]] = running;
		running += values[order[k]];
	}
	*total = running;
}
