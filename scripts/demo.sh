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
echo "== xbase check $demo"
"$xbase" check "$demo" | tail -3
echo "== the data folder: $demo"
ls "$demo"
