#!/usr/bin/env bash
# A company's files in PostgreSQL (run under with_postgres.sh): layouts, import profiles and
# purchase originals are kept in the database (company_file) and go with every move. A
# supplier's e-invoice (the CEN credit note, and one of our own with its PDF inside) imports
# into a company in a database, the same file again is skipped, the originals come back byte
# for byte; a layout and a logo set there shape its PDFs; a profile saved there is used again.
# Then database -> folder -> database (migrate), and a backup of the database restored into a
# new database and into a folder: every file byte for byte, `verify` clean at every step.
set -euo pipefail
inv="$1"
cen="$2"
source "$(dirname "$0")/pg_test_begin.sh"
pg_test_begin files again restored
db="--db $base/files"
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# The seller (a folder company) makes an e-invoice with its PDF inside for our company.
S="--data $work/seller"
"$inv" init "$work/seller" --company "Verkoper NV" --vat BE0439948745 >/dev/null
"$inv" company set --street "Kerkstraat 1" --postcode 9000 --city Gent --iban BE68539007547034 $S >/dev/null
"$inv" customer add --code KLANT --name "My Customer Company" --street "Rue 1" --zip 1000 --city Brussel \
  --vat BE0000000295 $S >/dev/null
id=$("$inv" doc new --type invoice --party KLANT --json $S | json_field '["id"]')
"$inv" doc add-line "$id" --text Werk --qty 2 --price 50 --vat-rate 21 $S >/dev/null
"$inv" doc finalize "$id" $S >/dev/null
mkdir "$work/inbox"
"$inv" doc ubl "$id" --out "$work/inbox/ours.xml" $S >/dev/null
cp "$cen/ubl-tc434-creditnote1.xml" "$work/inbox/cen.xml"

# Our company lives in PostgreSQL.
"$inv" init $db --company "My Customer Company" --vat BE0000000295 >/dev/null
"$inv" company set --enterprise-no 0000.000.295 --city Brussel $db >/dev/null

# Purchase import into the database: both imported, the PDF kept; the same files again skipped.
"$inv" purchase import "$work/inbox" --create-supplier --json $db >"$work/import.json" ||
  fail "purchase import into a database: $(cat "$work/import.json")"
[ "$(json_field '["imported"]' <"$work/import.json")" = 2 ] || fail "not two imported: $(cat "$work/import.json")"
"$inv" purchase import "$work/inbox" --json $db >"$work/again.json"
[ "$(json_field '["skipped"]' <"$work/again.json")" = 2 ] || fail "the same files were not skipped: $(cat "$work/again.json")"
grep -q "the same file (SHA-256" "$work/again.json" || fail "the skip did not say why"

# Delivery from the database to a local accounting folder: the purchase originals go out, and
# the delivery's log and lock are kept in this machine's state folder (they went to a folder
# named after the database's URL in the working folder before).
export XDG_STATE_HOME="$work/state"
mkdir -p "$work/acc/sales" "$work/acc/purchases"
"$inv" deliver mount add '\\acc\share' "$work/acc" --local $db >/dev/null
"$inv" deliver target add acc --sales '\\acc\share\sales' --purchase '\\acc\share\purchases' $db >/dev/null
(cd "$work" && "$inv" deliver $db >"$work/deliver.out" 2>&1) || fail "deliver from a database: $(cat "$work/deliver.out")"
[ "$(ls "$work/acc/purchases" | grep -c '\.xml$')" = 2 ] || fail "the 2 purchase originals were not delivered: $(ls -R "$work/acc")"
ls "$work" | grep -q '^postgres' && fail "deliver made a folder named after the database in the working folder"
log=$(find "$work/state/xbase-invoicing/delivery" -name delivery.log)
[ -n "$log" ] && grep -q "delivered" "$log" || fail "no delivery log in the state folder"
case "$log" in *secret*|*password*) fail "the log's folder names the password: $log" ;; esac
[ "$(psql -qXtA "$base/files" -c "SELECT count(*) FROM purchimp")" = 2 ] || fail "PURCHIMP does not hold two imports"
ids=$(python3 -c 'import json,sys; print(" ".join(str(f["id"]) for f in json.load(open(sys.argv[1]))["files"]))' "$work/import.json")
for i in $ids; do
  "$inv" purchase original "$i" --xml "$work/back-$i.xml" $db >"$work/orig-$i.txt"
  grep -q "in the database" "$work/orig-$i.txt" || fail "purchase original does not say where: $(cat "$work/orig-$i.txt")"
  cmp -s "$work/back-$i.xml" "$work/inbox/ours.xml" || cmp -s "$work/back-$i.xml" "$work/inbox/cen.xml" ||
    fail "document $i's original XML differs from what was imported"
