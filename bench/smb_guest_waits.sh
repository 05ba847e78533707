#!/usr/bin/env bash
# The round trips a business action waits for, one after the other, on an SMB share (issue 30).
# A request counted by bench/smb_guest_actions.sh is at most a round trip; requests a program
# sends side by side (a commit's file syncs, a command's closes) cost one together. This measures
# the wall time itself: the company on the smb-lab's Samba share, `invoicing` in its qemu guest
# (kernel cifs client, mounted with actimeo=60, caches dropped before each command as in
# tests/smb/smb_request_budget_test.sh), the guest's connection through bench's
# xbase-delay-proxy, which adds RTT_US microseconds of round trip or none, alternately within
# one boot. The actions: `doc list` (open), `customer add`, `doc finalize`, `doc convert --to
# invoice --finalize` of a 10-line quote, and ui-final: the finalization of a one-line invoice in
# the web front end (`invoicing ui`, one server per build running in the guest from the start,
# as a workstation keeps it open; curl's time_total of the POST, and of the GET of the
# document's page after it where the answer is not that page, as the build's screen asks for
# it). Per action and build: the median wall time without and with the delay, and
#   waited = (with - without) / RTT
# the round trips the action waited for in a row. The emulated CPU (qemu TCG) makes the times
# themselves slow; their difference is the network's part, whatever the CPU.
#
#   bench/smb_guest_waits.sh BUILD_A [BUILD_B]      (RUNS=5, RTT_US=4000; root, as
#                                                   bench/smb_guest_actions.sh)
#   KEEP=DIR bench/smb_guest_waits.sh ...           also runs each action of the last build once
#                                                   more under `strace -f -tt -T` with the delay
#                                                   and keeps the logs (LABEL.strace) and the times
#                                                   in DIR: the calls that took a round trip or
#                                                   more are those that waited
#   MOUNT_EXTRA=OPTS bench/smb_guest_waits.sh ...  more cifs mount options (commas only)
#   NET=restrict bench/smb_guest_waits.sh ...       the lab's default network instead of plain
#                                                   user-mode networking (below)
# The guest reaches the proxy through qemu's user-mode network (NET=user: the host's loopback is
# 10.0.2.2), not through the lab's default (NET=restrict: a `busybox nc` relay on the host,
# whose socket sends with Nagle on): there a small request sent beside another waited for the
# other's answer, and a read of more than one TCP segment stalled about 40 ms (delayed ACK),
# neither of which a LAN has (measured 2026-12-06: a finalization's "no delay" time 1350 ms
# there, 540 ms here; two reads sent together took two round trips there, one here).
export NET="${NET:-user}"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/action_company.sh"
builds=("${1:-$root/build/release}")
[ -n "${2:-}" ] && builds+=("$2")
for b in "${builds[@]}"; do action_programs "$root" "$b" no-strace; done
action_programs "$root" "${builds[0]}" no-strace  # the company is made with A
proxy=""  # from whichever build has it (an older checkout's may not)
for b in "${builds[@]}" "$root/build/release"; do [ -x "$b/bench/xbase-delay-proxy" ] && proxy="$b/bench/xbase-delay-proxy"; done
[ -n "$proxy" ] || { echo "missing bench/xbase-delay-proxy in ${builds[*]}: build first" >&2; exit 2; }
lab="${SHARED_DIR:-$root/../shared}/smb-lab"
runs=${RUNS:-5}
rtt=${RTT_US:-4000}
port=${SMB_BENCH_PORT:-44610}  # the proxy listens on the next port
[ "$(id -u)" = 0 ] || { echo "run as root (the lab's Samba server)" >&2; exit 2; }
source "$root/tests/smb/guest.sh"

guest_bench_dirs invoicing-smb-waits
PROXY_PID=""
trap '[ -n "${GUEST_PID:-}" ] && kill "$GUEST_PID" 2>/dev/null; [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1; rm -rf "$base"' EXIT

