#!/usr/bin/env bash
# System calls per business action (issue 30): on a share every call that reaches a file is a
# network round trip, so these counts are what a workstation feels. Counted with `strace -f -yy`
# (deterministic, unlike wall clock on a shared machine) for one run of each action on a fresh
# company in a temporary folder:
#   open      `invoicing doc list` on a company with one document (opening the company)
#   customer  `invoicing customer add`
#   finalize  `invoicing doc finalize` of a one-line invoice with a stocked article
#   convert   `invoicing doc convert --to invoice --finalize` of a quote with 10 stock lines
# Columns, for the calls that name the company folder or a file in it (-yy): locks (fcntl
# byte-range locks and unlocks; F_GETFL and the like are not sent to a server), reads
# (pread64+read), writes, listings (opens of the folder to list it), getdents64, opens (of files),
# stat (statx+newfstatat+fstat), syncs (fsync+fdatasync), folder (all of those and the rest, without
# close and the local fcntl calls), and all (every call of the process: start-up, libraries too).
#
#   bench/syscalls.sh [BUILD_DIR]            (default build/release)
#   DATA=/mnt/share/x bench/syscalls.sh      (the company folder to use, e.g. on a cifs mount;
#                                             it is created, and removed afterwards)
#   KEEP=/tmp/x bench/syscalls.sh            (copies the strace logs, one per action, to /tmp/x)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
inv="$build/app/cli/invoicing"
issuer="$build/tools/licence-issuer"
key="$root/tests/licence/keys/test.secret"
command -v strace >/dev/null || { echo "strace is not installed (scripts/install-deps.sh)" >&2; exit 2; }
for f in "$inv" "$issuer"; do [ -x "$f" ] || { echo "missing $f: build first (scripts/build.sh release)" >&2; exit 2; }; done

tmp="$(mktemp -d)"
data="${DATA:-$tmp/company}"
trap '[ -n "${KEEP:-}" ] && cp -r "$tmp" "$KEEP"; rm -rf "$tmp"; [ -n "${DATA:-}" ] && rm -rf "$DATA"' EXIT
export INVOICING_DATA="$data"

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

dir="$(realpath "$data")"
# Prints one row of counts for the command given: the calls that name the company folder or a
# file in it (strace -yy prints every descriptor's path), which are the ones that reach the
# share; "all" counts every call of the process (its start, libraries, ICU data, too).
count() {
  local label="$1"; shift
  strace -f -yy -o "$tmp/$label.strace" "$inv" "$@" >/dev/null
  awk -v label="$label" -v dir="$dir" '
    / resumed>/ || /^[0-9]+ +(\+\+\+|---)/ { next }
    { all++ }
    index($0, dir "/") || index($0, dir ">") || index($0, "\"" dir "\"") {
      call = $2; sub(/\(.*/, "", call)
      if (call == "fcntl") { if ($0 ~ /F_(OFD_)?SETLKW?|F_(OFD_)?GETLK/) n["locks"]++ }
      else if (call == "pread64" || call == "read" || call == "preadv") n["reads"]++
      else if (call == "pwrite64" || call == "write" || call == "pwritev") n["writes"]++
      else if (call == "getdents64") n["getdents"]++
      else if (call == "openat" || call == "open") { if ($0 ~ /O_DIRECTORY/) n["listings"]++; else n["opens"]++ }
      else if (call == "statx" || call == "newfstatat" || call == "fstat") n["stat"]++
      else if (call == "fsync" || call == "fdatasync") {
        n["syncs"]++
        if (index($0, "<" dir ">)")) n["listings"]--  # the folder opened to sync it, not listed
      }
      if (call != "close" && !(call == "fcntl" && $0 !~ /LK/)) n["folder"]++
    }
    END {
      printf "%-9s %6d %6d %6d %9d %9d %6d %6d %6d %7d %6d\n", label, n["locks"], n["reads"], n["writes"],
        n["listings"], n["getdents"], n["opens"], n["stat"], n["syncs"], n["folder"], all
    }' "$tmp/$label.strace"
}
printf "%-9s %6s %6s %6s %9s %9s %6s %6s %6s %7s %6s\n" action locks reads writes listings getdents opens stat syncs folder all
count open doc list
count customer customer add --code MARTIN --name "Martin" --city Namur
count finalize doc finalize 1
count convert doc convert 2 --to invoice --finalize
