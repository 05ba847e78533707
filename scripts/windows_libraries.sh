#!/usr/bin/env bash
# Builds the libraries invoicing.exe needs that Debian packages only for the host: libsodium
# (licences, backup hashes), pugixml (camt.053 bank statements) and libzip (backups; zlib is
# Debian's libz-mingw-w64-dev), each from Debian's own source tarball, static, for mingw-w64.
#
#   scripts/windows_libraries.sh BUILD_DIR TOOLCHAIN_FILE
#
# Installs into BUILD_DIR/third-party/install; a library whose stamp (its tarball's sha256)
# is there already is not built again. Run by cmake/windows_libraries.cmake at configure time.
set -euo pipefail
build_dir=$1
toolchain=$2
root="$build_dir/third-party"
prefix="$root/install"
mkdir -p "$root/downloads" "$root/src" "$prefix"

host=x86_64-w64-mingw32
cc="$host-gcc-posix"
launcher=()
if command -v ccache >/dev/null; then launcher=(ccache); fi
jobs=$(nproc)

# name, URL (Debian's pool: the tarball of the bookworm source package), sha256 (from its .dsc)
libraries=(
  "libsodium http://deb.debian.org/debian/pool/main/libs/libsodium/libsodium_1.0.18.orig.tar.gz d59323c6b712a1519a5daf710b68f5e7fde57040845ffec53850911f10a5d4f4"
  "pugixml http://deb.debian.org/debian/pool/main/p/pugixml/pugixml_1.13.orig.tar.gz 5c5ad5d7caeb791420408042a7d88c2c6180781bf218feca259fd9d840a888e1"
  "libzip http://deb.debian.org/debian/pool/main/libz/libzip/libzip_1.7.3.orig.tar.xz a60473ffdb7b4260c08bfa19c2ccea0438edac11193c3afbbb1f17fbcf6c6132"
)

fetch() {  # name url sha256 -> unpacked source folder on stdout
  local name=$1 url=$2 sha=$3
  local file="$root/downloads/$(basename "$url")"
  if [ ! -f "$file" ] || ! echo "$sha  $file" | sha256sum -c --quiet - 2>/dev/null; then
    curl -fsSL --retry 3 -o "$file.part" "$url"
    if ! echo "$sha  $file.part" | sha256sum -c --quiet -; then
      echo "windows_libraries: $url does not have the sha256 $sha" >&2
      rm -f "$file.part"
      exit 1
    fi
    mv "$file.part" "$file"
  fi
  rm -rf "$root/src/$name"
  mkdir -p "$root/src/$name"
  tar -xf "$file" -C "$root/src/$name" --strip-components=1
  echo "$root/src/$name"
}

cmake_build() {  # source folder, then extra -D options
  local src=$1
  shift
  cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_COMPILER_LAUNCHER="${launcher[*]:-}" \
    -DCMAKE_CXX_COMPILER_LAUNCHER="${launcher[*]:-}" "$@" >"$src/configure.log" 2>&1 ||
    { tail -30 "$src/configure.log"; exit 1; }
  cmake --build "$src/build" -j "$jobs" >"$src/build.log" 2>&1 || { tail -30 "$src/build.log"; exit 1; }
  cmake --install "$src/build" >/dev/null
}

for entry in "${libraries[@]}"; do
  read -r name url sha <<<"$entry"
  stamp="$prefix/.$name.sha256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sha" ]; then continue; fi
  echo "windows_libraries: building $name from $(basename "$url")"
  src=$(fetch "$name" "$url" "$sha")
  case "$name" in
    libsodium)
      # autotools; the whole library (crypto_sign for licences, crypto_hash_sha256 for backups)
      # (Debian's tarball is the release tag's tree: configure is made here by autogen.sh.)
      (cd "$src" && ./autogen.sh -s >autogen.log 2>&1 && CC="${launcher[*]:+${launcher[*]} }$cc" ./configure --host="$host" --prefix="$prefix" \
        --disable-shared --enable-static --disable-dependency-tracking >configure.log 2>&1 &&
        make -j "$jobs" >build.log 2>&1 && make install >/dev/null 2>&1) ||
        { tail -30 "$src"/*.log; exit 1; }
      ;;
    pugixml)
      cmake_build "$src" -DPUGIXML_BUILD_TESTS=OFF
      ;;
    libzip)
      # Only deflate (zlib): backups need neither bzip2/xz nor encryption; no tools, tests, docs.
      cmake_build "$src" -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF -DENABLE_COMMONCRYPTO=OFF \
        -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF -DENABLE_WINDOWS_CRYPTO=OFF \
        -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF
      ;;
  esac
  rm -rf "$src"
  echo "$sha" >"$stamp"
done
