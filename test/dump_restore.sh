#!/usr/bin/env bash
# pg_dump of a database with kam and data, pg_restore into a new database:
# every kam table keeps its rows (count and checksum compared), the
# identity sequences continue, and the functions give the same results.
# Prints TAP.  Needs PGHOST/PGPORT/PGUSER of a running server (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS kam_dump_source' \
	-c 'DROP DATABASE IF EXISTS kam_dump_target'
q -c 'CREATE DATABASE kam_dump_source'
q -d kam_dump_source -c 'CREATE EXTENSION kam'
# the roles of the demo data may exist from an earlier run of this cluster
q -d kam_dump_source -c "DO \$\$ DECLARE r text; BEGIN
    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'kam\_demo\_%' LOOP
        EXECUTE format('DROP OWNED BY %I', r); EXECUTE format('DROP ROLE %I', r); END LOOP; END \$\$"
q -d kam_dump_source -f "$root/demo/load_northwind.sql" >/dev/null
# one row in every configuration table
q -d kam_dump_source <<'SQL'
-- groups of companies: the self-reference must survive the restore
UPDATE kam.account SET parent_account_id = (SELECT account_id FROM kam.account WHERE external_ref = 'ALFKI')
WHERE external_ref IN ('ANATR', 'ANTON');
INSERT INTO kam.setting (name, valid_from, value) VALUES ('clv_discount_rate', '1997-01-01', '0.12');
INSERT INTO kam.exchange_rate (currency, valid_from, rate) VALUES ('EUR', '1996-01-01', 1.25);
INSERT INTO kam.rfm_cut (dimension, valid_from, cuts) VALUES ('recency', '1998-01-01', '{30,60,120,240}');
INSERT INTO kam.rfm_segment_rule (valid_from, priority, segment, r_min) VALUES
    ('1998-01-01', 1, 'Recent', 4), ('1998-01-01', 2, 'Other', 1);
INSERT INTO kam.abc_rule (valid_from, a_cutoff, b_cutoff, basis) VALUES ('1998-01-01', 0.7, 0.9, 'margin');
INSERT INTO kam.classification_rule (valid_from, priority, class, abc_classes, description) VALUES
    ('1998-01-01', 1, 'core', '{A}', 'A'), ('1998-01-01', 2, 'general', NULL, 'rest');
SELECT model_id FROM kam.fit_clv_model('1998-05-06');
INSERT INTO kam.relationship_weight (kind, name, valid_from, weight) VALUES ('channel', 'visit', '1998-01-01', 4);
INSERT INTO kam.contact_plan (class, valid_from, max_days) VALUES ('core', '1998-01-01', 21);
INSERT INTO kam.kpi_threshold (kpi, class, valid_from, target, warning, critical) VALUES ('nps', 'core', '1998-01-01', 20, 0, -30);
SELECT kam.snapshot_kpis('1998-05-06');
INSERT INTO kam.service_target (severity, class, valid_from, first_response_hours, resolution_hours)
VALUES ('high', 'any', '1998-01-01', 2, 12);
INSERT INTO kam.need (account_id, raised_on, title, priority, status, resolved_on)
SELECT account_id, '1998-03-01', 'faster delivery', 'high', 'met', '1998-03-20' FROM kam.account WHERE external_ref = 'ALFKI';
INSERT INTO kam.service_case (account_id, opened_at, first_response_at, resolved_at, severity)
SELECT account_id, '1998-04-01 09:00', '1998-04-01 10:00', '1998-04-02 09:00', 'high' FROM kam.account WHERE external_ref = 'ALFKI';
SQL

# (pg_dump warns of the self-referencing parent key; the restore checks it at the end of each COPY)
pg_dump -Fc -d kam_dump_source -f "$dump" 2>"$dump.log" || { cat "$dump.log"; exit 1; }
rm -f "$dump.log"
q -c 'CREATE DATABASE kam_dump_target'
check "pg_restore into a new database succeeds" pg_restore --exit-on-error -d kam_dump_target "$dump"
# the same statistics on both sides, so the same plans (sums of doubles depend on their order)
q -d kam_dump_source -c 'ANALYZE'
q -d kam_dump_target -c 'ANALYZE'

# count and checksum of every table kam registered for dumping
fingerprint() {	# fingerprint <db> <table>
	q -d "$1" -c "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM $2 AS t"
}
tables=$(q -d kam_dump_source -c "SELECT c.oid::regclass FROM pg_extension AS e, unnest(e.extconfig) AS c(oid)
                                 JOIN pg_class AS k ON k.oid = c.oid WHERE e.extname = 'kam' AND k.relkind = 'r' ORDER BY 1")
for t in $tables; do
	source_print=$(fingerprint kam_dump_source "$t")
	check "$t: $source_print rows and checksum kept" [ "$source_print" = "$(fingerprint kam_dump_target "$t")" ]
	check "$t is not empty" [ "${source_print%% *}" -gt 0 ]
done

check "the parent accounts are kept" [ "$(q -d kam_dump_target -c 'SELECT count(parent_account_id) FROM kam.account')" = 2 ]
# every view and every function of a day gives the same rows (the views for
# today), their doubles to 12 significant digits besides the ANALYZE above: a
# sum of doubles depends on the order the plan feeds it (kam.account_360's
# interaction strength differed in the 17th digit before the restored tables
# had statistics)
rows_print() {	# rows_print <db> <relation or call>
	q -d "$1" -c 'SET extra_float_digits = -3' \
		-c "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM $2 AS t"
}
relations=$(q -d kam_dump_source -c "
	SELECT c.oid::regclass::text FROM pg_class AS c WHERE c.relnamespace = 'kam'::regnamespace AND c.relkind = 'v'
	UNION ALL
	SELECT format('%s(''1998-05-06'')', p.oid::regproc) FROM pg_proc AS p
	WHERE p.pronamespace = 'kam'::regnamespace AND p.proretset AND pg_get_function_identity_arguments(p.oid) = 'as_of date'
	UNION ALL SELECT 'kam.account_value_as_of(''1997-12-31'')'
	ORDER BY 1")
compared=0
same=0
empty=0
for f in $relations; do
	source_print=$(rows_print kam_dump_source "$f")
	compared=$((compared + 1))
	[ "$source_print" = "$(rows_print kam_dump_target "$f")" ] && same=$((same + 1)) || echo "# differs after the restore: $f"
	[ "${source_print%% *}" -gt 0 ] || empty=$((empty + 1))
done
check "all $compared views and functions of a day give the same rows after the restore ($same the same; $empty of them empty)" \
	[ "$same" -eq "$compared" ]
check "most of them have rows to compare" [ "$empty" -lt 5 ]

# the identity sequences continue after the restored rows
for t in account contact sales_order survey_response clv_model interaction relationship_assessment need service_case; do
	next=$(q -d kam_dump_target -c "SELECT nextval(pg_get_serial_sequence('kam.$t', (SELECT a.attname FROM pg_attribute AS a
	        WHERE a.attrelid = 'kam.$t'::regclass AND a.attidentity <> '')))")
	max=$(q -d kam_dump_target -c "SELECT max((to_jsonb(t) ->> (SELECT a.attname FROM pg_attribute AS a
	        WHERE a.attrelid = 'kam.$t'::regclass AND a.attidentity <> ''))::bigint) FROM kam.$t AS t")
	check "kam.$t identity continues after the restored rows ($next > $max)" [ "$next" -gt "$max" ]
done

[ -n "${KAM_KEEP:-}" ] || q -c 'DROP DATABASE kam_dump_target' -c 'DROP DATABASE kam_dump_source'
tap_plan
