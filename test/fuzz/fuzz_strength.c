/*
 * fuzz_strength.c: the kam.strength_state text form and rules.  Any text
 * that parses to a consistent state formats back to the same text and bits;
 * any consistent state (from raw bytes) round-trips through its text;
 * adding an interaction or combining keeps a state consistent.
 */
#include "fuzz_input.h"
#include "../../src/strength_core.h"

static void
check_round_trip(const KamStrengthState *s)
{
	char		text[KAM_STRENGTH_TEXT_MAX];
	KamStrengthState back;
	int			len = kam_strength_format(s, text, sizeof(text));

	FUZZ_ASSERT(len > 0 && len < KAM_STRENGTH_TEXT_MAX);
	FUZZ_ASSERT(kam_strength_parse(text, &back));
	FUZZ_ASSERT(memcmp(s, &back, sizeof(back)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	KamStrengthState s,
				t;
	char		text[400];

	if (size == 0)
		return 0;
	switch (data[0] % 3)
	{
		case 0:					/* text */
			memcpy(text, data + 1, size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1);
			text[size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1] = '\0';
			if (kam_strength_parse(text, &s) && kam_strength_state_problem(&s) == NULL)
			{
				check_round_trip(&s);
				(void) kam_strength_one_way(&s);
			}
			break;
		case 1:					/* raw bytes as a state, combined with itself */
			in.data++, in.size--;
			s.strength = take_double(&in);
			s.interactions = take_i64(&in);
			s.reciprocal = take_i64(&in);
			s.last = take_i64(&in);
			s.last_reciprocal = take_i64(&in);
			s.as_of = take_i64(&in);
			s.half_life_days = take_double(&in);
			s.window_days = take_double(&in);
			if (kam_strength_state_problem(&s) != NULL)
				break;
			check_round_trip(&s);
			(void) kam_strength_one_way(&s);
			t = s;
			if (kam_strength_combine(&t, &s) == KAM_STRENGTH_COMBINED)
			{
				FUZZ_ASSERT(kam_strength_state_problem(&t) == NULL);
				check_round_trip(&t);
			}
			else
				FUZZ_ASSERT(memcmp(&t, &s, sizeof(s)) == 0);
			break;
		case 2:					/* interactions added as the state function does */
			in.data++, in.size--;
			kam_strength_init(&s);
			s.as_of = take_between(&in, KAM_TIME_MIN, KAM_TIME_END - 1);
			s.half_life_days = take_in(&in, 1e-300, 1e300);
			s.window_days = take_in(&in, 1e-300, 1e300);
			while (in.size > 0)
			{
				int64_t		when = take_between(&in, KAM_TIME_MIN, s.as_of);
				double		weight = take_in(&in, 0, 1e6);
				double		decay = exp2(kam_time_distance(s.as_of, when) * (-1.0 / (s.half_life_days * KAM_USECS_PER_DAY)));

				FUZZ_ASSERT(decay >= 0 && decay <= 1);
				kam_strength_add(&s, when, weight * decay, take_u64(&in) & 1);
				FUZZ_ASSERT(kam_strength_state_problem(&s) == NULL);
			}
			check_round_trip(&s);
			break;
	}
	return 0;
}
