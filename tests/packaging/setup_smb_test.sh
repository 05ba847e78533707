#!/usr/bin/env bash
# invoicing setup server|workstation on SMB (issue 25's acceptance), with the smb-lab of
# ../shared/smb-lab:
#   server side: `setup server` on a folder inside the share a private Samba exports, refused
#     while the share has Samba's defaults (oplocks and leases on: the reason named, nothing
#     created), accepted with the recommended settings;
#   --guest: in the lab's qemu guest (a workstation with the kernel cifs client, one boot),
#     `setup workstation //10.0.2.100/data/company` finds the cifs mount of the share, runs the
#     doctor's lock and coherence tests over SMB and keeps the folder in its local settings (the
#     program then works there without --data); the same folder reached through a nobrl mount,
#     and a copy inside a folder with a .dropbox marker, are refused with the reason.
# Usage: setup_smb_test.sh INVOICING XBASE SHARED_DIR [--guest INVOICING_FOR_GUEST XBASE_STATIC]
# (INVOICING_FOR_GUEST: static, or dynamic and then bundled with its libraries)
# Needs root and samba (and for --guest qemu-system-x86, linux-image-amd64, busybox-static).
# Exit 77 (skipped) when they are missing outside CI; in CI that is a failure.
set -euo pipefail
inv=$1 xbase=$2 lab=$3/smb-lab guest=no
if [ "${4:-}" = --guest ]; then guest=yes inv_static=${5:?} xbase_static=${6:?}; fi
if [ $guest = yes ]; then port=${SMB_SETUP_GUEST_PORT:-44596}; else port=${SMB_SETUP_TEST_PORT:-44595}; fi
source "$(dirname "$0")/../smb/guest.sh"
missing=""
command -v smbd >/dev/null || missing+=" samba"
[ "$(id -u)" = 0 ] || missing+=" (root)"
[ $guest = no ] || missing+="$(guest_missing)"
if [ -n "$missing" ]; then
  echo "missing:$missing (scripts/install-deps.sh installs the packages)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi

base=$(mktemp -d /tmp/invoicing-setup-smb.XXXXXX)
share=$base/share
chmod 0755 "$base"
mkdir -p "$share"
export SMBLAB_ROOT="$base/run" SMBLAB_QEMU="${SMBLAB_QEMU:-/tmp/xbase-smb-qemu}"
export XDG_CONFIG_HOME="$base/config" INVOICING_XBASE="$xbase"
cleanup() {
  [ -n "${GUEST_PID:-}" ] && kill "$GUEST_PID" 2>/dev/null || true
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$base"
}
trap cleanup EXIT
start() {  # start PROFILE [GLOBAL_EXTRA]: a fresh smbd on $port exporting $share
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  SMBLAB_GLOBAL_EXTRA="${2:-}" setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" "$1" >/dev/null
}
fail() { echo "FAIL: $*"; [ -f "$base/out" ] && cat "$base/out"; exit 1; }
expect() { grep -qF -- "$1" "$base/out" || fail "it did not say: $1"; echo "ok: $2"; }
setup() {  # setup WANTED_EXIT ARGS...: invoicing setup ..., output in $base/out
  local want=$1 got=0; shift
  "$inv" setup "$@" > "$base/out" 2>&1 || got=$?
  [ "$got" = "$want" ] || fail "invoicing setup $* exited $got, wanted $want"
}
recommended="  socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3"

# The server: refused on a share with Samba's defaults, accepted with the recommended settings.
start default
setup 1 server "$share/company" --company "Bakkerij Peeters"
expect "[data] oplocks = yes" "with oplocks on the share, setup server refuses and names the setting"
expect "nothing was created" "and creates nothing"
[ ! -e "$share/company" ] || fail "a data folder was created on the refused share"
expect "wrote the recommended Samba share settings" "it still writes the settings that fix the share"
grep -q "oplocks = no" "$share/company.smb.conf" || fail "the Samba settings do not turn oplocks off"
rm -f "$share/company.smb.conf"
start xbase "$recommended"
setup 0 server "$share/company" --company "Bakkerij Peeters" --samba-include "$base/invoicing.smb.conf"
expect "created the data folder $share/company" "with the recommended settings, setup server creates the folder"
expect "0 errors" "the doctor finds nothing wrong"
[ -f "$share/company/SCHEMA.DBF" ] || fail "no data folder"
"$inv" customer add --data "$share/company" --code PEETERS --name "Bakkerij Peeters" >/dev/null
# The written settings are what Samba reads: the share with testparm.
cat > "$base/check.conf" <<CONF
[global]
  server role = standalone server
