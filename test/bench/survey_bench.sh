#!/usr/bin/env bash
# Benchmark of the survey aggregates (not a timed test): 10 million answers
# over 100 000 accounts in a throwaway cluster; kam.nps, kam.csat and
# kam.ces timed side by side with avg(score) (the executor's floor for a
# one-argument aggregate) and with the plain-SQL form of each, serially,
# with 2 parallel workers, and grouped by account.  Prints the ratios and
# appends them, with date and machine, to test/bench/RESULTS.md.  (The
# plain-SQL CES is avg() itself: its ratio says what the counting state
# costs against the floor.)
#
# Usage: tools/bench [rows] [repetitions]   (defaults 10000000 and 9)
source "$(dirname "$0")/../../tools/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-10000000}
reps=${2:-9}
accounts=100000

kam_setup
kam_start_cluster "shared_buffers = 2GB" "work_mem = 512MB" "max_worker_processes = 8" \
	"max_parallel_workers = 8" "jit = off"
kam_psql -c 'CREATE EXTENSION kam'

say "building $rows answers over $accounts accounts"
kam_psql >/dev/null <<SQL
SELECT setseed(0.2026);
CREATE TABLE answers AS
SELECT (random() * ($accounts - 1))::int AS account, floor(random() * 11)::int AS score,
       1 + floor(random() * 5)::int AS csat, 1 + floor(random() * 7)::int AS ces
FROM generate_series(1, $rows);
VACUUM (FREEZE, ANALYZE) answers;
SQL

declare -A query
query[avg]='avg(score)'
query[nps]='kam.nps(score)'
query[sql]='100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(score)'
query[csat]='kam.csat(csat)'
query[csat_avg]='avg(csat)'
query[csat_sql]='100.0 * count(*) FILTER (WHERE csat >= 4) / count(csat)'
query[ces]='kam.ces(ces)'
query[ces_sql]='avg(ces)'
variants=(avg nps sql csat csat_avg csat_sql ces ces_sql)

serial='SET max_parallel_workers_per_gather = 0;'
parallel='SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;'

# time_mode <name> <settings> <select-template>: median and minimum ms of
# each variant over $reps runs, after one warm-up run of each; the order of
# the variants rotates from one repetition to the next, so that none always
# runs after the same neighbour.  The ratios are medians of the ratios
# within each repetition: the runs compared are seconds apart, so a slow
# drift of the machine (a shared VM's memory bandwidth moves by +-20 % over
# a minute here) cancels out.
declare -A median minimum ratio_avg ratio_sql ratio peak

