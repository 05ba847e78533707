#!/usr/bin/env bash
# Several processes at once on one table in shared use (random appends, locked updates,
# deletes, seeks), then the invariants: nothing lost, nothing torn, every tag right.
# Usage: stress.sh XBASE_STRESS [PROCESSES] [OPERATIONS]
set -euo pipefail
bin=$1 procs=${2:-4} ops=${3:-20000}
dir=$(mktemp -d /tmp/xbase-stress.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$bin" init "$dir"
pids=()
for w in $(seq 1 "$procs"); do
  "$bin" work "$dir" "$w" "$ops" $((7919 * w)) &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
"$bin" verify "$dir" || rc=1
exit $rc