# The company, and a document pair (an invoice to finalize, a final quote to convert) for every
# timed run of every build, with and without the delay: ids 3, 4 for the first, and so on.
make_action_company "$share/company" "$base"
export INVOICING_DATA="$share/company"
document_pairs $((runs * 2 * ${#builds[@]} + 1))  # and one for the strace runs
# One-line invoices for the front ends: one to start each server's journal, then one per timed
# run, and one for the strace run.
ui_first=$((2 + 2 * (runs * 2 * ${#builds[@]} + 1) + 1))
for _ in $(seq $((${#builds[@]} * (1 + runs * 2) + 1))); do
  doc=$("$inv" doc new --type invoice --party DUPONT | grep -o '[0-9][0-9]*' | head -1)
  "$inv" doc add-line "$doc" --article ART1 --qty 1 >/dev/null
done

names=(A B)
names=("${names[@]:0:${#builds[@]}}")
for n in "${!builds[@]}"; do guest_bundle "${builds[$n]}/app/cli/invoicing" "$share" "inv${names[$n]}"; done
guest_bundle "$(command -v curl)" "$share" curl
traced=""
if [ -n "${KEEP:-}" ]; then
  guest_bundle "$(command -v strace)" "$share" strace
  traced=strace
fi
last=${names[${#names[@]}-1]}
{
  echo "export XDG_CONFIG_HOME=/tmp/config HOME=/tmp INVOICING_DATA=/mnt/company"
  guest_local_programs "${names[@]/#/inv}" curl $traced
  cat <<GUEST
echo GUEST_WAITS_START
t() { label=\$1; shift; sync; echo 3 > /proc/sys/vm/drop_caches; /bin/busybox time -a -o /tmp/times -f "\$label %e" "\$@" >/dev/null 2>&1 || echo "GUEST_FAILED \$label"; }
# The front ends: ui_start BUILD PORT starts one and signs in (cookie in /tmp/cookies.BUILD, CSRF
# token in /tmp/csrf.BUILD); ui_final LABEL BUILD DOC finalizes DOC through it and notes the
# request's time (its caches are the server's own: nothing is dropped).
ui_start() {
  /tmp/w/inv\$1 ui --port \$2 --no-browser > /tmp/ui.\$1.out 2>&1 &
  echo \$! > /tmp/pid.\$1
  echo \$2 > /tmp/port.\$1
  n=0; while [ \$n -lt 600 ] && ! grep -q token= /tmp/ui.\$1.out; do sleep 0.1; n=\$((n + 1)); done
  url=\$(grep -o 'http://[^ ]*token=[0-9a-f]*' /tmp/ui.\$1.out | head -1)
  [ -n "\$url" ] || { echo "GUEST_FAILED ui_start \$1"; cat /tmp/ui.\$1.out; }
  /tmp/w/curl -s -c /tmp/cookies.\$1 -o /dev/null "\$url"
  /tmp/w/curl -s -b /tmp/cookies.\$1 "http://127.0.0.1:\$2/api/session" | sed -n 's/.*"csrf":"\\([0-9a-f]*\\)".*/\\1/p' > /tmp/csrf.\$1
}
ui_final() {
  u=http://127.0.0.1:\$(cat /tmp/port.\$2)/api/documents/\$3
  s=\$(/tmp/w/curl -s -f -o /tmp/answer -w '%{time_total}' -b /tmp/cookies.\$2 -H "X-CSRF-Token: \$(cat /tmp/csrf.\$2)" \\
      -H "Content-Type: application/json" -X POST -d '{}' "\$u/finalize?lang=en") || { echo "GUEST_FAILED \$1"; return; }
  # A build whose answer is not the document's page asks for the page after it, as its screen
  # does: what the user waits for is both.
  if ! grep -q '"history"' /tmp/answer; then
    g=\$(/tmp/w/curl -s -f -o /dev/null -w '%{time_total}' -b /tmp/cookies.\$2 "\$u?lang=en") || { echo "GUEST_FAILED \$1"; return; }
    s=\$(awk -v a=\$s -v b=\$g 'BEGIN { print a + b }')
  fi
  echo "\$1 \$s" >> /tmp/times
}
ui_doc=$ui_first
port=47000
for p in ${names[*]}; do
  ui_start \$p \$port; port=\$((port + 1))
  ui_final "\$p warm ui-final" \$p \$ui_doc; ui_doc=\$((ui_doc + 1))
done
pair=1
i=1
while [ \$i -le $runs ]; do
  for d in 0 $rtt; do
    echo \$d > /mnt/out/rtt_us; sleep 1
    for p in ${names[*]}; do
      echo "GUEST_STEP run \$i build \$p rtt \$d"
      t "\$p \$d open" /tmp/w/inv\$p doc list
      t "\$p \$d customer" /tmp/w/inv\$p customer add --code C\$p\$d\$i --name "Klant \$i"
      t "\$p \$d finalize" /tmp/w/inv\$p doc finalize \$((2 + 2 * pair - 1))
      t "\$p \$d convert" /tmp/w/inv\$p doc convert \$((2 + 2 * pair)) --to invoice --finalize
      ui_final "\$p \$d ui-final" \$p \$ui_doc; ui_doc=\$((ui_doc + 1))
      pair=\$((pair + 1))
    done
  done
  i=\$((i + 1))
done
if [ -n "$traced" ]; then
  echo $rtt > /mnt/out/rtt_us; sleep 1
  s() { label=\$1; shift; sync; echo 3 > /proc/sys/vm/drop_caches; /tmp/w/strace -f -tt -T -yy -o /tmp/\$label.strace /tmp/w/inv$last "\$@" >/dev/null 2>&1 || echo "GUEST_FAILED \$label"; }
  s open doc list
  s customer customer add --code TRACED --name Traced
  s finalize doc finalize \$((2 + 2 * pair - 1))
  s convert doc convert \$((2 + 2 * pair)) --to invoice --finalize
  # The front end's finalization, traced in its server (attached before the request).
  /tmp/w/strace -f -tt -T -yy -p \$(cat /tmp/pid.$last) -o /tmp/ui-final.strace 2>/dev/null &
  sleep 2
  ui_final "$last traced ui-final" $last \$ui_doc
  sleep 1
  kill \$!
  sleep 1
fi
echo 0 > /mnt/out/rtt_us
cp /tmp/times /tmp/*.strace /mnt/out/ 2>/dev/null
echo GUEST_WAITS_END
GUEST
} > "$share/guest-waits.sh"
chmod -R a+rwX "$share"
setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" xbase >/dev/null
"$proxy" $((port + 1)) "$port" "$share/out/rtt_us" 2>"$base/proxy.log" &
PROXY_PID=$!
echo "booting the guest (software emulation); $runs runs per action, build and delay" >&2
SMBOPTS="vers=3.0,actimeo=60${MOUNT_EXTRA:+,$MOUNT_EXTRA}" guest_boot "$lab" $((port + 1)) guest-waits.sh "$base/guest.log" GUEST_WAITS_END
if grep GUEST_FAILED "$base/guest.log"; then exit 1; fi
[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$share"/out/times "$share"/out/*.strace "$KEEP"/

median_ms() {
  awk -v l="$1 $2 $3" '$1 " " $2 " " $3 == l { print $4 * 1000 }' "$share/out/times" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "round trip added: $rtt us; medians of $runs runs (busybox time, 10 ms steps)"
printf '%-9s %-5s %12s %12s %8s\n' action build "no_delay_ms" "delay_ms" waited
for label in open customer finalize convert ui-final; do
  for p in "${names[@]}"; do
    t0=$(median_ms "$p" 0 "$label") t1=$(median_ms "$p" "$rtt" "$label")
    printf '%-9s %-5s %12s %12s %8.0f\n' "$label" "$p" "$t0" "$t1" "$(awk -v a="$t0" -v b="$t1" -v r="$rtt" 'BEGIN { print (b - a) * 1000 / r }')"
  done
done
