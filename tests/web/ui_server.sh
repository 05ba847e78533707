# Sourced by the tests of `invoicing ui`: start_ui DATA [options...] starts the server in the
# background and sets UI_PID, UI_URL (with the token) and UI_PORT; stop_ui ends it. Its
# stdout goes to DATA.ui-out.txt, its stderr to DATA.ui-err.txt (temporary files for a database).
start_ui() {
  local data="$1"; shift
  local where=(--data "$data") out="$data.ui-out.txt" err="$data.ui-err.txt"
  # A postgresql:// target instead of a folder: the company in a database.
  case "$data" in postgresql://*) where=(--db "$data"); out=$(mktemp); err=$(mktemp) ;; esac
  "$INVOICING" ui "${where[@]}" --no-browser "$@" >"$out" 2>"$err" &
  UI_PID=$!
  for _ in $(seq 1 100); do
    UI_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$out" || true)
    [ -n "$UI_URL" ] && break
    kill -0 "$UI_PID" 2>/dev/null || { echo "invoicing ui did not start:"; cat "$out" "$err"; return 1; }
    sleep 0.1
  done
  [ -n "$UI_URL" ] || { echo "invoicing ui printed no URL:"; cat "$out" "$err"; return 1; }
  UI_PORT=$(echo "$UI_URL" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
}
stop_ui() {
  kill -TERM "$UI_PID" 2>/dev/null || true
  local rc=0
  wait "$UI_PID" 2>/dev/null || rc=$?
  return $rc
}
