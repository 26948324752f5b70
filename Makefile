# kam: PGXS build.  `make && make install`, then `make installcheck` against a
# running server (tools/test does all of it in a throwaway cluster).

EXTENSION   = kam
MODULE_big  = kam
OBJS        = src/kam.o src/state.o src/result_row.o src/stats_core.o src/survey_core.o src/survey.o \
              src/value_core.o src/value.o src/account_value.o src/clv_core.o src/clv.o \
              src/relationship_core.o src/relationship.o src/strength_core.o src/strength.o
DATA        = $(wildcard kam--*.sql)
PGFILEDESC  = "kam - key-account management models"

REGRESS      = survey_nps survey_csat survey_ces survey_state survey_parallel value_functions value_accounts clv relationship state_text daily security extension
REGRESS_OPTS = --inputdir=. --load-extension=kam

# CI passes KAM_WERROR=1: every warning of -Wall -Wextra is an error there.
PG_CFLAGS = -Wall -Wextra
ifdef KAM_WERROR
PG_CFLAGS += -Werror
endif
# tools/test passes KAM_CHECKS=1: kam's internal checks (src/check.h) on.
ifdef KAM_CHECKS
PG_CFLAGS += -DKAM_CHECKS
endif
SHLIB_LINK += -lm

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
# The server's headers as system headers: -Wextra then judges kam's code
# only (the headers themselves have unused parameters in inline functions).
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)
include $(PGXS)

# PGXS tracks no header dependencies: rebuild everything when a header changes.
$(OBJS): $(wildcard src/*.h)