include = $base/invoicing.smb.conf
CONF
testparm -s "$base/check.conf" > "$base/out" 2>&1 || fail "testparm does not accept the written settings"
expect "[invoicing]" "testparm reads the share of the written settings"
expect "strict locking = Yes" "with strict locking"
expect "smb2 leases = No" "and leases off"
if [ $guest = no ]; then
  echo "all server-side setup checks passed"
  exit 0
fi

# --guest: a Linux workstation with the kernel cifs client (one boot).
# invoicing runs in the guest as built (tests/smb/guest.sh); the doctor's lock test runs
# the static xbase beside it.
guest_bundle "$inv_static" "$share" invoicing "INVOICING_XBASE=/mnt/xbase"
cp "$xbase_static" "$share/xbase"
mkdir -p "$share/dropboxed"
echo '{}' > "$share/dropboxed/.dropbox"
cp -r "$share/company" "$share/dropboxed/company"
cat > "$share/guest-setup.sh" <<'GUEST'
arg() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" /proc/cmdline | tail -1; }
export XDG_CONFIG_HOME=/tmp/config HOME=/tmp
echo GUEST_SETUP_START
/mnt/invoicing setup workstation "//$(arg smbhost)/data/company" --user anna > /mnt/ws.out 2>&1
echo "GUEST_WS rc=$?"
/mnt/invoicing customer list > /mnt/list.out 2>&1
echo "GUEST_LIST rc=$?"
cat /tmp/config/xbase-invoicing/local.ini > /mnt/ini.out 2>&1
/mnt/invoicing setup workstation /mnt/dropboxed/company > /mnt/dropbox.out 2>&1
echo "GUEST_DROPBOX rc=$?"
mkdir -p /mnt2
if mount -t cifs "//$(arg smbhost)/data" /mnt2 -o "port=$(arg smbport),username=smblab,password=smblab,$(arg smbopts),nobrl"; then
  /mnt/invoicing setup workstation /mnt2/company > /mnt/nobrl.out 2>&1
  echo "GUEST_NOBRL rc=$?"
  umount /mnt2
else
  echo GUEST_NOBRL_MOUNT_FAILED
fi
echo GUEST_SETUP_END
GUEST
chmod -R a+rwX "$share"
echo "booting the guest (software emulation; the first run builds its initramfs)"
guest_boot "$lab" "$port" guest-setup.sh "$base/guest.log" GUEST_SETUP_END

cp "$share/ws.out" "$base/out"
grep -q "GUEST_WS rc=0" "$base/guest.log" || fail "setup workstation on the cifs mount did not succeed"
expect "this workstation now works in /mnt/company (Bakkerij Peeters)" "the UNC name is mapped to the guest's cifs mount"
expect "(SMB/CIFS file system): 0 errors" "the doctor's lock and coherence tests pass over SMB"
cp "$share/ini.out" "$base/out"
expect "data=/mnt/company" "the local settings hold the data folder"
expect "//10.0.2.100/data=/mnt" "and the share's mount point"
cp "$share/list.out" "$base/out"
grep -q "GUEST_LIST rc=0" "$base/guest.log" || fail "the workstation cannot work in the folder without --data"
expect "PEETERS" "the workstation reads the company's data without --data"
cp "$share/dropbox.out" "$base/out"
grep -q "GUEST_DROPBOX rc=1" "$base/guest.log" || fail "a folder inside a Dropbox folder was accepted"
expect "Dropbox manages this folder" "a copy inside a Dropbox folder is refused with the reason"
cp "$share/nobrl.out" "$base/out"
grep -q "GUEST_NOBRL rc=1" "$base/guest.log" || fail "a nobrl mount was accepted"
expect "nobrl" "a mount without byte-range locks (nobrl) is refused with the reason"
echo "all guest setup checks passed"
