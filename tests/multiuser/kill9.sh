#!/usr/bin/env bash
# A process stops inside an append holding the header lock; the others wait for it; it is
# killed with SIGKILL; they go on within their lock wait, and the table and tags verify.
# Usage: kill9.sh XBASE_STRESS
set -euo pipefail
bin=$1
dir=$(mktemp -d /tmp/xbase-kill9.XXXXXX)
trap 'rm -rf "$dir"; kill -9 $(jobs -p) 2>/dev/null || true' EXIT
"$bin" init "$dir"
"$bin" work "$dir" 1 300 11 >/dev/null
"$bin" hang "$dir" &
hanger=$!
for _ in $(seq 100); do [ -s "$dir/hang.pid" ] && break; sleep 0.1; done
[ -s "$dir/hang.pid" ] || { echo "the hanging process never stopped inside its append"; exit 1; }
"$bin" work "$dir" 2 1000 22 & w2=$!
"$bin" work "$dir" 3 1000 33 & w3=$!
sleep 1
# Both begin with an append: while the header lock is held neither can have finished.
if [ -e "$dir/worker-2.txt" ] || [ -e "$dir/worker-3.txt" ]; then
  echo "a worker finished while another process held the header lock"; exit 1
fi
kill -9 "$hanger"
wait "$hanger" 2>/dev/null || true
rc=0
wait "$w2" || rc=1
wait "$w3" || rc=1
"$bin" verify "$dir" || rc=1
exit $rc
