#!/usr/bin/env bash
# Builds the static libraries Debian 12 does not ship as .a (libblkid + libmount, libdevmapper,
# libcryptsetup, libcurl on mbedTLS, libqrencode) from Debian's own source packages into a sysroot,
# and cpp-httplib's header (Debian builds it as a shared library; upstream it is header-only).
#
# Usage: toolchain/build-sysroot.sh SRC_DIR SYSROOT
#   SRC_DIR  where `apt-get source` unpacks (inside the build tree)
#   SYSROOT  install prefix; written to SYSROOT.tmp and renamed at the end, so a sysroot that
#            exists is always complete.
set -euo pipefail

src=$(realpath -m "$1")
sysroot=$(realpath -m "$2")
stage=$sysroot.tmp
jobs=$(nproc)

export CFLAGS="-O2 -g0 -fPIC -ffunction-sections -fdata-sections"
export CPPFLAGS="-I$stage/include"
export LDFLAGS="-L$stage/lib"
export PKG_CONFIG_PATH=$stage/lib/pkgconfig
export PKG_CONFIG_LIBDIR=$stage/lib/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig

log() { printf 'build-sysroot: %s\n' "$*" >&2; }

# Unpacks a Debian source package (patches applied) and prints its directory.
unpack() {
  local pkg=$1 dir
  mkdir -p "$src"
  dir=$(find "$src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n1)
  if [[ -z $dir ]]; then
    (cd "$src" && apt-get source -q "$pkg" >/dev/null 2>&1) ||
      { log "apt-get source $pkg failed (is a deb-src line for bookworm configured?)"; exit 1; }
    dir=$(find "$src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n1)
  fi
  echo "$dir"
}

# Debian's patches touch configure.ac and Makefile.am; the release tarball's generated files are
# good for what we build, so make them newer than their inputs instead of re-running autotools.
freeze_autotools() {
  find "$1" -name aclocal.m4 -exec touch {} +
  sleep 1; find "$1" -name configure -exec touch {} +
  sleep 1; find "$1" \( -name Makefile.in -o -name 'config.h.in' -o -name '*.h.in' \) -exec touch {} +
}

build_util_linux() {
  local d; d=$(unpack util-linux)
  log "util-linux (libblkid, libmount) from $d"
  freeze_autotools "$d"
  (cd "$d" && ./configure -q --prefix="$stage" --disable-all-programs \
      --enable-libblkid --enable-libmount --disable-shared --enable-static \
      --disable-nls --disable-bash-completion --disable-asciidoc --disable-makeinstall-chown \
      --without-udev --without-selinux --without-systemd --without-econf --without-python \
      --without-readline --without-ncursesw --without-tinfo --without-cap-ng --without-libz \
      --without-user --without-btrfs --without-smack --without-audit --without-utempter \
      --without-libmagic --without-cryptsetup &&
    make -s -j"$jobs" && make -s install) >"$src/util-linux.log" 2>&1 ||
    { tail -30 "$src/util-linux.log"; exit 1; }
}

build_devmapper() {
  local d; d=$(unpack lvm2)
  log "lvm2 (libdevmapper) from $d"
  (cd "$d" && ./configure -q --prefix="$stage" --enable-static_link \
      --disable-udev_sync --disable-udev_rules --disable-selinux --disable-readline \
      --disable-blkid_wiping --disable-dmeventd --disable-cmdlib --disable-nls \
      --with-default-dm-run-dir=/run --with-default-run-dir=/run/lvm --with-default-locking-dir=/run/lock/lvm &&
    make -s -C libdm -j"$jobs" && make -s -C libdm install_static install_include install_pkgconfig) \
    >"$src/lvm2.log" 2>&1 || { tail -30 "$src/lvm2.log"; exit 1; }
}

build_cryptsetup() {
  local d; d=$(unpack cryptsetup)
  log "cryptsetup (libcryptsetup) from $d"
  (cd "$d" && ./autogen.sh && ./configure -q --prefix="$stage" --disable-shared --enable-static \
      --disable-cryptsetup --disable-veritysetup --disable-integritysetup --disable-ssh-token \
      --disable-external-tokens --disable-udev --disable-selinux --disable-nls --disable-asciidoc \
      --with-crypto_backend=gcrypt --enable-internal-sse-argon2 --disable-static-cryptsetup &&
    make -s -j"$jobs" && make -s install) >"$src/cryptsetup.log" 2>&1 ||
    { tail -30 "$src/cryptsetup.log"; exit 1; }
  # Its bundled Argon2 and libsodium's (Debian's static archive, pulled in by sodium_init) both
  # define the reference code's global names: ours are renamed so both link into one binary.
  local names=(argon2_ctx argon2_hash argon2_verify argon2i_hash_encoded argon2i_hash_raw argon2i_verify
               argon2id_hash_encoded argon2id_hash_raw argon2id_verify blake2b_long decode_string
               encode_string fill_first_blocks fill_memory_blocks finalize initial_hash initialize
               validate_inputs)
  objcopy --redefine-syms=<(for n in "${names[@]}"; do echo "$n cryptsetup_$n"; done) "$stage/lib/libcryptsetup.a"
}

build_curl() {
  local d; d=$(unpack curl)
  log "curl (libcurl on mbedTLS) from $d"
  # Debian's last two patches rename the library for its gnutls and nss flavours: undo them.
  if [[ ! -e $d/.maculaos-unrenamed ]]; then
    (cd "$d" && patch -s -R -p1 <debian/patches/99_nss.patch && patch -s -R -p1 <debian/patches/90_gnutls.patch)
    touch "$d/.maculaos-unrenamed"
  fi
  freeze_autotools "$d"
  (cd "$d" && ./configure -q --prefix="$stage" --disable-shared --enable-static \
      --with-mbedtls --without-openssl --without-gnutls --without-ca-path --without-ca-bundle \
      --with-ca-fallback=no --disable-manual --disable-docs --disable-ldap --disable-ldaps --disable-rtsp \
      --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb \
      --disable-smtp --disable-gopher --disable-mqtt --disable-ftp --disable-file --disable-ntlm \
      --without-libpsl --without-libidn2 --without-nghttp2 --without-nghttp3 --without-ngtcp2 \
      --without-brotli --without-zstd --without-zlib --without-libssh --without-libssh2 \
      --without-gssapi --without-librtmp --disable-alt-svc --disable-hsts &&
    make -s -C lib -j"$jobs" && make -s -C lib install && make -s -C include install &&
    make -s install-pkgconfigDATA) >"$src/curl.log" 2>&1 || { tail -30 "$src/curl.log"; exit 1; }
}

# Debian's own source package when the archive has all of it; otherwise (the mirror this is built
# behind lacks qrencode's debian.tar.xz) the package's upstream tarball, checked against the
# SHA-256 its .dsc gives.
unpack_orig() {
  local pkg=$1 dir orig sum
  dir=$(find "$src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n1)
  [[ -n $dir ]] && { echo "$dir"; return; }
  (cd "$src" && apt-get source -q "$pkg" >/dev/null 2>&1) || true
  dir=$(find "$src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n1)
  [[ -n $dir ]] && { echo "$dir"; return; }
  orig=$(cd "$src" && ls "$pkg"_*.orig.tar.* 2>/dev/null | head -n1)
  [[ -n $orig ]] || { log "apt-get source $pkg fetched no upstream tarball"; exit 1; }
  sum=$(awk -v f="$orig" '/^Checksums-Sha256:/{on=1;next} /^[^ ]/{on=0} on && $3==f {print $1}' "$src/$pkg"_*.dsc)
  (cd "$src" && echo "$sum  $orig" | sha256sum -c --quiet -) || { log "$orig does not match its .dsc"; exit 1; }
  tar -xf "$src/$orig" -C "$src"
  find "$src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n1
}

build_qrencode() {
  local d; d=$(unpack_orig qrencode)
  log "qrencode (libqrencode) from $d"
  freeze_autotools "$d"
  (cd "$d" && ./configure -q --prefix="$stage" --disable-shared --enable-static --without-tools &&
    make -s -j"$jobs" && make -s install) >"$src/qrencode.log" 2>&1 || { tail -30 "$src/qrencode.log"; exit 1; }
}

# The pairing service's HTTP server: the source package's single header, used as upstream ships it.
install_httplib() {
  local d; d=$(unpack_orig cpp-httplib)
  log "cpp-httplib (httplib.h) from $d"
  install -D -m 0644 "$d/httplib.h" "$stage/include/httplib.h"
}

rm -rf "$stage"
mkdir -p "$stage"
build_util_linux
build_devmapper
build_cryptsetup
build_curl
build_qrencode
install_httplib
# libtool archives and pkg-config files carry the staging path: drop the former, fix the latter.
find "$stage" -name '*.la' -delete
sed -i "s|$stage|$sysroot|g" "$stage"/lib/pkgconfig/*.pc
rm -rf "$stage"/share "$stage"/sbin "$stage"/bin
rm -rf "$sysroot"
mv "$stage" "$sysroot"
log "sysroot ready: $sysroot"
