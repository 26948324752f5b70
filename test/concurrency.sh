#!/usr/bin/env bash
# Concurrent writers and the KPI snapshot at once, with pgbench: 6 clients
# for SECONDS seconds (default 15) over the server's Unix socket, mixing a
# writer script (an interaction, an order and a survey answer for a random
# account, in one transaction) with the snapshot job (kam.snapshot_kpis of
# one of the last three days).  Then: no failed transaction and no deadlock
# in the server log, every written row there exactly once (the writers'
# rows against pgbench's count of their transactions), no duplicate KPI row
# and every snapshotted day complete.  Prints TAP.
# Needs PGHOST/PGPORT/PGUSER of a running server and its log file in
# KAM_SERVER_LOG (tools/test).
set -euo pipefail
seconds=${1:-15}
log=${KAM_SERVER_LOG:?the server log file}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d kam_concurrency "$@"; }
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# (the log belongs to the postgres user: root reads it, others through sudo)
deadlocks() { { cat "$log" 2>/dev/null || sudo -n cat "$log"; } | grep -c 'deadlock detected' || true; }

psql -X -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS kam_concurrency'
psql -X -q -c 'CREATE DATABASE kam_concurrency'
q -c 'CREATE EXTENSION kam'
q >/dev/null <<'SQL'
INSERT INTO kam.account (account_id, name, strategic_importance)
SELECT i, 'bench account ' || i, 1 + i % 5 FROM generate_series(1, 200) AS i;
INSERT INTO kam.sales_order (account_id, order_date, amount)
SELECT 1 + i % 200, current_date - (i % 700), 100 + i % 37 FROM generate_series(1, 4000) AS i;
SQL

cat >"$work/writer.sql" <<'SQL'
\set account random(1, 200)
BEGIN;
INSERT INTO kam.interaction (account_id, internal_person, occurred_at, channel, direction, note)
VALUES (:account, 'pgbench', now(), 'phone', 'two_way', 'pgbench ' || :client_id);
INSERT INTO kam.sales_order (account_id, order_date, amount, order_ref)
VALUES (:account, current_date, 10, 'pgbench ' || :client_id || ' ' || txid_current());
INSERT INTO kam.survey_response (account_id, responded_on, kind, score)
VALUES (:account, current_date, 'ces', 4);
END;
SQL
cat >"$work/snapshot.sql" <<'SQL'
\set back random(0, 2)
SELECT kam.snapshot_kpis(current_date - :back);
SQL
ces_before=$(q -c "SELECT count(*) FROM kam.survey_response WHERE kind = 'ces'")
before=$(deadlocks)
status=0
pgbench -n -c 6 -j 2 -T "$seconds" -f "$work/writer.sql@4" -f "$work/snapshot.sql@1" kam_concurrency \
	>"$work/pgbench.out" 2>&1 || status=$?
grep -E 'number of (transactions actually processed|failed transactions)|tps' "$work/pgbench.out" | sed 's/^/# /'
writes=$(awk '/SQL script 1:/ { s = 1 } s && /transactions/ { print $2; exit }' "$work/pgbench.out")
snapshots=$(awk '/SQL script 2:/ { s = 1 } s && /transactions/ { print $2; exit }' "$work/pgbench.out")
failed=$(grep -m1 -oE 'number of failed transactions: [0-9]+' "$work/pgbench.out" | grep -oE '[0-9]+$' || echo 0)
check "pgbench: $writes writer and $snapshots snapshot transactions in $seconds s over 6 clients, none failed (status $status)" \
	test "$status" -eq 0 -a "${failed:-0}" -eq 0 -a "${writes:-0}" -gt 0 -a "${snapshots:-0}" -gt 0
check "no deadlock in the server log" test "$(deadlocks)" -eq "$before"
check "every writer transaction's rows are there exactly once ($writes each)" test \
	"$(q -c "SELECT count(*) FROM kam.interaction WHERE internal_person = 'pgbench'")|$(q -c "SELECT count(*) FROM kam.sales_order WHERE order_ref LIKE 'pgbench %'")|$(($(q -c "SELECT count(*) FROM kam.survey_response WHERE kind = 'ces'") - ces_before))" \
	= "$writes|$writes|$writes"
check "no duplicate KPI row" test "$(q -c "SELECT count(*) - count(DISTINCT (as_of, account_id, kpi)) FROM kam.kpi_history")" -eq 0
check "every snapshotted day has every account's KPIs" test "$(q -c "
	SELECT count(*) FROM (SELECT as_of, count(DISTINCT account_id) AS accounts FROM kam.kpi_history GROUP BY as_of) AS d
	WHERE accounts <> 200")" -eq 0
[ "$status" -eq 0 ] || sed 's/^/# /' "$work/pgbench.out"
psql -X -q -c 'DROP DATABASE kam_concurrency'
tap_plan
