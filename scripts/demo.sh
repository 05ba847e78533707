#!/usr/bin/env bash
# The main job on a demo data folder: builds (Release), creates the demo company (a Belgian
# firm: customers, stocked articles, a year of documents) in a temporary folder, lets three
# workstation processes make 100 documents each at once (quotes, orders, delivery notes,
# invoices, credit notes), prints the number ranges per type and fiscal year, the stock and the
# time taken, and has `xbase check` look at every table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
invoicing="$PWD/build/release/app/cli/invoicing"
xbase="$PWD/build/release/tools/xbase"
demo="$(mktemp -d "${TMPDIR:-/tmp}/invoicing-demo.XXXXXX")/company"
export XDG_CONFIG_HOME="$(dirname "$demo")/config"  # this demo's workstation settings
echo "== invoicing demo --data $demo"
"$invoicing" demo --data "$demo"
echo "== invoicing doc list --type invoice (last 5)"
"$invoicing" doc list --data "$demo" --type invoice | tail -5
out="$(dirname "$demo")/out"
mkdir -p "$out"
# The last final invoice of a business customer (Peppol reaches no private person).
"$invoicing" customer list --data "$demo" --json >"$out/customers.json"
last=$("$invoicing" doc list --data "$demo" --type invoice --status final --json |
  python3 -c 'import json,sys
business = {c["code"] for c in json.load(open(sys.argv[1])) if c["vat"] or c["enterprise_no"]}
print(max(d["id"] for d in json.load(sys.stdin) if d["party"] in business))' "$out/customers.json")
echo "== invoicing doc pdf $last / doc ubl $last (in $out)"
"$invoicing" doc pdf "$last" --data "$demo" --out "$out/invoice-$last.pdf"
"$invoicing" doc ubl "$last" --data "$demo" --out "$out/invoice-$last.xml"
ls -l "$out"
echo "== invoicing verify"
"$invoicing" verify --data "$demo" | tail -3
echo "== invoicing backup --to $out"
"$invoicing" backup --data "$demo" --to "$out" | tail -2
echo "== xbase check $demo"
"$xbase" check "$demo" | tail -3
echo "== the data folder: $demo"
ls "$demo"
