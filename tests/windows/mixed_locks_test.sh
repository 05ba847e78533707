#!/usr/bin/env bash
# Record locks on one table between two Windows processes under Wine, and between a Windows
# process under Wine and a native Linux one, both ways (tests/multiuser's xbase-stress built
# for each). Fails when a lock is not seen on the other side.
# Usage: mixed_locks_test.sh WINEPREFIX XBASE-STRESS.EXE LINUX_XBASE_STRESS
# Exit 77 (skipped) when the Linux program is not built.
set -euo pipefail
prefix=$1 exe=$2 linux=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$linux" ] || { echo "no Linux xbase-stress at $linux (build the release preset first)"; exit 77; }
win() { bash "$here/wine_run.sh" "$prefix" "$exe" "$@"; }
dir=$(mktemp -d /tmp/xbase-mixed.XXXXXX)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
wdir="Z:$dir"  # the same folder as Windows sees it under Wine

# Starts a holder (a command line that prints "locked" once it holds its record lock).
hold() {
  "$@" >"$dir/holder.out" 2>&1 &
  holder=$!
  for _ in $(seq 300); do
    grep -q locked "$dir/holder.out" && return 0
    sleep 0.1
  done
  fail "the holder never took its lock: $(cat "$dir/holder.out")"
}
release() {
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  holder=
}
# trylock exits 0 when granted, 1 when refused.
try() {
  set +e
  "$@" >/dev/null 2>&1
  local rc=$?
  set -e
  echo $rc
}

win init "$wdir" >/dev/null || fail "xbase-stress.exe init"
win work "$wdir" 1 300 11 >/dev/null || fail "xbase-stress.exe work"
"$linux" work "$dir" 2 300 22 >/dev/null || fail "xbase-stress work"

hold win lock "$wdir" 5 60
[ "$(try win trylock "$wdir" 5)" = 1 ] || fail "a Wine process was granted the record another Wine process holds"
[ "$(try win trylock "$wdir" 6)" = 0 ] || fail "a Wine process was refused a free record"
linux_sees_wine=$(try "$linux" trylock "$dir" 5)
release

hold "$linux" lock "$dir" 7 60
[ "$(try "$linux" trylock "$dir" 7)" = 1 ] || fail "a Linux process was granted the record another Linux process holds"
wine_sees_linux=$(try win trylock "$wdir" 7)
[ "$(try win trylock "$wdir" 8)" = 0 ] || fail "a Wine process was refused a free record beside a Linux lock"
release

# Wine 8 (Debian 12) takes a LockFileEx lock in wineserver and, on Linux, as a POSIX lock on
# the server's descriptor of the file, which conflicts with the engine's OFD locks: each side
# sees the other's record locks.
describe() { [ "$1" = 1 ] && echo "refused (the lock is seen)" || echo "granted (the lock is NOT seen)"; }
echo "Wine holds, Linux asks: $(describe "$linux_sees_wine")"
echo "Linux holds, Wine asks: $(describe "$wine_sees_linux")"
[ "$linux_sees_wine" = 1 ] || fail "a Linux process does not see a Wine process's record lock"
[ "$wine_sees_linux" = 1 ] || fail "a Wine process does not see a Linux process's record lock"
