#!/usr/bin/env bash
# kam across several servers with PostgreSQL's own sharding: three
# throwaway servers (a coordinator and two shards, each on its own Unix
# socket, no TCP), kam installed on all three; survey answers, orders and
# interactions hash-partitioned by account across the shards as foreign
# partitions (postgres_fdw, server option extensions 'kam').  Checks that
# per-account kam aggregates run on the shards (EXPLAIN VERBOSE shows kam's
# aggregate inside the Remote SQL) and that per-account and portfolio-wide
# results equal those of one server holding the same rows.  Prints TAP.
#   ./test/shards.sh          (tools/test runs it; kam must be installed)
source "$(dirname "$0")/../tools/lib.sh"

base=$(mktemp -d /tmp/kam-shards.XXXXXX)
chmod 755 "$base"
as_root chown postgres "$base"
stop_all() {
	for node in coordinator shard1 shard2; do
		[ -d "$base/$node/data" ] &&
			as_postgres "$PG_BIN/pg_ctl" -D "$base/$node/data" -m immediate stop >/dev/null 2>&1
	done
	as_root rm -rf "$base"
}
trap stop_all EXIT

for node in coordinator shard1 shard2; do
	as_postgres mkdir -p "$base/$node"
	as_postgres "$PG_BIN/initdb" -D "$base/$node/data" --auth=trust --locale=C.UTF-8 -E UTF8 >/dev/null
	printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" "$base/$node" |
		as_postgres tee -a "$base/$node/data/postgresql.conf" >/dev/null
	as_postgres "$PG_BIN/pg_ctl" -D "$base/$node/data" -l "$base/$node/server.log" -w -t 60 start >/dev/null
done
on() {	# on <node> psql arguments...: runs on that server
	local node=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$base/$node" -p 5432 -U postgres -d postgres "$@"
}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# the same deterministic rows everywhere: 2 000 accounts
rows="
CREATE TABLE src_answers AS
SELECT (i % 2000) + 1 AS account_id, i % 11 AS score, i % 5 + 1 AS csat, i % 7 + 1 AS ces
FROM generate_series(1, 200000) AS i;
CREATE TABLE src_orders AS
SELECT (i % 2000) + 1 AS account_id, date '2024-01-01' + (i * 37 % 900) AS order_date,
       (i % 997 + 1)::bigint * 10000 AS amount_units, (i % 101)::bigint * 10000 AS margin_units
FROM generate_series(1, 100000) AS i;
CREATE TABLE src_contacts AS
SELECT (i % 2000) + 1 AS account_id, timestamptz '2024-01-01 00:00+00' + i * interval '7 minutes' AS occurred_at,
       (i % 5 + 1)::float8 / 2 AS weight, i % 3 = 0 AS reciprocal
FROM generate_series(1, 100000) AS i;"
tables="answers orders contacts"

for node in coordinator shard1 shard2; do
	on "$node" -c 'CREATE EXTENSION kam'
done
# one server with everything: the reference
on coordinator -c 'CREATE SCHEMA single' -c 'SET search_path = single' -c "$rows"
# shard k keeps the rows of hash partition k - 1 (of 2) of each table: it
# partitions them the way the coordinator will, then the foreign table
# names its own partition
for k in 1 2; do
	on "shard$k" -c "$rows"
	for t in $tables; do
		on "shard$k" -c "CREATE TABLE all_$t (LIKE src_$t) PARTITION BY HASH (account_id)" \
			-c "CREATE TABLE $t PARTITION OF all_$t FOR VALUES WITH (MODULUS 2, REMAINDER $((k - 1)))" \
			-c "CREATE TABLE other_$t PARTITION OF all_$t FOR VALUES WITH (MODULUS 2, REMAINDER $((2 - k)))" \
			-c "INSERT INTO all_$t SELECT * FROM src_$t" -c "ANALYZE $t"
	done
done
# the coordinator: partitioned tables whose partitions are the shards' tables
on coordinator -c 'CREATE EXTENSION postgres_fdw'
for k in 1 2; do
	on coordinator -c "CREATE SERVER shard$k FOREIGN DATA WRAPPER postgres_fdw
	                   OPTIONS (host '$base/shard$k', port '5432', dbname 'postgres', extensions 'kam')" \
		-c "CREATE USER MAPPING FOR postgres SERVER shard$k OPTIONS (user 'postgres')"
