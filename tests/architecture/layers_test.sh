#!/usr/bin/env bash
# The dependency directions of docs/architecture.md, checked on the #include lines: the engine's
# folders include only the folders below them, nothing outside the engine reaches into its
# tables, transactions and locks but app/store/folder/, app/domain/ includes no store, nothing
# in engine/ or common/ includes app/ or tools/. A new include that breaks a direction fails here,
# naming the file and the line.
# Usage: layers_test.sh SOURCE_DIR
set -uo pipefail
cd "$1"
bad=0
# violation DESCRIPTION < "file:line:text" lines
violation() {
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    echo "not allowed ($1): $hit"
    bad=1
  done
}

# 1. The engine's folders, bottom-up: each may include xbase/ and the folders listed before it.
order=(util io codepage lock memo dbf dbc cdx expr journal table transaction check)
for i in "${!order[@]}"; do
  d=${order[$i]}
  [ -d "engine/src/$d" ] || { echo "engine/src/$d is gone: update the order in $0"; bad=1; continue; }
  allowed="xbase|${order[*]:0:$i}"
  allowed=${allowed// /|}
  violation "engine/src/$d includes only folders below it: ${order[*]:0:$i}" < <(
    grep -rnE '#include "[a-z_]+/' "engine/src/$d" | grep -vE "#include \"($d|${allowed%|})/")
done
for d in engine/src/*/; do
  d=$(basename "$d")
  [[ " ${order[*]} " == *" $d "* ]] || { echo "engine/src/$d is not in the layer order of $0"; bad=1; }
done

# 2. Nothing in engine/ or common/ includes the products above them.
app_dirs=$(ls app | grep -v CMakeLists.txt | tr '\n' '|')
violation "engine/ and common/ include nothing from app/ or tools/" < <(
  grep -rnE "#include \"(${app_dirs%|}|cli|xbase_tool)/" engine common)
violation "app/ never includes tools/" < <(grep -rnE '#include "(tools|xbase/cmd_)' app)

# 3. The engine's tables, transactions, locks and files are used only by the data folder backend.
violation "only app/store/folder/ works with engine tables" < <(
  grep -rnE '#include "xbase/(table|transaction|lock|cursor|index|check|repair)\.h"' app | grep -v '^app/store/folder/')

# 4. The domain is pure rules: no store, no outputs, no front end.
violation "app/domain/ includes no store, output or front end" < <(
  grep -rnE "#include \"(store|outputs|import|backup|cli|web|delivery|purchase)/" app/domain)

# 5. Suppliers' e-invoices come in through the store only (no outputs, no front end).
violation "app/purchase/ includes only the store and the domain" < <(
  grep -rnE "#include \"(outputs|import|backup|cli|web|delivery)/" app/purchase)
violation "app/store/ includes no purchase/" < <(grep -rnE '#include "purchase/' app/store)

[ $bad = 0 ] && echo "ok: every include follows the layers"
exit $bad
