#!/usr/bin/env bash
# The guard of `invoicing ui` against everything else that can reach 127.0.0.1: a request
# without the session token, with a foreign Host (DNS rebinding) or Origin (another page in
# the browser), a POST without the CSRF token, too large a body or too many headers, a path
# that climbs out of the assets, a slow sender; and the server listens on loopback only.
# Each refusal is checked to have changed nothing. Args: INVOICING WORKDIR
set -uo pipefail
INVOICING="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/ui_server.sh"
rm -rf "$work" && mkdir -p "$work"
"$INVOICING" init "$work/data" --company "Guard test" >/dev/null || exit 2
start_ui "$work/data" --user anna --workstation PC-anna || exit 2
trap stop_ui EXIT
base="http://127.0.0.1:$UI_PORT"
jar="$work/cookies"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# status METHOD PATH [curl options...]: the HTTP status of one request (000: no answer).
status() {
  local m="$1" p="$2"; shift 2
  curl -s -o "$work/body" -w '%{http_code}' --path-as-is -X "$m" "$@" "$base$p"
}
expect() {  # expect STATUS WHAT METHOD PATH [curl options...]
  local want="$1" what="$2"; shift 2
  local got; got=$(status "$@")
  [ "$got" = "$want" ] || fail "$what: got $got, want $want ($(head -c 200 "$work/body"))"
}

# A slow sender (headers never finished) is cut off after the request time limit (10 s):
# started first, checked at the end.
python3 - "$UI_PORT" >"$work/slow.txt" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
start = time.time()
s.settimeout(30)
try:
    while True:
        s.sendall(b"X-Slow: 1\r\n")  # a header every second: still cut off at the deadline
        time.sleep(1)
except OSError:
    pass
print(f"closed after {time.time() - start:.1f} s")
PY
slow_pid=$!

# The URL is the first line on stdout (what a script reads); the doctor's "checking ..." line
# goes to stderr.
first=$(head -n 1 "$work/data.ui-out.txt")
case "$first" in *"$UI_URL"*) ;; *) fail "the first line on stdout is not the URL: $first" ;; esac
grep -q "with xbase doctor" "$work/data.ui-err.txt" || fail "the doctor's line is not on stderr: $(cat "$work/data.ui-err.txt")"

# No token: refused, on the page and the API alike.
expect 401 "no token, page" GET /
expect 401 "no token, API" GET /api/session
expect 401 "no token, asset" GET /app.js
expect 401 "wrong token" GET "/?token=$(printf '0%.0s' $(seq 64))"
short="${UI_URL##*token=}"; short="${short:0:63}"
expect 401 "token one digit short" GET "/?token=$short"
expect 401 "a forged cookie" GET /api/session -H "Cookie: invoicing_$UI_PORT=$(printf 'a%.0s' $(seq 64))"

