#!/usr/bin/env bash
# Aggregates over 10 million rows do not grow memory per row: each kam
# aggregate runs over 1 million and over 10 million generated rows, each in
# a fresh session, and the backend's peak resident memory (VmHWM) after the
# one must be within 4 MB of the other's (a single byte per row would add
# 9 MB).  The rows come from generate_series, which spills to disk past
# work_mem, so the aggregate's state is what could grow (JIT is off: it
# compiles the larger query only, and LLVM's ~55 MB would hide the
# aggregate's share).  Left out, by
# design: bgnbd_fit and gammagamma_fit keep every customer (the fit iterates
# over them); their state is measured and reported in bytes per customer.
# Prints TAP.  Needs PGHOST/PGPORT/PGUSER of a running server, as a
# superuser (pg_read_file of /proc/self/status).
set -euo pipefail
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS kam_memory'
q -c 'CREATE DATABASE kam_memory'
q -d kam_memory -c 'CREATE EXTENSION kam'

# peak <rows> <aggregate call over g>: VmHWM in kB after the query, fresh session
peak() {
	q -d kam_memory -c "SET max_parallel_workers_per_gather = 0" -c "SET work_mem = '4MB'" -c 'SET jit = off' \
		-c "SELECT count(*) FROM (SELECT $2 AS v FROM generate_series(1, $1) AS g) AS x WHERE v IS NOT NULL" \
		-c "SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1]" | tail -1
}

aggregates=(
	"kam.nps((g % 11)::int)"
	"kam.nps((g % 11)::int, (g % 3)::float8)"
	"kam.nps_detail((g % 11)::int)"
	"kam.csat((g % 5 + 1)::int)"
	"kam.csat_detail((g % 7 + 1)::int, 7)"
	"kam.ces((g % 7 + 1)::int)"
	"kam.ces_detail((g % 7 + 1)::int)"
	"kam.order_summary(date '2020-01-01' + (g % 700)::int, (g % 1000)::bigint * 10000, (g % 100)::bigint * 10000, date '2021-12-31')"
	"kam.relationship_strength(timestamptz '2020-01-01 00:00+00' + g * interval '1 second', 1.5, g % 2 = 0, kam.strength_at('2021-01-01'))"
	"kam.cronbach_alpha(ARRAY[(g % 5)::float8, (g % 7)::float8, (g % 3)::float8])"
)
for aggregate in "${aggregates[@]}"; do
	small=$(peak 1000000 "$aggregate")
	large=$(peak 10000000 "$aggregate")
	check "$(echo "$aggregate" | cut -d'(' -f1): peak $((small / 1024)) MB over 1 M rows, $((large / 1024)) MB over 10 M (growth $((large - small)) kB)" \
		test $((large - small)) -lt 4096
done
# the same grouped: 1 000 groups, memory by groups not rows
grouped() {
	q -d kam_memory -c "SET max_parallel_workers_per_gather = 0" -c "SET work_mem = '4MB'" -c 'SET jit = off' \
		-c "SELECT count(*) FROM (SELECT g % 1000, kam.nps_detail((g % 11)::int) AS v FROM generate_series(1, $1) AS g GROUP BY 1) AS x" \
		-c "SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+)'))[1]" | tail -1
}
small=$(grouped 1000000)
large=$(grouped 10000000)
check "kam.nps_detail in 1 000 groups: peak $((small / 1024)) MB over 1 M rows, $((large / 1024)) MB over 10 M (growth $((large - small)) kB)" \
	test $((large - small)) -lt 4096
# the fits keep every customer: their state's size per customer
per_customer=$(q -d kam_memory \
	-c "CREATE AGGREGATE pg_temp.bgnbd_state(float8, float8, float8) (SFUNC = kam.bgnbd_accum, STYPE = float8[], INITCOND = '{}')" \
	-c "SELECT round(pg_column_size(pg_temp.bgnbd_state((g % 5)::float8, (g % 5)::float8 * 2, 52))::numeric / 100000, 1)
	    FROM generate_series(1, 100000) AS g" | tail -1)
echo "# bgnbd_fit keeps each customer by design (the fit iterates over them): $per_customer bytes per customer in its state"
q -c 'DROP DATABASE kam_memory'
tap_plan
