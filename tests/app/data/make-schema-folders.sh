#!/usr/bin/env bash
# Makes the data folders of tests/app/data/schema-v1 and schema-v2 with the code of commit
# 43316ff, the first release of the data folder (its dictionary.h: kSchemaVersion = 2; schema
# version 1 exists there as `init --schema 1`, the layout before articles had a minimum stock
# and before the audit log). Kept to show how the folders were made; the tests never run it.
#
# Usage: tests/app/data/make-schema-folders.sh OUT_DIR
# Builds that commit in a temporary git worktree under /tmp (never in the repository), then:
#   schema-v2: `invoicing init --demo` (the demo company's year of documents) as a Free
#              company (--edition free, a VAT number that is not the demo's);
#   schema-v1: `invoicing init --schema 1` with the same company, then the same records copied
#              in with that commit's `xbase dump`/`xbase load` (the fields version 1 has: no
#              MINSTOCK, no AUDIT table). That code could not add documents to a version 1
#              folder itself: opening one upgraded it to version 2 first.
set -euo pipefail
out=$(realpath -m "${1:?usage: make-schema-folders.sh OUT_DIR}")
commit=43316ff
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
src=$(mktemp -d /tmp/schema-src.XXXXXX) build=$(mktemp -d /tmp/schema-build.XXXXXX)
trap 'git -C "$repo" worktree remove --force "$src" >/dev/null 2>&1 || true; rm -rf "$build"' EXIT
git -C "$repo" worktree add --detach "$src" $commit >/dev/null
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXBASE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target invoicing xbase >/dev/null
inv=$build/app/cli/invoicing xb=$build/tools/xbase
export XDG_CONFIG_HOME=$build/config
company=(--company "Bakkerij Peeters" --vat BE0431115213 --edition free --user admin --workstation SERVER)
mkdir -p "$out"
rm -rf "$out/schema-v1" "$out/schema-v2"
"$inv" init "$out/schema-v2" --demo "${company[@]}"
"$inv" init "$out/schema-v1" --schema 1 "${company[@]}"
for t in CUSTOMER SUPPLIER ARTICLE DOC DOCLINE STOCKMOV NUMBERS USERS; do
  fields=$("$xb" info "$out/schema-v1/$t.DBF" --json |
           python3 -c 'import json,sys; print(",".join(f["name"] for f in json.load(sys.stdin)["fields"]))')
  "$xb" dump "$out/schema-v2/$t.DBF" --deleted --fields "$fields" > "$build/$t.jsonl"
  "$xb" load "$out/schema-v1/$t.DBF" "$build/$t.jsonl"
done
"$xb" check "$out/schema-v1" "$out/schema-v2" | tail -1
