/*
 * kam.c: the module's one-time declarations.
 *
 * Each model family lives in its own pair of files: a pure C core
 * (*_core.c, no server headers, testable and fuzzable alone) and the fmgr
 * wrappers that check SQL arguments and call it.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
