#!/usr/bin/env bash
# Runs purchase_ubl_fuzz for a while, seeded from the CEN example invoices (the pattern of
# tests/bank/run_fuzz.sh).
#
#   tests/purchase/fuzz/run_ubl_fuzz.sh [-t SECONDS] [-b BIN_DIR] [-s TESTDATA] [-a ARTIFACT_DIR] [-- LIBFUZZER_ARGS...]
#
#   -t SECONDS    time (default: $XBASE_FUZZ_SECONDS, else 60)
#   -b BIN_DIR    folder holding purchase_ubl_fuzz (default: build/asan/tests/purchase/fuzz)
#   -s TESTDATA   ../shared/einvoice/testdata (its *.xml and *.XML files are the seeds, also cut short)
#   -a ARTIFACTS  where crash/timeout/leak inputs are written (default: a fresh temp folder,
#                 kept and printed when something was found)
# Exits non-zero when the target crashed.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
seconds=${XBASE_FUZZ_SECONDS:-60}
bin_dir=$repo/build/asan/tests/purchase/fuzz
testdata=$repo/../shared/einvoice/testdata
artifacts=
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) bin_dir=$2; shift 2 ;;
    -s) testdata=$2; shift 2 ;;
    -a) artifacts=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run_ubl_fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case $seconds in ''|*[!0-9]*) echo "run_ubl_fuzz.sh: bad duration '$seconds'" >&2; exit 2 ;; esac
exe=$bin_dir/purchase_ubl_fuzz
[ -x "$exe" ] || { echo "run_ubl_fuzz.sh: $exe not found; build it first (scripts/build.sh asan)" >&2; exit 1; }
[ -d "$testdata" ] || { echo "run_ubl_fuzz.sh: no seeds at $testdata" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ubl-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
own_artifacts=
if [ -z "$artifacts" ]; then
  artifacts=$(mktemp -d "${TMPDIR:-/tmp}/ubl-fuzz-artifacts.XXXXXX") || exit 2
  own_artifacts=1
fi
mkdir -p "$artifacts" "$work/seeds" "$work/corpus" || exit 2
i=0
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 65536 ] || continue  # the 3.3 MB one only slows every run down
  i=$((i + 1))
  cp "$f" "$work/seeds/seed-$i"
  head -c 4096 "$f" > "$work/seeds/seed-$i-head"
done < <(find "$testdata" -type f \( -name '*.xml' -o -name '*.XML' \) -print0)
echo "== purchase_ubl_fuzz: ${seconds}s, $i seed files, artifacts in $artifacts"
"$exe" -max_len=65536 -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts/purchase_ubl_fuzz-" ${extra[@]+"${extra[@]}"} \
       "$work/corpus" "$work/seeds" 2>&1 | { grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true; }
rc=${PIPESTATUS[0]}
if [ -n "$own_artifacts" ] && [ -z "$(ls -A "$artifacts" 2>/dev/null)" ]; then rmdir "$artifacts"; fi
if [ $rc -ne 0 ]; then
  echo "== purchase_ubl_fuzz: FAILED (exit $rc); reproduce with: $exe <input from $artifacts>" >&2
  exit 1
fi
echo "== purchase_ubl_fuzz: ok"
