#!/usr/bin/env bash
# `invoicing deliver` onto an SMB share (issue 26), in the smb-lab's qemu guest: a Linux server
# whose accounting share (\\10.0.2.100\data) is reached through the kernel cifs client, as the
# delivery service reaches a Winbooks or Adsolut folder on the office's file server. One boot:
#   - the share not mounted yet: nothing delivered, the documents wait, the reason named;
#   - mounted: every final invoice goes out once (UBL with its PDF inside, the PDF beside),
#     written under a temporary name and renamed; a second pass delivers nothing;
#   - an invoice finalized on the guest goes out in the next pass, alone.
# The host then checks the files on the share: the hashes the guest recorded, no temporary
# file left, every UBL valid EN 16931 (../shared/einvoice), the PDFs (rendered in the guest
# with its own fonts) readable and naming the customer.
# --outage XBASE: the data folder local to the guest (as on a delivery server), 10 invoices in
# one batch to the share, and the Samba server stopped once a few files are there and started
# again 20 s later; the guest runs passes until nothing waits. Meanwhile the host looks at the
# share every 50 ms: no file under a final name is ever incomplete. Then every document is
# there exactly once with the hash its record (DELIVERY, read with XBASE) holds.
# Usage: deliver_smb_test.sh INVOICING SHARED_DIR [--outage XBASE]
# Needs root, samba, qemu-system-x86, linux-image-amd64, busybox-static, poppler-utils, Java (the
# validation kit); exit 77 (skipped) when they are missing outside CI, a failure in CI.
set -euo pipefail
inv=$1 shared=$2 lab=$2/smb-lab outage=no
if [ "${3:-}" = --outage ]; then outage=yes xbase=${4:?}; fi
if [ $outage = yes ]; then port=${SMB_OUTAGE_TEST_PORT:-44599}; else port=${SMB_DELIVER_TEST_PORT:-44597}; fi
missing=""
command -v smbd >/dev/null || missing+=" samba"
command -v qemu-system-x86_64 >/dev/null || missing+=" qemu-system-x86"
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing+=" linux-image-amd64"
[ -x /bin/busybox ] || missing+=" busybox-static"
command -v pdftotext >/dev/null || missing+=" poppler-utils"
command -v java >/dev/null || missing+=" default-jre-headless"
[ "$(id -u)" = 0 ] || missing+=" (root)"
if [ -n "$missing" ]; then
  echo "missing:$missing (scripts/install-deps.sh installs the packages)"
  [ "${CI:-}" = true ] && exit 1 || exit 77
fi
source "$(dirname "$0")/../smb/guest.sh"