done
pdfs=0
for i in $ids; do
  if "$inv" purchase original "$i" --pdf "$work/back-$i.pdf" $db >/dev/null 2>&1; then
    head -c 5 "$work/back-$i.pdf" | grep -q "%PDF-" || fail "document $i's kept PDF is no PDF"
    pdfs=$((pdfs + 1))
  fi
done
[ "$pdfs" = 1 ] || fail "$pdfs kept PDFs, not 1 (ours has one, the CEN credit note none)"

# A layout, a logo and an import profile, set in the database.
"$inv" layout show invoice $db >"$work/invoice.ini"
sed -i 's/^margin_top = .*/margin_top = 31/' "$work/invoice.ini"
printf '[page]\nmargin_top = 200\nbogus = 1\n' >"$work/bad.ini"
if "$inv" layout set invoice "$work/bad.ini" $db 2>"$work/err"; then fail "a bad layout was taken"; fi
grep -q "bad.ini:2: \[page\] margin_top: expected a number of mm" "$work/err" || fail "the bad layout's refusal: $(cat "$work/err")"
"$inv" layout set invoice "$work/invoice.ini" $db >/dev/null
"$inv" layout show invoice $db >"$work/shown.ini"
grep -q "^margin_top = 31$" "$work/shown.ini" || fail "the layout set is not the one shown"
head -1 "$work/shown.ini" | grep -q "layouts/invoice.ini in the database" || fail "layout show does not name the file"
python3 -c 'import zlib,struct,sys
def chunk(t,d): return struct.pack(">I",len(d))+t+d+struct.pack(">I",zlib.crc32(t+d)&0xffffffff)
raw=b"".join(b"\0"+bytes([200,30,30])*8 for _ in range(8))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n"+chunk(b"IHDR",struct.pack(">IIBBBBB",8,8,8,2,0,0,0))+chunk(b"IDAT",zlib.compress(raw))+chunk(b"IEND",b""))' >"$work/logo.png"
"$inv" company set --logo "$work/logo.png" $db >/dev/null
printf 'Code;Naam\nK1;Klant Een\n' >"$work/customers.csv"
"$inv" import customers "$work/customers.csv" --map "Code=code,Naam=name" --save-profile "Oud programma" $db >/dev/null
printf 'Code;Naam\nK2;Klant Twee\n' >"$work/customers2.csv"
"$inv" import customers "$work/customers2.csv" --profile "Oud programma" $db >/dev/null ||
  fail "the profile saved in the database was not used again"
"$inv" customer list --json $db >"$work/customers.json"
grep -q "Klant Twee" "$work/customers.json" || fail "the import by profile added nothing"
# A PDF of a document in the database, with the logo from the database.
sale=$("$inv" doc new --type invoice --party K1 --json $db | json_field '["id"]')
"$inv" doc add-line "$sale" --text Werk --qty 1 --price 10 --vat-rate 21 $db >/dev/null
"$inv" doc finalize "$sale" $db >/dev/null
"$inv" doc pdf "$sale" --out "$work/sale.pdf" $db >/dev/null || fail "doc pdf in the database"
grep -aq "/Subtype */Image" "$work/sale.pdf" || fail "the PDF has no logo image"
"$inv" verify $db >/dev/null || fail "verify of the database"

