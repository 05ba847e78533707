#!/usr/bin/env bash
# Runs the bank statement fuzz targets for a while, seeded from the sample statements in
# tests/bank/data (the pattern of tests/fuzz/run_fuzz.sh, with this folder's seeds).
#
#   tests/bank/run_fuzz.sh [-t SECONDS] [-b BIN_DIR] [-a ARTIFACT_DIR] [TARGET...] [-- LIBFUZZER_ARGS...]
#
#   TARGET        coda_fuzz, camt053_fuzz (default: both)
#   -t SECONDS    time per target (default: $XBASE_FUZZ_SECONDS, else 60)
#   -b BIN_DIR    folder holding the fuzz executables (default: build/asan/tests/bank)
#   -a ARTIFACTS  where crash/timeout/leak inputs are written (default: a fresh temp folder,
#                 kept and printed when something was found)
# Seeds: coda_fuzz gets data/*.cod, camt053_fuzz data/*.xml; both also get each sample cut
# to its first lines (small inputs mutate faster). Exits non-zero when a target crashed.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${XBASE_FUZZ_SECONDS:-60}
bin_dir=$repo/build/asan/tests/bank
artifacts=
extra=()
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) bin_dir=$2; shift 2 ;;
    -a) artifacts=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "run_fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(coda_fuzz camt053_fuzz)
case $seconds in ''|*[!0-9]*) echo "run_fuzz.sh: bad duration '$seconds'" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/bank-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
own_artifacts=
if [ -z "$artifacts" ]; then
  artifacts=$(mktemp -d "${TMPDIR:-/tmp}/bank-fuzz-artifacts.XXXXXX") || exit 2
  own_artifacts=1
fi
mkdir -p "$artifacts" || exit 2

status=0
for t in "${targets[@]}"; do
  exe=$bin_dir/$t
  if [ ! -x "$exe" ]; then
    echo "run_fuzz.sh: $exe not found; build it first (scripts/build.sh asan)" >&2
    status=1
    continue
  fi
  case $t in coda_fuzz) pattern='*.cod' ;; *) pattern='*.xml' ;; esac
  seeds=$work/seeds-$t corpus=$work/corpus-$t
  mkdir -p "$seeds" "$corpus"
  i=0
  for f in "$here"/data/$pattern; do
    [ -f "$f" ] || continue
    i=$((i + 1))
    cp "$f" "$seeds/seed-$i"
    head -n 4 "$f" > "$seeds/seed-$i-head"
  done
  echo "== $t: ${seconds}s, $i sample files, artifacts in $artifacts"
  "$exe" -max_len=16384 -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
         -print_final_stats=1 -artifact_prefix="$artifacts/$t-" ${extra[@]+"${extra[@]}"} \
         "$corpus" "$seeds" 2>&1 | { grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true; }
  rc=${PIPESTATUS[0]}
  if [ $rc -ne 0 ]; then
    echo "== $t: FAILED (exit $rc); reproduce with: $exe <input from $artifacts>" >&2
    status=1
  else
    echo "== $t: ok"
  fi
done
if [ -n "$own_artifacts" ] && [ -z "$(ls -A "$artifacts" 2>/dev/null)" ]; then rmdir "$artifacts"; fi
exit $status
