#!/usr/bin/env bash
# Runs the libFuzzer targets for a while, seeded from the read-only shared/ folder.
#
#   tests/fuzz/run_fuzz.sh [-t SECONDS] [-b BIN_DIR] [-s SHARED_DIR] [-a ARTIFACT_DIR]
#                          [-c CORPUS_DIR] [TARGET...] [-- LIBFUZZER_ARGS...]
#
#   TARGET        dbf_fuzz, dbf_write_fuzz, memo_fuzz, cdx_fuzz, dbc_fuzz, layout_fuzz (default: all six)
#   -t SECONDS    time per target (default: $XBASE_FUZZ_SECONDS, else 60)
#   -b BIN_DIR    folder holding the fuzz executables (default: build/asan/tests/fuzz)
#   -s SHARED     the shared/ folder with fixtures/ and corpus/ (default: ../shared beside the repo)
#   -a ARTIFACTS  where crash/timeout/leak inputs are written (default: a fresh folder in $TMPDIR,
#                 kept and printed when something was found)
#   -c CORPUS     keep the generated corpus in CORPUS/<target> across runs (default: temp, deleted)
#
# Seeds are made at run time in a temp folder (never in the repository):
#   dbf_fuzz, dbf_write_fuzz:
#              every *.dbf / *.dbc file of shared/fixtures and shared/corpus; files of 64 KB and
#              more are cut to their first 64 KB (what -max_len would keep anyway). Each larger
#              file also gives a small seed: its header and first two records, which mutate
#              much faster.
#   memo_fuzz: every *.fpt / *.dct / *.dbt file, prefixed with the two selector bytes of the
#              memo_fuzz input layout (see fuzz_harness.h) for each flavour it can be read as,
#              in read and in read+write mode; larger memo files also give a 2 KB seed.
#   cdx_fuzz:  the CDX the engine builds for the harness table (one selector byte per mode),
#              and every *.cdx file as raw bytes (-max_len 131072 so the fixtures' fit).
#   dbc_fuzz:  DBC property memos of the kinds the corpus DBC holds (written here, -max_len 4096).
#   layout_fuzz: the example PDF layouts in docs/layouts of the repository (-max_len 8192).
# Exits non-zero when a target crashed (sanitizer report, abort, uncaught exception, leak,
# timeout, out of memory) or could not be run.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${XBASE_FUZZ_SECONDS:-60}
bin_dir=$repo/build/asan/tests/fuzz
shared=$repo/../shared
artifacts=
corpus_keep=
extra=()
targets=()

while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) bin_dir=$2; shift 2 ;;
    -s) shared=$2; shift 2 ;;
    -a) artifacts=$2; shift 2 ;;
    -c) corpus_keep=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "run_fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(dbf_fuzz dbf_write_fuzz memo_fuzz cdx_fuzz dbc_fuzz layout_fuzz)
case $seconds in ''|*[!0-9]*) echo "run_fuzz.sh: bad duration '$seconds'" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/xbase-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
own_artifacts=
if [ -z "$artifacts" ]; then
  artifacts=$(mktemp -d "${TMPDIR:-/tmp}/xbase-fuzz-artifacts.XXXXXX") || exit 2
  own_artifacts=1
fi
mkdir -p "$artifacts" || exit 2

