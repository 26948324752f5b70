#!/usr/bin/env bash
# On demand (slow: about 20 minutes): the pg_regress suite with every
# backend under valgrind memcheck.  Builds and installs kam with debug
# information, starts a throwaway cluster whose postmaster (and so every
# backend) runs under valgrind, runs `make installcheck`, and reports the
# memcheck errors whose stack passes through kam.so: invalid reads and
# writes, uses of uninitialised values, invalid frees.  (Debian's server is
# not built for valgrind, so reads past a palloc chunk inside a larger block
# are not seen here; the pure cores are checked that way by the fuzzers
# under AddressSanitizer.)  Prints TAP.
#   ./test/valgrind.sh
#   KAM_VALGRIND_TESTS="survey_state clv" ./test/valgrind.sh    (some tests only)
source "$(dirname "$0")/../tools/lib.sh"

kam_install_packages valgrind
say "building kam with debug information (-g -O1)"
make -C "$KAM_ROOT" -s clean >/dev/null
make -C "$KAM_ROOT" -s KAM_WERROR=1 COPT='-g -O1 -fno-omit-frame-pointer' >/dev/null
as_root make -C "$KAM_ROOT" -s install >/dev/null

KAM_CLUSTER=$(mktemp -d /tmp/kam-valgrind.XXXXXX)
chmod 755 "$KAM_CLUSTER"
as_root chown postgres "$KAM_CLUSTER"
trap kam_stop_cluster EXIT
as_postgres "$PG_BIN/initdb" -D "$KAM_CLUSTER/data" --auth=trust --locale=C.UTF-8 -E UTF8 >/dev/null
{
	echo "listen_addresses = ''"
	echo "unix_socket_directories = '$KAM_CLUSTER'"
	echo "fsync = off"
	echo "max_worker_processes = 16"
	echo "max_parallel_workers = 8"
	echo "autovacuum = off"
	echo "jit = off"	# LLVM under valgrind: slow, and not kam
} | as_postgres tee -a "$KAM_CLUSTER/data/postgresql.conf" >/dev/null
say "starting the server under valgrind in $KAM_CLUSTER"
as_postgres bash -c "cd / && nohup valgrind --tool=memcheck --trace-children=yes --num-callers=30 \
	--error-limit=no --read-var-info=no --log-file='$KAM_CLUSTER/vg.%p.log' \
	$PG_BIN/postgres -D '$KAM_CLUSTER/data' >'$KAM_CLUSTER/server.log' 2>&1 &"
export PGHOST=$KAM_CLUSTER PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
for _ in $(seq 1 120); do psql -X -q -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done

say "pg_regress under valgrind"
status=0
make -C "$KAM_ROOT" -s installcheck ${KAM_VALGRIND_TESTS:+REGRESS="$KAM_VALGRIND_TESTS"} >"$KAM_CLUSTER/regress.out" 2>&1 || status=$?
tail -5 "$KAM_CLUSTER/regress.out"
as_postgres "$PG_BIN/pg_ctl" -D "$KAM_CLUSTER/data" -m fast -t 600 stop >/dev/null 2>&1 || true

# memcheck errors: blocks from "==PID== <kind>" to the next blank line;
# kam's if a frame is in kam.so: "(in .../kam.so)" without debug information,
# a kam_ function or one of kam's source files with it
as_root cat "$KAM_CLUSTER"/vg.*.log >"$KAM_CLUSTER/all.log"
awk '
	/^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap)/ { block = $0; inblock = 1; next }
	inblock && /^==[0-9]+== *$/ { if (block ~ kam) { print block; print "" }; inblock = 0; next }
	inblock { block = block "\n" $0 }
' kam="kam[.]so|kam_[A-Za-z0-9_]+ [(]|[(]($(cd "$KAM_ROOT/src" && ls ./*.c | sed 's|^[.]/||; s/[.]c$//' | paste -sd'|'))[.]c:[0-9]+[)]" "$KAM_CLUSTER/all.log" >"$KAM_CLUSTER/kam_errors.log"
errors=$(grep -cE '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source)' "$KAM_CLUSTER/all.log" || true)
kam_errors=$(grep -cE '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source)' "$KAM_CLUSTER/kam_errors.log" || true)
backends=$(ls "$KAM_CLUSTER"/vg.*.log | wc -l)
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
check "pg_regress passes with every backend under valgrind (status $status)" '[ "$status" -eq 0 ]'
head -80 "$KAM_CLUSTER/kam_errors.log" | sed 's/^/# /'
check "no memcheck error in kam code ($backends processes checked, $errors errors in all, $kam_errors with a kam.so frame)" \
	'[ "$kam_errors" -eq 0 ]'
echo "1..$n"
make -C "$KAM_ROOT" -s clean >/dev/null
