# test/tap.sh: the TAP output the shell suites share (sourced).
#   check <description> <command...>   runs the command: "ok N - ..." or "not ok N - ..."
#   tap_plan                           the closing "1..N"
n=0
check() {
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fi
}
tap_plan() { echo "1..$n"; }
