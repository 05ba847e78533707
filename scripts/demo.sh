#!/usr/bin/env bash
# The main job on a demo data folder: builds (Release), creates a small table set with
# `xbase` in a temporary folder, and shows what the tools see in it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
xbase="$PWD/build/release/tools/xbase"
demo="$(mktemp -d "${TMPDIR:-/tmp}/xbase-demo.XXXXXX")"
echo "== demo data folder: $demo"
"$xbase" create "$demo/customer.dbf" --type vfp --codepage 1252 \
  --fields "ID I AUTOINC, NAME C(40), CITY C(30), VAT C(14) NULL, CREDIT N(12,2), SINCE D, ACTIVE L, NOTE M"
"$xbase" load "$demo/customer.dbf" samples/customers.jsonl
"$xbase" create "$demo/article.dbf" --type fox2 --codepage 850 \
  --fields "CODE C(10), DESCR C(40), PRICE N(10,2), VAT N(2), STOCK N(8,1), INFO M"
"$xbase" load "$demo/article.dbf" samples/articles.csv
echo "== xbase info customer.dbf"
"$xbase" info "$demo/customer.dbf"
echo "== xbase dump customer.dbf"
"$xbase" dump "$demo/customer.dbf"
echo "== xbase dump article.dbf --format csv"
"$xbase" dump "$demo/article.dbf" --format csv
echo "== the files"
ls -l "$demo"
