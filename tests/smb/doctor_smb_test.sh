#!/usr/bin/env bash
# `xbase doctor` on a Samba share (issue 7's acceptance):
#   server side: the folder a private Samba server exports, started once with Samba's defaults
#     (oplocks and leases on: flagged, exit 1) and once with the settings ../shared/smb-lab's
#     README recommends (passes, exit 0);
#   --guest: inside the smb-lab's qemu guest (one boot), on a kernel cifs mount of that share,
#     once mounted normally (recognised as SMB, lock test passes, exit 0) and once mounted
#     with nobrl (flagged, exit 1).
# Usage: doctor_smb_test.sh XBASE SHARED_DIR [--guest XBASE_STATIC]
# Needs root and samba (and for --guest qemu-system-x86, linux-image-amd64, busybox-static,
# kmod, cpio). Exit 77 (skipped) when they are missing outside CI; in CI that is a failure.
set -euo pipefail
xbase=$1 lab=$2/smb-lab guest=no static=""
if [ "${3:-}" = --guest ]; then guest=yes static=${4:?the static xbase}; fi
if [ $guest = yes ]; then port=${SMB_DOCTOR_GUEST_PORT:-44594}; else port=${SMB_DOCTOR_TEST_PORT:-44593}; fi
source "$(dirname "$0")/guest.sh"
missing=""
command -v smbd >/dev/null || missing+=" samba"
command -v testparm >/dev/null || missing+=" samba(testparm)"
[ "$(id -u)" = 0 ] || missing+=" (root)"
if [ $guest = yes ]; then
  missing+="$(guest_missing)"
  [ -x "$static" ] || missing+=" (the static xbase)"
fi
if [ -n "$missing" ]; then
  echo "missing:$missing (scripts/install-deps.sh installs the packages)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi

base=$(mktemp -d /tmp/xbase-doctor-smb.XXXXXX)
share=$base/share
chmod 0755 "$base"  # smbd works as smblab (force user) and must reach the share
mkdir -p "$share"
export SMBLAB_ROOT="$base/run" SMBLAB_QEMU="${SMBLAB_QEMU:-/tmp/xbase-smb-qemu}"
conf=$SMBLAB_ROOT/$port/smb.conf
cleanup() {
  [ -n "${GUEST_PID:-}" ] && kill "$GUEST_PID" 2>/dev/null || true
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$base"
}
trap cleanup EXIT

# start PROFILE [GLOBAL_EXTRA]: a fresh smbd on $port exporting $share. In a session of its
# own: smbd signals its whole process group when it stops.
start() {
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  SMBLAB_GLOBAL_EXTRA="${2:-}" setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" "$1" >/dev/null
}
fail() { echo "FAIL: $*"; [ -f "$base/out" ] && cat "$base/out"; exit 1; }
# doctor WANTED_EXIT ARGS...: runs xbase doctor, output in $base/out
doctor() {
  local want=$1 got=0; shift
  "$xbase" doctor "$@" > "$base/out" 2>&1 || got=$?
  [ "$got" = "$want" ] || fail "xbase doctor $* exited $got, wanted $want"
}
expect() { grep -qF -- "$1" "$base/out" || fail "xbase doctor did not say: $1"; echo "ok: $2"; }

recommended="  socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3"

if [ $guest = no ]; then
  # 1. Samba's defaults: oplocks, level2 oplocks and SMB2 leases on.
  start default
  doctor 1 "$share"
  expect "DIR is exported by a local Samba server as [data]" "the running smbd's share is found from its -s $conf"
  expect "ERROR   [data] oplocks = yes" "oplocks on the data files are an error"
  expect "WARNING [data] level2 oplocks = yes" "level2 oplocks are a warning"
  expect "ERROR   [global] smb2 leases = yes" "SMB2 leases are an error"
  expect "WARNING no short TCP keepalive" "the two-hour keepalive is a warning"
  expect "oplocks = no, level2 oplocks = no, veto oplock files = /*.dbf/" "the fix quotes the recommended lines"
  expect "ok      two processes: an exclusive lock is seen and refused" "the lock test passes in the exported folder"
  mkdir -p "$share/sub"
  doctor 1 "$share/sub" --json
  expect '"group": "samba", "severity": "error", "message": "[data] oplocks = yes' "a folder inside the share: the same, as JSON"

  # 2. The recommended settings (profile xbase plus the README's socket options).
  start xbase "$recommended"
  doctor 0 "$share"
  expect "ok      [data] oplocks = no" "oplocks off are recognised"
  expect "ok      [data] strict locking = yes" "strict locking is recognised"
  expect "ok      TCP keepalive: a workstation cut off silently loses its locks after about 11 s" "the short keepalive is recognised"
  expect "result: no problems found" "the recommended settings pass"

  # 3. --smb-conf names the configuration when smbd is not running (or runs elsewhere).
  cp "$conf" "$base/copy.conf"
  bash "$lab/smb-lab-stop.sh" "$port" >/dev/null
  sed -i 's/^\(\s*posix locking = \)yes/\1no/' "$base/copy.conf"
  doctor 1 "$share" --smb-conf "$base/copy.conf"
  expect "ERROR   [data] posix locking = no" "--smb-conf: posix locking = no is an error"
  doctor 2 "$share" --smb-conf "$base/missing.conf"
  echo "all server-side doctor checks passed"
  exit 0
fi

# --guest: one boot, two mounts of the share with the recommended settings.
start xbase "$recommended"
mkdir -p "$share/work"
cp "$static" "$share/xbase"
cat > "$share/guest-doctor.sh" <<'EOF'
arg() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" /proc/cmdline | tail -1; }
echo GUEST_DOCTOR_START
/mnt/xbase doctor /mnt/work > /mnt/doctor-normal.out 2>&1
echo "GUEST_DOCTOR_NORMAL rc=$?"
cat /mnt/doctor-normal.out
mkdir -p /mnt2
if mount -t cifs "//$(arg smbhost)/data" /mnt2 -o "port=$(arg smbport),username=smblab,password=smblab,$(arg smbopts),nobrl"; then
  grep /mnt2 /proc/mounts
  /mnt/xbase doctor /mnt2/work > /mnt/doctor-nobrl.out 2>&1
  echo "GUEST_DOCTOR_NOBRL rc=$?"
  cat /mnt/doctor-nobrl.out
  umount /mnt2
else
  echo GUEST_NOBRL_MOUNT_FAILED
fi
echo GUEST_DOCTOR_END
EOF
chmod -R a+rwX "$share"
echo "booting the guest (software emulation; the first run builds its initramfs)"
guest_boot "$lab" "$port" guest-doctor.sh "$base/guest.log" GUEST_DOCTOR_END

cp "$share/doctor-normal.out" "$base/out"
grep -q "GUEST_DOCTOR_NORMAL rc=0" "$base/guest.log" || fail "doctor on the normal cifs mount did not pass"
expect "xbase doctor /mnt/work (SMB/CIFS)" "the guest's cifs mount is recognised as SMB"
expect "ok      SMB/CIFS mount //10.0.2.100/data" "its mount is named"
expect "ok      two processes: an exclusive lock is seen and refused" "the lock test passes over cifs"
expect "ok      two processes read each other's writes at once" "the coherence test passes over cifs"
cp "$share/doctor-nobrl.out" "$base/out"
grep -q "GUEST_DOCTOR_NOBRL rc=1" "$base/guest.log" || fail "doctor on the nobrl mount did not exit 1"
expect "ERROR   mounted with nobrl" "the nobrl mount is flagged"
echo "all guest doctor checks passed"
