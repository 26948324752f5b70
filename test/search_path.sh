#!/usr/bin/env bash
# search_path safety under attack.  An unprivileged role that may create
# objects in schema public plants look-alikes of the built-in functions,
# aggregates and operators that kam's code uses: the same signatures, and
# for every argument the signatures a better-matching overload would have
# (a date where pg_catalog wants a timestamp, an integer where it wants a
# numeric, ...).  Each look-alike raises "hijacked".  Then, in that
# database: CREATE EXTENSION kam must bind none of them; and with
# search_path = public, pg_catalog (public first: even the exact copies win
# any unqualified lookup) every kam view, as-of function, trigger and the
# KPI snapshot must give the same rows as with a clean search_path.
# Prints TAP.  Needs PGHOST/PGPORT/PGUSER of a running server (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
db=kam_hostile

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

current=$(q -c "SELECT default_version FROM pg_available_extensions WHERE name = 'kam'")
script="$(pg_config --sharedir 2>/dev/null || /usr/lib/postgresql/15/bin/pg_config --sharedir)/extension/kam--$current.sql"
[ -f "$script" ] || script="$root/kam--$current.sql"

q -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db"
q -c "DO \$\$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kam_mallory') THEN
          DROP OWNED BY kam_mallory; DROP ROLE kam_mallory; END IF; END \$\$"
q -c 'CREATE ROLE kam_mallory LOGIN'
q -c "CREATE DATABASE $db"
q -d "$db" -c 'GRANT CREATE ON SCHEMA public TO kam_mallory'

# The names kam's install script calls (an identifier before "("), the
# operators it writes, and the types an argument may be given in.
grep -v '^ *--' "$script" | grep -oE '\b[a-z_][a-z0-9_]*\(' | tr -d '(' | sort -u >"$work/names"
q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TABLE pg_temp.called (name text);
\copy pg_temp.called FROM '$work/names'
GRANT SELECT ON pg_temp.called TO kam_mallory;
SET ROLE kam_mallory;
CREATE FUNCTION public.hijacked() RETURNS void LANGUAGE plpgsql AS
\$f\$ BEGIN RAISE EXCEPTION 'hijacked: kam called a look-alike in schema public'; END \$f\$;
DO \$do\$
DECLARE
    f record;
    t text;
    i int;
    args text[];
    made int := 0;
    types text[] := ARRAY['integer', 'bigint', 'smallint', 'numeric', 'double precision', 'real', 'date',
                          'timestamp', 'timestamptz', 'text', 'boolean', 'interval', 'anyelement'];
    op text;
    l text;
    r text;
BEGIN
    -- functions and aggregates: each signature as is, and with each argument
    -- replaced by each of the types above
    FOR f IN
        SELECT p.proname, p.prokind, p.proretset,
               string_to_array(pg_get_function_identity_arguments(p.oid), ', ') AS a,
               pg_get_function_result(p.oid) AS result
        FROM pg_proc AS p
        WHERE p.pronamespace = 'pg_catalog'::regnamespace
          AND p.proname IN (SELECT name FROM pg_temp.called)
          AND p.prokind IN ('f', 'a') AND pg_get_function_identity_arguments(p.oid) !~ '(internal|VARIADIC|anycompatible|"any"|cstring)'
          AND pg_get_function_result(p.oid) !~ '(internal|anycompatible|TABLE|cstring|trigger|record)'
    LOOP
        FOR i IN 0 .. coalesce(cardinality(f.a), 0) LOOP
            FOREACH t IN ARRAY CASE WHEN i = 0 THEN ARRAY[NULL] ELSE types END LOOP
                args := coalesce(f.a, '{}');
                IF i > 0 THEN
                    args[i] := t;
                END IF;
                BEGIN
                    IF f.prokind = 'a' THEN
                        EXECUTE format('CREATE FUNCTION public.%I_hijack(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                                       f.proname, concat_ws(', ', 'anyelement', VARIADIC args), 'anyelement',
                                       'BEGIN PERFORM public.hijacked(); RETURN NULL; END');
                        EXECUTE format('CREATE AGGREGATE public.%I(%s) (SFUNC = public.%I_hijack, STYPE = anyelement)',
                                       f.proname, array_to_string(args, ', '), f.proname);
                    ELSE
                        EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s%s LANGUAGE plpgsql VOLATILE AS %L',
                                       f.proname, array_to_string(args, ', '),
                                       CASE WHEN f.proretset THEN 'SETOF ' ELSE '' END,
                                       regexp_replace(f.result, '^SETOF ', ''),
                                       'BEGIN PERFORM public.hijacked(); END');
                    END IF;
                    made := made + 1;
                EXCEPTION WHEN OTHERS THEN
                    NULL;	-- a duplicate, or a combination PostgreSQL refuses
                END;
            END LOOP;
        END LOOP;
    END LOOP;
    -- operators: every pair of the types above
    FOREACH l IN ARRAY types[1:12] LOOP
        FOREACH r IN ARRAY types[1:12] LOOP
            EXECUTE format('CREATE FUNCTION public.op_hijack(%s, %s) RETURNS boolean LANGUAGE plpgsql VOLATILE AS %L',
                           l, r, 'BEGIN PERFORM public.hijacked(); RETURN NULL; END');
            FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '||', '~', '&&', '@>', '<@'] LOOP
                BEGIN
                    EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.op_hijack)', op, l, r);
                    made := made + 1;
                EXCEPTION WHEN OTHERS THEN
                    NULL;
                END;
            END LOOP;
        END LOOP;
    END LOOP;
    CREATE TABLE public.account (account_id bigint);
    CREATE TABLE public.setting (name text, value text);
    RAISE NOTICE 'look-alikes: %', made;
