#!/usr/bin/env bash
# Runs a command against a private PostgreSQL 15 server: a cluster made in a temporary folder
# (initdb), started on a free loopback port with its socket in that folder, stopped and removed
# afterwards however the command ended. The command finds the server in INVOICING_TEST_PG (a
# postgresql:// target of the "postgres" database; tests make their own databases from it).
#
# Outside CI a machine without PostgreSQL skips (exit 77); in CI (CI=true) that is a failure.
# As root (CI) the server runs as the `postgres` system user, which the package creates.
set -uo pipefail
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "with_postgres: PostgreSQL 15 is not installed ($bin/initdb); scripts/install-deps.sh installs it" >&2
    exit 1
  fi
  echo "with_postgres: PostgreSQL 15 is not installed: skipped" >&2
  exit 77
fi
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with_postgres: running as root, but there is no postgres system user to run the server" >&2
    exit 1
  fi
  as_server=(runuser -u postgres --)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/invoicing-pg.XXXXXX")
chmod 755 "$work"
[ ${#as_server[@]} -gt 0 ] && chown postgres "$work"
cleanup() {
  "${as_server[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# A free port: the kernel's choice for a socket bound to port 0.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ! "${as_server[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$work/initdb.log" 2>&1; then
  cat "$work/initdb.log" >&2
  exit 1
fi
# Durability is not what these tests are about: no fsync keeps the CREATE DATABASEs fast.
if ! "${as_server[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null; then
  cat "$work/server.log" >&2
  exit 1
fi
# A watchdog in a session of its own stops the server when this script is gone, also when it
# was killed (a CTest timeout sends SIGKILL, which runs no trap): no server outlives its test.
setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
  "${@:3}" "$2/pg_ctl" -D "$0/data" -m immediate stop >/dev/null 2>&1; rm -rf "$0"' \
  "$work" $$ "$bin" "${as_server[@]}" </dev/null >/dev/null 2>&1 &
export INVOICING_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
export INVOICING_TEST_PG_DATA="$work/data"  # for tests that restart the server
"$@"
rc=$?
[ $rc -ne 0 ] && tail -20 "$work/server.log" >&2
exit $rc
