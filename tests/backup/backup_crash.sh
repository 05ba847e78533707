#!/usr/bin/env bash
# SIGKILL during a backup leaves no backup under its final name (only a hidden .part), and
# SIGKILL at every step of a replace restore leaves the old folder or the new one, whole:
# `invoicing verify` passes and the customers are exactly the old or the new ones. The copies
# of the company the killed ones left in the temporary folder are removed by the next restore.
# Usage: backup_crash.sh INVOICING
set -euo pipefail
bin=$1
root=$(mktemp -d)
export XDG_CONFIG_HOME="$root/config"
export TMPDIR="$root/tmp"  # where backups and restores stage their copies
mkdir "$TMPDIR"
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
# ... and the copies of the company the killed ones left in the temporary folder (each a whole
# copy of its data; before, every killed backup or restore left one there for good), but not
# one whose owner may still be working: a folder without its lock file that changed within the
# hour (an earlier release's, or one just being made).
stages() { ls -A "$TMPDIR" | grep '^invoicing-backup-' || true; }
# A backup killed at a random moment above may have died between making its folder and its
# lock file: such a folder stays for its hour (its maker may still be at work). Cleared here so
# that what follows counts its own.
rm -rf "$TMPDIR"/invoicing-backup-*
set +e; INVOICING_TEST_KILL_AT=backup-copied "$bin" backup --data "$dir" --to "$root/bk-kill" >/dev/null 2>&1; rc=$?; set -e
killed $rc || { echo "backup not killed at backup-copied (rc $rc)"; exit 1; }
n=$(stages | wc -l)
[ "$n" -eq 1 ] || { echo "a backup killed after its copy left $n temporary copies, expected 1: $(stages)"; exit 1; }
mode=$(stat -c %a "$TMPDIR/$(stages)")
[ "$mode" = 700 ] || { echo "the temporary copy of the company is readable by others (mode $mode)"; exit 1; }
mkdir "$TMPDIR/invoicing-backup-1-0000000000000001" "$TMPDIR/invoicing-backup-1-0000000000000002"
touch "$TMPDIR/invoicing-backup-1-0000000000000001/DOC.DBF" "$TMPDIR/invoicing-backup-1-0000000000000002/DOC.DBF"
touch -d '2 hours ago' "$TMPDIR/invoicing-backup-1-0000000000000001"
# One in use: its owner holds the lock on its lock file (a POSIX lock, which the engine's
# open file description locks see).
live="$TMPDIR/invoicing-backup-2-0000000000000003"
mkdir "$live"; touch "$live/OWNER.LCK" "$live/DOC.DBF"; touch -d '2 hours ago' "$live"
python3 -c 'import fcntl, sys, time; f = open(sys.argv[1], "r+"); fcntl.lockf(f, fcntl.LOCK_EX, 1); print("locked", flush=True); time.sleep(60)' \
  "$live/OWNER.LCK" >"$root/holder" &
holder=$!
for _ in $(seq 100); do grep -q locked "$root/holder" && break; sleep 0.1; done
# One whose lock file cannot be opened (here a folder in its place; permissions, no descriptors
# left or a file being deleted on Windows alike): its owner may be at work, left alone.
odd="$TMPDIR/invoicing-backup-3-0000000000000004"
mkdir -p "$odd/OWNER.LCK"; touch -d '2 hours ago' "$odd"
want="invoicing-backup-1-0000000000000002 invoicing-backup-2-0000000000000003 invoicing-backup-3-0000000000000004 "
# And another user's (a shared /tmp), old and without a lock file: not ours to remove (only
# as root, which CI is: it can make a folder another user owns).
others=""
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  theirs="$TMPDIR/invoicing-backup-4-0000000000000005"
  mkdir "$theirs"; chown nobody "$theirs"; touch -d '2 hours ago' "$theirs"
  want="${want}invoicing-backup-4-0000000000000005 "
  others=" or another user's"
fi
"$bin" restore "$zip" --data "$dir" >/dev/null
kill "$holder"
left=$(stages | tr '\n' ' ')
[ "$left" = "$want" ] || { echo "temporary copies left after a restore: $left (expected $want)"; exit 1; }
echo "the next restore removed the killed backup's temporary copy and an old one without a lock file, not one in use, with a lock file it cannot open$others"
