#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and CI (docs/postgresql.md).
#
#   bash tests/postgres/cluster.sh start   # prints the connection string on standard output
#   bash tests/postgres/cluster.sh stop    # stops the server and removes its directory
#
# start finds the newest server binaries under /usr/lib/postgresql/*/bin (installing Debian's
# `postgresql` package with apt-get when there are none and this runs as root), initdb's a cluster in
# a new temporary directory (C locale, UTF-8, trust authentication, durability off: nothing in it
# outlives the run), starts it on a free TCP port of 127.0.0.1 with its unix socket in that directory,
# creates the database `bilateral` and prints its Npgsql connection string, which it also writes to
# DIR/connection-string. The directory is remembered in the state file ($BILATERAL_PG_STATE, default
# tests/postgres/.cluster) so that stop finds it. initdb and postgres refuse to run as root: as root,
# they run as the `postgres` user the package creates (else `nobody`), owning the directory.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
state="${BILATERAL_PG_STATE:-$here/.cluster}"
database=bilateral

log() { printf 'postgres cluster: %s\n' "$*" >&2; }

# The newest version that has a server: a client package alone (postgresql-client-NN) installs bin/ without one.
binaries() {
    local bin
    for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -x "$bin/initdb" && -x "$bin/pg_ctl" && -x "$bin/postgres" ]]; then
            printf '%s\n' "$bin"
            return
        fi
    done
}

install_server() {
    if [[ "$(id -u)" -ne 0 ]]; then
        log "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install Debian's 'postgresql' package (apt-get install postgresql) or run this as root"
        exit 1
    fi
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Runs a server binary as the cluster's owner: the invoking user, or a non-root user when that is root.
as_owner() {
    if [[ -n "$owner" ]]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    if [[ -f "$state" ]] && [[ -d "$(cat "$state")" ]]; then
        log "a cluster is already running from $(cat "$state"); run '$0 stop' first"
        exit 1
    fi
    local began bin dir port conn attempt
    began="$(date +%s.%N)"
    bin="$(binaries)"
    if [[ -z "$bin" ]]; then
        install_server
        bin="$(binaries)"
        [[ -n "$bin" ]] || { log "the postgresql package installed no server binaries"; exit 1; }
    fi

    owner=""
    if [[ "$(id -u)" -eq 0 ]]; then
        if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
    fi

    # Under /tmp, not $TMPDIR: the server's user must reach the directory, and the socket path must stay
    # under the 107 bytes a unix socket name may have.
    dir="$(mktemp -d /tmp/bilateral-pg.XXXXXX)"
    chmod 0755 "$dir"
    [[ -z "$owner" ]] || chown "$owner" "$dir"
    printf '%s\n' "$dir" > "$state"

    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --locale=C --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }

    # A free port: a random one nobody listens on; another process may take it first, so retry.
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + RANDOM % 30000 ))
        port_in_use "$port" && continue
        if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null; then
            break
        fi
        port=""
    done
    if [[ -z "$port" ]]; then
        tail -n 20 "$dir/server.log" >&2 || true
        log "the server did not start"
        exit 1
    fi

    as_owner "$bin/pg_isready" --host=127.0.0.1 --port="$port" --timeout=30 >/dev/null
    as_owner "$bin/createdb" --host="$dir" --port="$port" --username=postgres "$database"

    conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
    printf '%s\n' "$conn" > "$dir/connection-string"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $dir, started in $(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
    printf '%s\n' "$conn"
}

stop() {
    if [[ ! -f "$state" ]]; then
        log "no cluster to stop"
        return 0
    fi
    local dir bin
    dir="$(cat "$state")"
    bin="$(binaries)"
    owner=""
    if [[ -d "$dir/data" ]]; then
        if [[ "$(id -u)" -eq 0 ]]; then owner="$(stat -c %U "$dir/data")"; fi
        if [[ -n "$bin" && -f "$dir/data/postmaster.pid" ]]; then
            as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null 2>&1 \
                || log "pg_ctl stop failed; removing the directory anyway"
        fi
    fi
    case "$dir" in
        */bilateral-pg.*) rm -rf -- "$dir" ;;
        *) log "refusing to remove '$dir', which this script did not create" ;;
    esac
    rm -f -- "$state"
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