base=$(mktemp -d /tmp/invoicing-deliver-smb.XXXXXX)
share=$base/share co=$base/share/company
chmod 0755 "$base"
mkdir -p "$share/acc"
export SMBLAB_ROOT="$base/run" SMBLAB_QEMU="${SMBLAB_QEMU:-/tmp/xbase-smb-qemu}"
export XDG_CONFIG_HOME="$base/config" INVOICING_TODAY=2026-11-20
cleanup() {
  touch "$base/stop-looking"
  [ -n "${GUEST_PID:-}" ] && kill "$GUEST_PID" 2>/dev/null || true
  bash "$lab/smb-lab-stop.sh" "$port" --purge >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$base"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
run() { "$inv" "$@" --data "$co"; }
new_invoice() {  # new_invoice QTY: a draft invoice with one line, its id on stdout
  local id
  id=$(run doc new --type invoice --party BAKKER --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
  run doc add-line "$id" --article KOFFIE --qty "$1" >/dev/null
  echo "$id"
}

# The company, made on the file server: two final invoices and a draft for the guest (ten final
# invoices for --outage).
"$inv" init "$co" --company 'Café "De Gouden Leeuw" BV / Sint-Niklaas' --vat BE0123456749 >/dev/null
run company set --street "Grote Markt 1" --postcode 9100 --city Sint-Niklaas --country BE \
  --iban BE68539007547034 --email info@leeuw.be >/dev/null
run customer add --code BAKKER --name "Bakkerij Peeters" --street "Kerkstraat 2" --zip 2000 \
  --city Antwerpen --country BE --vat BE0417497106 >/dev/null
run article add --code KOFFIE --descr "Koffiebonen 1 kg" --price 18.50 --vat-rate 6 >/dev/null
invoices=2
[ $outage = yes ] && invoices=10
for qty in $(seq $invoices); do run doc finalize "$(new_invoice $qty)" >/dev/null; done
[ $outage = yes ] || draft=$(new_invoice 3)
run deliver mount add '\\10.0.2.100\data' /mnt3 >/dev/null
run deliver target add winbooks --pdf --sales '\\10.0.2.100\data\acc\[enterprise_identifier]\inbound' \
  --purchase '\\10.0.2.100\data\acc\[enterprise_identifier]\purchases' >/dev/null
inbound=$share/acc/BE0123456749/inbound

# invoicing as built, its libraries beside it; fontconfig reads the DejaVu fonts from the share.
guest_bundle "$inv" "$share" invoicing
mkdir -p "$share/fonts"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf "$share/fonts/"
cat > "$share/fonts/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/mnt/fonts</dir><cachedir>/tmp/fontconfig</cachedir></fontconfig>
CONF
start_samba() {
  SMBLAB_GLOBAL_EXTRA="  socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3" \
    setsid -w bash "$lab/smb-lab-start.sh" "$port" "$share" xbase >/dev/null
}

if [ $outage = yes ]; then
  # The guest runs everything from its memory: the share goes away under it.
  cat > "$share/guest-outage.sh" <<'GUEST'
mkdir -p /tmp/w && cp -r /mnt/lib /mnt/invoicing.bin /mnt/fonts /mnt/outage-passes.sh /tmp/w/ && cp -r /mnt/company /tmp/company
sed 's|/mnt/|/tmp/w/|g' /mnt/invoicing > /tmp/w/invoicing && chmod +x /tmp/w/invoicing
sed 's|/mnt/fonts|/tmp/w/fonts|' /mnt/fonts/fonts.conf > /tmp/w/fonts/fonts.conf
exec sh /tmp/w/outage-passes.sh
GUEST
  cat > "$share/outage-passes.sh" <<GUEST
arg() { sed -n "s/.* \$1=\([^ ]*\).*/\1/p" /proc/cmdline | tail -1; }
export XDG_CONFIG_HOME=/tmp/config HOME=/tmp FONTCONFIG_FILE=/tmp/w/fonts/fonts.conf INVOICING_TODAY=$INVOICING_TODAY
mkdir -p /mnt3
# echo_interval=1: the client notices the server gone within seconds (a soft mount then fails
# the calls that wait for it, as a delivery server's mount would after a while).
mount -t cifs "//\$(arg smbhost)/data" /mnt3 -o "port=\$(arg smbport),username=smblab,password=smblab,\$(arg smbopts),echo_interval=1" || echo GUEST_MOUNT3_FAILED
echo GUEST_OUTAGE_START
p=1
while [ \$p -le 40 ]; do
  /tmp/w/invoicing deliver --data /tmp/company > /tmp/pass.out 2>&1
  rc=\$?
  echo "GUEST_PASS \$p rc=\$rc: \$(tr '\n' ' ' < /tmp/pass.out | tail -c 300)"
  if [ \$rc = 0 ] && grep -q ' 0 waiting' /tmp/pass.out; then break; fi
  p=\$((p + 1))
  sleep 2
done
mkdir -p /mnt/result && cp /tmp/company/DELIVERY.* /mnt/result/ && echo GUEST_RESULT_COPIED
echo GUEST_OUTAGE_END
GUEST
  chmod -R a+rwX "$share"
  start_samba
  # The host's eye on the share: every file under a final name must be whole at every look; the
  # server stopped once 4 files are there, started again 20 s later.
  (
    stopped=""
    while [ ! -e "$base/stop-looking" ]; do
      n=0
      for f in "$inbound"/invoice-*; do
        [ -e "$f" ] || continue
        n=$((n + 1))
        case "$f" in
          *.xml) tail -c 64 "$f" | grep -q '</Invoice>' || echo "$f" >> "$base/partial" ;;
          *.pdf) tail -c 16 "$f" | grep -q '%%EOF' || echo "$f" >> "$base/partial" ;;
        esac
      done
      if [ -z "$stopped" ] && [ "$n" -ge 4 ]; then
        stopped=$n
        bash "$lab/smb-lab-stop.sh" "$port" >/dev/null 2>&1
        echo "$n" > "$base/stopped-at"
        sleep "${OUTAGE_SECONDS:-20}"
        start_samba
        echo restarted > "$base/restarted"
      fi
      sleep 0.05
    done
  ) &
  looker=$!
  echo "booting the guest (software emulation)"
  GUEST_WAIT=600 guest_boot "$lab" "$port" guest-outage.sh "$base/guest.log" GUEST_OUTAGE_END || true
  touch "$base/stop-looking"
  wait "$looker"
  grep "^GUEST_" "$base/guest.log" | tr -d '\r'
  grep -q GUEST_OUTAGE_END "$base/guest.log" || fail "the guest did not finish"
  [ -s "$base/stopped-at" ] || fail "the server was never stopped: fewer than 4 files arrived"
  [ -e "$base/restarted" ] || fail "the server was not started again"
  stopped_at=$(cat "$base/stopped-at")
  [ "$stopped_at" -lt $((2 * invoices)) ] || fail "the batch was over ($stopped_at files) before the server stopped"
  echo "ok: the Samba server stopped with $stopped_at of $((2 * invoices)) files on the share, started ${OUTAGE_SECONDS:-20} s later"
  [ ! -s "$base/partial" ] || fail "incomplete files under their final names: $(sort -u "$base/partial")"
  echo "ok: no file under a final name was ever incomplete (looked at every 50 ms)"
  grep "GUEST_PASS" "$base/guest.log" | tail -1 | grep -q "rc=0" || fail "the last pass did not deliver everything"
  failed=$(grep -c "GUEST_PASS .* rc=1" "$base/guest.log" || true)
  echo "ok: the passes ended with nothing waiting ($failed pass(es) failed on the way)"
  grep -q GUEST_RESULT_COPIED "$base/guest.log" || fail "the guest could not copy its DELIVERY table back"
  finals=$(ls "$inbound" | grep -c '^invoice-' || true)
  [ "$finals" = $((2 * invoices)) ] || { ls -la "$inbound"; fail "$finals files under final names, wanted $((2 * invoices))"; }
  "$xbase" dump "$share/result/DELIVERY.DBF" > "$base/delivery.jsonl"
  python3 - "$base/delivery.jsonl" "$inbound" $invoices <<'PY' || fail "the delivery records and the share disagree"
