#!/usr/bin/env bash
# invoicing.exe under Wine, end to end: `invoicing.exe demo` makes the demo company and has
# several Windows workstation processes (`invoicing.exe work`, started with CreateProcessW)
# finalize documents at once; then Wine and native Linux `work` processes at once on the same
# folder; `invoicing.exe verify` and the Linux `invoicing verify` of the release build then
# find it clean (numbers gap-free, none twice). Also: a backup and its restore check under
# Wine, a postgresql:// target and a command left out of the Windows build say why.
# Usage: invoicing_exe_test.sh WINEPREFIX INVOICING.EXE LINUX_INVOICING
# Exit 77 (skipped) when the Linux invoicing is not built.
set -euo pipefail
prefix=$1 exe=$2 linux=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$linux" ] || { echo "no Linux invoicing at $linux (build the release preset first)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
win() { bash "$here/wine_run.sh" "$prefix" "$exe" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
# The folder as Windows sees it under Wine (drive Z: is /), and as Linux sees it.
dir="$work/company"
wdir="Z:$dir"
export INVOICING_TODAY=2026-06-15

workstations=3 docs=15
set +e
out=$(win demo --data "$wdir" --workstations $workstations --docs $docs 2>&1)
rc=$?
set -e
echo "$out"
[ $rc -eq 0 ] || fail "invoicing.exe demo exited $rc"
for i in $(seq 1 $workstations); do
  echo "$out" | grep -q "^PC-$i: $docs documents" || fail "workstation PC-$i did not make its $docs documents"
done
echo "$out" | grep -q "gap-free" || fail "demo printed no number ranges"
echo "$out" | grep -q "NOT gap-free" && fail "a number range has a gap"
echo "$out" | grep -q "^verify: numbers gap-free" || fail "demo's verify"

# A mixed run on the same folder: 2 Wine workstations and 2 native Linux ones at once (the
# Linux ones make twice as many documents: a Wine program takes a second or two to start).
pids=()
for i in 1 2; do
  win work --data "$wdir" --user "win$i" --workstation "WIN-$i" --docs $docs --seed $((2000 + i)) >"$work/win$i.log" 2>&1 &
  pids+=($!)
  "$linux" work --data "$dir" --user "lin$i" --workstation "LIN-$i" --docs $((docs * 2)) --seed $((3000 + i)) \
    >"$work/lin$i.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { cat "$work"/*.log; fail "a workstation of the mixed run failed"; }; done
cat "$work"/win?.log "$work"/lin?.log

# The workstation's local settings are under %APPDATA% (Wine's is the prefix's own), and the
# data folder kept there is the one verify opens without --data.
out=$(win use "$wdir") || fail "invoicing.exe use exited $?: $out"
echo "$out" | grep -qF 'AppData\Roaming\xbase-invoicing\local.ini' || fail "invoicing.exe use: $out"
out=$(win verify) || fail "invoicing.exe verify exited $?: $out"
echo "$out" | grep -q "^ok: numbers gap-free" || fail "invoicing.exe verify: $out"
out=$("$linux" verify --data "$dir") || fail "the Linux invoicing verify exited $?: $out"
echo "$out" | grep -q "^ok: numbers gap-free" || fail "Linux invoicing verify: $out"
# The documents the Windows processes numbered, read by Linux: every workstation numbered
# some, and no number of a type and year is there twice.
"$linux" doc list --data "$dir" --json >"$work/docs.json"
python3 - "$work/docs.json" $workstations <<'PY' || fail "the documents as Linux reads them"
import json, sys
docs = json.load(open(sys.argv[1]))
numbered = [d for d in docs if d["number"] is not None]
keys = [(d["type"], d["fiscal_year"], d["number"]) for d in numbered]
assert len(keys) == len(set(keys)), "a number twice"
stations = [f"PC-{i}" for i in range(1, int(sys.argv[2]) + 1)] + ["WIN-1", "WIN-2", "LIN-1", "LIN-2"]
for w in stations:
    n = sum(d["workstation"] == w for d in numbered)
    assert n > 0, f"no numbered document from {w}"
    print(f"{w}: {n} numbered documents")
PY

# A backup taken under Wine, checked and restored by Linux and by Windows.
out=$(win backup --data "$wdir" --to "Z:$work/backups" 2>&1) || fail "invoicing.exe backup: $out"
zip=$(ls "$work"/backups/*.zip | head -1)
[ -f "$zip" ] || fail "invoicing.exe backup wrote no ZIP: $out"
out=$("$linux" restore "$zip" --data "$work/dry" --dry-run 2>&1) || fail "Linux restore --dry-run of the Windows backup: $out"
out=$(win restore "Z:$zip" --data "Z:$work/restored" 2>&1) || fail "invoicing.exe restore: $out"
out=$("$linux" verify --data "$work/restored") || fail "Linux verify of the folder restored under Wine: $out"

# What the Windows build leaves out says so, with exit 2.
set +e
out=$(win doc pdf --data "$wdir" F2026/1 2>&1); rc=$?
set -e
[ $rc -eq 2 ] && echo "$out" | grep -q "not available in the Windows build: needs cairo" ||
  fail "doc pdf without the outputs: exit $rc, $out"
set +e
out=$(win verify --db postgresql://nobody@localhost/none 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && echo "$out" | grep -q "PostgreSQL is not in this build" ||
  fail "a postgresql:// target: exit $rc, $out"
echo "invoicing.exe demo, verify, backup and restore under Wine agree with Linux"
