/*
 * strength_core.c: the relationship_strength state: consistency, text form,
 * combining.
 */
#include "strength_core.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRENGTH_FIELDS 8

void
kam_strength_init(KamStrengthState *s)
{
	memset(s, 0, sizeof(*s));
	s->last = KAM_TIME_NONE;
	s->last_reciprocal = KAM_TIME_NONE;
	s->as_of = KAM_TIME_NONE;
}

bool
kam_strength_parameters_ok(double half_life_days, double window_days)
{
	return half_life_days > 0 && isfinite(half_life_days) &&
		window_days > 0 && isfinite(window_days);
}

static bool
time_or_none_ok(int64_t t)
{
	return t == KAM_TIME_NONE || kam_time_ok(t);
}

const char *
kam_strength_state_problem(const KamStrengthState *s)
{
	if (!(s->strength >= 0 && isfinite(s->strength)))
		return "the strength must be finite and >= 0";
	if (s->interactions < 0 || s->reciprocal < 0 || s->reciprocal > s->interactions)
		return "the counts must satisfy 0 <= reciprocal <= interactions";
	if (!time_or_none_ok(s->last) || !time_or_none_ok(s->last_reciprocal) || !time_or_none_ok(s->as_of))
		return "a time is outside the timestamp range";
	if ((s->interactions == 0) != (s->last == KAM_TIME_NONE) ||
		(s->reciprocal == 0) != (s->last_reciprocal == KAM_TIME_NONE))
		return "a last contact must be given exactly when its count is above 0";
	if (s->interactions == 0 && s->strength != 0)
		return "the strength must be 0 without interactions";
	if (s->last_reciprocal != KAM_TIME_NONE && s->last_reciprocal > s->last)
		return "the last reciprocal contact cannot be later than the last contact";
	if (!kam_strength_has_parameters(s))
	{
		/* +0 exactly: the text form writes them as empty fields (found by fuzzing: -0) */
		if (s->interactions != 0 || s->half_life_days != 0 || s->window_days != 0 ||
			signbit(s->half_life_days) || signbit(s->window_days))
			return "interactions, half-life and window need an as_of";
		return NULL;
	}
	if (!kam_strength_parameters_ok(s->half_life_days, s->window_days))
		return "half-life and window must be finite and > 0";
	if (s->last != KAM_TIME_NONE && s->last > s->as_of)
		return "the last contact cannot be later than as_of";
	return NULL;
}

/* An absent time or parameter is an empty field. */
static int
format_time(char *buf, size_t size, int64_t t)
{
	return t == KAM_TIME_NONE ? snprintf(buf, size, "%s", "") : snprintf(buf, size, "%" PRId64, t);
}

int
kam_strength_format(const KamStrengthState *s, char *buf, size_t size)
{
	char		last[24],
				last_reciprocal[24],
				as_of[24],
				half_life[32] = "",
				window[32] = "";

	format_time(last, sizeof(last), s->last);
	format_time(last_reciprocal, sizeof(last_reciprocal), s->last_reciprocal);
	format_time(as_of, sizeof(as_of), s->as_of);
	if (kam_strength_has_parameters(s))
	{
		snprintf(half_life, sizeof(half_life), "%.17g", s->half_life_days);
		snprintf(window, sizeof(window), "%.17g", s->window_days);
	}
	return snprintf(buf, size, "(%.17g,%" PRId64 ",%" PRId64 ",%s,%s,%s,%s,%s)",
					s->strength, s->interactions, s->reciprocal, last, last_reciprocal,
					as_of, half_life, window);
}

/* A field of text: from *p up to the next ',' or ')'; copied to buf. */
static bool
next_field(const char **p, char *buf, size_t size)
{
	size_t		n = strcspn(*p, ",)");

	if (n >= size)
		return false;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p += n;
	return true;
}

