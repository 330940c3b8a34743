#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start DIR` creates a cluster in DIR (which must not
# exist yet, or be empty), starts it on a free loopback port and prints its URL; `stop DIR` stops it
# and removes DIR; `run COMMAND...` runs COMMAND with ORACLE_TEST_POSTGRES_URL naming a server started
# for it in a temporary folder, and stops that server however COMMAND ends. PostgreSQL refuses to run as root, so as root the server runs as `nobody` (present
# on every Debian machine), in a folder it owns. Nothing is durable: fsync is off.
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ "$command" = run ]; then
    shift
    run_dir=$(mktemp -d /tmp/cloister-pg.XXXXXX)
    trap '"$0" stop "$run_dir"' EXIT
    ORACLE_TEST_POSTGRES_URL=$("$0" start "$run_dir")
    export ORACLE_TEST_POSTGRES_URL
    "$@"
    exit $?
fi
if [ -z "$command" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR, or $0 run COMMAND..." >&2
    exit 2
fi

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "test-postgres: PostgreSQL's server programs (initdb, pg_ctl) are not installed under /usr/lib/postgresql/*/bin; run make setup (apt package postgresql) or set PG_BIN" >&2
    exit 1
fi

as_server=()
if [ "$(id -u)" = 0 ]; then
    as_server=(runuser -u nobody --)
fi

case "$command" in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown nobody "$dir"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if ! "${as_server[@]}" "$bin/initdb" -D "$dir/data" -U cloister --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
        echo "test-postgres: initdb failed in $dir (does the user running the server own it and every folder above it let it in?):" >&2
        tail -n 5 "$dir/initdb.log" >&2
        exit 1
    fi
    if ! "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null 2>&1; then
        echo "test-postgres: the server did not start on port $port:" >&2
        tail -n 5 "$dir/server.log" >&2
        exit 1
    fi
    echo "postgres://cloister@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