END \$do\$;
SQL
made=$(q -d "$db" -c "SELECT (SELECT count(*) FROM pg_proc WHERE proowner = 'kam_mallory'::regrole)
                            + (SELECT count(*) FROM pg_operator WHERE oprowner = 'kam_mallory'::regrole)")
check "the attacker planted $made look-alike functions, aggregates and operators in public" test "$made" -gt 1000

check "CREATE EXTENSION kam succeeds among them" q -d "$db" -c 'CREATE EXTENSION kam'
# the script pins its own path; the caller's must be as it was afterwards
# (a plain SET in the script had left the caller on pg_catalog, pg_temp)
after=$(q -d "$db" -c 'SET search_path = public, kam' -c 'DROP EXTENSION kam' -c 'CREATE EXTENSION kam' \
	-c "SELECT current_setting('search_path')")
check "CREATE EXTENSION leaves the caller's search_path as it was (public, kam: $after)" test "$after" = "public, kam"
# (ALTER EXTENSION UPDATE: test/upgrade.sh)
bound=$(q -d "$db" -c "SELECT count(*) FROM pg_depend AS d
                       WHERE (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT oid FROM pg_proc WHERE proowner = 'kam_mallory'::regrole)
                           OR d.refclassid = 'pg_operator'::regclass AND d.refobjid IN (SELECT oid FROM pg_operator WHERE oprowner = 'kam_mallory'::regrole)
                           OR d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM pg_class WHERE relowner = 'kam_mallory'::regrole))
                         AND NOT (d.classid = 'pg_proc'::regclass AND d.objid IN (SELECT oid FROM pg_proc WHERE proowner = 'kam_mallory'::regrole))
                         AND NOT (d.classid = 'pg_operator'::regclass AND d.objid IN (SELECT oid FROM pg_operator WHERE oprowner = 'kam_mallory'::regrole))
                         AND NOT (d.classid = 'pg_type'::regclass AND d.objid IN (SELECT oid FROM pg_type WHERE typowner = 'kam_mallory'::regrole))
                         AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (SELECT oid FROM pg_class WHERE relowner = 'kam_mallory'::regrole))")
check "no kam object is bound to a look-alike (dependencies on them: $bound)" test "$bound" -eq 0

# data, loaded with a clean path (the loader is the user's script, not kam's)
q -d "$db" -c "DO \$\$ DECLARE r text; BEGIN
    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'kam\_demo\_%' LOOP
        EXECUTE format('DROP OWNED BY %I', r); EXECUTE format('DROP ROLE %I', r); END LOOP; END \$\$"
PGOPTIONS='-c search_path=pg_catalog,pg_temp' q -d "$db" -f "$root/demo/load_northwind.sql" >/dev/null
# statistics now, so that autovacuum cannot change the plans between the two
# runs below (a sum of doubles depends on the order the plan feeds it)
q -d "$db" -c 'ANALYZE'

# every kam view and as-of function: count and checksum of its rows.  Only
# kam's call runs under the path given; the checksum is taken with a clean
# one, doubles to 12 digits (a sum of doubles depends on the plan's order,
# and statistics may change between the runs).
q -d "$db" -c "SELECT format('CREATE TEMP TABLE r AS SELECT * FROM %s', c.oid::regclass) || '|' || c.oid::regclass
               FROM pg_class AS c WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'v'
               UNION ALL
               SELECT format('CREATE TEMP TABLE r AS SELECT * FROM %s(''1998-05-06'')', p.oid::regproc) || '|' || p.proname
               FROM pg_proc AS p WHERE p.pronamespace = 'kam'::regnamespace AND p.proname LIKE '%\_as\_of' AND p.proretset
                 AND pg_get_function_identity_arguments(p.oid) = 'as_of date'
               ORDER BY 1" >"$work/queries"
