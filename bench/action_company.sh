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

# guest_bench_dirs NAME (bench/smb_guest_actions.sh, smb_guest_waits.sh): a fresh folder $base
# (/tmp/NAME.XXXXXX) holding the share's folder $share (and $share/out for what the guest
# leaves), the smb-lab's state, the guest's build output and the program's settings.
guest_bench_dirs() {
  base=$(mktemp -d "/tmp/$1.XXXXXX")
  share=$base/share
  chmod 0755 "$base"
  mkdir -p "$share/out"
  export SMBLAB_ROOT="$base/run" SMBLAB_QEMU="${SMBLAB_QEMU:-/tmp/xbase-smb-qemu}" XDG_CONFIG_HOME="$base/config"
}

# document_pairs N: after make_action_company (INVOICING_DATA set), N more documents to use up:
# pair i is invoice 2 + 2i - 1 (one line of ART1) to finalize and final quote 2 + 2i (10 stock
# lines) to convert.
document_pairs() {
  local i a
  for i in $(seq "$1"); do
    "$inv" doc new --type invoice --party DUPONT >/dev/null
    "$inv" doc add-line $((2 + 2 * i - 1)) --article ART1 --qty 1 >/dev/null
    "$inv" doc new --type quote --party DUPONT >/dev/null
    for a in $(seq 1 10); do "$inv" doc add-line $((2 + 2 * i)) --article "ART$a" --qty 2 >/dev/null; done
    "$inv" doc finalize $((2 + 2 * i)) >/dev/null
  done
}
