# test/bench/lib.sh: what the benchmark scripts share.  A times file has one
# line "variant milliseconds" per run, the variants of one repetition in a
# block (in rotating order).

# bench_median <times file> <variant>
bench_median() {
	awk -v v="$2" '$1 == v { print $2 }' "$1" | sort -g |
		awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# bench_minimum <times file> <variant>
bench_minimum() {
	awk -v v="$2" '$1 == v { print $2 }' "$1" | sort -g | head -1
}

# bench_paired <times file> <variant> <other variant> <variants per repetition>:
# the median over the repetitions of variant / other within each repetition
# (runs seconds apart, so a slow drift of a shared machine cancels out)
bench_paired() {
	awk -v one="$2" -v other="$3" -v n="$4" '
		{ r = int((NR - 1) / n); t[r, $1] = $2; reps = r + 1 }
		END { for (r = 0; r < reps; r++) printf "%.4f\n", t[r, one] / t[r, other] }' "$1" |
		sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# bench_verdict <ratio> <target>: met when ratio <= target
bench_verdict() {
	awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "MISSED" }'
}

# bench_machine: CPU model, cores, memory
bench_machine() {
	echo "$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB"
}

# bench_peak_query: a psql line that prints "peak <kB>", the backend's peak
# resident memory (VmHWM) so far (run it with \timing off: a timed line
# would count as one more run of the last variant)
bench_peak_query() {
	echo "SELECT 'peak ' || (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\\s*(\\d+)'))[1];"
}

# bench_rotation <repetitions> <template> <variant>...: psql lines that run
# each variant's query (from the array query, in the printf template) once
# per repetition, each labelled by an \echo of its name; the order rotates
# from one repetition to the next, so that none always runs after the same
# neighbour
bench_rotation() {
	local reps=$1 template=$2 r i v
	shift 2
	local variants=("$@")
	for ((r = 0; r < reps; r++)); do
		for ((i = 0; i < ${#variants[@]}; i++)); do
			v=${variants[$(((r + i) % ${#variants[@]}))]}
			echo "\\echo $v"
			printf "${template};\n" "${query[$v]}"
		done
	done
}
