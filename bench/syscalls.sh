#!/usr/bin/env bash
# System calls per business action (issue 30): on a share every call that reaches a file is a
# network round trip, so these counts are what a workstation feels. Counted with `strace -f -yy`
# (deterministic, unlike wall clock on a shared machine) for one run of each action on a fresh
# company in a temporary folder:
#   open      `invoicing doc list` on a company with one document (opening the company)
#   customer  `invoicing customer add`
#   finalize  `invoicing doc finalize` of a one-line invoice with a stocked article
#   convert   `invoicing doc convert --to invoice --finalize` of a quote with 10 stock lines
#   finalize2 `invoicing doc finalize` of another one-line invoice, its year's series made: the
#             finalization of every day (finalize above also makes the year's invoice series)
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
source "$root/bench/action_company.sh"
action_programs "$root" "${1:-$root/build/release}"

tmp="$(mktemp -d)"
data="${DATA:-$tmp/company}"
trap '[ -n "${KEEP:-}" ] && cp -r "$tmp" "$KEEP"; rm -rf "$tmp"; [ -n "${DATA:-}" ] && rm -rf "$DATA"' EXIT
export INVOICING_DATA="$data"

make_action_company "$data" "$tmp"

dir="$(realpath "$data")"
# Prints one row of counts for the command given: the calls that name the company folder or a
# file in it (strace -yy prints every descriptor's path), which are the ones that reach the
# share; "all" counts every call of the process (its start, libraries, ICU data, too).
count() {
  local label="$1"; shift
  strace -f -yy -o "$tmp/$label.strace" "$inv" "$@" >/dev/null
  awk -v label="$label" -v dir="$dir" -f "$root/bench/syscall_counts.awk" "$tmp/$label.strace"
}
awk -v header=1 -f "$root/bench/syscall_counts.awk"
count open doc list
count customer customer add --code MARTIN --name "Martin" --city Namur
count finalize doc finalize 1
count convert doc convert 2 --to invoice --finalize
# A second draft invoice (document 4: 3 is the converted quote's invoice), made untraced.
"$inv" doc new --type invoice --party DUPONT >/dev/null
"$inv" doc add-line 4 --article ART2 --qty 1 >/dev/null
count finalize2 doc finalize 4
