#!/usr/bin/env bash
# Benchmark of the predictive CLV (not a timed test): BG/NBD fit of the
# CDNOW master log (23,570 customers) and of 1 million synthetic customers,
# and scoring 1 million accounts (P(alive) and expected transactions).
# Appends the figures, with date and machine, to test/bench/RESULTS.md.
source "$(dirname "$0")/../../tools/lib.sh"
source "$(dirname "$0")/lib.sh"

reps=${1:-5}
kam_setup
kam_start_cluster "shared_buffers = 1GB" "work_mem = 256MB" "jit = off"
kam_psql -c 'CREATE EXTENSION kam'

say "loading CDNOW master and 1 million customers simulated from BG/NBD (r .5, alpha 5, a .8, b 2.5)"
synthetic=$(mktemp)
generator=$(mktemp)
gcc -O2 -o "$generator" "$KAM_ROOT/test/unit/clv_test.c" "$KAM_ROOT/src/clv_core.c" -lm
"$generator" --csv 1000000 >"$synthetic"
chmod 644 "$synthetic"
kam_psql >/dev/null <<SQL
CREATE TEMP TABLE cdnow_raw (line text);
\copy cdnow_raw FROM '$KAM_ROOT/test/data/cdnow/CDNOW_master.txt'
CREATE TABLE master_orders AS
SELECT f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS day, f[4]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_raw) AS r WHERE f[1] ~ '^[0-9]+$';
INSERT INTO kam.account (account_id, name) SELECT DISTINCT customer, 'c' || customer FROM master_orders;
INSERT INTO kam.sales_order (account_id, order_date, amount) SELECT customer, day, amount FROM master_orders;
CREATE TABLE master_calibration AS SELECT * FROM kam.clv_calibration('1997-09-30');
CREATE TABLE synthetic (x float8, t_x float8, T float8);
\copy synthetic FROM '$synthetic' WITH (FORMAT csv)
ANALYZE master_calibration; ANALYZE synthetic;
SQL

declare -A query
query[master_fit]='SELECT (kam.bgnbd_fit(x, t_x, "T")).converged FROM master_calibration'
query[synthetic_fit]='SELECT (kam.bgnbd_fit(x, t_x, T)).converged FROM synthetic'
query[score_p_alive]='SELECT sum(kam.bgnbd_p_alive(0.243, 4.414, 0.793, 2.426, x, t_x, T)) FROM synthetic'
query[score_both]='SELECT sum(kam.bgnbd_p_alive(0.243, 4.414, 0.793, 2.426, x, t_x, T)), sum(kam.bgnbd_expected_transactions(0.243, 4.414, 0.793, 2.426, x, t_x, T, 52)) FROM synthetic'
query[scan_floor]='SELECT sum(x + t_x + T) FROM synthetic'
variants=(master_fit synthetic_fit score_p_alive score_both scan_floor)
script=$(mktemp)
{
	echo 'SET max_parallel_workers_per_gather = 0;'
	echo '\timing on'
	for ((r = 0; r < reps; r++)); do
		for v in "${variants[@]}"; do echo "\\echo $v"; echo "${query[$v]};"; done
	done
} >"$script"
psql -X -q -v ON_ERROR_STOP=1 -f "$script" |
	awk '/^(master_fit|synthetic_fit|score_p_alive|score_both|scan_floor)$/ { v = $1 } /^Time: / { print v, $2 }' >"$script.times"
converged=$(psql -XAt -c "SELECT format('%s (r %s, alpha %s, a %s, b %s)', converged, round(r::numeric, 3), round(alpha::numeric, 3), round(a::numeric, 3), round(b::numeric, 3)) FROM (SELECT (kam.bgnbd_fit(x, t_x, T)).* FROM synthetic) AS f")
report=$(mktemp)
{
	echo
	echo "## Predictive CLV (BG/NBD), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $(bench_machine); $(psql -XAtc 'SELECT version()' | cut -d, -f1); kam $(git -C "$KAM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- serial; median (minimum) of $reps runs; times include reading the rows and the aggregate's state; synthetic fit converged: $converged"
	echo
	echo "| what | median ms (min) | target |"
	echo "|---|---|---|"
	echo "| bgnbd_fit, CDNOW master calibration (23,570 customers) | $(bench_median "$script.times" master_fit) ($(bench_minimum "$script.times" master_fit)) | <= 100 ($(bench_verdict "$(bench_median "$script.times" master_fit)" 100)) |"
	echo "| bgnbd_fit, 1,000,000 synthetic customers | $(bench_median "$script.times" synthetic_fit) ($(bench_minimum "$script.times" synthetic_fit)) | <= 3000 ($(bench_verdict "$(bench_median "$script.times" synthetic_fit)" 3000)) |"
	echo "| score 1,000,000 accounts: P(alive) | $(bench_median "$script.times" score_p_alive) ($(bench_minimum "$script.times" score_p_alive)) | <= 1000 ($(bench_verdict "$(bench_median "$script.times" score_p_alive)" 1000)) |"
	echo "| score 1,000,000 accounts: P(alive) and E[Y(52)] | $(bench_median "$script.times" score_both) ($(bench_minimum "$script.times" score_both)) | <= 1000 ($(bench_verdict "$(bench_median "$script.times" score_both)" 1000)) |"
	echo "| floor: sum over the same 1,000,000 rows | $(bench_median "$script.times" scan_floor) ($(bench_minimum "$script.times" scan_floor)) | |"
} >"$report"
cat "$report"
cat "$report" >>"$KAM_ROOT/test/bench/RESULTS.md"
rm -f "$report" "$script" "$script.times" "$synthetic" "$generator"
