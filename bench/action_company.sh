# Sourced by the benchmarks of business actions (bench/syscalls.sh, action_times.sh,
# smb_guest_actions.sh):
# make_action_company DATA TMP makes a fresh company in DATA (a Basic licence issued into TMP):
# customer DUPONT, articles ART1..ART10 in stock, document 1 a draft invoice with one line of
# ART1, document 2 a final quote with 10 stock lines. Needs $inv, $issuer and $key
# (action_programs sets them).

# action_programs ROOT BUILD sets inv, issuer and key for the build given and stops with a clear
# message when a program is missing (strace too: every user of this file counts calls but one).
action_programs() {
  local root=$1 build=$2
  inv="$build/app/cli/invoicing"
  issuer="$build/tools/licence-issuer"
  key="$root/tests/licence/keys/test.secret"
  for f in "$inv" "$issuer"; do
    [ -x "$f" ] || { echo "missing $f: build first (scripts/build.sh release)" >&2; exit 2; }
  done
  [ "${3:-}" = no-strace ] || command -v strace >/dev/null ||
    { echo "strace is not installed (scripts/install-deps.sh)" >&2; exit 2; }
}

make_action_company() {
  local data=$1 tmp=$2
  local INVOICING_DATA=$data
  export INVOICING_DATA
  "$issuer" issue --key "$key" --licensee "Syscall bench" --vat BE0431115213 --edition basic \
    --updates-until 2099-12-31 --out "$tmp/basic.lic" >/dev/null 2>&1
  q() { "$inv" "$@" >/dev/null; }
  q init "$data" --company "Syscall bench" --licence "$tmp/basic.lic"
  q customer add --code DUPONT --name "Dupont" --city Gent
  for i in $(seq 1 10); do q article add --code "ART$i" --descr "Article $i" --price 6.95 --stock 1000 --min 1; done
  # Document ids in creation order: 1 the invoice to finalize, 2 the (final) quote to convert.
  q doc new --type invoice --party DUPONT
  q doc add-line 1 --article ART1 --qty 1
  q doc new --type quote --party DUPONT
  for i in $(seq 1 10); do q doc add-line 2 --article "ART$i" --qty 2; done
  q doc finalize 2  # only a final quote converts
}