done
for t in $tables; do
	on coordinator -c "CREATE TABLE $t (LIKE single.src_$t) PARTITION BY HASH (account_id)"
	for k in 1 2; do
		on coordinator -c "CREATE FOREIGN TABLE ${t}_$k PARTITION OF $t FOR VALUES WITH (MODULUS 2, REMAINDER $((k - 1)))
		                   SERVER shard$k OPTIONS (table_name '$t', use_remote_estimate 'true')"
	done
done
check "the shards hold the rows between them (answers $(on shard1 -c 'SELECT count(*) FROM answers') + $(on shard2 -c 'SELECT count(*) FROM answers'))" \
	test "$(on coordinator -c 'SELECT count(*) FROM answers')" = 200000

# per-account aggregates: the same query on the partitioned tables and on the single server
declare -A per_account=(
	[nps]="SELECT account_id, kam.nps(score) FROM %s GROUP BY account_id"
	[nps_detail]="SELECT account_id, kam.nps_detail(score) FROM %s GROUP BY account_id"
	[csat_detail]="SELECT account_id, kam.csat_detail(csat) FROM %s GROUP BY account_id"
	[ces_detail]="SELECT account_id, kam.ces_detail(ces) FROM %s GROUP BY account_id"
	[order_summary]="SELECT account_id, kam.order_summary(order_date, amount_units, margin_units, '2026-06-30') FROM %s GROUP BY account_id"
	[relationship_strength]="SELECT account_id, kam.relationship_strength(occurred_at, weight, reciprocal, kam.strength_at('2026-06-30')) FROM %s GROUP BY account_id"
)
declare -A source_of=([nps]=answers [nps_detail]=answers [csat_detail]=answers [ces_detail]=answers
	[order_summary]=orders [relationship_strength]=contacts)
checksum() { echo "SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r::text)) FROM ($1) AS r"; }
for name in nps nps_detail csat_detail ces_detail order_summary relationship_strength; do
	t=${source_of[$name]}
	sharded=$(printf "${per_account[$name]}" "$t")
	single=$(printf "${per_account[$name]}" "single.src_$t")
	plan=$(on coordinator -c 'SET enable_partitionwise_aggregate = on' -c "EXPLAIN (VERBOSE, COSTS OFF) $sharded")
	pushed=$(grep -cE "Remote SQL: SELECT account_id, kam\.$name\(" <<<"$plan" || true)
	check "kam.$name per account runs on both shards (EXPLAIN VERBOSE: kam.$name in $pushed Remote SQL)" test "$pushed" -eq 2
	check "kam.$name per account equals one server's ($(on coordinator -c "$(checksum "$single")" | cut -d' ' -f1) accounts)" \
		test "$(on coordinator -c 'SET enable_partitionwise_aggregate = on' -c 'SET extra_float_digits = -3' -c "$(checksum "$sharded")")" \
		= "$(on coordinator -c 'SET extra_float_digits = -3' -c "$(checksum "$single")")"
done
# portfolio-wide: the coordinator combines the shards' rows
for q in "kam.nps(score), kam.nps_detail(score), kam.csat_detail(csat), kam.ces_detail(ces) FROM %s" \
	"kam.order_summary(order_date, amount_units, margin_units, '2026-06-30') FROM %s" \
	"kam.relationship_strength(occurred_at, weight, reciprocal, kam.strength_at('2026-06-30')) FROM %s"; do
	case "$q" in *order_summary*) t=orders ;; *relationship*) t=contacts ;; *) t=answers ;; esac
	check "portfolio-wide $(echo "$q" | cut -d'(' -f1) equals one server's" \
		test "$(on coordinator -c 'SET extra_float_digits = -3' -c "SELECT $(printf "$q" "$t")")" \
		= "$(on coordinator -c 'SET extra_float_digits = -3' -c "SELECT $(printf "$q" "single.src_$t")")"
done
tap_plan
