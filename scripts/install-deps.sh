#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need; does nothing when they are
# all present already (so it is fast on a prepared machine).
set -euo pipefail
packages=(
  build-essential cmake ninja-build clang libclang-rt-14-dev ccache
  libicu-dev libfmt-dev catch2 libbenchmark-dev libboost-dev libsqlite3-dev
  nlohmann-json3-dev libsodium-dev  # backups (app/backup: manifest, SHA-256)
  libpq-dev postgresql-15  # the store on PostgreSQL (app/store/postgres) and its tests (tests/app/postgres)
  pgdbf  # the cross-check of xbase export (tests/tools/export_postgres_test.sh)
  python3 python3-dbf python3-dbfread
  pkg-config libexpat1-dev libfreexl-dev  # the import readers (app/import; libzip below)
  python3-xlwt  # XLS written by another program (tests/import; openpyxl below)
  samba smbclient python3-impacket  # the SMB lab tests (tests/smb)
  qemu-system-x86 linux-image-amd64 busybox-static kmod cpio  # its cifs workstation guest
  g++-mingw-w64-x86-64-posix  # the Windows build (cmake/mingw-w64.cmake, build/windows)
  libz-mingw-w64-dev  # zlib for the Windows build's libzip (scripts/windows_libraries.sh)
  autoconf automake libtool  # Debian's libsodium tarball has no configure (scripts/windows_libraries.sh)
  wine64  # runs the Windows build's tests (ctest -L windows, tests/windows)
  # app/outputs: PDF (cairo, pango, a font, QR codes, JPEG logos), UBL, ZIP, XLSX
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libqrencode-dev libturbojpeg0-dev
  libpugixml-dev libzip-dev libxlsxwriter-dev  # (pugixml: also camt.053 statements, app/bank)
  # tests/outputs: read PDFs and QR codes back, open the XLSX, the e-invoice validation kit
  poppler-utils zbar-tools python3-openpyxl unzip
  libsaxonhe-java libxml2-utils default-jre-headless
  # signed licences (app/licence), xbase doctor's report read by `invoicing setup` (app/cli)
  libsodium-dev nlohmann-json3-dev
  # the Debian package: man pages from --help, dependencies by dpkg-shlibdeps, the clean
  # Debian 12 of tests/packaging
  help2man dpkg-dev debootstrap
  # the web front end's tests (tests/web): a real headless Chromium driven by playwright-core
  # (npm), requests with chosen headers (curl)
  chromium nodejs curl
  strace linux-perf  # bench/syscalls.sh (system calls per business action), profiling (issue 30)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm comes with Debian's package, or inside a NodeSource nodejs (which conflicts with it).
command -v npm >/dev/null || dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q "install ok installed" ||
  missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