max_len=65536
n_seed=0
# copy_seed SRC DEST [PREFIX_BYTES_AS_PRINTF_ESCAPES]
copy_seed() {
  local prefix=${3:-}
  { [ -n "$prefix" ] && printf "$prefix"; head -c $((max_len - ${#prefix} / 4)) "$1"; } > "$2"
  n_seed=$((n_seed + 1))
}

seed_dirs() {  # the folders of shared/ that hold seed material
  local d
  for d in "$shared/fixtures" "$shared/corpus"; do [ -d "$d" ] && echo "$d"; done
}

make_seeds() {
  local target=$1 dir=$2 f i=0
  mkdir -p "$dir"
  case $target in
    dbf_fuzz|dbf_write_fuzz)
      while IFS= read -r -d '' f; do
        i=$((i + 1)); copy_seed "$f" "$dir/seed-$i"
        local size hl rl cut
        size=$(stat -c %s "$f")
        hl=$(od -An -tu2 -j8 -N2 "$f" | tr -d ' ')
        rl=$(od -An -tu2 -j10 -N2 "$f" | tr -d ' ')
        cut=$(( ${hl:-0} + 2 * ${rl:-0} + 1 ))
        if [ "$size" -gt 2048 ] && [ "$cut" -lt "$size" ] && [ "$cut" -le $max_len ]; then
          head -c "$cut" "$f" > "$dir/seed-$i-head"; n_seed=$((n_seed + 1))
        fi
      done < <(find $(seed_dirs) -type f \( -iname '*.dbf' -o -iname '*.dbc' \) -print0 | sort -z)
      ;;
    memo_fuzz)
      while IFS= read -r -d '' f; do
        i=$((i + 1))
        case ${f,,} in
          *.dbt)  # dBASE III or IV DBT (flavours 2, 3), read and read+write
            sels='\x02 \x03 \x06 \x07' ;;
          *)      # FPT with 4- and 10-byte pointers (flavours 0, 1), read and read+write
            sels='\x00 \x01 \x04 \x05' ;;
        esac
        for sel in $sels; do
          copy_seed "$f" "$dir/seed-$i-${sel:2}" "$sel\x00"
          if [ "$(stat -c %s "$f")" -gt 4096 ]; then
            { printf "$sel\x00"; head -c 2048 "$f"; } > "$dir/seed-$i-${sel:2}-head"; n_seed=$((n_seed + 1))
          fi
        done
      done < <(find $(seed_dirs) -type f \( -iname '*.fpt' -o -iname '*.dct' -o -iname '*.dbt' \) -print0 | sort -z)
      ;;
    cdx_fuzz)
      for sel in '\x00' '\x01' '\x02' '\x03'; do
        printf "$sel" > "$dir/template-${sel:2}"; n_seed=$((n_seed + 1))
      done
      while IFS= read -r -d '' f; do
        i=$((i + 1))
        for sel in '\x04' '\x05' '\x06' '\x07'; do
          copy_seed "$f" "$dir/seed-$i-${sel:2}" "$sel"
        done
      done < <(find $(seed_dirs) -type f -iname '*.cdx' -print0 | sort -z)
      ;;
    dbc_fuzz)
      # Property memos as the corpus DBC holds them (docs/vfp-dbc.md): a table's class, path
      # and primary key; a field's default; an index flag; a relation; the database version.
      local m
      for m in '\x08\0\0\0\x01\0\x02\x01\x11\0\0\0\x01\0\x01types.dbf\0\x0f\0\0\0\x01\0\x14type_id\0' \
               '\x0f\0\0\0\x01\0\x0bnewid()\0' '\x08\0\0\0\x01\0\x11\x01' \
               '\x0f\0\0\0\x01\0\x0dtype_id\0\x0d\0\0\0\x01\0\x12types\0\x0f\0\0\0\x01\0\x13type_id\0' \
               '\x0b\0\0\0\x01\0\x18\0\0\0\x0a' '\x12\0\0\0\x01\0\x09amount >= 0\0'; do
        i=$((i + 1)); printf "$m" > "$dir/seed-$i"; n_seed=$((n_seed + 1))
      done
      ;;
    layout_fuzz)
      while IFS= read -r -d '' f; do
        i=$((i + 1)); copy_seed "$f" "$dir/seed-$i"
      done < <(find "$repo/docs/layouts" -type f -name '*.ini' -print0 | sort -z)
      ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  exe=$bin_dir/$t
  if [ ! -x "$exe" ]; then
    echo "run_fuzz.sh: $exe not found; build it first (cmake --preset asan && cmake --build --preset asan)" >&2
    status=1
    continue
  fi
  max_len=65536
  [ "$t" = cdx_fuzz ] && max_len=131072
  [ "$t" = layout_fuzz ] && max_len=8192
  [ "$t" = dbc_fuzz ] && max_len=4096
  n_seed=0
  make_seeds "$t" "$work/seeds-$t"
  if [ -n "$corpus_keep" ]; then corpus=$corpus_keep/$t; else corpus=$work/corpus-$t; fi
  mkdir -p "$corpus"
  echo "== $t: ${seconds}s, $n_seed seeds from $shared, artifacts in $artifacts"
  "$exe" -max_len=$max_len -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
         -print_final_stats=1 -artifact_prefix="$artifacts/$t-" ${extra[@]+"${extra[@]}"} \
         "$corpus" "$work/seeds-$t" 2>&1 | { grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true; }
  rc=${PIPESTATUS[0]}
  if [ $rc -ne 0 ]; then
    echo "== $t: FAILED (exit $rc); reproduce with: $exe <input from $artifacts>" >&2
    status=1
  else
    echo "== $t: ok"
  fi
done
# A temp artifact folder that stayed empty is removed; one given with -a is left alone (other
# runs may share it).
if [ -n "$own_artifacts" ] && [ -z "$(ls -A "$artifacts" 2>/dev/null)" ]; then rmdir "$artifacts"; fi
exit $status
