#!/usr/bin/env bash
# KPI history on a schedule and under concurrency (prints TAP):
# - pg_cron (server started with shared_preload_libraries = pg_cron,
#   cron.database_name = postgres, cron.use_background_workers = on) runs
#   kam.snapshot_kpis() for real, from a job scheduled every minute;
# - four sessions snapshot the same day at once while two others write:
#   no error, no deadlock, no duplicate, every row there.
# Needs PGHOST/PGPORT/PGUSER of such a running server (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@"; }
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

q -c 'CREATE EXTENSION IF NOT EXISTS pg_cron' -c 'DROP EXTENSION IF EXISTS kam CASCADE' -c 'CREATE EXTENSION kam'
q >/dev/null <<'SQL'
INSERT INTO kam.account (account_id, name, strategic_importance)
SELECT i, 'cron account ' || i, 1 + i % 5 FROM generate_series(1, 200) AS i;
INSERT INTO kam.sales_order (account_id, order_date, amount)
SELECT 1 + i % 200, current_date - (i % 700), 100 + i % 37 FROM generate_series(1, 4000) AS i;
INSERT INTO kam.survey_response (account_id, responded_on, kind, score)
SELECT 1 + i % 200, current_date - (i % 300), 'nps', i % 11 FROM generate_series(1, 2000) AS i;
SQL

# --- concurrency: 4 snapshots of one day and 2 writers at the same time
expected=$(q -c "SELECT count(*) FROM kam.account_kpi_as_of(current_date - 1)")
pids=()
logs=$(mktemp -d)
for i in 1 2 3 4; do
	q -c "SELECT kam.snapshot_kpis(current_date - 1)" >"$logs/snapshot$i" 2>&1 &
	pids+=($!)
done
for i in 1 2; do
	q -c "INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction)
	      SELECT 1 + g % 200, 'writer$i', now() - make_interval(days => g % 90), 'phone', 'two_way'
	      FROM generate_series(1, 5000) AS g" >"$logs/writer$i" 2>&1 &
	pids+=($!)
done
failures=0
for pid in "${pids[@]}"; do wait "$pid" || failures=$((failures + 1)); done
check "4 concurrent snapshots and 2 writers all succeed (no deadlock, no error)" [ "$failures" -eq 0 ]
grep -h ERROR "$logs"/* || true
rm -rf "$logs"
check "no duplicate KPI rows" [ "$(q -c "SELECT count(*) - count(DISTINCT (as_of, account_id, kpi)) FROM kam.kpi_history")" = 0 ]
check "every account and KPI stored once ($expected rows)" \
	[ "$(q -c "SELECT count(*) FROM kam.kpi_history WHERE as_of = current_date - 1")" = "$expected" ]
check "the writers' rows all arrived" [ "$(q -c "SELECT count(*) FROM kam.interaction")" = 10000 ]

# --- pg_cron: the nightly line, here every minute, run for real
q -c "SELECT cron.schedule('kam-kpi-snapshot', '* * * * *', 'SELECT kam.snapshot_kpis()')" >/dev/null
ran=no
for _ in $(seq 1 75); do
	if [ "$(q -c "SELECT count(*) FROM cron.job_run_details AS d JOIN cron.job AS j USING (jobid)
	              WHERE j.jobname = 'kam-kpi-snapshot' AND d.status = 'succeeded'")" -gt 0 ]; then
		ran=yes
		break
	fi
	sleep 2
done
check "pg_cron ran kam.snapshot_kpis() and it succeeded" [ "$ran" = yes ]
check "the scheduled snapshot stored today's KPIs" \
	[ "$(q -c "SELECT count(*) FROM kam.kpi_history WHERE as_of = current_date")" -gt 0 ]
q -c "SELECT cron.unschedule('kam-kpi-snapshot')" >/dev/null
q -c 'DROP EXTENSION kam CASCADE' -c 'DROP EXTENSION pg_cron'
tap_plan
