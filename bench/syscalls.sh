#!/usr/bin/env bash
# System calls per business action (issue 30): on a share every call that reaches a file is a
# network round trip, so these counts are what a workstation feels. Counted with `strace -f -yy`
# (deterministic, unlike wall clock on a shared machine) for one run of each action on a fresh
# company in a temporary folder:
#   open      `invoicing doc list` on a company with one document (opening the company)
#   customer  `invoicing customer add`
#   finalize  `invoicing doc finalize` of a one-line invoice with a stocked article
#   convert   `invoicing doc convert --to invoice --finalize` of a quote with 10 stock lines
#   show      `invoicing doc show` of the quote with 10 stock lines (converted above): its lines
#             read in a read batch, each article looked up
#   pdf       `invoicing doc pdf` of the invoice converted above (10 lines, made from the quote):
#             the document, its lines and their articles read once, its source's record alone
#   finalize2 `invoicing doc finalize` of another one-line invoice, its year's series made: the
#             finalization of every day (finalize above also makes the year's invoice series)
#   ui-final  the finalize2 of a one-line invoice in `invoicing ui` (the web front end keeps the
#             company open: no start, no opens), counted in the server for one request
#   peers-N   (only with PEERS=N) a finalize2 while N other processes hold journals in the
#             folder, as N colleagues' programs do: N front ends (`invoicing ui`), each of which
#             finalized a document of its own, idle
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
count show doc show 2
count pdf doc pdf 3 --out "$tmp/invoice.pdf"
# A second draft invoice (document 4: 3 is the converted quote's invoice), made untraced.
"$inv" doc new --type invoice --party DUPONT >/dev/null
"$inv" doc add-line 4 --article ART2 --qty 1 >/dev/null
count finalize2 doc finalize 4

# The same finalization in a program that keeps the company open (the web front end, as a
# workstation runs it): no start, no opens, its journal made before (by the finalization of
# document 5, untraced). Counted in the server (strace -p) for one POST .../finalize, which
# also answers with the document's page (its lines, payments, history).
"$inv" doc new --type invoice --party DUPONT >/dev/null
"$inv" doc add-line 5 --article ART3 --qty 1 >/dev/null
"$inv" doc new --type invoice --party DUPONT >/dev/null
"$inv" doc add-line 6 --article ART4 --qty 1 >/dev/null
# Front-end servers, numbered: ui_start N starts one (its port, session and CSRF token kept by
# number), finalize_in_ui N DOC finalizes a document through it.
uis=(); ports=(); csrfs=()
# (set -e holds in the trap too: a server already stopped must not end it before the cleanup)
trap 'for p in "${uis[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && cp -r "$tmp" "$KEEP"; rm -rf "$tmp"; [ -n "${DATA:-}" ] && rm -rf "$DATA"' EXIT
ui_start() {
  local n="$1" port url
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$inv" ui --port "$port" --no-browser >"$tmp/ui.$n.out" 2>&1 &
  uis[$n]=$!; ports[$n]=$port
  for _ in $(seq 1 100); do grep -q "token=" "$tmp/ui.$n.out" 2>/dev/null && break; sleep 0.1; done
  url="$(grep -o 'http://[^ ]*token=[0-9a-f]*' "$tmp/ui.$n.out" | head -1)"
  [ -n "$url" ] || { echo "invoicing ui did not start: $(cat "$tmp/ui.$n.out")" >&2; exit 2; }
  curl -s -c "$tmp/cookies.$n" -o /dev/null "$url"
  csrfs[$n]="$(curl -s -b "$tmp/cookies.$n" "http://127.0.0.1:$port/api/session" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')"
}
ui_stop() {
  kill "${uis[$1]}" 2>/dev/null || true; wait "${uis[$1]}" 2>/dev/null || true
  unset "uis[$1]"
}
finalize_in_ui() {
  curl -s -f -b "$tmp/cookies.$1" -H "X-CSRF-Token: ${csrfs[$1]}" -H "Content-Type: application/json" \
    -X POST -d '{}' "http://127.0.0.1:${ports[$1]}/api/documents/$2/finalize" >/dev/null ||
    { echo "finalizing document $2 in invoicing ui failed" >&2; exit 2; }
}
ui_start 0
ui=${uis[0]}
finalize_in_ui 0 5
strace -f -yy -p "$ui" -o "$tmp/ui-final.strace" 2>/dev/null &
tracer=$!
for _ in $(seq 1 100); do [ -s "$tmp/ui-final.strace" ] && break; sleep 0.05; done
sleep 0.2  # every thread of the server attached
finalize_in_ui 0 6
sleep 0.2
kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
awk -v label=ui-final -v dir="$dir" -f "$root/bench/syscall_counts.awk" "$tmp/ui-final.strace"

ui_stop 0

# Colleagues' programs: N front ends, each with the company open and its journal made (by a
# finalization of its own), idle while this workstation finalizes.
if [ "${PEERS:-0}" -gt 0 ]; then
  "$inv" doc new --type invoice --party DUPONT >/dev/null
  "$inv" doc add-line 7 --article ART5 --qty 1 >/dev/null
  for i in $(seq 1 "$PEERS"); do
    doc=$("$inv" doc new --type invoice --party DUPONT | grep -o '[0-9][0-9]*' | head -1)
    "$inv" doc add-line "$doc" --article ART5 --qty 1 >/dev/null
    ui_start "$i"
    finalize_in_ui "$i" "$doc"
  done
  # A command beside them leaves a spare journal, as every folder where this many programs ran
  # at once has (a fresh folder has none to spare: the counted one would create its journal).
  "$inv" customer add --code PEERS --name "Peers" --city Gent >/dev/null
  count "peers-$PEERS" doc finalize 7
fi
