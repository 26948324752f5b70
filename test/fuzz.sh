#!/usr/bin/env bash
# libFuzzer over the pure C cores (test/fuzz/fuzz_*.c), built with clang
# -fsanitize=fuzzer,address,undefined: each harness runs SECONDS seconds
# (default 30; ./test/fuzz.sh 600 for a long run) from a fresh corpus, with
# libFuzzer's random seed, or KAM_FUZZ_SEED (tools/test fixes one, so that a
# CI run can be repeated).
# A property failure, a sanitizer report or a crash is a failure; its input
# is kept in test/fuzz/findings/.  Prints TAP with the executions.
# Needs clang and libclang-rt-14-dev (tools/test installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A sources=(
	[strength]="strength_core.c"
	[survey]="survey_core.c stats_core.c"
	[value]="value_core.c"
	[relationship]="relationship_core.c"
	[clv]="clv_core.c"
)
n=0
total=0
for harness in strength survey value relationship clv; do
	n=$((n + 1))
	files=()
	for f in ${sources[$harness]}; do files+=("$root/src/$f"); done
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Wall -Wextra -Werror -o "$work/fuzz_$harness" "$root/test/fuzz/fuzz_$harness.c" "${files[@]}" -lm \
		>"$work/build.log" 2>&1; then
		sed 's/^/# /' "$work/build.log"
		echo "not ok $n - fuzz_$harness builds"
		continue
	fi
	mkdir -p "$work/corpus_$harness" "$work/findings"
	status=0
	(cd "$work/findings" && "$work/fuzz_$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
		-print_final_stats=1 ${KAM_FUZZ_SEED:+-seed="$KAM_FUZZ_SEED"} "$work/corpus_$harness") >"$work/$harness.log" 2>&1 || status=$?
	runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/$harness.log" | grep -oE '[0-9]+$' || echo 0)
	total=$((total + runs))
	if [ "$status" -eq 0 ]; then
		echo "ok $n - fuzz_$harness: $runs executions in ${seconds} s, no finding"
	else
		grep -E 'property failed|runtime error|ERROR: |SUMMARY' "$work/$harness.log" | head -5 | sed 's/^/# /'
		mkdir -p "$root/test/fuzz/findings"
		cp "$work"/findings/crash-* "$work"/findings/timeout-* "$work"/findings/leak-* "$root/test/fuzz/findings/" 2>/dev/null || true
		echo "not ok $n - fuzz_$harness: a finding after $runs executions (input in test/fuzz/findings/)"
	fi
done
echo "# $total executions in all"
echo "1..$n"