import collections, hashlib, json, os, sys
records = [json.loads(l) for l in open(sys.argv[1])]
inbound, invoices = sys.argv[2], int(sys.argv[3])
per_doc = collections.Counter((r["DOCID"], r["KIND"].strip()) for r in records)
assert len(records) == 2 * invoices, f"{len(records)} delivery records, wanted {2 * invoices}"
assert all(n == 1 for n in per_doc.values()), f"a document delivered twice: {per_doc}"
for r in records:
    name = os.path.basename(r["FILE"].strip())
    got = hashlib.sha256(open(os.path.join(inbound, name), "rb").read()).hexdigest()
    assert got == r["SHA256"].strip(), f"{name}: {got} on the share, {r['SHA256']} recorded"
PY
  strays=$(ls -A "$inbound" | grep -c '^\.' || true)
  echo "ok: each of the $invoices invoices delivered exactly once (UBL and PDF), hashes as recorded; $strays temporary file(s) of cut writes left, under hidden names"
  echo "all delivery checks through a Samba outage passed"
  exit 0
fi

cat > "$share/guest-deliver.sh" <<GUEST
arg() { sed -n "s/.* \$1=\([^ ]*\).*/\1/p" /proc/cmdline | tail -1; }
export XDG_CONFIG_HOME=/tmp/config HOME=/tmp FONTCONFIG_FILE=/mnt/fonts/fonts.conf INVOICING_TODAY=$INVOICING_TODAY
mkdir -p /mnt3
echo GUEST_DELIVER_START
/mnt/invoicing deliver --data /mnt/company > /mnt/unmounted.out 2>&1
echo "GUEST_UNMOUNTED rc=\$?"
ls -A /mnt/acc > /mnt/unmounted.ls
mount -t cifs "//\$(arg smbhost)/data" /mnt3 -o "port=\$(arg smbport),username=smblab,password=smblab,\$(arg smbopts)" || echo GUEST_MOUNT3_FAILED
/mnt/invoicing deliver --data /mnt/company --json > /mnt/first.json 2> /mnt/first.err
echo "GUEST_FIRST rc=\$?"
/mnt/invoicing deliver --data /mnt/company > /mnt/again.out 2>&1
echo "GUEST_AGAIN rc=\$?"
/mnt/invoicing doc finalize $draft --data /mnt/company > /mnt/finalize.out 2>&1
echo "GUEST_FINALIZE rc=\$?"
/mnt/invoicing deliver --data /mnt/company --json > /mnt/third.json 2> /mnt/third.err
echo "GUEST_THIRD rc=\$?"
umount /mnt3
echo GUEST_DELIVER_END
GUEST
chmod -R a+rwX "$share"
start_samba
echo "booting the guest (software emulation)"
guest_boot "$lab" "$port" guest-deliver.sh "$base/guest.log" GUEST_DELIVER_END
grep "^GUEST_" "$base/guest.log" | tr -d '\r'

