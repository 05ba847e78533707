#!/usr/bin/env bash
# with_postgres.sh killed with SIGKILL (what a CTest timeout does): its private server and
# cluster folder are gone within seconds anyway.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/lib/postgresql/15/bin/initdb ] || [ "${CI:-}" = "true" ] || { echo "PostgreSQL 15 is not installed: skipped"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/with_postgres.sh" bash -c 'echo "$INVOICING_TEST_PG_DATA" >"$1"; sleep 300' _ "$out" &
runner=$!
for _ in $(seq 60); do [ -s "$out" ] && break; sleep 0.5; done
data=$(cat "$out")
[ -n "$data" ] || { echo "FAIL: the server did not start"; exit 1; }
[ -f "$data/postmaster.pid" ] || { echo "FAIL: no running server in $data"; exit 1; }
kill -9 "$runner"
for _ in $(seq 30); do [ -e "$data" ] || break; sleep 0.5; done
pkill -f "sleep 300" 2>/dev/null
if [ -e "$data" ]; then
  echo "FAIL: the server's folder $data outlived the killed runner"
  exit 1
fi
if pgrep -f -- "-D $data" >/dev/null; then
  echo "FAIL: a server of $data still runs"
  exit 1
fi
echo "the server and its folder went with the killed runner"
