# Sourced by the tests that run programs in the smb-lab's qemu guest (../shared/smb-lab/qemu).

# The guest's initramfs has no C library, so a dynamically linked program goes onto the share
# with the libraries it was linked with and the loader, started through a wrapper; a static one
# is copied as it is.
# guest_bundle PROGRAM SHARE NAME [ENV_ASSIGNMENTS]: the guest runs it as /mnt/NAME.
guest_bundle() {
  local program=$1 share=$2 name=$3 env=${4:-} loader="" lib
  if ! ldd "$program" >/dev/null 2>&1; then
    cp "$program" "$share/$name"
    return 0
  fi
  mkdir -p "$share/lib"
  cp "$program" "$share/$name.bin"
  while read -r lib; do
    cp -L "$lib" "$share/lib/"
    case "$lib" in */ld-linux*) loader=$(basename "$lib") ;; esac
  done < <(ldd "$program" | grep -o '/[^ ]*')
  [ -n "$loader" ] || { echo "FAIL: no loader in ldd $program"; return 1; }
  printf '#!/bin/sh\n%sexec /mnt/lib/%s --library-path /mnt/lib /mnt/%s.bin "$@"\n' \
    "${env:+$env }" "$loader" "$name" > "$share/$name"
  chmod +x "$share/$name"
}

# guest_missing: the packages (as scripts/install-deps.sh names them) the guest needs and this
# machine lacks, each after a space; nothing when it has them all.
guest_missing() {
  command -v qemu-system-x86_64 >/dev/null || printf ' qemu-system-x86'
  ls /boot/vmlinuz-* >/dev/null 2>&1 || printf ' linux-image-amd64'
  [ -x /bin/busybox ] || printf ' busybox-static'
  return 0
}

# guest_prepare LAB: the guest's kernel and initramfs in $SMBLAB_QEMU, built once: several
# guest tests start at once in CI, and run-guest.sh would otherwise build (and boot from) a
# half-written initramfs for each.
guest_prepare() {
  local lab=$1 out=${SMBLAB_QEMU:-/tmp/smb-lab/qemu}
  mkdir -p "$out"
  flock "$out/.build.lock" bash -c '[ -s "$2/initramfs.cpio.gz" ] && [ -s "$2/vmlinuz" ] || bash "$1/qemu/build-initramfs.sh" >/dev/null' _ "$lab" "$out"
}

# guest_boot LAB PORT SCRIPT LOG END_MARKER: boots the guest on the lab server at PORT to run
# /mnt/SCRIPT and waits until it printed END_MARKER (or stopped); 1 when the marker never came.
# GUEST_PID is the running guest, for the caller's clean-up to kill; GUEST_WAIT the seconds to
# wait at most (300).
GUEST_PID=""
guest_boot() {
  local lab=$1 port=$2 script=$3 log=$4 marker=$5
  guest_prepare "$lab"
  setsid bash "$lab/qemu/run-guest.sh" "$port" "$script" "$log" &
  GUEST_PID=$!
  for _ in $(seq $((${GUEST_WAIT:-300} * 10))); do
    grep -q -E "$marker|GUEST_MOUNT_FAILED|GUEST_DONE" "$log" 2>/dev/null && break
    kill -0 "$GUEST_PID" 2>/dev/null || break
    sleep 0.1
  done
  wait "$GUEST_PID" 2>/dev/null || true
  GUEST_PID=""
  grep -q "$marker" "$log" || { echo "FAIL: the guest did not finish"; tail -40 "$log"; return 1; }
}

# guest_local_programs NAME...: guest script lines that copy dynamically linked programs
# guest_bundle put on the share (NAME.bin and the libraries in lib/) into the guest's memory and run them from there as /tmp/w/NAME, as a
# workstation runs its own installed copy: only the data folder is on the share, and the
# program's own reads are not counted as the data folder's.
guest_local_programs() {
  echo "mkdir -p /tmp/w; cp -r /mnt/lib /tmp/w/"
  local p
  for p in "$@"; do
    echo "cp /mnt/$p.bin /tmp/w/; sed 's|/mnt/|/tmp/w/|g' /mnt/$p > /tmp/w/$p; chmod +x /tmp/w/$p"
  done
}

# guest_count_function PROGRAM: a guest script function `c LABEL ARGS...` that runs PROGRAM ARGS
# and leaves the SMB requests the guest's cifs client sent meanwhile in /mnt/out/LABEL.cifs
# (its statistics, reset before and read after; copied to the share only once read, the copy
# being requests too), for bench/cifs_stats.awk. Each run starts with the client's caches of
# names and attributes dropped, as a command a user types seconds after the last one finds
# them expired. Prints GUEST_FAILED LABEL when PROGRAM fails.
guest_count_function() {
  cat <<GUEST
c() { label=\$1; shift; echo "GUEST_STEP count \$label"; sync; echo 3 > /proc/sys/vm/drop_caches; echo 0 > /proc/fs/cifs/Stats; $1 "\$@" >/dev/null 2>&1 || echo "GUEST_FAILED \$label"; cat /proc/fs/cifs/Stats > /tmp/\$label.cifs; mkdir -p /mnt/out; cp /tmp/\$label.cifs /mnt/out/; }
GUEST
}
