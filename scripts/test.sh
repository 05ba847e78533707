#!/usr/bin/env bash
# Builds and runs every test: the Release build with all CTest tests, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer (clang), then the libFuzzer targets.
# XBASE_FUZZ_SECONDS (default 60) sets how long each fuzz target runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"

echo "== release build and tests"
scripts/build.sh release
ctest --preset release -j "$jobs" -LE fuzz

echo "== sanitizer build (ASan + UBSan) and tests"
scripts/build.sh asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# 50,000 of the maintenance test's 200,000 changes (all of them ran in the release build);
# the Windows compile check does not depend on the build, so it ran once already; the Debian
# package is made of the release build only (its test takes 1-5 minutes in a clean Debian 12).
XBASE_MAINTENANCE_OPS=50000 ctest --preset asan -j "$jobs" -LE "fuzz|platform|packaging"

echo "== fuzz targets (${XBASE_FUZZ_SECONDS:-60} s each)"
# Each target fuzzes in its own work folder, so they run side by side, one per core.
ctest --preset asan -L fuzz -j "$jobs"
