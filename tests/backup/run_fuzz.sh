#!/usr/bin/env bash
# Runs the backup archive fuzz target for a while, seeded with backups made here by the
# invoicing program (an empty company, the demo company), their manifests, and cut copies
# (the pattern of tests/fuzz/run_fuzz.sh).
#
#   tests/backup/run_fuzz.sh [-t SECONDS] [-b BIN_DIR] [-a ARTIFACT_DIR] -i INVOICING [-- LIBFUZZER_ARGS...]
#
#   -t SECONDS    time (default: $XBASE_FUZZ_SECONDS, else 60)
#   -b BIN_DIR    folder holding backup_archive_fuzz (default: build/asan/tests/backup)
#   -a ARTIFACTS  where crash/timeout/leak inputs are written (default: a fresh temp folder)
#   -i INVOICING  the invoicing program that makes the seed backups
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${XBASE_FUZZ_SECONDS:-60}
bin_dir=$repo/build/asan/tests/backup
artifacts=
invoicing=$repo/build/asan/app/cli/invoicing
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) bin_dir=$2; shift 2 ;;
    -a) artifacts=$2; shift 2 ;;
    -i) invoicing=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run_fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case $seconds in ''|*[!0-9]*) echo "run_fuzz.sh: bad duration '$seconds'" >&2; exit 2 ;; esac
exe=$bin_dir/backup_archive_fuzz
[ -x "$exe" ] || { echo "run_fuzz.sh: $exe not found; build it first (scripts/build.sh asan)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/backup-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
[ -n "$artifacts" ] || artifacts=$work/artifacts
mkdir -p "$artifacts" "$work/seeds" "$work/corpus"
export XDG_CONFIG_HOME=$work/config
"$invoicing" init "$work/empty" >/dev/null && "$invoicing" backup --data "$work/empty" --to "$work/bk" >/dev/null
"$invoicing" customer add --data "$work/empty" --code A --name "A" >/dev/null
"$invoicing" backup --data "$work/empty" --to "$work/bk" --level 9 >/dev/null
i=0
for z in "$work"/bk/*.zip; do
  i=$((i + 1))
  cp "$z" "$work/seeds/zip-$i"
  unzip -p "$z" manifest.json > "$work/seeds/manifest-$i" 2>/dev/null || true
  head -c 2000 "$z" > "$work/seeds/zip-$i-head"
done
echo "== backup_archive_fuzz: ${seconds}s, $i seed backups, artifacts in $artifacts"
"$exe" -max_len=65536 -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts/backup_archive_fuzz-" ${extra[@]+"${extra[@]}"} "$work/corpus" "$work/seeds" 2>&1 |
  { grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || true; }
rc=${PIPESTATUS[0]}
if [ $rc -ne 0 ]; then
  mkdir -p "$repo/build/fuzz-artifacts" && cp -r "$artifacts" "$repo/build/fuzz-artifacts/backup" 2>/dev/null
  echo "== backup_archive_fuzz: FAILED (exit $rc)" >&2
  exit 1
fi
echo "== backup_archive_fuzz: ok"
