#!/usr/bin/env bash
# The bad-input matrix (test/bad_input.sql generates it): every call must
# return, or fail with a proper SQLSTATE: never an internal error (class XX),
# never a lost connection.  Prints TAP with the counts.
# Needs PGHOST/PGPORT/PGUSER of a running server (tools/test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS kam_bad_input'
q -c 'CREATE DATABASE kam_bad_input'
q -d kam_bad_input -c 'CREATE EXTENSION kam'
q -d kam_bad_input -f "$root/test/bad_input.sql" >"$work/calls.sql"
calls=$(wc -l <"$work/calls.sql")
functions=$(sed -E 's/^SELECT (kam\.[a-z_0-9]+)\(.*/\1/' "$work/calls.sql" | sort -u | wc -l)
check "the matrix has $calls calls of $functions kam functions and aggregates" test "$calls" -gt 5000

# one session; errors go on (each statement is its own transaction); with
# VERBOSITY sqlstate psql writes "psql:FILE:LINE: ERROR:  SQLSTATE"; each
# call echoed before its result (ECHO queries), to find the results
status=0
psql -X -q -At -v ECHO=queries -v VERBOSITY=sqlstate -v ON_ERROR_STOP=0 -d kam_bad_input -f "$work/calls.sql" \
	>"$work/results" 2>"$work/errors" || status=$?
grep -oE 'ERROR:  [0-9A-Z]{5}' "$work/errors" | awk '{ print $2 }' | sort | uniq -c | sort -rn >"$work/states"
errors=$(awk '{ s += $1 } END { print s + 0 }' "$work/states")
echo "# $((calls - errors)) calls returned, $errors failed with an SQLSTATE:"
sed 's/^/#   /' "$work/states"
check "psql ran every call to the end (exit status $status)" test "$status" -eq 0
check "no lost connection" bash -c "! grep -qiE 'connection|terminated|server closed' '$work/errors'"
internal=$(grep -E 'ERROR:  (XX|58)' "$work/errors" || true)
if [ -n "$internal" ]; then
	echo "$internal" | head -20 | while IFS=: read -r _ _ line _; do
		echo "# internal error at: $(sed -n "${line}p" "$work/calls.sql" | cut -c1-300)"
	done
fi
check "no internal error (class XX or 58)" test -z "$internal"
unexpected=$(grep -E 'ERROR:  (42883|42804|42P18|42601)' "$work/errors" || true)
if [ -n "$unexpected" ]; then
	echo "$unexpected" | head -5 | while IFS=: read -r _ _ line _; do
		echo "# badly built call: $(sed -n "${line}p" "$work/calls.sql" | cut -c1-300)"
	done
fi
# a number that is no number: NaN or an infinity in what a call returned
# (float8 and numeric print them so; the calls' own text is skipped)
nonfinite=$(awk '/^SELECT kam\./ { call = $0; next } /(^|[^A-Za-z])(NaN|-?Infinity)([^A-Za-z]|$)/ { print call " => " $0 }' \
	"$work/results")
if [ -n "$nonfinite" ]; then
	echo "$nonfinite" | head -10 | cut -c1-300 | sed 's/^/# not a finite number: /'
fi
check "no call returned NaN or an infinity" test -z "$nonfinite"
check "every call was well formed (no unknown function, type mismatch or syntax error)" test -z "$unexpected"
check "the server still answers" q -d kam_bad_input -c 'SELECT 1'
q -c 'DROP DATABASE kam_bad_input'
tap_plan
