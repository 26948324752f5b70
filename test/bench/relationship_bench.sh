#!/usr/bin/env bash
# Benchmark of the relationship-strength aggregate (not a timed test):
# 5 million interactions over 100 000 accounts; kam.relationship_strength
# grouped by account against avg() of one column grouped the same way.
# Appends the figures to test/bench/RESULTS.md.
source "$(dirname "$0")/../../tools/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-5000000}
reps=${2:-7}
kam_setup
kam_start_cluster "shared_buffers = 2GB" "work_mem = 512MB" "jit = off"
kam_psql -c 'CREATE EXTENSION kam'
say "building $rows interactions over 100 000 accounts"
kam_psql >/dev/null <<SQL
SELECT setseed(0.5);
CREATE TABLE contacts AS
SELECT (random() * 99999)::int AS account,
       timestamptz '2025-01-01' + random() * interval '730 days' AS at,
       (ARRAY[3, 2.5, 2, 1.5, 1, 0.5])[1 + floor(random() * 6)::int]::float8 AS w,
       random() < 0.5 AS back
FROM generate_series(1, $rows);
VACUUM (FREEZE, ANALYZE) contacts;
SQL

declare -A query
query[avg]="SELECT count(v) FROM (SELECT account, avg(w) AS v FROM contacts GROUP BY account) AS g"
query[kam]="SELECT count(v) FROM (SELECT account, kam.relationship_strength(at, w, back, kam.strength_at('2027-01-01', 90, 90)) AS v FROM contacts GROUP BY account) AS g"
variants=(avg kam)
script=$(mktemp)
{
	echo 'SET max_parallel_workers_per_gather = 0;'
	for v in "${variants[@]}"; do echo "${query[$v]};"; done
	echo '\timing on'
	bench_rotation "$reps" %s "${variants[@]}"
} >"$script"
psql -X -q -v ON_ERROR_STOP=1 -f "$script" | awk '/^(avg|kam)$/ { v = $1 } /^Time: / { print v, $2 }' >"$script.times"
ratio=$(bench_paired "$script.times" kam avg 2)
report=$(mktemp)
{
	echo
	echo "## Relationship strength, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $(bench_machine); $(psql -XAtc 'SELECT version()' | cut -d, -f1); kam $(git -C "$KAM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- $rows interactions, 100 000 accounts, grouped by account, serial; $reps runs each in rotating order after a warm-up; jit off"
	echo
	echo "| query | median ms (min) |"
	echo "|---|---|"
	echo "| avg(w) grouped by account | $(bench_median "$script.times" avg) ($(bench_minimum "$script.times" avg)) |"
	echo "| kam.relationship_strength(at, w, back, kam.strength_at(as_of, 90, 90)) grouped by account | $(bench_median "$script.times" kam) ($(bench_minimum "$script.times" kam)) |"
	echo
	echo "strength / avg (median of within-repetition ratios): $ratio, target <= 1.10 ($(bench_verdict "$ratio" 1.10))"
} >"$report"
cat "$report"
cat "$report" >>"$KAM_ROOT/test/bench/RESULTS.md"
rm -f "$report" "$script" "$script.times"