/* A whole decimal integer, no spaces, or KAM_TIME_NONE for "" when allowed. */
static bool
parse_int(const char *field, bool empty_ok, int64_t *value)
{
	char	   *end;
	long long	v;

	if (field[0] == '\0')
	{
		*value = KAM_TIME_NONE;
		return empty_ok;
	}
	if (!(field[0] == '-' || (field[0] >= '0' && field[0] <= '9')))
		return false;
	errno = 0;
	v = strtoll(field, &end, 10);
	if (errno != 0 || *end != '\0' || v == INT64_MIN)
		return false;
	*value = (int64_t) v;
	return true;
}

/* A decimal number (strtod's syntax, no spaces), or 0 for "" when allowed. */
static bool
parse_double(const char *field, bool empty_ok, double *value)
{
	char	   *end;

	if (field[0] == '\0')
	{
		*value = 0;
		return empty_ok;
	}
	if (!(field[0] == '-' || field[0] == '.' || (field[0] >= '0' && field[0] <= '9')))
		return false;
	errno = 0;
	*value = strtod(field, &end);
	return *end == '\0' && !(errno == ERANGE && fabs(*value) > 1);
}

bool
kam_strength_parse(const char *text, KamStrengthState *s)
{
	char		field[STRENGTH_FIELDS][64];
	const char *p = text;

	if (*p++ != '(')
		return false;
	for (int i = 0; i < STRENGTH_FIELDS; i++)
	{
		if (!next_field(&p, field[i], sizeof(field[i])))
			return false;
		if (*p++ != (i == STRENGTH_FIELDS - 1 ? ')' : ','))
			return false;
	}
	if (*p != '\0')
		return false;
	return parse_double(field[0], false, &s->strength) &&
		parse_int(field[1], false, &s->interactions) &&
		parse_int(field[2], false, &s->reciprocal) &&
		parse_int(field[3], true, &s->last) &&
		parse_int(field[4], true, &s->last_reciprocal) &&
		parse_int(field[5], true, &s->as_of) &&
		parse_double(field[6], s->as_of == KAM_TIME_NONE, &s->half_life_days) &&
		parse_double(field[7], s->as_of == KAM_TIME_NONE, &s->window_days) &&
		(s->as_of != KAM_TIME_NONE || (field[6][0] == '\0' && field[7][0] == '\0'));
}

static bool
same_parameters(const KamStrengthState *a, const KamStrengthState *b)
{
	return a->as_of == b->as_of && a->half_life_days == b->half_life_days &&
		a->window_days == b->window_days;
}

KamStrengthCombineResult
kam_strength_combine(KamStrengthState *into, const KamStrengthState *from)
{
	KamStrengthState sum = *into;

	if (kam_strength_has_parameters(from))
	{
		if (!kam_strength_has_parameters(into))
		{
			sum.as_of = from->as_of;
			sum.half_life_days = from->half_life_days;
			sum.window_days = from->window_days;
		}
		else if (!same_parameters(into, from))
			return KAM_STRENGTH_OTHER_PARAMETERS;
	}
	sum.strength += from->strength;
	if (isinf(sum.strength) ||
		__builtin_add_overflow(into->interactions, from->interactions, &sum.interactions) ||
		__builtin_add_overflow(into->reciprocal, from->reciprocal, &sum.reciprocal))
		return KAM_STRENGTH_OVERFLOW;
	if (from->last > sum.last)
		sum.last = from->last;
	if (from->last_reciprocal > sum.last_reciprocal)
		sum.last_reciprocal = from->last_reciprocal;
	*into = sum;
	return KAM_STRENGTH_COMBINED;
}

bool
kam_strength_one_way(const KamStrengthState *s)
{
	/* in days from as_of, exact enough: a window is days, a time microseconds */
	return s->last_reciprocal == KAM_TIME_NONE ||
		kam_time_distance(s->as_of, s->last_reciprocal) / KAM_USECS_PER_DAY >= s->window_days;
}
