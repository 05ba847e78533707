#!/usr/bin/env bash
# Backups while colleagues work: the demo company, three workstations making documents
# (`invoicing work`), and N backups taken meanwhile. Each backup is restored into a fresh
# folder that must pass `invoicing verify` (numbers gap-free, stock = sum of moves, totals =
# lines, every table and tag checks): a backup is one moment, never half a commit.
# Usage: backup_load.sh INVOICING [BACKUPS]
set -euo pipefail
bin=$1
n=${2:-20}
root=$(mktemp -d)
export XDG_CONFIG_HOME="$root/config"
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
dir="$root/firma"
"$bin" init "$dir" --demo >/dev/null
pids=()
for w in 1 2 3; do
  "$bin" work --data "$dir" --user "w$w" --workstation "PC-$w" --docs 1000000 --seed "$w$RANDOM" >/dev/null 2>"$root/w$w.err" &
  pids+=($!)
done
sleep 1
for i in $(seq 1 "$n"); do
  "$bin" backup --data "$dir" --to "$root/bk/$i" --json >"$root/bk-$i.json"
  sleep "0.$(( RANDOM % 3 ))"
done
for p in "${pids[@]}"; do
  if ! kill -0 "$p" 2>/dev/null; then echo "a workstation stopped while backups were taken:"; cat "$root"/w*.err; exit 1; fi
done
kill -9 "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
docs_first="" docs_last="" max_gate=0
for i in $(seq 1 "$n"); do
  zip=$(ls "$root/bk/$i"/*.zip)
  out="$root/r$i"
  "$bin" restore "$zip" --data "$out" >/dev/null
  if ! v=$("$bin" verify --data "$out"); then echo "backup $i does not verify:"; echo "$v"; exit 1; fi
  docs=$("$bin" doc list --data "$out" --json | grep -o '"id":' | wc -l)
  [ -z "$docs_first" ] && docs_first=$docs
  docs_last=$docs
  rm -rf "$out"
done
[ "$docs_last" -gt "$docs_first" ] || { echo "the workstations made nothing while the backups were taken"; exit 1; }
gates=$(grep -ho '"gate_s":[0-9.]*' "$root"/bk-*.json | cut -d: -f2 | sort -n | tail -1)
echo "$n backups while 3 workstations worked ($docs_first .. $docs_last documents): each restores and verifies; longest wait for a commit: ${gates} s"
