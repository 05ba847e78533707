#!/usr/bin/env bash
# Builds and runs every test: the Release build with all CTest tests, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer (clang), then the libFuzzer targets.
# XBASE_FUZZ_SECONDS (default 20 here) sets how long each fuzz target runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"
# ccache (installed by install-deps.sh) lets the packaging test's build of the package preset
# reuse the release build's objects: its folder is at the same depth (tests/packaging).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"

echo "== release build and tests"
# The packaging test's clean Debian 12 is fetched while the release build compiles.
mkdir -p build/release
bash tests/packaging/deb_install_test.sh --bootstrap build/release/packaging-cache \
  > build/release/bootstrap.log 2>&1 &
bootstrap=$!
scripts/build.sh release
wait "$bootstrap" || echo "debootstrap ahead of the tests failed (the packaging test retries): $(tail -3 build/release/bootstrap.log)"
# The Windows build compiles beside the release tests: much of their time is spent waiting
# (the packaging test's clean Debian, the qemu guest, lock waits), not computing.
scripts/build.sh windows > build/windows-build.log 2>&1 &
windows_build=$!
ctest --preset release -j "$jobs" -LE fuzz

echo "== Windows build (mingw-w64) and its tests under Wine"
# The engine, xbase.exe and the engine's tests for Windows, run in a headless Wine prefix of
# build/windows (tests/windows). Release only: never under the sanitizers.
wait "$windows_build" || { tail -40 build/windows-build.log; exit 1; }
# A second try for a test that failed: a Wine program now and then fails at once, before its
# first line, when it starts while the shared wineserver is shutting down; a real failure fails
# twice.
ctest --preset windows -j "$jobs" -L windows --repeat until-pass:2

echo "== sanitizer build (ASan + UBSan) and tests"
scripts/build.sh asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# 50,000 of the maintenance test's 200,000 changes (all of them ran in the release build);
# the Debian package is made of the release build only (its test takes 1-5 minutes in a clean Debian 12);
# the browser tests run on the release build only (Chromium beside an ASan server adds minutes;
# the server's request handling runs under ASan in the guard and security tests of label ui);
# so do the PostgreSQL runs of the store suites (each starts its own server: about 2 minutes
# under ASan, which the 45-minute budget of the test command does not have).
XBASE_MAINTENANCE_OPS=50000 ctest --preset asan -j "$jobs" -LE "fuzz|packaging|browser|postgres"

# 20 s per target in the test command keeps it within its 45 minutes (14 targets, two at a
# time); run_fuzz.sh's own default is 60 s, and longer runs are for `ctest -L fuzz` by hand.
export XBASE_FUZZ_SECONDS="${XBASE_FUZZ_SECONDS:-20}"
echo "== fuzz targets (${XBASE_FUZZ_SECONDS} s each)"
# Each target fuzzes in its own work folder, so they run side by side, one per core.
ctest --preset asan -L fuzz -j "$jobs"
