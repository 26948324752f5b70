/*
 * strength_core.h: interaction strength in pure C: the state of the
 * relationship_strength aggregate, its consistency rules, its text form,
 * and the arithmetic of adding an interaction and combining two states.
 * Definitions: README.md, "Relationship" (interaction strength).
 *
 * Times are PostgreSQL timestamptz values: microseconds since 2000-01-01
 * 00:00 UTC, finite between KAM_TIME_MIN and KAM_TIME_END.
 */
#ifndef KAM_STRENGTH_CORE_H
#define KAM_STRENGTH_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KAM_TIME_MIN INT64_C(-211813488000000000)	/* 4714-11-24 BC */
#define KAM_TIME_END INT64_C(9223371331200000000)	/* 294277-01-01, excluded */
#define KAM_TIME_NONE INT64_MIN		/* no such contact (yet) */
#define KAM_USECS_PER_DAY 86400000000.0

/*
 * The state: 64 bytes, the size of avg()'s whole array state, because with
 * 100 000 groups the states' cache footprint is what the aggregate costs
 * beyond avg() (an 8-slot double precision[] with its array header took
 * twice the memory per group and ran 1.12-1.22x avg()).
 */
typedef struct KamStrengthState
{
	double		strength;		/* sum of weight * 2^(-age / half-life) */
	int64_t		interactions;	/* counted: on or before as_of */
	int64_t		reciprocal;		/* of them inbound or two-way */
	int64_t		last;			/* latest counted, KAM_TIME_NONE before one */
	int64_t		last_reciprocal;	/* latest reciprocal, KAM_TIME_NONE before one */
	int64_t		as_of;			/* KAM_TIME_NONE until the first row sets it */
	double		half_life_days; /* 0 until set */
	double		window_days;	/* 0 until set */
} KamStrengthState;

/* The longest text form, with its terminating zero. */
#define KAM_STRENGTH_TEXT_MAX 256

static inline bool
kam_time_ok(int64_t t)
{
	return t >= KAM_TIME_MIN && t < KAM_TIME_END;
}

/*
 * later - earlier in microseconds, for earlier <= later, as a double: the
 * difference of two valid times may pass 2^63, so it is taken unsigned.
 */
static inline double
kam_time_distance(int64_t later, int64_t earlier)
{
	return (double) ((uint64_t) later - (uint64_t) earlier);
}

/* The state before any row. */
extern void kam_strength_init(KamStrengthState *s);

/* Whether the parameters have been set (by a first row or a combine). */
static inline bool
kam_strength_has_parameters(const KamStrengthState *s)
{
	return s->as_of != KAM_TIME_NONE;
}

/* half-life and window finite and > 0 (NaN is not) */
extern bool kam_strength_parameters_ok(double half_life_days, double window_days);

/* NULL when s is a state the aggregate can reach, else what is wrong. */
extern const char *kam_strength_state_problem(const KamStrengthState *s);

/*
 * Text form: (strength,interactions,reciprocal,last,last_reciprocal,as_of,
 * half_life_days,window_days), times as integer microseconds since 2000,
 * an absent time or parameter as an empty field; doubles with 17 significant
 * digits, so the form reads back to the same bits.  Returns the length.
 */
extern int	kam_strength_format(const KamStrengthState *s, char *buf, size_t size);

/* Reads the text form; false when it is not one (consistency not checked). */
extern bool kam_strength_parse(const char *text, KamStrengthState *s);

/* Counts one interaction at time t <= as_of; decay = 2^(-age / half-life). */
static inline void
kam_strength_add(KamStrengthState *s, int64_t t, double weight_times_decay, bool reciprocal)
{
	s->strength += weight_times_decay;
	s->interactions += 1;
	if (t > s->last)
		s->last = t;
	if (reciprocal)
	{
		s->reciprocal += 1;
		if (t > s->last_reciprocal)
			s->last_reciprocal = t;
	}
}

typedef enum KamStrengthCombineResult
{
	KAM_STRENGTH_COMBINED,
	KAM_STRENGTH_OTHER_PARAMETERS,	/* the states were built with other ones */
	KAM_STRENGTH_OVERFLOW			/* a count or the sum is out of range */
} KamStrengthCombineResult;

/* into += from, both consistent; into is unchanged unless combined. */
extern KamStrengthCombineResult kam_strength_combine(KamStrengthState *into,
													 const KamStrengthState *from);

/* No reciprocal interaction in (as_of - window, as_of]. */
extern bool kam_strength_one_way(const KamStrengthState *s);

#endif							/* KAM_STRENGTH_CORE_H */