time_mode() {
	local mode=$1 settings=$2 template=$3 script v n=${#variants[@]}
	script=$(mktemp)
	{
		echo "$settings"
		for v in "${variants[@]}"; do printf "${template};\n" "${query[$v]}"; done
		echo '\timing on'
		bench_rotation "$reps" "$template" "${variants[@]}"
		echo '\timing off'
		bench_peak_query
	} >"$script"
	psql -X -q -At -v ON_ERROR_STOP=1 -f "$script" >"$script.out"
	awk '/^(avg|nps|sql|csat|csat_avg|csat_sql|ces|ces_sql)$/ { v = $1 } /^Time: / { print v, $2 }' "$script.out" >"$script.times"
	peak[$mode]=$(awk '/^peak / { print $2 }' "$script.out")
	for v in "${variants[@]}"; do
		median[$mode.$v]=$(bench_median "$script.times" "$v")
		minimum[$mode.$v]=$(bench_minimum "$script.times" "$v")
	done
	ratio_avg[$mode]=$(bench_paired "$script.times" nps avg "$n")
	ratio_sql[$mode]=$(bench_paired "$script.times" nps sql "$n")
	# (the floor of each is avg() of its own column: a later column costs
	# more to read from each row than score, the first)
	ratio[$mode.csat_avg]=$(bench_paired "$script.times" csat csat_avg "$n")
	ratio[$mode.csat_sql]=$(bench_paired "$script.times" csat csat_sql "$n")
	ratio[$mode.ces_avg]=$(bench_paired "$script.times" ces ces_sql "$n")
	rm -f "$script" "$script.times" "$script.out"
	say "$mode: median avg ${median[$mode.avg]} ms, kam.nps ${median[$mode.nps]} ms, plain SQL ${median[$mode.sql]} ms"
}

plain='SELECT %s FROM answers'
grouped='SELECT count(v) FROM (SELECT account, %s AS v FROM answers GROUP BY account) AS g'
time_mode serial "$serial" "$plain"
time_mode parallel "$parallel" "$plain"
time_mode grouped "$serial" "$grouped"
time_mode grouped_parallel "$parallel" "$grouped"

# the plans actually used, for the record
plans=$(psql -X -At -c "$parallel" -c "EXPLAIN (COSTS OFF) SELECT kam.nps(score) FROM answers" |
	grep -cE 'Partial Aggregate|Gather' || true)


results=$KAM_ROOT/test/bench/RESULTS.md
machine=$(bench_machine)
report=$(mktemp)
{
	echo
	echo "## Survey aggregates, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $machine; $(psql -XAtc 'SELECT version()' | cut -d, -f1); kam $(git -C "$KAM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- data: $rows answers (score uniform 0..10), $accounts accounts; $reps runs of each query after a warm-up, variants interleaved in rotating order; shared_buffers 2GB, work_mem 512MB, jit off; parallel = 2 workers (plan nodes seen: $plans)"
	echo "- times are medians (minimum in parentheses); a ratio is the median over the repetitions of the ratio of the two runs within one repetition"
	echo
	echo "| mode | avg() ms | kam.nps ms | plain SQL ms | nps / avg | target | nps / plain SQL | target |"
	echo "|---|---|---|---|---|---|---|---|"
	for mode in serial parallel grouped grouped_parallel; do
		r_avg=${ratio_avg[$mode]}
		r_sql=${ratio_sql[$mode]}
		case $mode in grouped*) t_sql=0.60 ;; *) t_sql=0.95 ;; esac
		echo "| $mode | ${median[$mode.avg]} (${minimum[$mode.avg]}) | ${median[$mode.nps]} (${minimum[$mode.nps]}) | ${median[$mode.sql]} (${minimum[$mode.sql]}) | $r_avg | <= 1.05 ($(bench_verdict "$r_avg" 1.05)) | $r_sql | <= $t_sql ($(bench_verdict "$r_sql" "$t_sql")) |"
	done
	echo
	echo "peak backend memory (VmHWM) per mode: serial $((peak[serial] / 1024)) MB, parallel $((peak[parallel] / 1024)) MB, grouped $((peak[grouped] / 1024)) MB, grouped parallel $((peak[grouped_parallel] / 1024)) MB (the leader's; work_mem 512MB)"
	echo
	echo "CSAT and CES, the same runs (targets as for NPS; each against avg() of its own column; the plain-SQL CES is avg(ces) itself):"
	echo
	echo "| mode | kam.csat ms | avg(csat) ms | plain SQL ms | csat / avg(csat) | csat / plain SQL | kam.ces ms | avg(ces) ms | ces / avg(ces) |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for mode in serial parallel grouped grouped_parallel; do
		echo "| $mode | ${median[$mode.csat]} | ${median[$mode.csat_avg]} | ${median[$mode.csat_sql]} | ${ratio[$mode.csat_avg]} ($(bench_verdict "${ratio[$mode.csat_avg]}" 1.05)) | ${ratio[$mode.csat_sql]} | ${median[$mode.ces]} | ${median[$mode.ces_sql]} | ${ratio[$mode.ces_avg]} ($(bench_verdict "${ratio[$mode.ces_avg]}" 1.05)) |"
	done
} >"$report"
cat "$report"
cat "$report" >>"$results"
rm -f "$report"
say "appended to $results"
