#!/usr/bin/env bash
# The Debian package in a clean Debian 12 (issue 25's acceptance): the package is built from the
# `package` configuration (no tests, no test licences; a build with test licences is refused by
# cpack), installed with dpkg into a minimal bookworm made by debootstrap (its tarball, and one
# with the package's dependencies added, cached under the build folder so that reruns take
# seconds), then: both programs and their man pages, the systemd unit and timer, `invoicing
# demo`, `invoicing setup server`, a test licence refused by the packaged program; `dpkg -r`
# leaves nothing but the conffile /etc/default/invoicing, `dpkg -P` not even that.
# Usage: deb_install_test.sh SOURCE_DIR CACHE_DIR TEST_BUILD_DIR LICENCE_ISSUER TEST_SECRET_KEY
#        [PACKAGE_BUILD_DIR (default CACHE_DIR/package-build)]
#        deb_install_test.sh --bootstrap CACHE_DIR: only the cached minbase tarball (scripts/test.sh
#        makes it in the background while the release build compiles: it is network and disk bound).
# Needs root, debootstrap, dpkg-dev, help2man and the network to deb.debian.org (the first
# time). Exit 77 (skipped) when they are missing outside CI; in CI that is a failure.
set -euo pipefail
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
skip() { echo "skipped: $*"; [ "${CI:-}" = true ] && exit 1 || exit 77; }
# bootstrap_base TARBALL: a minimal bookworm, made once.
bootstrap_base() {
  [ -f "$1" ] && return 0
  echo "debootstrap bookworm (once; cached in $1)"
  local boot out
  boot=$(mktemp -d /tmp/invoicing-boot.XXXXXX)
  out=$boot.log
  debootstrap --variant=minbase bookworm "$boot" "$mirror" > "$out" 2>&1 ||
    { tail -5 "$out"; rm -rf "$boot" "$out"; skip "debootstrap could not reach $mirror"; }
  tar -C "$boot" -czf "$1.tmp" . && mv "$1.tmp" "$1"
  rm -rf "$boot" "$out"
}
if [ "${1:-}" = --bootstrap ]; then
  # Without root or debootstrap the test itself says what is missing.
  [ "$(id -u)" = 0 ] && command -v debootstrap >/dev/null || exit 0
  mkdir -p "$2"
  bootstrap_base "$2/bookworm-minbase.tar.gz"
  exit 0
fi
src=$1 cache=$2 test_build=$3 issuer=$4 key=$5 build=${6:-$2/package-build}
missing=""
[ "$(id -u)" = 0 ] || missing+=" (root)"
for p in debootstrap dpkg-shlibdeps help2man cpack chroot; do command -v $p >/dev/null || missing+=" $p"; done
[ -z "$missing" ] || skip "missing:$missing (scripts/install-deps.sh installs the packages)"

mkdir -p "$cache"
work=$(mktemp -d /tmp/invoicing-deb.XXXXXX)
root=$work/root
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/out" ] && tail -30 "$work/out"; exit 1; }
ok() { echo "ok: $*"; }
# in_root CMD...: runs in the chroot with a clean environment, output in $work/out.
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp/home LANG=C.UTF-8 "$@" > "$work/out" 2>&1; }
said() { grep -qF -- "$1" "$work/out" || fail "did not say: $1"; }

# 1. The package, and the refusal of a test build.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DXBASE_BUILD_TESTS=OFF -DXBASE_BUILD_BENCH=OFF \
  -DINVOICING_TEST_LICENCES=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON > "$work/out" 2>&1 || fail "configure"
cmake --build "$build" -j2 --target invoicing xbase manpages > "$work/out" 2>&1 || fail "build"
rm -f "$build"/invoicing_*.deb
(cd "$build" && cpack -G DEB > "$work/out" 2>&1) || fail "cpack"
deb=$(ls "$build"/invoicing_*.deb)
ok "built $(basename "$deb") ($(dpkg-deb -f "$deb" Depends))"
if (cd "$test_build" && cpack -G DEB -B "$work/refused" > "$work/out" 2>&1); then
  fail "cpack packaged a build that accepts test licences"
fi
said "accepts test licences"
ok "cpack refuses a build with INVOICING_TEST_LICENCES on"

