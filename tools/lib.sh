# tools/lib.sh: the set-up shared by tools/demo, tools/test and tools/bench.
#
# kam_setup installs what is missing (apt), builds kam with every warning an
# error, installs it, and starts a throwaway PostgreSQL 15 cluster: a data
# directory under mktemp -d, reachable only by its Unix socket, removed on
# exit.  Afterwards PGHOST, PGPORT and PGUSER point psql at it.

set -euo pipefail

KAM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
export PG_CONFIG=$PG_BIN/pg_config
KAM_PACKAGES=(make gcc postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap
	libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron)

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# (from /: the postgres user may not enter the caller's directory)
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

kam_install_packages() {
	local missing=() p
	for p in "${KAM_PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

kam_build() {
	say "building kam (-Wall -Wextra -Werror)"
	make -C "$KAM_ROOT" -s clean >/dev/null
	make -C "$KAM_ROOT" -s KAM_WERROR=1 ${KAM_CHECKS:+KAM_CHECKS=1} >/dev/null
	as_root make -C "$KAM_ROOT" -s install >/dev/null
}

# Extra server settings may be passed as arguments ("name=value").
kam_start_cluster() {
	local setting
	KAM_CLUSTER=$(mktemp -d /tmp/kam-cluster.XXXXXX)
	chmod 755 "$KAM_CLUSTER"
	as_root chown postgres "$KAM_CLUSTER"
	trap kam_stop_cluster EXIT
	say "starting a throwaway cluster in $KAM_CLUSTER"
	as_postgres "$PG_BIN/initdb" -D "$KAM_CLUSTER/data" --auth=trust \
		--locale=C.UTF-8 -E UTF8 >/dev/null
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$KAM_CLUSTER'"
		echo "port = 5432"
		echo "fsync = off"
		for setting in "$@"; do echo "$setting"; done
	} | as_postgres tee -a "$KAM_CLUSTER/data/postgresql.conf" >/dev/null
	as_postgres "$PG_BIN/pg_ctl" -D "$KAM_CLUSTER/data" -l "$KAM_CLUSTER/server.log" \
		-w -t 60 start >/dev/null
	export PGHOST=$KAM_CLUSTER PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

kam_stop_cluster() {
	[ -n "${KAM_CLUSTER:-}" ] && [ -d "$KAM_CLUSTER" ] || return 0
	as_postgres "$PG_BIN/pg_ctl" -D "$KAM_CLUSTER/data" -m immediate stop >/dev/null 2>&1 || true
	as_root rm -rf "$KAM_CLUSTER"
}

kam_setup() {
	kam_install_packages "$@"
	kam_build
}

kam_psql() {
	psql -X -q -v ON_ERROR_STOP=1 "$@"
}
