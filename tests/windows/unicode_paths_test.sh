#!/usr/bin/env bash
# A data folder named `Łódź Café Zoë` (in no ANSI codepage: on Windows only the wide-character
# APIs reach it) given to xbase.exe and invoicing.exe under Wine as a drive-letter path with
# backslashes (Z:\...), with slashes (Z:/...), as a UNC path (\\server\share\...) and as a
# \\?\UNC\ path: `invoicing.exe demo` makes the company there and starts its workstation
# process with the folder on its command line; `work` finalizes documents through the UNC
# path; xbase.exe checks, describes and dumps a table in it (the same rows the Linux xbase
# dumps); `invoicing.exe use` keeps it in local.ini; a backup goes into and is restored into
# folders with such names; the Linux invoicing verifies the folder and the restored one.
# UNC paths: Wine resolves \\SERVER\SHARE through the prefix's dosdevices/unc/SERVER/SHARE
# link, so the test links a share to its own temporary folder (no SMB server is involved).
# Usage: unicode_paths_test.sh WINEPREFIX XBASE.EXE INVOICING.EXE LINUX_XBASE LINUX_INVOICING
# Exit 77 (skipped) when the Linux programs are not built.
set -euo pipefail
prefix=$1 xbase_exe=$2 invoicing_exe=$3 linux_xbase=$4 linux_invoicing=$5
here=$(cd "$(dirname "$0")" && pwd)
for p in "$linux_xbase" "$linux_invoicing"; do
  [ -x "$p" ] || { echo "no Linux program at $p (build the release preset first)"; exit 77; }
done
work=$(mktemp -d)
share="unc-test-$$"
unc_link="$prefix/dosdevices/unc/fileserver/$share"
trap 'rm -rf "$work" "$unc_link"' EXIT
xbase() { bash "$here/wine_run.sh" "$prefix" "$xbase_exe" "$@"; }
invoicing() { bash "$here/wine_run.sh" "$prefix" "$invoicing_exe" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
export INVOICING_TODAY=2026-06-15

name='Łódź Café Zoë'
dir="$work/$name"
backslashes() { printf '%s' "${1//\//\\}"; }
drive_dir="Z:$(backslashes "$dir")"          # Z:\tmp\tmp.X\Łódź Café Zoë
slash_dir="Z:$dir"                            # Z:/tmp/tmp.X/Łódź Café Zoë
unc_dir="\\\\fileserver\\$share\\$name"      # \\fileserver\unc-test-N\Łódź Café Zoë
long_unc_dir="\\\\?\\UNC\\fileserver\\$share\\$name"
mkdir -p "$(dirname "$unc_link")"
ln -s "$work" "$unc_link"

# The company, made under Wine; its workstation process gets the folder on its command line.
out=$(invoicing demo --data "$drive_dir" --workstations 1 --docs 3 2>&1) || fail "invoicing.exe demo: $out"
echo "$out"
echo "$out" | grep -qF "demo company in $drive_dir" || fail "demo does not name the folder as given"
echo "$out" | grep -q "^PC-1: 3 documents" || fail "the workstation process made no documents in $name"
echo "$out" | grep -q "^verify: numbers gap-free" || fail "demo's verify"
[ -f "$dir/DOC.DBF" ] || fail "no DOC.DBF in $dir: $(ls "$work")"

# Documents finalized through the UNC path (each a transaction: its journal and locks in the
# folder as \\server\share names it).
out=$(invoicing work --data "$unc_dir" --user unc --workstation UNC-1 --docs 3 --seed 7 2>&1) ||
  fail "invoicing.exe work --data $unc_dir: $out"
echo "$out" | grep -q "^UNC-1: 3 documents" || fail "invoicing.exe work --data $unc_dir: $out"

# The same folder through each form of path: invoicing.exe verify and xbase.exe check.
for form in "$slash_dir" "$unc_dir" "$long_unc_dir"; do
  out=$(invoicing verify --data "$form" 2>&1) || fail "invoicing.exe verify --data $form: $out"
  echo "$out" | grep -q "^ok: numbers gap-free" || fail "invoicing.exe verify --data $form: $out"
done
out=$(xbase check "$unc_dir" 2>&1) || fail "xbase.exe check $unc_dir: $out"
echo "$out" | grep -q "tables checked: 0 with problems" || fail "xbase.exe check $unc_dir: $out"
out=$(xbase info "$drive_dir\\DOC.DBF" 2>&1) || fail "xbase.exe info: $out"
echo "$out" | grep -qF "file:         $drive_dir\\DOC.DBF" || fail "xbase.exe info: $out"
w=$(xbase dump "$unc_dir\\DOC.DBF" | md5sum)
l=$("$linux_xbase" dump "$dir/DOC.DBF" | md5sum)
[ "$w" = "$l" ] || fail "xbase.exe dump through $unc_dir differs from the Linux xbase"

# Kept as this workstation's data folder (local.ini under %APPDATA%, UTF-8) and opened from
# there by verify without --data.
out=$(invoicing use "$unc_dir") || fail "invoicing.exe use $unc_dir: $out"
echo "$out" | grep -qF "this workstation now uses $unc_dir" || fail "invoicing.exe use: $out"
out=$(invoicing verify 2>&1) || fail "invoicing.exe verify of the folder in local.ini: $out"
echo "$out" | grep -q "^ok: numbers gap-free" || fail "invoicing.exe verify of the folder in local.ini: $out"

# A backup into a folder named alike, restored under Wine into another; Linux verifies both.
out=$(invoicing backup --data "$unc_dir" --to "Z:$work/Kopie Łódź" 2>&1) || fail "invoicing.exe backup: $out"
zip=$(ls "$work/Kopie Łódź"/*.zip | head -1)
[ -f "$zip" ] || fail "invoicing.exe backup wrote no ZIP: $out"
out=$(invoicing restore "Z:$(backslashes "$zip")" --data "$drive_dir (Zoë restored)" 2>&1) ||
  fail "invoicing.exe restore: $out"
for d in "$dir" "$dir (Zoë restored)"; do
  out=$("$linux_invoicing" verify --data "$d") || fail "the Linux invoicing verify of $d: $out"
  echo "$out" | grep -q "^ok: numbers gap-free" || fail "the Linux invoicing verify of $d: $out"
done
echo "a data folder named $name works under Wine through Z:\\, Z:/, \\\\server\\share and \\\\?\\UNC paths"
