#!/usr/bin/env bash
# Benchmark of the value analysis (not a timed test): 200 000 accounts with
# 4 million orders over three years in a throwaway cluster;
# kam.account_value_as_of() for all accounts timed side by side with the
# bare floor (one GROUP BY with max, count, sum over the same orders) and
# with the plain-SQL RFM a user would write (three ntile(5) windows).
# Prints the ratios and appends them, with date and machine, to
# test/bench/RESULTS.md.
#
# Usage: test/bench/value_bench.sh [accounts] [orders] [repetitions]
source "$(dirname "$0")/../../tools/lib.sh"
source "$(dirname "$0")/lib.sh"

accounts=${1:-200000}
orders=${2:-4000000}
reps=${3:-7}

kam_setup
kam_start_cluster "shared_buffers = 2GB" "work_mem = 256MB" "max_worker_processes = 8" \
	"max_parallel_workers = 8" "jit = off"
kam_psql -c 'CREATE EXTENSION kam'

say "building $accounts accounts with $orders orders"
kam_psql >/dev/null <<SQL
SELECT setseed(0.42);
INSERT INTO kam.account (account_id, name, strategic_importance)
SELECT i, 'account ' || i, 1 + (i % 5) FROM generate_series(1, $accounts) AS i;
INSERT INTO kam.sales_order (account_id, order_date, amount, margin)
SELECT account_id, order_date, amount, round(amount * 0.2, 2)
FROM (SELECT 1 + floor(random() * $accounts)::int AS account_id,
             date '2023-07-01' + floor(random() * 1096)::int AS order_date,
             round((10 + random() * 9990)::numeric, 2) AS amount
      FROM generate_series(1, $orders)) AS o;
VACUUM (FREEZE, ANALYZE) kam.sales_order;
VACUUM (FREEZE, ANALYZE) kam.account;
SQL

declare -A query
query[floor]="SELECT count(*), max(last_order), sum(orders), sum(revenue) FROM (
    SELECT account_id, max(order_date) AS last_order, count(*) AS orders, sum(amount) AS revenue
    FROM kam.sales_order GROUP BY 1) AS g"
query[kam]="SELECT count(*), sum(r_score), sum(f_score), sum(m_score), count(rfm_segment), count(abc_class), sum(clv)
    FROM kam.account_value_as_of('2026-06-30')"
query[ntile]="SELECT count(*), sum(r), sum(f), sum(m) FROM (
    SELECT account_id, ntile(5) OVER (ORDER BY last_order) AS r, ntile(5) OVER (ORDER BY orders) AS f,
           ntile(5) OVER (ORDER BY revenue) AS m
    FROM (SELECT account_id, max(order_date) AS last_order,
                 count(*) FILTER (WHERE order_date > '2025-06-30') AS orders,
                 coalesce(sum(amount) FILTER (WHERE order_date > '2025-06-30'), 0) AS revenue
          FROM kam.sales_order WHERE order_date <= '2026-06-30' GROUP BY account_id) AS a) AS s"
query[class]="SELECT count(*), count(class), count(decided_by) FROM kam.account_classification_as_of('2026-06-30')"
variants=(floor kam ntile class)

script=$(mktemp)
{
	echo 'SET max_parallel_workers_per_gather = 0;'
	for v in "${variants[@]}"; do echo "${query[$v]};"; done
	echo '\timing on'
	bench_rotation "$reps" %s "${variants[@]}"
} >"$script"
psql -X -q -v ON_ERROR_STOP=1 -f "$script" |
	awk '/^(floor|kam|ntile|class)$/ { v = $1 } /^Time: / { print v, $2 }' >"$script.times"

r_floor=$(bench_paired "$script.times" kam floor ${#variants[@]})
r_ntile=$(bench_paired "$script.times" kam ntile ${#variants[@]})
c_floor=$(bench_paired "$script.times" class floor ${#variants[@]})
c_ntile=$(bench_paired "$script.times" class ntile ${#variants[@]})
results=$KAM_ROOT/test/bench/RESULTS.md
machine=$(bench_machine)
report=$(mktemp)
{
	echo
	echo "## Value analysis (account_value, classification), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $machine; $(psql -XAtc 'SELECT version()' | cut -d, -f1); kam $(git -C "$KAM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- data: $accounts accounts, $orders orders (numeric amounts) over 2023-07-01..2026-06-30; as of 2026-06-30; serial; $reps runs each, rotating order, after a warm-up; jit off"
	echo
	echo "| query | median ms |"
	echo "|---|---|"
	echo "| floor: GROUP BY account with max(date), count(*), sum(amount) | $(bench_median "$script.times" floor) |"
	echo "| kam.account_value_as_of (RFM, segment, ABC, CLV, growth, ...) | $(bench_median "$script.times" kam) |"
	echo "| plain SQL: GROUP BY + three ntile(5) windows | $(bench_median "$script.times" ntile) |"
	echo "| kam.account_classification_as_of (the above plus the class rules) | $(bench_median "$script.times" class) |"
	echo
	echo "| ratio (median of within-repetition ratios) | value | target |"
	echo "|---|---|---|"
	echo "| account_value / floor | $r_floor | <= 1.20 ($(bench_verdict "$r_floor" 1.20)) |"
	echo "| account_value / plain SQL ntile | $r_ntile | < 1.00 ($(bench_verdict "$r_ntile" 0.9999)) |"
	echo "| classification / floor | $c_floor | <= 1.20 ($(bench_verdict "$c_floor" 1.20)) |"
	echo "| classification / plain SQL ntile | $c_ntile | < 1.00 ($(bench_verdict "$c_ntile" 0.9999)) |"
} >"$report"
cat "$report"
cat "$report" >>"$results"
rm -f "$report" "$script" "$script.times"
say "appended to $results"
