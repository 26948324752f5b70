/*
 * check.h: kam's own internal checks (USE_ASSERT_CHECKING-style, for a
 * server that is not built with assertions).  Compiled in with
 * `make KAM_CHECKS=1`, as tools/test builds; benchmarks and installs by hand
 * do not.  A failed check is a bug in kam, not bad input: the backend
 * PANICs, which the test suites' scan of the server log reports.
 */
#ifndef KAM_CHECK_H
#define KAM_CHECK_H

#include "postgres.h"

#ifdef KAM_CHECKS
#define KAM_CHECK(condition) \
	do { \
		if (unlikely(!(condition))) \
			elog(PANIC, "kam internal check failed: %s (%s:%d)", #condition, __FILE__, __LINE__); \
	} while (0)
#else
#define KAM_CHECK(condition) ((void) 0)
#endif

#endif							/* KAM_CHECK_H */
