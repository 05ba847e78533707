#!/usr/bin/env bash
# Runs a Windows program under Wine in a headless prefix of the build folder: no display, no
# Mono or Gecko installers, no Wine debug output.
# Usage: wine_run.sh PREFIX --init        creates the prefix (once)
#        wine_run.sh PREFIX PROGRAM.exe [ARGS...]
# Exit 77 (skipped) without wine64 outside CI.
set -euo pipefail
export WINEPREFIX=$1
shift
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY
# Debian's wine64 package puts its loader in /usr/lib/wine (the wine package adds /usr/bin/wine).
wine=$(command -v /usr/lib/wine/wine64 wine64 wine 2>/dev/null | head -1 || true)
if [ -z "$wine" ]; then
  echo "wine64 is not installed (scripts/install-deps.sh installs it)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi
if [ "${1:-}" = --init ]; then
  [ -f "$WINEPREFIX/system.reg" ] && exit 0
  mkdir -p "$WINEPREFIX"
  "$wine" wineboot --init
  # wineboot returns before the registry is written: wait for the server to finish.
  "$(dirname "$wine")/wineserver" -w
  [ -f "$WINEPREFIX/system.reg" ] || { echo "wineboot made no prefix in $WINEPREFIX"; exit 1; }
  exit 0
fi
exec "$wine" "$@"