step() {  # step NAME RC: the guest's step ended with exit code RC
  grep -q "GUEST_$1 rc=$2" "$base/guest.log" || { cat "$share"/*.out "$share"/*.err 2>/dev/null; fail "guest step $1 did not exit $2"; }
}
# Not mounted: refused with the reason, nothing written, both documents waiting.
step UNMOUNTED 1
grep -q 'is not mounted at /mnt3' "$share/unmounted.out" || fail "no reason given: $(cat "$share/unmounted.out")"
grep -q '2 waiting' "$share/unmounted.out" || fail "the documents do not wait: $(cat "$share/unmounted.out")"
[ ! -s "$share/unmounted.ls" ] || fail "written while the share was not mounted: $(cat "$share/unmounted.ls")"
echo "ok: the share not mounted: nothing delivered, 2 documents waiting, the reason named"

# Mounted: each invoice once as UBL and PDF, with the hash the guest recorded.
grep -q GUEST_MOUNT3_FAILED "$base/guest.log" && fail "the guest could not mount the share at /mnt3"
step FIRST 0
check_delivered() {  # check_delivered JSON COUNT: COUNT files, each on the share with its hash
  python3 - "$1" "$2" "$share" <<'PY'
import hashlib, json, os, sys
report, want, share = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
files = report["delivered"]
assert len(files) == want, f"{len(files)} files delivered, wanted {want}: {files}"
assert not report["failures"], report["failures"]
for f in files:
    assert f["file"].startswith("/mnt3/acc/BE0123456749/inbound/"), f["file"]
    path = share + f["file"][len("/mnt3"):]
    got = hashlib.sha256(open(path, "rb").read()).hexdigest()
    assert got == f["sha256"], f"{path}: {got} on the share, {f['sha256']} recorded"
print(" ".join(sorted(os.path.basename(f["file"]) for f in files)))
PY
}
first=$(check_delivered "$share/first.json" 4) || fail "first pass"
echo "ok: mounted: 4 files (2 invoices, UBL and PDF each) on the share with the recorded hashes: $first"
step AGAIN 0
grep -q '^0 file(s) delivered, 0 failure(s), 0 waiting' "$share/again.out" || fail "second pass: $(cat "$share/again.out")"
echo "ok: a second pass delivers nothing"
step FINALIZE 0
step THIRD 0
third=$(check_delivered "$share/third.json" 2) || fail "third pass"
echo "ok: the invoice finalized on the guest goes out alone in the next pass: $third"

# On the share: only the 6 delivered files (no temporary name left), valid e-invoices, PDFs.
[ "$(ls -A "$inbound" | wc -l)" = 6 ] || { ls -la "$inbound"; fail "not exactly the 6 delivered files in $inbound"; }
"$shared/einvoice/validate.sh" -q -p cen "$inbound"/*.xml > "$base/validate.out" 2>&1 ||
  { cat "$base/validate.out"; fail "a delivered UBL is not valid EN 16931"; }
for pdf in "$inbound"/*.pdf; do
  pdftotext "$pdf" - | grep -q "Bakkerij Peeters" || fail "$pdf does not name the customer"
  pdffonts "$pdf" | grep -q DejaVuSans || fail "$pdf was not set in DejaVu Sans"
done
python3 - "$inbound" <<'PY' || fail "a UBL does not carry its PDF"
import base64, glob, re, sys
for path in glob.glob(sys.argv[1] + "/*.xml"):
    m = re.search(rb"<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]+)<", open(path, "rb").read())
    assert m and base64.b64decode(m.group(1)).startswith(b"%PDF"), path
PY
echo "ok: the 3 UBL files are valid EN 16931 with their PDF inside; the PDFs beside name the customer"
echo "all delivery checks over SMB passed"
