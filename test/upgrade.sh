#!/usr/bin/env bash
# Upgrades: from every released kam version (every version with an update
# path to the current one) ALTER EXTENSION kam UPDATE gives the same objects
# as a fresh install, and keeps every row.
#
# "The same objects": pg_dump --binary-upgrade --schema-only writes every
# member object of the extension (types, functions, aggregates, tables,
# views, policies, comments, privileges) one by one; both databases' dumps
# are compared after removing what only names OIDs.  The rows: every kam
# table's count and checksum before and after the update.
# Prints TAP.  Needs PGHOST/PGPORT/PGUSER of a running server (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# The member objects of kam in a database, without OIDs.
catalog_of() {
	pg_dump --binary-upgrade --schema-only -d "$1" 2>/dev/null |
		grep -v -e 'binary_upgrade_set_' -e '^-- For binary upgrade' -e '^\\restrict' -e '^\\unrestrict' |
		perl -0pe 's/UPDATE pg_catalog\.pg_class\nSET relfrozenxid[^\n]*\nWHERE oid = [^\n]*;\n//g' |
		sed -e 's/binary_upgrade_create_empty_extension(\(.*\), '"'"'{[0-9,]*}'"'"', .*$/binary_upgrade_create_empty_extension(\1, <config tables below>)/'
	# the configuration tables pg_dump dumps, and their conditions, by name
	q -d "$1" -c "SELECT c.oid::regclass, coalesce(e.extcondition[i], '')
	              FROM pg_extension AS e, generate_subscripts(e.extconfig, 1) AS i, pg_class AS c
	              WHERE e.extname = 'kam' AND c.oid = e.extconfig[i] ORDER BY 1"
}

# count and md5 of the ordered rows of every table in schema kam, over the
# columns the tables had before the update (listed in $work/columns)
columns_of() {
	q -d "$1" -c "SELECT c.oid::regclass || '|' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
	              FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	              WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'r' GROUP BY c.oid ORDER BY 1"
}
rows_of() {
	local table columns
	while IFS='|' read -r table columns; do
		q -d "$1" -c "SELECT '$table ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, E'\n' ORDER BY r::text)), '')
		              FROM (SELECT $columns FROM $table) AS r" </dev/null
	done <"$work/columns"
}

current=$(q -c "SELECT default_version FROM pg_available_extensions WHERE name = 'kam'")
q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS kam_fresh'
q -c 'CREATE DATABASE kam_fresh'
q -d kam_fresh -c 'CREATE EXTENSION kam'
catalog_of kam_fresh >"$work/fresh"
check "a fresh install has member objects to compare ($(grep -c '^-- Name: ' "$work/fresh") described)" \
	test "$(grep -c '^-- Name: ' "$work/fresh")" -gt 100

sources=$(q -d kam_fresh -c "SELECT source FROM pg_extension_update_paths('kam')
                            WHERE target = '$current' AND path IS NOT NULL AND source <> '$current'
                            ORDER BY string_to_array(source, '.')::int[]")
check "there is a released version to upgrade from ($(echo $sources))" test -n "$sources"
for from in $sources; do
	db=kam_from_${from//./_}
	q -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS ${db}_empty"
	# the objects: an install of $from updated, against a fresh install
	q -c "CREATE DATABASE ${db}_empty"
	# (in one session: the update script pins its own search_path, and the
	# caller's must be as it was afterwards)
	after=$(q -d "${db}_empty" -c 'SET search_path = public, kam' -c "CREATE EXTENSION kam VERSION '$from'" \
		-c 'ALTER EXTENSION kam UPDATE' -c "SELECT current_setting('search_path')")
	check "$from: the update leaves the caller's search_path as it was (public, kam: $after)" test "$after" = "public, kam"
	catalog_of "${db}_empty" >"$work/upgraded"
	check "$from: the upgraded objects equal a fresh install's" diff -u "$work/fresh" "$work/upgraded"
	q -c "DROP DATABASE ${db}_empty"
	# the rows: data loaded under $from, then the update
	q -c "CREATE DATABASE $db"
	q -d "$db" -c "CREATE EXTENSION kam VERSION '$from'"
	# the demo's roles may exist from an earlier database of this cluster
	q -d "$db" -c "DO \$\$ DECLARE r text; BEGIN
	    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'kam\_demo\_%' LOOP
	        EXECUTE format('DROP OWNED BY %I', r); EXECUTE format('DROP ROLE %I', r); END LOOP; END \$\$"
	q -d "$db" -f "$root/demo/load_northwind.sql" >/dev/null
	q -d "$db" -c "SELECT kam.snapshot_kpis('1998-05-06')" \
		-c "INSERT INTO kam.setting (name, valid_from, value) VALUES ('clv_discount_rate', '1997-01-01', '0.12')" >/dev/null
	columns_of "$db" >"$work/columns"
	rows_of "$db" >"$work/before"
	check "$from: data loaded ($(wc -l <"$work/before") tables, $(awk '{ s += $2 } END { print s }' "$work/before") rows)" \
		test "$(awk '{ s += $2 } END { print s }' "$work/before")" -gt 1000
	check "$from: ALTER EXTENSION kam UPDATE succeeds" q -d "$db" -c 'ALTER EXTENSION kam UPDATE'
	check "$from: the version is now $current" \
		test "$(q -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'kam'")" = "$current"
	rows_of "$db" >"$work/after"
	check "$from: every table keeps its rows (count and checksum)" diff -u "$work/before" "$work/after"
	check "$from: the views answer after the update" \
		test "$(q -d "$db" -c "SELECT count(*) FROM kam.account_360")" -gt 0
	q -c "DROP DATABASE $db"
done
q -c 'DROP DATABASE kam_fresh'
tap_plan
