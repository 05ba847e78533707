#!/usr/bin/env bash
# Installs playwright-core at the version of package-lock.json into DIR/node_modules: from
# npm's cache when it holds it (npm ci --offline), else from the registry. Never downloads a
# browser (the tests use Debian's chromium). Skipped when DIR has this lock file's install.
# Args: SOURCE_DIR (tests/web) DIR
set -euo pipefail
src="$1"
dir="$2"
mkdir -p "$dir"
if cmp -s "$src/package-lock.json" "$dir/package-lock.json" && [ -d "$dir/node_modules/playwright-core" ]; then
  echo "playwright-core already installed from this lock file"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dir/"
cd "$dir"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --offline --no-audit --no-fund 2>/dev/null || npm ci --no-audit --no-fund
