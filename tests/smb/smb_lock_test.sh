#!/usr/bin/env bash
# Record locks on a table in a Samba share, both ways: a lock our engine takes on the server's
# file is seen by an SMB client (smblock.py, an SMB2 client locking as a Windows workstation
# does), and an SMB client's lock makes our lock attempt fail. Samba's `posix locking = yes`
# maps SMB locks to open file description locks, which is what our engine takes.
# Usage: smb_lock_test.sh XBASE_STRESS SHARED_DIR XBASE   (needs root, samba, python3-impacket)
# Exit 77 (skipped) when Samba is missing outside CI; in CI that is a failure.
set -euo pipefail
bin=$1 lab=$2/smb-lab xbase=$3
port=${SMB_TEST_PORT:-44591}
if ! command -v smbd >/dev/null || ! /usr/bin/python3 -c "import impacket" 2>/dev/null || [ "$(id -u)" != 0 ]; then
  echo "samba, python3-impacket and root are needed (scripts/install-deps.sh installs them)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi
share=$(mktemp -d /tmp/xbase-smb.XXXXXX)
chmod 0777 "$share"
export SMBLAB_ROOT="$share.run"
cleanup() {
  for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  rm -rf "$share" "$SMBLAB_ROOT"
}
trap cleanup EXIT
# In a session of its own: smbd signals its whole process group when it stops, which must
# not reach this script, ctest and whatever started them.
setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" xbase >/dev/null
"$bin" init "$share"
"$bin" work "$share" 1 50 1 >/dev/null
chmod -R a+rw "$share"

smb=(/usr/bin/python3 "$lab/smblock.py" --port "$port" -u smblab -p smblab 127.0.0.1 data STRESS.DBF)
smb() { "${smb[@]}" "$@"; }
expect() {  # expect WANTED_EXIT DESCRIPTION COMMAND...
  local want=$1 what=$2; shift 2
  local got=0
  "$@" >/dev/null 2>&1 || got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: $what (exit $got, wanted $want)"; exit 1; fi
  echo "ok: $what"
}

# 1. Our record lock, seen by the SMB client.
"$bin" lock "$share" 7 60 > "$share/lock.out" &
holder=$!
for _ in $(seq 100); do grep -q locked "$share/lock.out" 2>/dev/null && break; sleep 0.1; done
off=$(awk '/locked/ {print $2}' "$share/lock.out")
[ -n "$off" ] || { echo "FAIL: the engine did not take its lock"; exit 1; }
expect 1 "an SMB client cannot lock record 7 (offset $off) while the engine holds it" smb test "$off" 1
expect 0 "an SMB client can lock record 8 beside it" smb test $((off - 1)) 1
expect 1 "an SMB client's shared lock on the record conflicts too" smb run "ts:$off:1"
kill "$holder"; wait "$holder" 2>/dev/null || true
expect 0 "the record is free for the SMB client once the engine let go" smb test "$off" 1

# 2. The SMB client's record lock, seen by the engine. The client waits for the lock (our
#    own checks below take it for a moment) and says GRANTED once it holds it.
client_holds() {  # client_holds OFFSET: starts the client; returns when it holds the lock
  "${smb[@]}" lock "$1" 1 --wait 30 --hold 60 > "$share/client.out" 2>&1 &
  client=$!
  for _ in $(seq 300); do grep -q GRANTED "$share/client.out" && return 0; sleep 0.1; done
  echo "FAIL: the SMB client did not get its lock"; cat "$share/client.out"; exit 1
}
client_holds "$off"
expect 1 "the engine cannot lock record 7 while an SMB client holds it" "$bin" trylock "$share" 7
"$xbase" locks "$share/STRESS.DBF" --json > "$share/locks.json"
grep -q '"kind": "record", "record": 7, "mode": "exclusive"' "$share/locks.json" ||
  { echo "FAIL: xbase locks does not show the SMB client's lock of record 7"; cat "$share/locks.json"; exit 1; }
echo "ok: xbase locks shows the SMB client's lock of record 7"
expect 0 "the engine can lock record 8 beside it" "$bin" trylock "$share" 8
kill "$client"; wait "$client" 2>/dev/null || true
granted=no
for _ in $(seq 100); do
  if "$bin" trylock "$share" 7 >/dev/null 2>&1; then granted=yes; break; fi
  sleep 0.1
done
[ $granted = yes ] || { echo "FAIL: record 7 stayed locked after the SMB client went away"; exit 1; }
echo "ok: the engine locks record 7 once the SMB client is gone"

# 3. Shared/exclusive use across SMB: a workstation holding the share byte exclusively (an
#    exclusive open) keeps our shared open out.
client_holds 0x7FFFFFFF
expect 3 "an SMB client's exclusive use keeps the engine out" "$bin" trylock "$share" 1
kill "$client"; wait "$client" 2>/dev/null || true
echo "all SMB lock checks passed"
