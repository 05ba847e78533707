#!/usr/bin/env bash
# xbase.exe under Wine on the shared fixtures: `check` finds every table sound, `dump` gives
# the bytes the Linux xbase gives (in every format, in tag order too), `locks` reads the lock
# area.
# Usage: xbase_exe_test.sh WINEPREFIX XBASE.EXE FIXTURES LINUX_XBASE
# Exit 77 (skipped) when the Linux xbase is not built.
set -euo pipefail
prefix=$1 exe=$2 fixtures=$3 linux=$4
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$linux" ] || { echo "no Linux xbase at $linux (build the release preset first)"; exit 77; }
win() { bash "$here/wine_run.sh" "$prefix" "$exe" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
tables=("$fixtures/vfp/FIX.DBF" "$fixtures/fox2/FIX.DBF" "$fixtures/db3/FIX.DBF")

out=$(win check "${tables[@]}") || fail "xbase.exe check exited $?: $out"
echo "$out" | grep -qx "3 tables checked: 0 with problems (0 problems, 3 notes)" ||
  fail "xbase.exe check: $out"

for t in "${tables[@]}"; do
  for format in jsonl csv; do
    w=$(win dump "$t" --format "$format" | md5sum)
    l=$("$linux" dump "$t" --format "$format" | md5sum)
    [ "$w" = "$l" ] || fail "xbase.exe dump $t --format $format differs from Linux"
  done
done
w=$(win dump "$fixtures/vfp/FIX.DBF" --tag NAME --recno-only | md5sum)
l=$("$linux" dump "$fixtures/vfp/FIX.DBF" --tag NAME --recno-only | md5sum)
[ "$w" = "$l" ] || fail "xbase.exe: the NAME tag's order differs from Linux"

out=$(win locks "$fixtures/vfp/FIX.DBF" --json)
[ "$out" = "[]" ] || fail "xbase.exe locks: $out"
echo "xbase.exe check, dump and locks agree with Linux"
