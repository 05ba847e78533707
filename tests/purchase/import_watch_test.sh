#!/usr/bin/env bash
# `invoicing purchase import DIR --watch` (issue 26): a drop folder looked at every second. Files
# dropped while it runs are taken once each: an e-invoice imported, the same one under another
# name skipped, a broken one refused once (not at every look) and imported when written anew;
# SIGTERM ends it with exit 0. The e-invoices are real ones: `doc ubl` of another company.
# Usage: import_watch_test.sh INVOICING
set -euo pipefail
inv=$1
base=$(mktemp -d)
watcher=""
trap '[ -n "$watcher" ] && kill "$watcher" 2>/dev/null; rm -rf "$base"' EXIT
export XDG_CONFIG_HOME="$base/config" INVOICING_TODAY=2026-11-20
fail() { echo "FAIL: $*"; echo "--- watcher output:"; cat "$base/out" 2>/dev/null; exit 1; }
seller=$base/seller buyer=$base/buyer inbox=$base/inbox
mkdir -p "$inbox"

# The supplier's company and two of its invoices as e-invoices.
s() { "$inv" "$@" --data "$seller"; }
"$inv" init "$seller" --company "Koffiebranderij De Gouden Leeuw BV" --vat BE0123456749 >/dev/null
s company set --street "Grote Markt 1" --postcode 9100 --city Sint-Niklaas --country BE \
  --iban BE68539007547034 >/dev/null
s customer add --code PEETERS --name "Bakkerij Peeters" --street "Kerkstraat 2" --zip 2000 \
  --city Antwerpen --country BE --vat BE0417497106 >/dev/null
s article add --code KOFFIE --descr "Koffiebonen 1 kg" --price 18.50 --vat-rate 6 >/dev/null
for qty in 1 2; do
  id=$(s doc new --type invoice --party PEETERS --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
  s doc add-line "$id" --article KOFFIE --qty $qty >/dev/null
  s doc finalize "$id" >/dev/null
  s doc ubl "$id" --out "$base/invoice$qty.xml" >/dev/null
done
"$inv" init "$buyer" --company "Bakkerij Peeters" --vat BE0417497106 >/dev/null

"$inv" purchase import "$inbox" --watch --interval 1 --create-supplier --data "$buyer" > "$base/out" 2>&1 &
watcher=$!
wait_for() {  # wait_for TEXT: the watcher said it (20 s at most)
  for _ in $(seq 200); do
    grep -qF -- "$1" "$base/out" && return 0
    kill -0 "$watcher" 2>/dev/null || fail "the watcher stopped"
    sleep 0.1
  done
  fail "the watcher did not say: $1"
}

cp "$base/invoice1.xml" "$inbox/2026-0001.xml"
wait_for "2026-0001.xml: imported as purchase invoice"
echo "ok: a dropped e-invoice is imported"
head -c 2000 "$base/invoice2.xml" > "$inbox/broken.xml"
wait_for "broken.xml: refused: "
cp "$base/invoice1.xml" "$inbox/again.XML"
wait_for "again.XML: skipped: "
sleep 2.5  # more looks at the folder: the refused file is not tried again while it is unchanged
[ "$(grep -c "broken.xml" "$base/out")" = 1 ] || fail "the unchanged broken file was tried more than once"
echo "ok: a broken file is refused once, the same e-invoice under another name skipped"
cat "$base/invoice2.xml" > "$inbox/broken.xml"
wait_for "broken.xml: imported as purchase invoice"
echo "ok: the broken file written anew is imported"

kill -TERM "$watcher"
rc=0
wait "$watcher" || rc=$?
watcher=""
[ "$rc" = 0 ] || fail "the watcher ended with $rc on SIGTERM"
[ "$("$inv" doc list --type purchase-invoice --data "$buyer" --json | grep -o '"id"' | wc -l)" = 2 ] ||
  fail "not exactly 2 purchase invoices"
"$inv" verify --data "$buyer" >/dev/null || fail "verify finds problems"
echo "ok: SIGTERM ends it (exit 0); 2 purchase invoices, verify clean"
