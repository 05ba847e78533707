#!/usr/bin/env bash
# Two workers run transactions on one folder; each cycle kills one with SIGKILL at a random
# moment, lets the other go on (it must complete or discard what the dead one left before it
# reads), kills that one too, then verifies the folder. 100 cycles = 200 kills.
# Usage: sigkill.sh XBASE_TXSTRESS [CYCLES]
set -euo pipefail
bin=$1
cycles=${2:-100}
dir=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" init "$dir"
replayed=0 discarded=0 kills=0
pause() { sleep "0.0$(printf '%02d' $(( $1 + RANDOM % $2 )))"; }
for ((c = 1; c <= cycles; c++)); do
  "$bin" work "$dir" "$RANDOM$c" & p1=$!
  "$bin" work "$dir" "$RANDOM$c" & p2=$!
  pause 20 60
  kill -9 "$p1"; wait "$p1" 2>/dev/null || true
  pause 10 40
  kill -9 "$p2"; wait "$p2" 2>/dev/null || true
  kills=$((kills + 2))
  if ! out=$("$bin" verify "$dir"); then
    echo "cycle $c: verify failed after $kills kills: $out" >&2
    exit 1
  fi
  r=$(sed -n 's/.*replayed=\([0-9]*\).*/\1/p' <<<"$out")
  d=$(sed -n 's/.*discarded=\([0-9]*\).*/\1/p' <<<"$out")
  replayed=$((replayed + r)) discarded=$((discarded + d))
done
echo "$kills kills; verify completed $replayed commits and discarded $discarded unfinished ones left by them (the surviving worker recovers others itself); last: $out"
numbered=$(sed -n 's/.*numbered=\([0-9]*\).*/\1/p' <<<"$out")
# The workers must have got work done between the kills.
if (( numbered < 20 )); then
  echo "only $numbered numbered transactions committed in $cycles cycles" >&2
  exit 1
fi
