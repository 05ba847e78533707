#!/usr/bin/env bash
# A full disk under the data folder (issue 24: the user read "…xbj: write failed: No space left
# on device; the journal could not be reset either…"). The folder lives on a 6 MB tmpfs in a
# private mount namespace (unshare: no root needed, nothing left mounted), filled to the last
# byte. A change must say "the data folder's disk is full: nothing was changed", and nothing
# was; once space is free the same commands work and nothing is doubled.
set -euo pipefail
inv=$1
xbase=$2
if [ "${DISK_FULL_TEST_INSIDE:-}" != 1 ]; then
  unshare -rm true 2>/dev/null || { echo "no private mount namespace here (unshare -rm): skipped"; exit 77; }
  exec env DISK_FULL_TEST_INSIDE=1 unshare -rm bash "$0" "$@"
fi
root=$(mktemp -d)
trap 'umount "$root" 2>/dev/null; rm -rf "$root"' EXIT
mount -t tmpfs -o size=6m tmpfs "$root"
co=$root/co
fail() { echo "FAIL: $*"; exit 1; }
run() { "$inv" "$@" --data "$co"; }

"$inv" init "$co" --company "Vol BV" >/dev/null
run customer add --code C1 --name "Eerste klant" >/dev/null
run article add --code A1 --descr "Schroef" --price 2.50 >/dev/null
draft=$(run doc new --type invoice --party C1 --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
[ -n "$draft" ] || fail "no draft id"
run doc add-line "$draft" --article A1 --qty 3 >/dev/null

# Fill the disk to the last block (tmpfs: no reserved blocks, so nothing more fits). The engine's
# journals go first, as a restored folder has none: a program leaves its journal empty for the
# next (a spare, docs/transactions.md) with the blocks of its earlier commits, and a change that
# fits in blocks the files already hold is done, whole (the second half of this test).
rm -f "$co"/_xbase_*.xbj
fill() {
  dd if=/dev/zero of="$root/filler" bs=64k status=none 2>/dev/null || true
  dd if=/dev/zero of="$root/filler2" bs=512 status=none 2>/dev/null || true
  df -k "$root" | tail -1
}
fill

# init on the full disk: refused saying so, nothing left behind.
out=$("$inv" init "$root/second" --company "Tweede BV" 2>&1) && fail "init succeeded on a full disk"
grep -q "the disk is full: $root/second was not created (nothing is left behind)" <<<"$out" || fail "init: $out"
[ "$(ls -A "$root" | grep -v '^co$\|^filler')" = "" ] || { ls -la "$root"; fail "init left something behind"; }

state() {  # what a user sees, and the tables' bytes (not the seats, changed by every start, nor the
           # engine's journal marker, rewritten by every process that writes)
  run customer list
  run doc list
  run article list
  (cd "$co" && find . -type f ! -name 'SEATS.*' ! -name '_xbase_*' ! -path './logs/*' -print0 | sort -z | xargs -0 sha256sum)
}
before=$(state)

expect_full() {  # a command refused because the disk is full, with the promise kept
  local out rc=0
  out=$(run "$@" 2>&1) || rc=$?
  echo "$* -> exit $rc: $out"
  [ "$rc" -ne 0 ] || fail "$* succeeded on a full disk"
  grep -q "the data folder's disk is full: nothing was changed" <<<"$out" || fail "$*: no disk-full message"
  if grep -q "journal could not be reset\|No space left on device" <<<"$out"; then fail "$*: the raw engine error is shown"; fi
  [ "$(state)" = "$before" ] || fail "$*: the data changed"
}
expect_full customer add --code C2 --name "Tweede klant"
expect_full doc finalize "$draft"
expect_full doc new --type quote --party C1

# Space again: the same commands work, each once.
rm -f "$root/filler" "$root/filler2"
run customer add --code C2 --name "Tweede klant" >/dev/null || fail "customer add after space was freed"
run doc finalize "$draft" >/dev/null || fail "finalize after space was freed"
[ "$(run customer list | grep -c 'Tweede klant')" = 1 ] || fail "the customer is not there exactly once"
run doc list --status final | grep -q . || fail "no final invoice"
"$xbase" check "$co" >/dev/null || fail "xbase check finds problems after the full disk"

# Full again, now with the spare journal in the folder: each change is refused as above or done
# whole, never half (xbase check, and the document's lines, totals and number).
draft2=$(run doc new --type invoice --party C2 --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
run doc add-line "$draft2" --article A1 --qty 2 >/dev/null
fill
before=$(state)
for cmd in "customer add --code C3 --name Derde" "doc finalize $draft2" "article add --code A2 --descr Moer --price 0.10"; do
  out=$(run $cmd 2>&1) && echo "$cmd -> done on the full disk: $out" || expect_full $cmd
  before=$(state)
done
rm -f "$root/filler" "$root/filler2"
"$xbase" check "$co" >/dev/null || fail "xbase check finds problems after the second full disk"
run doc show "$draft2" | grep -q "Schroef" || fail "the second invoice lost its line"
echo "full disk: refused with the message, nothing changed; after freeing space each change made once"
