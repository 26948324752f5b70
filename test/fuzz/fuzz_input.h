/*
 * fuzz_input.h: reading a libFuzzer input as numbers, and the property
 * check of the harnesses.  Each harness feeds a pure C core only inputs its
 * SQL wrapper lets through (the documented preconditions) and checks what
 * the core promises; address and undefined-behaviour sanitizers check the
 * rest.
 */
#ifndef KAM_FUZZ_INPUT_H
#define KAM_FUZZ_INPUT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct FuzzInput
{
	const uint8_t *data;
	size_t		size;
} FuzzInput;

/* The next 8 bytes (zeros once the input is used up). */
static inline uint64_t
take_u64(FuzzInput *in)
{
	uint64_t	v = 0;
	size_t		k = in->size < sizeof(v) ? in->size : sizeof(v);

	memcpy(&v, in->data, k);
	in->data += k;
	in->size -= k;
	return v;
}

static inline int64_t
take_i64(FuzzInput *in)
{
	return (int64_t) take_u64(in);
}

/* Any double, NaN and infinities included. */
static inline double
take_double(FuzzInput *in)
{
	uint64_t	bits = take_u64(in);
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* A whole number in lo..hi. */
static inline int64_t
take_between(FuzzInput *in, int64_t lo, int64_t hi)
{
	uint64_t	span = (uint64_t) hi - (uint64_t) lo;	/* unsigned: hi - lo may pass 2^63 */

	return (int64_t) ((uint64_t) lo + (span == UINT64_MAX ? take_u64(in) : take_u64(in) % (span + 1)));
}

/* A double in [lo, hi], often at or near the ends. */
static inline double
take_in(FuzzInput *in, double lo, double hi)
{
	uint64_t	u = take_u64(in);

	switch (u % 8)
	{
		case 0:
			return lo;
		case 1:
			return hi;
		case 2:
			return nextafter(lo, hi);
		default:
			return lo + (hi - lo) * ((double) (u >> 11) / 9007199254740992.0);
	}
}

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#endif							/* KAM_FUZZ_INPUT_H */