# 2. A clean Debian 12, cached: minbase, then minbase + the package's dependencies.
base=$cache/bookworm-minbase.tar.gz
bootstrap_base "$base"
depends=$(dpkg-deb -f "$deb" Depends)
names=$(echo "$depends" | sed 's/([^)]*)//g; s/|[^,]*//g; s/,/ /g')
with_deps=$cache/bookworm-deps-$(echo "$depends" | sha256sum | cut -c1-12).tar.gz
mkdir -p "$root"
if [ -f "$with_deps" ]; then
  tar -C "$root" -xzf "$with_deps"
else
  tar -C "$root" -xzf "$base"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" apt-get update > "$work/out" 2>&1 || skip "apt-get update in the chroot could not reach the mirror"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $names \
    > "$work/out" 2>&1 || fail "installing the dependencies: $names"
  chroot "$root" apt-get clean
  tar -C "$root" -czf "$with_deps.tmp" . && mv "$with_deps.tmp" "$with_deps"
fi
mount -t proc proc "$root/proc"
mkdir -p "$root/tmp/home"
snapshot() {  # every path outside the scratch and bookkeeping folders
  chroot "$root" find / \( -path /proc -o -path /tmp -o -path /dev -o -path /run -o -path /var/lib/dpkg \
    -o -path /var/log -o -path /var/cache \) -prune -o -print | sort
}
snapshot > "$work/before"

# 3. Installed.
cp "$deb" "$root/tmp/invoicing.deb"
in_root dpkg -i /tmp/invoicing.deb || fail "dpkg -i"
ok "dpkg -i installs it with the dependencies $names"
version=$(dpkg-deb -f "$deb" Version)
in_root invoicing --version || fail "invoicing --version"
said "invoicing $version"
in_root xbase --version || fail "xbase --version"
said "xbase $version"
for f in /usr/share/man/man1/invoicing.1.gz /usr/share/man/man1/xbase.1.gz /lib/systemd/system/invoicing-backup@.service \
         /lib/systemd/system/invoicing-backup@.timer /lib/systemd/system/invoicing-deliver@.service /etc/default/invoicing; do
  [ -f "$root$f" ] || fail "$f is not installed"
done
zcat "$root/usr/share/man/man1/invoicing.1.gz" | grep -q "licence install" || fail "the man page is not the --help text"
grep -q "ExecStart=/usr/bin/invoicing backup --auto" "$root/lib/systemd/system/invoicing-backup@.service" ||
  fail "the backup unit does not run invoicing backup --auto"
grep -q "ExecStart=/usr/bin/invoicing deliver --watch" "$root/lib/systemd/system/invoicing-deliver@.service" ||
  fail "the delivery unit does not run invoicing deliver --watch"
ok "programs, man pages, the backup unit and timer, the delivery unit, /etc/default/invoicing"

in_root sh -c 'cd /tmp && invoicing demo --data /tmp/demo --workstations 2 --docs 20' || fail "invoicing demo"
said "verify: numbers gap-free"
ok "invoicing demo runs from the package"
in_root invoicing version --json || fail "invoicing version"
said '"test_licences":false'
"$issuer" issue --key "$key" --licensee "Bakkerij Peeters" --vat BE0431115213 --edition full \
  --updates-until 2099-12-31 --out "$root/tmp/test.lic" 2>/dev/null
if in_root invoicing init /tmp/firma --licence /tmp/test.lic; then fail "the packaged program accepted a test licence"; fi
said "test licences are accepted only by test builds"
ok "the packaged program refuses a licence signed with the test key"
in_root invoicing setup server /tmp/srv/data --company "Bakkerij Peeters" || fail "invoicing setup server"
said "created the data folder /tmp/srv/data"
[ -f "$root/tmp/srv/data.smb.conf" ] || fail "no Samba settings written"
ok "invoicing setup server runs the installed xbase doctor and writes the Samba settings"

# 4. Removed: nothing left but the conffile; purged: not even that.
in_root dpkg -r invoicing || fail "dpkg -r"
snapshot > "$work/after"
left=$(comm -13 "$work/before" "$work/after")
gone=$(comm -23 "$work/before" "$work/after")
[ -z "$gone" ] || fail "removing took away: $gone"
[ "$left" = "/etc/default/invoicing" ] || fail "dpkg -r left: $left"
ok "dpkg -r leaves only the conffile /etc/default/invoicing"
in_root dpkg -P invoicing || fail "dpkg -P"
snapshot > "$work/after"
cmp -s "$work/before" "$work/after" || fail "dpkg -P left: $(comm -13 "$work/before" "$work/after")"
ok "dpkg -P leaves nothing"
echo "all packaging checks passed"
