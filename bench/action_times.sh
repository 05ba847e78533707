#!/usr/bin/env bash
# Wall time of the business actions of bench/syscalls.sh for two builds, run alternately (A, B,
# A, B, ...) on fresh copies of one company, so that both meet the same load; prints each
# build's median in milliseconds. On a shared machine the times drift from minute to minute:
# compare A with B of the same run only.
#
#   bench/action_times.sh BUILD_A BUILD_B [RUNS]      (RUNS: 5 by default)
#   DATA_ROOT=/mnt/share/x bench/action_times.sh ...   (company copies there, e.g. on a cifs mount)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
a="$1" b="$2" runs="${3:-5}"
tmp="$(mktemp -d)"
work="${DATA_ROOT:-$tmp}"
mkdir -p "$work"
trap 'rm -rf "$tmp"; [ -n "${DATA_ROOT:-}" ] && rm -rf "$DATA_ROOT"/tmpl "$DATA_ROOT"/run' EXIT

# The company (made with build A): as in bench/syscalls.sh.
source "$root/bench/action_company.sh"
action_programs "$root" "$a" no-strace
action_programs "$root" "$b" no-strace
action_programs "$root" "$a" no-strace
make_action_company "$work/tmpl" "$tmp"
export INVOICING_DATA="$work/tmpl"
rm -f "$INVOICING_DATA"/_xbase_journals.xbj.mark  # each build starts from the same files

ms() {  # runs a command, prints its wall time in ms
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
declare -A times
for r in $(seq 1 "$runs"); do
  for side in A B; do
    bin="$a/app/cli/invoicing"; [ "$side" = B ] && bin="$b/app/cli/invoicing"
    rm -rf "$work/run"; cp -a "$work/tmpl" "$work/run"
    export INVOICING_DATA="$work/run"
    times[$side,open]+="$(ms "$bin" doc list) "
    times[$side,customer]+="$(ms "$bin" customer add --code "C$r" --name "Martin" --city Namur) "
    times[$side,finalize]+="$(ms "$bin" doc finalize 1) "
    times[$side,convert]+="$(ms "$bin" doc convert 2 --to invoice --finalize) "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
printf "%-9s %8s %8s   (ms, median of %d; all runs: A | B)\n" action A B "$runs"
for act in open customer finalize convert; do
  printf "%-9s %8s %8s   %s| %s\n" "$act" "$(echo "${times[A,$act]}" | median)" "$(echo "${times[B,$act]}" | median)" \
    "${times[A,$act]}" "${times[B,$act]}"
done