results() {	# results <search_path>
	local query name
	while IFS='|' read -r query name; do
		PGOPTIONS='-c search_path=pg_catalog,pg_temp' q -d "$db" </dev/null 2>"$work/error" \
			-c "SET search_path = $1" -c "$query" -c 'SET search_path = pg_catalog, pg_temp' -c 'SET extra_float_digits = -3' \
			-c "SELECT '$name ' || count(*) || ' ' || md5(coalesce(string_agg(r::text, E'\n' ORDER BY r::text), '')) FROM r" ||
			echo "$name ERROR $(head -1 "$work/error")"
	done <"$work/queries"
}
results 'pg_catalog,pg_temp' >"$work/clean"
results 'public,pg_catalog' >"$work/hostile"
check "$(wc -l <"$work/queries") views and as-of functions answer with search_path = public, pg_catalog" \
	bash -c "[ \$(wc -l <'$work/hostile') -gt 20 ] && ! grep -q 'hijacked\|ERROR' '$work/hostile'"
check "... with the same rows as with a clean search_path" diff -u "$work/clean" "$work/hostile"
check "their results are not empty" test "$(awk '$2 > 0' "$work/clean" | wc -l)" -gt 10
hostile() { PGOPTIONS='-c search_path=public,pg_catalog' q -d "$db" "$@"; }
# (the test's own operators are qualified: the look-alikes would take them)
check "triggers and defaults run kam's code: an account, a parent, a contact, an order" hostile -c "
    INSERT INTO kam.account (external_ref, name) VALUES ('HOST1', 'Hostile One'), ('HOST2', 'Hostile Two');
    UPDATE kam.account SET parent_account_id = (SELECT account_id FROM kam.account WHERE external_ref OPERATOR(pg_catalog.=) 'HOST1')
    WHERE external_ref OPERATOR(pg_catalog.=) 'HOST2';
    INSERT INTO kam.contact (account_id, name, email)
    SELECT account_id, 'A. Person', 'a@example.com' FROM kam.account WHERE external_ref OPERATOR(pg_catalog.=) 'HOST1';
    INSERT INTO kam.sales_order (account_id, order_date, amount, margin, currency)
    SELECT account_id, '1998-05-01', 100.50, 20, 'USD' FROM kam.account WHERE external_ref OPERATOR(pg_catalog.=) 'HOST1'"
check "a cycle of parents is still refused" \
	bash -c "PGOPTIONS='-c search_path=public,pg_catalog' psql -X -q -d $db -c \"UPDATE kam.account SET parent_account_id = (SELECT account_id FROM kam.account WHERE external_ref OPERATOR(pg_catalog.=) 'HOST2') WHERE external_ref OPERATOR(pg_catalog.=) 'HOST1'\" 2>&1 | grep -q 'would make a cycle'"
check "the KPI snapshot runs" hostile -c "SELECT kam.snapshot_kpis('1998-05-06')"
check "the CLV fit runs" hostile -c "SELECT kam.fit_clv_model('1998-05-06')"

# the scripts themselves: plain CREATE, one pinned path, every SECURITY DEFINER
# explained.  (Upgrade scripts must CREATE OR REPLACE a function whose body
# changes: safe there, as schema kam is the extension's and no one else
# creates objects in it.)
scripts=$(ls "$root"/kam--*.sql | grep -v -- '--.*--')
check "no install script uses CREATE OR REPLACE or IF NOT EXISTS" \
	bash -c "! grep -niE 'OR REPLACE|IF NOT EXISTS' $(echo $scripts)"
check "every SQL and PL/pgSQL function pins search_path (or is BEGIN ATOMIC), SECURITY DEFINER ones included" \
	test "$(q -d "$db" -c "SELECT count(*) FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
	                        WHERE p.pronamespace = 'kam'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
	                          AND p.prosqlbody IS NULL
	                          AND NOT coalesce(p.proconfig && ARRAY['search_path=pg_catalog, pg_temp'], false)")" -eq 0
definers=$(grep -c 'SECURITY DEFINER$' "$root/kam--$current.sql" || true)
reasons=$(grep -c '^-- SECURITY DEFINER, and why:' "$root/kam--$current.sql" || true)
check "each SECURITY DEFINER function has its reason next to it ($definers functions, $reasons reasons)" \
	test "$definers" -eq "$reasons"

q -c "DROP DATABASE $db"
q -c 'DROP ROLE kam_mallory'
tap_plan
