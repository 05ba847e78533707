#!/usr/bin/env bash
# A real SMB workstation among the others: a small Linux guest (Debian's kernel with its cifs
# module, busybox, software emulation; ../shared/smb-lab/qemu) mounts the private Samba share
# with the kernel's own SMB3 client and runs one xbase-stress worker there, so its fcntl
# locks travel as SMB2 LOCK requests, while workers on the server side work on the same table
# the whole time. Afterwards the stress invariants must hold: nothing lost, nothing torn,
# every tag right.
# Usage: guest_stress.sh XBASE_STRESS XBASE_STRESS_STATIC SHARED_DIR [GUEST_OPS]
# Needs root, samba, qemu-system-x86, linux-image-amd64, busybox-static, kmod, cpio. Exit 77
# (skipped) when they are missing outside CI; in CI that is a failure.
set -euo pipefail
bin=$1 static_bin=$2 lab=$3/smb-lab guest_ops=${4:-800}
port=${SMB_GUEST_TEST_PORT:-44592}
missing=""
command -v smbd >/dev/null || missing+=" samba"
command -v qemu-system-x86_64 >/dev/null || missing+=" qemu-system-x86"
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing+=" linux-image-amd64"
[ -x /bin/busybox ] || missing+=" busybox-static"
[ -x "$static_bin" ] || missing+=" (the static xbase-stress)"
[ "$(id -u)" = 0 ] || missing+=" (root)"
if [ -n "$missing" ]; then
  echo "missing:$missing (scripts/install-deps.sh installs the packages)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi

share=$(mktemp -d /tmp/xbase-guest.XXXXXX)
chmod 0777 "$share"
export SMBLAB_ROOT="$share.run" SMBLAB_QEMU="${SMBLAB_QEMU:-/tmp/xbase-smb-qemu}"
log="$share.guest.log"
cleanup() {
  for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  # Our own guest only (its session: setsid made run-guest.sh the leader of a process group
  # that qemu belongs to); a pattern would kill another run's guest too.
  [ -z "${guest:-}" ] || kill -- -"$guest" 2>/dev/null || true
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  rm -rf "$share" "$SMBLAB_ROOT"
}
trap cleanup EXIT
# In a session of its own: smbd signals its whole process group when it stops.
setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" xbase >/dev/null
"$bin" init "$share"
cp "$static_bin" "$share/xbase-stress"
cat > "$share/guest-stress.sh" <<EOF
echo GUEST_STRESS_START
if /mnt/xbase-stress work /mnt 9 $guest_ops 4242; then echo GUEST_STRESS_OK; else echo GUEST_STRESS_FAILED; fi
EOF
chmod -R a+rwX "$share"

echo "booting the guest (software emulation; the first run builds its initramfs)"
source "$(dirname "$0")/guest.sh"
guest_prepare "$lab"
setsid bash "$lab/qemu/run-guest.sh" "$port" guest-stress.sh "$log" &
guest=$!
for _ in $(seq 1800); do
  grep -q -E "GUEST_STRESS_START|GUEST_MOUNT_FAILED|GUEST_DONE" "$log" 2>/dev/null && break
  kill -0 "$guest" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q GUEST_STRESS_START "$log" 2>/dev/null; then
  echo "FAIL: the guest did not start its worker"; tail -30 "$log" 2>/dev/null; exit 1
fi
echo "the guest's worker runs on the cifs mount; server-side workers join until it is done"
round=0 rc=0
while kill -0 "$guest" 2>/dev/null && [ $round -lt 200 ]; do
  round=$((round + 1))
  pids=()
  for k in 1 2 3; do
    "$bin" work "$share" $((100 * round + k)) 500 $((round * 31 + k)) >/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc = 0 ] || break
done
wait "$guest" || true
grep -E "^worker|xbase-stress|GUEST_STRESS" "$log" || true
grep -q GUEST_STRESS_OK "$log" || { echo "FAIL: the guest's worker failed"; tail -30 "$log"; exit 1; }
[ $rc = 0 ] || { echo "FAIL: a server-side worker failed"; exit 1; }
echo "server side: $round rounds of 3 workers ran alongside the guest"
"$bin" verify "$share"
