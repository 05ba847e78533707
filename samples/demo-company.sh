#!/usr/bin/env bash
# Regenerates the demo company data folder that `invoicing init DIR --demo` makes: a Belgian
# firm with Dutch and French customers, stocked articles and a year of documents. The same
# seed gives the same folder content (dates are relative to today).
# Usage: samples/demo-company.sh DIR [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
exec build/release/app/cli/invoicing init "$1" --demo --seed "${2:-2026}"
