#!/usr/bin/env bash
# Runs the import readers' libFuzzer targets for a while, from seeds made at run time.
#
#   tests/import/fuzz/run_import_fuzz.sh [-t SECONDS] [-b BIN_DIR] [-p PYTHON] [-a ARTIFACTS]
#                                        [-c CORPUS_DIR] [TARGET...] [-- LIBFUZZER_ARGS...]
#
#   TARGET        import_csv_fuzz, import_xlsx_fuzz, import_profile_fuzz (default: all)
#   -t SECONDS    time per target (default: $XBASE_FUZZ_SECONDS, else 60)
#   -b BIN_DIR    folder holding the fuzz executables (default: build/asan/tests/import/fuzz)
#   -p PYTHON     the python3 with python3-openpyxl, for the XLSX seeds (default: /usr/bin/python3)
#   -a ARTIFACTS  where crash/timeout/leak inputs are written (default: a fresh temp folder,
#                 kept and printed when something was found)
#   -c CORPUS     keep the generated corpus in CORPUS/<target> across runs (default: temp)
# Exits non-zero when a target crashed or could not be run (the pattern of
# tests/fuzz/run_fuzz.sh).
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
seconds=${XBASE_FUZZ_SECONDS:-60}
bin_dir=$repo/build/asan/tests/import/fuzz
python=/usr/bin/python3
artifacts=
corpus_keep=
extra=()
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) bin_dir=$2; shift 2 ;;
    -p) python=$2; shift 2 ;;
    -a) artifacts=$2; shift 2 ;;
    -c) corpus_keep=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "run_import_fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(import_csv_fuzz import_xlsx_fuzz import_profile_fuzz)
case $seconds in ''|*[!0-9]*) echo "run_import_fuzz.sh: bad duration '$seconds'" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/import-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
own_artifacts=
if [ -z "$artifacts" ]; then
  artifacts=$(mktemp -d "${TMPDIR:-/tmp}/import-fuzz-artifacts.XXXXXX") || exit 2
  own_artifacts=1
fi
mkdir -p "$artifacts" || exit 2

status=0
for t in "${targets[@]}"; do
  exe=$bin_dir/$t
  if [ ! -x "$exe" ]; then
    echo "run_import_fuzz.sh: $exe not found; build the asan preset first" >&2
    status=1
    continue
  fi
  kind=${t#import_}; kind=${kind%_fuzz}
  if ! "$python" "$here/make_seeds.py" "$kind" "$work/seeds-$t"; then
    echo "run_import_fuzz.sh: cannot make the $kind seeds with $python" >&2
    status=1
    continue
  fi
  if [ -n "$corpus_keep" ]; then corpus=$corpus_keep/$t; else corpus=$work/corpus-$t; fi
  mkdir -p "$corpus"
  echo "== $t: ${seconds}s, $(ls "$work/seeds-$t" | wc -l) seeds, artifacts in $artifacts"
  # Each run works in its own temp folder: the targets write their input file there.
  mkdir -p "$work/tmp-$t"
  TMPDIR=$work/tmp-$t "$exe" -max_len=65536 -max_total_time="$seconds" -timeout=20 \
         -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
         ${extra[@]+"${extra[@]}"} "$corpus" "$work/seeds-$t" 2>&1 |
    { grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true; }
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
