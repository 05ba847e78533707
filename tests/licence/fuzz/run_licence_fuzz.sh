#!/usr/bin/env bash
# Runs licence_fuzz for $XBASE_FUZZ_SECONDS (default 60) from seeds made at run time: licences
# of every edition signed with the test key, one with CR LF line ends, one cut short.
# Usage: run_licence_fuzz.sh LICENCE_FUZZ LICENCE_ISSUER TEST_SECRET_KEY ARTIFACT_DIR
# Exits non-zero when the target crashed (sanitizer report, trap, leak, timeout).
set -euo pipefail
fuzz=$1 issuer=$2 key=$3 artifacts=$4
seconds=${XBASE_FUZZ_SECONDS:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/licence-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
i=0
for e in free basic pro full; do
  i=$((i + 1))
  "$issuer" issue --key "$key" --licensee "Zoë & Co $e" --vat BE0431115213 --edition $e \
    --updates-until 2027-12-31 --issued 2026-12-01 --out "$work/corpus/seed-$i" 2>/dev/null
done
sed 's/$/\r/' "$work/corpus/seed-1" > "$work/corpus/seed-crlf"
head -c 120 "$work/corpus/seed-2" > "$work/corpus/seed-cut"
echo "licence_fuzz: $(ls "$work/corpus" | wc -l) seeds, $seconds s"
"$fuzz" -max_total_time="$seconds" -max_len=4200 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" "$work/corpus"
