#!/usr/bin/env bash
# Issue 24's reproductions against `invoicing`, replayed as a user types them, in one run: each
# must now end with a clear message and the data as it was (or the change made once). The
# `xbase` items are in xbase_hostile_test.cc and conflicts_walk_test.cc, the full disk in
# disk_full_test.sh, write permission in xbase_hostile_test.cc, a held document's holder in the
# store tests (both backends).
set -uo pipefail
inv=$1
xbase=$2
issuer=$3  # licence-issuer and the test key: the race needs two seats (a Basic licence)
key=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export INVOICING_DATA=$work/co
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect RC TEXT COMMAND...: the command exits RC and says TEXT (stdout or stderr).
expect() {
  local want_rc=$1 want_text=$2 out rc=0
  shift 2
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" != "$want_rc" ]; then fail "$*: exit $rc, wanted $want_rc: $out"; return; fi
  if ! grep -qF -- "$want_text" <<<"$out"; then fail "$*: does not say \"$want_text\": $out"; fi
}
count_docs() { "$inv" doc list | grep -c . || true; }

"$issuer" issue --key "$key" --licensee "Replay BV" --vat BE0431115213 --edition basic \
  --updates-until 2099-12-31 --out "$work/basic.lic" 2>/dev/null || { echo "FAIL: no test licence"; exit 1; }
"$inv" init "$work/co" --company "Replay BV" --licence "$work/basic.lic" >/dev/null || { echo "FAIL: init"; exit 1; }

echo "== field limits: checked against the dictionary before anything is written (exit 1)"
expect 1 "a customer's code has at most 10 characters (11 given)" "$inv" customer add --code ABCDEFGHIJK --name x
expect 1 "a customer's name has at most 60 characters (61 given)" "$inv" customer add --code C2 --name "$(printf 'x%.0s' {1..61})"
expect 1 "an article's unit has at most 6 characters (8 given)" "$inv" article add --code A1 --descr d --price 1 --unit kilogram
expect 1 "a two-letter code (BE, NL, FR, ...), not \"Belgium\"" "$inv" customer add --code C3 --name n --country Belgium
expect 1 "at most 9 digits before the decimal point" "$inv" article add --code A2 --descr d --price 10000000000
expect 1 "has at most 60 characters (10000 given)" "$inv" customer add --code C4 --name "$(printf 'y%.0s' {1..10000})"
expect 0 "" "$inv" customer add --help
"$inv" customer add --help | grep -q "at most (characters): --code 10 --name 60" || fail "customer add --help lists no limits"

echo "== text measured in characters: 60 with a final é fit, 61 are refused (never cut)"
expect 0 "customer C1 added" "$inv" customer add --code C1 --name "$(printf 'x%.0s' {1..59})é"
"$inv" customer list | grep -q "$(printf 'x%.0s' {1..59})é" || fail "the 60-character name was not kept whole"
expect 1 "(61 given)" "$inv" customer add --code C5 --name "$(printf 'x%.0s' {1..60})é"

echo "== control characters refused in names and texts"
expect 1 "contains a control character (U+0007)" "$inv" customer add --code C6 --name $'bell\atab\e[31mred'

echo "== long and non-codepage user and workstation names: every command still works"
expect 0 "C1" "$inv" customer list --user abcdefghijklmnopqrstuvwxyzabc --workstation "$(printf 'w%.0s' {1..42})"
expect 0 "C1" "$inv" customer list --user 🍕

echo "== strict parsing: unknown options, unquoted words, impossible dates and ids"
expect 2 "unexpected \"Zoë\" (quote a text with spaces" "$inv" customer add --code C7 --name Café Zoë
expect 2 "February 2025 has 28 days" "$inv" doc new --type invoice --party C1 --date 2025-02-30
expect 2 "is not a date YYYY-MM-DD" "$inv" doc new --type invoice --party C1 --date 2025-01-01xyz
expect 2 "\"1abc\" is not a document id" "$inv" doc show 1abc
expect 2 "--date" "$inv" doc list --customer C1 --date 2025-01-01
expect 0 "  check T.dbf|DIR..." "$xbase" help check
expect 0 "  check T.dbf|DIR..." "$xbase" check --help
expect 0 "invoicing " "$inv" --version
expect 0 "xbase " "$xbase" --version
[ "$(count_docs)" = 0 ] || fail "a refused command made a document"

echo "== doc new while DOC.CDX is missing: refused, no draft, a retry neither"
mv "$work/co/DOC.CDX" "$work/DOC.CDX.lost"
expect 1 "invoicing repair-indexes" "$inv" doc new --type invoice --party C1
expect 1 "invoicing repair-indexes" "$inv" doc new --type invoice --party C1
expect 0 "indexes rebuilt" "$inv" repair-indexes
[ "$(count_docs)" = 0 ] || fail "doc new without its index made a draft"

echo "== init: a 250-character company name refused before anything is made"
expect 1 "a company name has at most 200 characters (250 given)" "$inv" init "$work/second" --company "$(printf 'n%.0s' {1..250})"
[ ! -e "$work/second" ] && [ -z "$(ls -A "$work" | grep -v '^co$\|^DOC.CDX.lost$\|^basic.lic$')" ] || fail "init left something behind"

echo "== two workstations adding the same customer code at once: the loser hears it exists (exit 1)"
for round in $(seq 1 10); do
  "$inv" customer add --code "R$round" --name "Race $round" --workstation PC-a >"$work/a.out" 2>&1 &
  a=$!
  "$inv" customer add --code "R$round" --name "Race $round" --workstation PC-b >"$work/b.out" 2>&1 &
  b=$!
  rc_a=0; rc_b=0
  wait $a || rc_a=$?
  wait $b || rc_b=$?
  if [ "$rc_a$rc_b" != "01" ] && [ "$rc_a$rc_b" != "10" ]; then
    fail "round $round: exits $rc_a and $rc_b: $(cat "$work/a.out" "$work/b.out")"
  elif ! grep -q "customer code R$round exists already" "$work/a.out" "$work/b.out"; then
    # (not `cat | grep -q`: under pipefail, cat killed by SIGPIPE when grep has found it in
    # the first file failed the round)
    fail "round $round: the loser said: $(cat "$work/a.out" "$work/b.out")"
  fi
done
[ "$("$inv" customer list | grep -c '^R')" = 10 ] || fail "not exactly one customer per round"

expect 0 "" "$inv" verify
if [ "$failures" -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "every invoicing reproduction of issue 24 ends with a clear message and its data intact"
