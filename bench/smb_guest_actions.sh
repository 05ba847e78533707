#!/usr/bin/env bash
# Business actions on an SMB share (issue 30): the company folder on the smb-lab's Samba share,
# `invoicing` run in its qemu guest, a workstation with the kernel cifs client. Per action, the
# system calls that reach the share (one strace run, counted as bench/syscalls.sh counts them)
# the SMB requests the workstation sent for it (the guest kernel's cifs statistics, reset before
# and read after one more run without strace: what reaches the server, after the client's
# attribute cache answered what it could), and the wall time (median of RUNS runs, busybox
# `time`, 10 ms resolution):
#   open      `invoicing doc list`            customer  `invoicing customer add`
#   finalize  `doc finalize` of a one-line invoice with a stocked article
#   convert   `doc convert --to invoice --finalize` of a quote with 10 stock lines
# The guest runs under software emulation (qemu TCG: nested KVM hangs on this machine), so its
# CPU is several times slower than the host's: the wall times are an upper bound for a real
# workstation; the call counts are what they are anywhere.
#
#   bench/smb_guest_actions.sh [BUILD_DIR]     (default build/release; RUNS=5; needs root,
#                                              samba, qemu-system-x86, linux-image-amd64,
#                                              busybox-static, strace: scripts/install-deps.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/action_company.sh"
action_programs "$root" "${1:-$root/build/release}"
lab="${SHARED_DIR:-$root/../shared}/smb-lab"
runs=${RUNS:-5}
port=${SMB_BENCH_PORT:-44598}
[ "$(id -u)" = 0 ] || { echo "run as root (the lab's Samba server)" >&2; exit 2; }
source "$root/tests/smb/guest.sh"

guest_bench_dirs invoicing-smb-bench
trap '[ -n "${GUEST_PID:-}" ] && kill "$GUEST_PID" 2>/dev/null; bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1; rm -rf "$base"' EXIT

# The company (made on the server side), and what the timed runs use up: an invoice and a final
# quote per run (ids after the two of make_action_company), and one more pair for the run whose
# SMB requests are counted (run 0: the last ids).
make_action_company "$share/company" "$base"
export INVOICING_DATA="$share/company"
document_pairs $((runs + 1))

guest_bundle "$inv" "$share" invoicing
guest_bundle "$(command -v strace)" "$share" strace
cat > "$share/guest-bench.sh" <<GUEST
export XDG_CONFIG_HOME=/tmp/config HOME=/tmp INVOICING_DATA=/mnt/company
# The programs run from the guest's memory, as a workstation runs its own installed copy: only
# the company folder is on the share.
$(guest_local_programs invoicing strace)
I=/tmp/w/invoicing
echo GUEST_BENCH_START
s() { label=\$1; shift; echo "GUEST_STEP strace \$label"; /tmp/w/strace -f -yy -o /mnt/out/\$label.strace \$I "\$@" >/dev/null 2>&1 || echo "GUEST_FAILED \$label"; }
s open doc list
s customer customer add --code MARTIN --name Martin --city Namur
s finalize doc finalize 1
s convert doc convert 2 --to invoice --finalize
$(guest_count_function /tmp/w/invoicing)
c open doc list
c customer customer add --code COUNTED --name Counted
c finalize doc finalize $((2 + 2 * (runs + 1) - 1))
c convert doc convert $((2 + 2 * (runs + 1))) --to invoice --finalize
t() { label=\$1; shift; echo "GUEST_STEP \$label \$*"; /bin/busybox time -a -o /mnt/out/times -f "\$label %e" \$I "\$@" >/dev/null 2>&1 || echo "GUEST_FAILED \$label"; }
i=1
while [ \$i -le $runs ]; do
  t start --version
  t open doc list
  t customer customer add --code C\$i --name "Klant \$i"
  t finalize doc finalize \$((2 + 2 * i - 1))
  t convert doc convert \$((2 + 2 * i)) --to invoice --finalize
  i=\$((i + 1))
done
echo GUEST_BENCH_END
GUEST
chmod -R a+rwX "$share"
SMBLAB_GLOBAL_EXTRA="  socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3" \
  setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" xbase >/dev/null
echo "booting the guest (software emulation); $runs timed runs per action" >&2
guest_boot "$lab" "$port" guest-bench.sh "$base/guest.log" GUEST_BENCH_END
if grep GUEST_FAILED "$base/guest.log"; then exit 1; fi

median_ms() {
  awk -v l="$1" '$1 == l { print $2 * 1000 }' "$share/out/times" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "$(awk -v header=1 -f "$root/bench/syscall_counts.awk")  median_ms"
for label in open customer finalize convert; do
  echo "$(awk -v label="$label" -v dir=/mnt/company -f "$root/bench/syscall_counts.awk" "$share/out/$label.strace")  $(median_ms "$label")"
done
echo "program start alone (invoicing --version, no share access): $(median_ms start) ms"
echo
echo "SMB requests sent by the guest's cifs client per action (/proc/fs/cifs/Stats, share data):"
awk -v header=1 -f "$root/bench/cifs_stats.awk"
for label in open customer finalize convert; do
  awk -v label="$label" -f "$root/bench/cifs_stats.awk" "$share/out/$label.cifs"
done
