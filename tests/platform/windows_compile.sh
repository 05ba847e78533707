#!/usr/bin/env bash
# The engine's Windows build (engine/src/io/win_file.cc: CreateFile share modes, LockFileEx)
# compiles with mingw-w64, warnings as errors. codepage.cc is left out: it needs ICU's
# Windows headers, which Debian does not package for mingw.
# Usage: windows_compile.sh SOURCE_DIR     Exit 77 (skipped) without mingw-w64 outside CI.
set -euo pipefail
src=$1
cxx=$(command -v x86_64-w64-mingw32-g++-posix || true)
if [ -z "$cxx" ]; then
  echo "g++-mingw-w64-x86-64-posix is not installed (scripts/install-deps.sh installs it)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi
inc=$(mktemp -d)
trap 'rm -rf "$inc"' EXIT
ln -s /usr/include/fmt "$inc/fmt"  # fmt as a header-only library, without the host's libc headers
rc=0 n=0
files=$(grep -o 'src/[a-z_/]*\.cc' "$src/engine/CMakeLists.txt" | grep -v -e posix_file -e codepage.cc)
echo "$files" | grep -q win_file.cc || { echo "FAIL: win_file.cc is not in engine/CMakeLists.txt"; exit 1; }
for f in $files; do
  n=$((n + 1))
  "$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -DFMT_HEADER_ONLY \
    -I "$src/engine/include" -I "$src/engine/src" -I "$inc" "$src/engine/$f" || { echo "FAIL: $f"; rc=1; }
done
echo "$n engine sources checked for Windows"
exit $rc
