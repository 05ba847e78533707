#!/usr/bin/env bash
# `invoicing ui --db postgresql://...`: the web front end on a company in PostgreSQL (run under
# tests/app/postgres/with_postgres.sh). Through the server's API, as the page calls it: an
# invoice made, a line added, finalized with its number, its PDF; what the command line does in
# the same database shows on the page and the other way round; when the server ends every
# session (as a restart or a dropped network would) the next request says so with 503 and the
# one after works again; `verify` is clean at the end.
# Arguments: the invoicing binary, a work folder.
set -euo pipefail
export INVOICING="$1"
work="$2"
server="${INVOICING_TEST_PG:?run under with_postgres.sh}"
rm -rf "$work"; mkdir -p "$work"
export XDG_CONFIG_HOME="$work/config" INVOICING_TODAY=2026-06-15
. "$(dirname "$0")/ui_server.sh"
fail() { echo "FAIL: $*" >&2; stop_ui || true; exit 1; }
db="${server%/*}/web_ui"
psql -qX "$server" -c "CREATE DATABASE web_ui"
"$INVOICING" demo --db "$db" --workstations 1 --docs 1 >"$work/demo.log"
customer=$("$INVOICING" customer list --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["code"])')
article=$("$INVOICING" article list --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["code"])')

start_ui "$db" --user anna --workstation PC-WEB
base="http://127.0.0.1:$UI_PORT"
jar="$work/cookies"
curl -s -o /dev/null -c "$jar" "$UI_URL"
csrf=$(curl -s -b "$jar" "$base/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
[ ${#csrf} = 64 ] || fail "no session"
# call METHOD PATH [JSON]: the body to $work/body, the status on stdout.
call() {
  local args=(-s -o "$work/body" -w '%{http_code}' -b "$jar" -X "$1")
  [ "$1" = POST ] && args+=(-H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" -d "${3:-{\}}")
  curl "${args[@]}" "$base$2"
}
field() { python3 -c "import json,sys; print(json.load(open('$work/body'))$1)"; }

[ "$(call POST /api/documents "{\"type\":\"INV\",\"party\":\"$customer\"}")" = 201 ] || fail "new invoice: $(cat "$work/body")"
id=$(field '["id"]')
[ "$(call POST "/api/documents/$id/lines" "{\"article\":\"$article\",\"quantity\":\"2\"}")" = 200 ] ||
  fail "add line: $(cat "$work/body")"
[ "$(call POST "/api/documents/$id/finalize")" = 200 ] || fail "finalize: $(cat "$work/body")"
number=$(field '["number"]')
[ "$(field '["status"]')" = F ] || fail "not final after finalize: $(cat "$work/body")"
# The command line reads the same document from the database.
"$INVOICING" doc show "$id" --db "$db" --json >"$work/cli.json"
python3 - "$work/cli.json" "$number" <<'EOF' || fail "the command line does not show the page's invoice"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "final" and str(d["number"]) == sys.argv[2], d
assert len(d["lines"]) == 1, d["lines"]
EOF
[ "$(call GET "/api/documents/$id/pdf")" = 200 ] || fail "PDF: $(head -c 300 "$work/body")"
[ "$(head -c 5 "$work/body")" = "%PDF-" ] || fail "the PDF is not one"
# What the command line adds shows on the page.
"$INVOICING" customer add --code WEBCLI --name "Made at the command line" --db "$db" >/dev/null
[ "$(call GET "/api/customers?search=WEBCLI")" = 200 ] || fail "customer search: $(cat "$work/body")"
grep -q '"Made at the command line"' "$work/body" || fail "the page does not list the customer: $(cat "$work/body")"

# Every session of the database ended by the server: one request is answered 503 with the
# reason, the next reconnects; the server process lives on.
psql -qXtA "$db" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = 'web_ui' AND pid <> pg_backend_pid()" >/dev/null
status=$(call GET /api/dashboard)
[ "$status" = 503 ] || fail "after the sessions were ended: got $status, want 503: $(cat "$work/body")"
grep -q "connection to the database" "$work/body" || fail "503 without the reason: $(cat "$work/body")"
[ "$(call GET /api/dashboard)" = 200 ] || fail "no reconnect: $(cat "$work/body")"
# The server answers on several handles (one connection each, app/web): each finds its
# connection gone on its own first use, so a change may be answered 503 once more; then it works.
status=$(call POST /api/documents "{\"type\":\"QUO\",\"party\":\"$customer\"}")
[ "$status" = 503 ] && status=$(call POST /api/documents "{\"type\":\"QUO\",\"party\":\"$customer\"}")
[ "$status" = 201 ] || fail "a change after the reconnect: $(cat "$work/body")"
kill -0 "$UI_PID" || fail "the server died"
stop_ui || fail "invoicing ui did not end cleanly"
"$INVOICING" verify --db "$db" >/dev/null || fail "verify after the page's work"
echo "invoicing ui --db: invoice $number finalized and shown by the command line, PDF, reconnect after the sessions ended"
