#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: `scripts/with_postgres.sh pytest ...`.
#
# Why: production runs on PostgreSQL, so `make test` runs the database tests
# on it too, without asking for a server anyone has to set up. The cluster
# lives in a temporary directory, listens on a free port on 127.0.0.1 only,
# runs as an unprivileged user (PostgreSQL refuses root: as root, the
# `postgres` user from Debian's package runs it), trusts local connections,
# and skips fsync (its data is thrown away). The command sees
# DATABASE_URL=postgres://postgres@127.0.0.1:PORT/workflow_studio (an empty
# database; pytest-django creates its test databases beside it). The cluster
# is stopped and removed whatever the command does, and the command's exit
# code is this script's (pytest's 5, "no tests ran", included).
set -euo pipefail

fail() {
	echo "with_postgres: $*" >&2
	exit 1
}

BIN_DIR=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
[[ -n "$BIN_DIR" && -x "$BIN_DIR/initdb" ]] ||
	fail "no PostgreSQL server under /usr/lib/postgresql/<version>/bin; install Debian's postgresql package (make postgres-deps)"

CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/workflow-studio-pg.XXXXXX")
as_owner=()
stop_cluster() {
	if [[ -f "$CLUSTER_DIR/data/postmaster.pid" ]]; then
		"${as_owner[@]}" "$BIN_DIR/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$CLUSTER_DIR"
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [[ $(id -u) == 0 ]]; then
	id postgres >/dev/null 2>&1 || fail "running as root needs the unprivileged 'postgres' user (Debian's postgresql package creates it)"
	chown postgres: "$CLUSTER_DIR"
	as_owner=(runuser -u postgres --)
	"${as_owner[@]}" test -w "$CLUSTER_DIR" ||
		fail "the postgres user cannot write to $CLUSTER_DIR; point TMPDIR at a directory it can reach (e.g. /tmp)"
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${as_owner[@]}" "$BIN_DIR/initdb" -D "$CLUSTER_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
	--no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 ||
	fail "initdb failed:$(printf '\n')$(cat "$CLUSTER_DIR/initdb.log")"

# Test settings: many connections (xdist workers, worker subprocesses, threads), nothing durable.
if ! "${as_owner[@]}" "$BIN_DIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -t 60 start -o \
	"-p $PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	>/dev/null; then
	fail "PostgreSQL did not start on port $PORT:$(printf '\n')$(cat "$CLUSTER_DIR/server.log")"
fi
"$BIN_DIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres workflow_studio ||
	fail "could not create the workflow_studio database on port $PORT"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/workflow_studio"
echo "with_postgres: $("$BIN_DIR/postgres" --version) on 127.0.0.1:$PORT (removed afterwards)"
status=0
"$@" || status=$?
exit "$status"
