#!/usr/bin/env bash
# A slow API call does not hold up the others: the folder check (POST /api/safety/check runs
# `xbase doctor`) is held 3 s by a wrapper around xbase, and meanwhile a list of customers,
# the page's script and the session are answered at once. Args: INVOICING XBASE WORKDIR
set -uo pipefail
INVOICING="$1"
XBASE="$2"
work="$3"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/ui_server.sh"
rm -rf "$work" && mkdir -p "$work"
# xbase, 3 s late while the marker file exists (not at start-up: only the check asked for).
cat >"$work/slow-xbase" <<SH
#!/usr/bin/env bash
[ -e "$work/slow" ] && sleep 3
exec "$XBASE" "\$@"
SH
chmod +x "$work/slow-xbase"
export INVOICING_XBASE="$work/slow-xbase"
"$INVOICING" init "$work/data" --company "Slow call test" >/dev/null || exit 2
"$INVOICING" customer add --data "$work/data" --code C1 --name "Janssens" >/dev/null || exit 2
start_ui "$work/data" --user anna --workstation PC-anna || exit 2
trap stop_ui EXIT
base="http://127.0.0.1:$UI_PORT"
jar="$work/cookies"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
curl -s -o /dev/null -c "$jar" "$UI_URL"
csrf=$(curl -s -b "$jar" "$base/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
[ ${#csrf} = 64 ] || { echo "no CSRF token"; exit 1; }

touch "$work/slow"
start=$(date +%s.%N)
curl -s -o "$work/check.json" -w '%{http_code} %{time_total}\n' -b "$jar" -X POST -H "X-CSRF-Token: $csrf" \
  -H "Content-Type: application/json" -d '{}' "$base/api/safety/check" >"$work/check.txt" &
check_pid=$!
sleep 0.5
# Meanwhile: a read of the store (on a second, read-only handle) and an asset. (What the seat's
# company answers, a change or the session, waits for it: changes go one at a time.)
for what in "/api/customers?search=&limit=25" "/app.js"; do
  got=$(curl -s -o "$work/body" -w '%{http_code} %{time_total}' -b "$jar" "$base$what")
  code=${got% *}; secs=${got#* }
  [ "$code" = 200 ] || fail "$what while the check runs: got $code"
  python3 -c "import sys; sys.exit(0 if float('$secs') < 1.0 else 1)" || fail "$what waited for the slow call: $secs s"
  kill -0 "$check_pid" 2>/dev/null || fail "$what: the slow call had ended already (the test proves nothing)"
  echo "$what answered in $secs s while the check ran"
done
wait "$check_pid"
read -r code secs <"$work/check.txt"
[ "$code" = 200 ] || fail "the slow check: got $code ($(cat "$work/check.json"))"
python3 -c "import sys; sys.exit(0 if float('$secs') >= 3.0 else 1)" || fail "the check was not held 3 s: $secs s"
echo "the check took $secs s"
rm -f "$work/slow"
trap - EXIT
stop_ui || fail "invoicing ui did not end cleanly on SIGTERM"
[ "$failures" = 0 ] || { echo "$failures checks failed"; exit 1; }
echo "a slow call held up nothing else"
