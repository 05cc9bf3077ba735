#!/usr/bin/env bash
# Debian 12's kernel, unpacked (never installed) into OUT_DIR:
#   OUT_DIR/vmlinuz        the kernel image
#   OUT_DIR/KVER           its release, e.g. 6.1.0-56-amd64 (uname -r)
#   OUT_DIR/PACKAGE        the .deb it came from (name_version_arch.deb): the rootfs cache key
#   OUT_DIR/root/lib/modules/KVER   the module tree, with the modules.dep that depmod wrote
# The .deb is cached in CACHE_DIR under its own versioned name, so it is downloaded once per
# kernel update; the unpacked tree is reused while PACKAGE names the same .deb.
# Usage: kernel-configs/fetch-kernel.sh OUT_DIR CACHE_DIR
set -euo pipefail

# linux-image-amd64 is the meta package; the versioned package it depends on carries the ABI
# number (linux-image-6.1.0-NN-amd64), which changes with every security update.
kernel_package() {
  apt-cache depends linux-image-amd64 |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

candidate_version() {
  apt-cache policy "$1" | awk '$1 == "Candidate:" { print $2 }'
}

# Downloads PACKAGE=VERSION into CACHE_DIR. apt's sandbox user could not write to root's cache.
download() {
  (cd "$3" && apt-get download -q -o APT::Sandbox::User=root "$1=$2" >/dev/null)
}

# The cached .deb of PACKAGE's candidate version, downloaded if missing. Stale package lists
# name a version the archive has dropped: refresh them once and ask again.
cached_deb() {
  local pkg=$1 cache=$2 version
  version=$(candidate_version "$pkg")
  # A .deb's file name escapes an epoch's ':' as %3a; Debian's kernels have none.
  if [[ ! -f "$cache/${pkg}_${version}_amd64.deb" ]] && ! download "$pkg" "$version" "$cache"; then
    echo "fetch-kernel: download failed; refreshing the package lists" >&2
    apt-get update -qq
    version=$(candidate_version "$pkg")
    [[ -f "$cache/${pkg}_${version}_amd64.deb" ]] || download "$pkg" "$version" "$cache"
  fi
  echo "$cache/${pkg}_${version}_amd64.deb"
}

# Unpacks DEB into OUT_DIR and indexes its modules (the .deb ships no modules.dep: the
# package's postinst runs depmod, and we never install it).
unpack() {
  local deb=$1 out=$2 kver
  rm -rf "$out/root"
  mkdir -p "$out/root"
  dpkg -x "$deb" "$out/root"
  kver=$(basename "$(ls -d "$out"/root/lib/modules/*/)")
  depmod -b "$out/root" "$kver"
  cp "$out/root/boot/vmlinuz-$kver" "$out/vmlinuz"
  echo "$kver" >"$out/KVER"
  basename "$deb" >"$out/PACKAGE"
}

main() {
  local out=$1 cache=$2 pkg deb
  mkdir -p "$out" "$cache"
  pkg=$(kernel_package)
  # A machine whose package lists were never fetched knows no linux-image-amd64 yet.
  [[ -n "$pkg" ]] || { apt-get update -qq; pkg=$(kernel_package); }
  [[ -n "$pkg" ]] || { echo "fetch-kernel: linux-image-amd64 names no kernel package" >&2; exit 1; }
  deb=$(cached_deb "$pkg" "$cache")
  if [[ "$(cat "$out/PACKAGE" 2>/dev/null)" != "$(basename "$deb")" || ! -f "$out/vmlinuz" ]]; then
    unpack "$deb" "$out"
  fi
  echo "kernel: $(cat "$out/KVER") from $(cat "$out/PACKAGE")"
}

main "$@"
