#!/usr/bin/env bash
# A workstation started while its database server is away (run under with_postgres.sh). Found
# as a flake of the restart stress test: a worker started again after a SIGKILL met the server
# shutting down for a restart and gave up at once ("cannot connect to the database ...: server
# closed the connection unexpectedly"). `invoicing work` tries again for 30 s, as it does after
# an action lost with the connection. Here the server is stopped, the worker started, and the
# server started again 2 s later: the worker waits and does its documents.
set -euo pipefail
inv="$1"
source "$(dirname "$0")/pg_test_begin.sh"
pg_test_begin waits
data="${INVOICING_TEST_PG_DATA:?}"
port="${server##*:}"
port="${port%%/*}"
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
pg_ctl() { "${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$data" -w -t 60 "$@" >/dev/null; }
start_server() {
  pg_ctl -l "$(dirname "$data")/server.log" \
    -o "-h 127.0.0.1 -p $port -k $(dirname "$data") -c fsync=off -c synchronous_commit=off -c max_connections=200" start
}
pid=""
on_exit() {
  [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
  pg_ctl status || start_server || true  # with_postgres.sh stops it
}

"$inv" demo --data "$work/seed" --workstations 1 --docs 1 >/dev/null
"$inv" migrate --data "$work/seed" --to "$base/waits" >/dev/null
pg_ctl -m fast stop
"$inv" work --db "$base/waits" --user w1 --workstation PC-1 --docs 3 --seed 7 >"$work/w.out" 2>"$work/w.err" &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "the worker gave up while the server was away: $(cat "$work/w.err")"
start_server
wait "$pid" || fail "the worker failed after the server came back: $(cat "$work/w.err")"
pid=""
grep -q "^PC-1: 3 documents" "$work/w.out" || fail "the worker's report: $(cat "$work/w.out")"
"$inv" verify --db "$base/waits" >/dev/null || fail "verify failed after the worker's documents"
echo "ok: a worker started while the server was away waited for it and did its 3 documents"
