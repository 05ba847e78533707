#!/usr/bin/env bash
# SIGKILL during a backup leaves no backup under its final name (only a hidden .part), and
# SIGKILL at every step of a replace restore leaves the old folder or the new one, whole:
# `invoicing verify` passes and the customers are exactly the old or the new ones.
# Usage: backup_crash.sh INVOICING
set -euo pipefail
bin=$1
root=$(mktemp -d)
export XDG_CONFIG_HOME="$root/config"
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
dir="$root/firma"
"$bin" init "$dir" --demo >/dev/null

killed() { [ "$1" -eq 137 ]; }

# --- backups: killed at their steps, and at random moments.
for p in backup-copied backup-zipped; do
  set +e; INVOICING_TEST_KILL_AT=$p "$bin" backup --data "$dir" --to "$root/bk-kill" >/dev/null 2>&1; rc=$?; set -e
  killed $rc || { echo "backup not killed at $p (rc $rc)"; exit 1; }
  if ls "$root/bk-kill"/*.zip >/dev/null 2>&1; then echo "a backup killed at $p left $(ls "$root/bk-kill")"; exit 1; fi
done
for i in $(seq 1 10); do
  "$bin" backup --data "$dir" --to "$root/bk-rand" >/dev/null 2>&1 &
  p=$!
  sleep "0.0$(( RANDOM % 10 ))"
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
done
for z in "$root"/bk-rand/*.zip; do
  [ -e "$z" ] || continue
  "$bin" restore "$z" --data "$root/check" --dry-run >/dev/null || { echo "a complete-named backup is not whole: $z"; exit 1; }
done
echo "backups: killed at 2 steps and 10 random moments; every .zip left is whole ($(ls "$root"/bk-rand/*.zip 2>/dev/null | wc -l) of them)"

# --- restores: the backup is the new state, the folder with one customer more the old one.
"$bin" backup --data "$dir" --to "$root/bk" >/dev/null
zip=$(ls "$root"/bk/*.zip)
"$bin" customer add --data "$dir" --code MARKER --name "Only in the old folder" >/dev/null
cp -a "$dir" "$root/old"
steps="restore-extracted restore-checked restore-verified restore-marked restore-old-moved restore-new-moved restore-old-removed"
for step in $steps; do
  rm -rf "$dir"
  cp -a "$root/old" "$dir"
  set +e; INVOICING_TEST_KILL_AT=$step "$bin" restore "$zip" --data "$dir" >/dev/null 2>"$root/err"; rc=$?; set -e
  killed $rc || { echo "restore not killed at $step (rc $rc):"; cat "$root/err"; exit 1; }
  if ! v=$("$bin" verify --data "$dir"); then echo "killed at $step: verify fails:"; echo "$v"; exit 1; fi
  if "$bin" customer list --data "$dir" --json | grep -q MARKER; then state=old; else state=new; fi
  case $step in
    restore-extracted|restore-checked|restore-verified|restore-marked) want=old ;;
    *) want=new ;;
  esac
  [ "$state" = "$want" ] || { echo "killed at $step: the $state folder, expected the $want one"; exit 1; }
  echo "restore killed at $step: the $state folder, verify passes"
done
# The next restore tidies what the killed ones left beside the folder.
"$bin" restore "$zip" --data "$dir" >/dev/null
left=$(ls -A "$root" | grep '^\.firma\.' || true)
[ -z "$left" ] || { echo "left beside the folder: $left"; exit 1; }