# What the database holds, file by file: kind, name, SHA-256.
files_of() { psql -qXtA "$1" -c "SELECT kind, name, sha256 FROM company_file ORDER BY kind, name COLLATE \"C\""; }
files_of "$base/files" >"$work/files.txt"
[ "$(wc -l <"$work/files.txt")" = 6 ] || fail "the database holds not 6 files: $(cat "$work/files.txt")"
# The same of a data folder's files.
folder_files() {
  (cd "$1" && for k in import-profiles layouts purchases; do
    [ -d "$k" ] && find "$k" -type f ! -name '.*' | LC_ALL=C sort | while read -r f; do
      echo "$k|${f#"$k"/}|$(sha256sum "$f" | cut -d' ' -f1)"
    done
  done) | LC_ALL=C sort
}

# Database -> folder -> database: every file byte for byte.
"$inv" migrate --from "$base/files" --data "$work/folder" >"$work/m1.log"
grep -q "files (layouts" "$work/m1.log" || fail "migrate does not count the files"
folder_files "$work/folder" >"$work/folder.txt"
LC_ALL=C sort "$work/files.txt" | cmp -s - "$work/folder.txt" ||
  fail "the folder's files differ: $(diff <(LC_ALL=C sort "$work/files.txt") "$work/folder.txt" | head -5)"
"$inv" verify --data "$work/folder" >/dev/null || fail "verify of the folder"
"$inv" migrate --data "$work/folder" --to "$base/again" >/dev/null
files_of "$base/again" | cmp -s - "$work/files.txt" || fail "the files moved back differ"
"$inv" verify --db "$base/again" >/dev/null || fail "verify of the database moved back"

# A backup of the database holds them; restored into a new database and into a folder.
"$inv" backup --db "$base/again" --to "$work/backups" >/dev/null
zip=$(ls "$work"/backups/*.zip)
unzip -Z1 "$zip" >"$work/zip.txt"
for f in import-profiles/oudprogramma.profile layouts/invoice.ini layouts/logo.png; do
  grep -qx "$f" "$work/zip.txt" || fail "the backup lacks $f"
done
"$inv" restore "$zip" --db "$base/restored" >"$work/restore.log" || fail "restore: $(cat "$work/restore.log")"
grep -q "and 6 files compared equal" "$work/restore.log" || fail "the restore did not compare the files: $(cat "$work/restore.log")"
files_of "$base/restored" | cmp -s - "$work/files.txt" || fail "the restored database's files differ"
"$inv" verify --db "$base/restored" >/dev/null || fail "verify of the restored database"
"$inv" restore "$zip" --data "$work/folder2" >/dev/null
folder_files "$work/folder2" | cmp -s - "$work/folder.txt" || fail "the restored folder's files differ"
for i in $ids; do
  "$inv" purchase original "$i" --xml "$work/r-$i.xml" --db "$base/restored" >/dev/null
  cmp -s "$work/r-$i.xml" "$work/back-$i.xml" || fail "document $i's original differs after backup and restore"
done
# verify sees a kept original changed behind the program's back.
psql -qX "$base/restored" -c "UPDATE company_file SET bytes = 'changed'::bytea WHERE kind = 'purchases' AND name LIKE '%/original.xml' AND name LIKE '1/%'"
if "$inv" verify --db "$base/restored" >"$work/verify.txt"; then fail "verify passed a changed original"; fi
grep -q "is not the file imported" "$work/verify.txt" || fail "verify: $(cat "$work/verify.txt")"
# A workstation pointed at the database with `invoicing use` works in it without --db (the
# target was made a folder path and refused).
"$inv" use "$base/again" >"$work/use.txt" || fail "use of a database: $(cat "$work/use.txt")"
grep -q "now uses $base/again (" "$work/use.txt" || fail "use: $(cat "$work/use.txt")"
"$inv" company show >"$work/show.txt" 2>&1 || fail "working through the database set by use: $(cat "$work/show.txt")"
echo "company files: 2 purchases imported into a database (1 PDF), a layout, a logo and a profile; 6 files equal after database -> folder -> database and backup -> restore"
