/*
 * strength_test.c: the relationship_strength state without a server: the
 * text form reads back bit for bit, the consistency rules, combining, the
 * one-way rule at its boundary.  Prints TAP; built and run by tools/test.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../src/strength_core.h"

static int	test_number = 0;
static int	failures = 0;

static void
check(int ok, const char *what)
{
	test_number++;
	failures += !ok;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", test_number, what);
}

/* xorshift64: a fixed, portable sequence of random bits */
static uint64_t
next_bits(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static double
bits_to_double(uint64_t bits)
{
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* A time from lo to hi inclusive, uniformly (unsigned: the span passes 2^63). */
static int64_t
random_time(uint64_t *x, int64_t lo, int64_t hi)
{
	uint64_t	span = (uint64_t) hi - (uint64_t) lo + 1;

	return (int64_t) ((uint64_t) lo + next_bits(x) % span);
}

/* A consistent state from random bits: every double of its range. */
static void
random_state(uint64_t *x, KamStrengthState *s)
{
	kam_strength_init(s);
	s->as_of = random_time(x, KAM_TIME_MIN, KAM_TIME_END - 1);
	do
		s->half_life_days = bits_to_double(next_bits(x) >> 1);	/* >= 0 */
	while (!kam_strength_parameters_ok(s->half_life_days, 1));
	do
		s->window_days = bits_to_double(next_bits(x) >> 1);
	while (!kam_strength_parameters_ok(1, s->window_days));
	if (next_bits(x) % 4 == 0)
		return;
	s->interactions = 1 + (int64_t) (next_bits(x) >> 2);
	s->reciprocal = (int64_t) (next_bits(x) % (uint64_t) s->interactions);
	do
		s->strength = bits_to_double(next_bits(x) >> 1);
	while (!(s->strength < 1e308));
	s->last = random_time(x, KAM_TIME_MIN, s->as_of);
	if (s->reciprocal > 0)
		s->last_reciprocal = random_time(x, KAM_TIME_MIN, s->last);
}

int
main(void)
{
	KamStrengthState s,
				t;
	char		text[KAM_STRENGTH_TEXT_MAX];
	uint64_t	x = 0x9E3779B97F4A7C15u;
	int			round_trips = 0,
				consistent = 0;
	const int	n = 200000;

	kam_strength_init(&s);
	kam_strength_format(&s, text, sizeof(text));
	check(strcmp(text, "(0,0,0,,,,,)") == 0, "the initial state's text is (0,0,0,,,,,)");
	check(kam_strength_state_problem(&s) == NULL, "the initial state is consistent");

	/* as_of 2028-07-01 00:00 UTC = 899337600000000; a meeting (2.5) two-way 30 days before: 2.5 * 2^(-1/3) */
	s.as_of = INT64_C(899337600000000);
	s.half_life_days = 90;
	s.window_days = 90;
	kam_strength_add(&s, s.as_of - INT64_C(30) * 86400000000, 2.5 * 0.79370052598409973737, 1);
	check(s.interactions == 1 && s.reciprocal == 1 && s.last == INT64_C(896745600000000) &&
		  s.last_reciprocal == s.last && kam_strength_state_problem(&s) == NULL,
		  "one two-way meeting 30 days before as_of");
	check(fabs(s.strength - 1.9842513149602493) < 1e-15, "its strength 2.5 * 2^(-1/3) = 1.98425131496025");
	check(!kam_strength_one_way(&s), "30 days ago is inside a 90-day window");
	s.last_reciprocal = s.as_of - INT64_C(90) * 86400000000;
	s.last = s.last_reciprocal;
	check(kam_strength_one_way(&s), "exactly 90 days ago is outside (as_of - 90 days, as_of]");
	s.last_reciprocal += 1;
	s.last = s.last_reciprocal;
	check(!kam_strength_one_way(&s), "one microsecond later is inside");

	for (int i = 0; i < n; i++)
	{
		random_state(&x, &s);
		consistent += kam_strength_state_problem(&s) == NULL;
		kam_strength_format(&s, text, sizeof(text));
		memset(&t, 0xAA, sizeof(t));
		round_trips += kam_strength_parse(text, &t) && memcmp(&s, &t, sizeof(s)) == 0;
	}
	check(consistent == n, "200000 random consistent states pass the rules");
	check(round_trips == n, "200000 random states read back bit for bit from their text");

	/* combining: parameters must agree; counts must not overflow */
	kam_strength_init(&s);
	kam_strength_parse("(1,1,0,5,,6,90,90)", &t);
	check(kam_strength_combine(&s, &t) == KAM_STRENGTH_COMBINED && s.as_of == 6 && s.interactions == 1,
		  "a state without parameters takes the other's");
	kam_strength_parse("(1,1,0,5,,6,30,90)", &t);
	check(kam_strength_combine(&s, &t) == KAM_STRENGTH_OTHER_PARAMETERS && s.half_life_days == 90,
		  "other parameters are refused, the state unchanged");
	kam_strength_parse("(1,9223372036854775807,0,5,,6,90,90)", &t);
	check(kam_strength_combine(&s, &t) == KAM_STRENGTH_OVERFLOW && s.interactions == 1,
		  "a count past 2^63 - 1 is refused, the state unchanged");
	check(!kam_strength_parse("(1,1,0,5,,,90,90)", &t), "parameters without as_of do not parse");
	check(!kam_strength_parse("(1,1,0,5,,6,90)", &t), "seven fields do not parse");
	check(!kam_strength_parse("(1,1,0,5,,6,90,90) ", &t), "trailing text does not parse");
	check(!kam_strength_parse("(inf,1,0,5,,6,90,90)", &t), "inf does not parse");
	check(!kam_strength_parse("(1,-9223372036854775808,0,5,,6,90,90)", &t), "the no-time sentinel is not a number");
	kam_strength_parse("(1,1,1,5,6,6,90,90)", &t);
	check(kam_strength_state_problem(&t) != NULL, "a reciprocal contact after the last one is inconsistent");

	/* found by fuzzing: an unset half-life of -0 was accepted, but its text reads back as +0 */
	kam_strength_init(&t);
	t.half_life_days = -0.0;
	check(kam_strength_state_problem(&t) != NULL, "an unset half-life of -0 is inconsistent");

	printf("1..%d\n", test_number);
	return failures != 0;
}