# The printed URL: a cookie and a redirect to the page without the token.
got=$(curl -s -o /dev/null -D "$work/headers" -c "$jar" -w '%{http_code}' "$UI_URL")
[ "$got" = 303 ] || fail "the printed URL: got $got, want 303"
grep -qi "^set-cookie: invoicing_$UI_PORT=.*HttpOnly; SameSite=Strict" "$work/headers" || fail "no HttpOnly SameSite cookie"
grep -qi '^location: /\s*$' "$work/headers" || fail "the redirect keeps the token in the URL"
expect 405 "the token taken by a POST" POST "/?token=${UI_URL##*token=}"
expect 200 "with the cookie" GET / -b "$jar"
grep -q '<script src="/app.js"' "$work/body" || fail "the page is not the embedded index.html"
curl -s -D "$work/headers" -o /dev/null -b "$jar" "$base/"
grep -qi "^content-security-policy: default-src 'self'" "$work/headers" || fail "no Content-Security-Policy"
grep -qi "^x-frame-options: DENY" "$work/headers" || fail "no X-Frame-Options"
csrf=$(curl -s -b "$jar" "$base/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
[ ${#csrf} = 64 ] || fail "no CSRF token from /api/session"

# Host: only this server's own names (DNS rebinding sends the attacker's name).
expect 403 "a foreign Host" GET /api/session -b "$jar" -H "Host: evil.example:$UI_PORT"
expect 403 "Host without the port" GET /api/session -b "$jar" -H "Host: 127.0.0.1"
expect 403 "Host with another port" GET /api/session -b "$jar" -H "Host: 127.0.0.1:1"
cookie="invoicing_$UI_PORT=${UI_URL##*token=}"
expect 200 "Host localhost" GET /api/session -H "Cookie: $cookie" -H "Host: localhost:$UI_PORT"
# Host twice (curl sends one only: the request is written by hand).
got=$(python3 - "$UI_PORT" "$cookie" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(f"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:{sys.argv[1]}\r\nHost: evil.example\r\n"
          f"Cookie: {sys.argv[2]}\r\nConnection: close\r\n\r\n".encode())
print(s.recv(100).decode().split()[1])
PY
)
[ "$got" = 400 ] || fail "Host twice: got $got, want 400"

# Cross-origin requests: refused even with the cookie and the CSRF token.
new_customer='{"code":"EVIL","name":"Evil"}'
expect 403 "cross-origin POST" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" -H "Origin: http://evil.example" \
  -H "Content-Type: application/json" -d "$new_customer"
expect 403 "cross-origin POST, other port" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" \
  -H "Origin: http://127.0.0.1:1" -d "$new_customer"
expect 403 "Sec-Fetch-Site cross-site" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" \
  -H "Sec-Fetch-Site: cross-site" -d "$new_customer"
expect 403 "cross-origin GET" GET /api/customers -b "$jar" -H "Origin: http://evil.example"
# CSRF: a POST needs the page's token.
expect 403 "POST without CSRF token" POST /api/customers -b "$jar" -d "$new_customer"
expect 403 "POST with a wrong CSRF token" POST /api/customers -b "$jar" -H "X-CSRF-Token: $UI_PORT" -d "$new_customer"
expect 403 "POST with the session token as CSRF token" POST /api/customers -b "$jar" -H "X-CSRF-Token: ${UI_URL##*token=}" -d "$new_customer"
expect 405 "PUT" PUT /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" -d "$new_customer"
expect 405 "DELETE" DELETE /api/customers/EVIL -b "$jar" -H "X-CSRF-Token: $csrf"
# Nothing refused above was stored; the same POST done right is.
expect 200 "the list" GET "/api/customers?search=EVIL" -b "$jar"
grep -q '"total":0' "$work/body" || fail "a refused POST stored a customer: $(cat "$work/body")"
expect 201 "POST with the CSRF token" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" \
  -H "Origin: $base" -H "Content-Type: application/json" -d "$new_customer"

# Limits: body (1 MiB), header bytes (16 KiB), header count (64).
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$work/big"
expect 413 "a 2 MiB body" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" --data-binary @"$work/big"
long=$(head -c 20000 /dev/zero | tr '\0' 'b')
expect 431 "a 20 KB header" GET /api/session -b "$jar" -H "X-Long: $long"
many=()
for i in $(seq 1 80); do many+=(-H "X-Many-$i: $i"); done
expect 431 "80 headers" GET /api/session -b "$jar" "${many[@]}"
expect 400 "a body that is no JSON" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" -d 'not json'
grep -q '"error":"the request' "$work/body" || fail "bad JSON gets no clear error: $(cat "$work/body")"
expect 422 "a store refusal" POST /api/customers -b "$jar" -H "X-CSRF-Token: $csrf" -d "$new_customer"
grep -q 'customer code EVIL exists already' "$work/body" || fail "the store's message is not passed on: $(cat "$work/body")"
expect 404 "a document that does not exist" GET /api/documents/999999 -b "$jar"
grep -q 'no document with id 999999' "$work/body" || fail "a missing document is not named: $(cat "$work/body")"
expect 404 "a customer that does not exist" GET /api/customers/NOBODY -b "$jar"

# Path traversal: only the embedded assets are served; no path reaches a file.
for p in /../../../../etc/passwd /..%2f..%2f..%2fetc%2fpasswd /%2e%2e/%2e%2e/etc/passwd /app.js/../../../etc/passwd \
         //etc/passwd /assets/../../CMakeLists.txt /CMakeLists.txt /.%2e/.%2e/etc/passwd '/..\..\etc\passwd' \
         /index.html%00.js /api/../../etc/passwd; do
  got=$(status GET "$p" -b "$jar")
  case "$got" in 400|404) ;; *) fail "path $p: got $got" ;; esac
  if grep -q 'root:' "$work/body"; then fail "path $p returned /etc/passwd"; fi
done
expect 200 "an asset" GET /style.css -b "$jar"

# Loopback only: the listening socket is bound to 127.0.0.1, and no other address of this
# machine answers on the port.
port_hex=$(printf '%04X' "$UI_PORT")
grep -q " 0100007F:$port_hex 00000000:0000 0A " /proc/net/tcp || fail "not listening on 127.0.0.1:$UI_PORT"
if awk -v p=":$port_hex" '$4 == "0A" && $2 ~ p"$" && $2 !~ /^0100007F/' /proc/net/tcp /proc/net/tcp6 | grep -q .; then
  fail "listening on another address than 127.0.0.1"
fi
for ip in $(hostname -I 2>/dev/null); do
  case "$ip" in 127.*|::1) continue ;; esac
  host="$ip"; case "$ip" in *:*) host="[$ip]" ;; esac
  if curl -s -o /dev/null --max-time 3 "http://$host:$UI_PORT/"; then fail "answers on $ip"; fi
  echo "not reachable on $ip (as expected)"
done

wait "$slow_pid"
secs=$(sed -n 's/closed after \([0-9.]*\) s/\1/p' "$work/slow.txt")
if [ -z "$secs" ] || ! python3 -c "import sys; sys.exit(0 if 8 <= float('$secs') <= 14 else 1)"; then
  fail "a slow sender was not cut off after about 10 s: $(cat "$work/slow.txt")"
fi
# Still serving after all that.
expect 200 "still serving" GET /api/session -b "$jar"

trap - EXIT
stop_ui || fail "invoicing ui did not end cleanly on SIGTERM"
[ "$failures" = 0 ] || { echo "$failures checks failed"; exit 1; }
echo "all guard checks passed"
