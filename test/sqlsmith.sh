#!/usr/bin/env bash
# Random SQL: sqlsmith (Debian package) against a database with kam and the
# demo data, QUERIES queries (default 5000; seed fixed, so a run can be
# repeated).  Its relations are kam's tables and views only
# (--exclude-catalog, the demo's source schema dropped); its functions and
# aggregates every one in the catalog, kam's among them.  It runs as a role
# in kam_admin (sees every row) without superuser, each statement limited to
# 2 s.  Afterwards the server log must show no backend terminated by a
# signal, no assertion failure (TRAP) and no PANIC, and the server answers.
# Prints TAP.  Needs PGHOST/PGPORT/PGUSER of a running server and its log
# file in KAM_SERVER_LOG (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
queries=${1:-5000}
log=${KAM_SERVER_LOG:?the server log file}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
db=kam_sqlsmith

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# (the log belongs to the postgres user: root reads it, others through sudo)
crashes() { { cat "$log" 2>/dev/null || sudo -n cat "$log"; } | grep -cE 'terminated by signal|TRAP:|PANIC:' || true; }

q -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db"
q -c "DO \$\$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kam_smith') THEN DROP OWNED BY kam_smith; DROP ROLE kam_smith; END IF; END \$\$"
q -c "CREATE DATABASE $db"
q -d "$db" -c 'CREATE EXTENSION kam'
q -d "$db" -c "DO \$\$ DECLARE r text; BEGIN
    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'kam\_demo\_%' LOOP
        EXECUTE format('DROP OWNED BY %I', r); EXECUTE format('DROP ROLE %I', r); END LOOP; END \$\$"
q -d "$db" -f "$root/demo/load_northwind.sql" >/dev/null
q -d "$db" -c 'SET client_min_messages = warning' -c 'DROP SCHEMA northwind CASCADE' -c "SELECT kam.snapshot_kpis('1998-05-06')" >/dev/null
q -d "$db" -c "SELECT kam.fit_clv_model('1998-05-06')" >/dev/null 2>&1
created_admin=$(q -c "SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kam_admin')")
[ "$created_admin" = t ] && q -c 'CREATE ROLE kam_admin NOLOGIN'
q -c 'CREATE ROLE kam_smith LOGIN IN ROLE kam_admin' -c "ALTER ROLE kam_smith SET statement_timeout = '2s'"
q -d "$db" -c 'GRANT USAGE ON SCHEMA kam TO kam_smith' -c 'GRANT SELECT ON ALL TABLES IN SCHEMA kam TO kam_smith'

before=$(crashes)
status=0
# (libpq keyword "host": a socket directory or a host name, as PGHOST says)
timeout 900 sqlsmith --target="host=${PGHOST:-/var/run/postgresql} port=${PGPORT:-5432} user=kam_smith dbname=$db" \
	--exclude-catalog --max-queries="$queries" --seed=20261123 --verbose --dump-all-queries \
	>"$work/queries.sql" 2>"$work/sqlsmith.log" || status=$?
generated=$(grep -c ';$' "$work/queries.sql" || true)
with_kam=$(grep -cE 'kam\.[a-z_0-9]+\(' "$work/queries.sql" || true)
echo "# sqlsmith's $(grep -oE 'error rate: [0-9.]+' "$work/sqlsmith.log" | tail -1 || true) (most are type errors of its own making)"
check "sqlsmith ran $generated queries ($with_kam calling kam functions or aggregates) to the end (status $status)" \
	test "$status" -eq 0 -a "$generated" -ge "$queries"
check "no backend terminated by a signal, no assertion failure, no PANIC in the server log" \
	test "$(crashes)" -eq "$before"
check "the server answers" test "$(q -d "$db" -c 'SELECT 1')" = 1

q -c "DROP DATABASE $db" -c 'DROP ROLE kam_smith'
[ "$created_admin" = t ] && q -c 'DROP ROLE kam_admin'
tap_plan
