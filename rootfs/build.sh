#!/usr/bin/env bash
# Builds MaculaOS's root file system (the squashfs the live system and the A/B slots mount
# read-only). What it takes and what it makes: usage() below, or rootfs/build.sh --help.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cache=${CACHE:-$HOME/.cache/maculaos}
suite=bookworm
sources=(
  "deb http://deb.debian.org/debian $suite main"
  "deb http://deb.debian.org/debian $suite-updates main"
  "deb http://deb.debian.org/debian-security $suite-security main"
)

usage() {
  cat <<'USAGE'
Builds MaculaOS's root file system, a squashfs the live system and the installed A/B slots
mount read-only: Debian 12 minbase with OpenRC, the packages of packages-<flavour>.txt, the
files of overlay/, customize.sh's changes, and the kernel's
modules (the same kernel as the initramfs).

Usage: PUBLIC_KEYS="A.pub.pem ..." NAMES_EXPORT=build/release/names_export \
         rootfs/build.sh lite|full OUT.squashfs [KERNEL_DIR]
  KERNEL_DIR: what kernel-configs/fetch-kernel.sh made (default: build/kernel)
  NAMES_EXPORT: the built names_export (make build): the names table's names.sh for the
    image's scripts, and its values for the placeholders of the overlay's other files
  PUBLIC_KEYS: the release-signing public keys (PEM) the image trusts, space-separated;
    each goes to /etc/maculaos/keys/<its file name>

The squashfs is cached in ${CACHE:-~/.cache/maculaos} under a hash of everything it is made
from (the files in rootfs/, VERSION, the kernel package, the public keys' contents, the names
table), so an
unchanged recipe is not built twice. Packages are fetched from the Debian archive at build
time: to pick up newer ones with an unchanged recipe, delete the cached rootfs-*.squashfs.
USAGE
}

# The flavour's packages, comma-separated: full is lite plus packages-full.txt.
packages() {
  local flavour=$1 lists=("$here/packages-lite.txt")
  [[ "$flavour" == full ]] && lists+=("$here/packages-full.txt")
  sed -e 's/#.*//' "${lists[@]}" | tr -s ' \t' '\n' | grep -v '^$' | paste -sd, -
}

# The public keys of PUBLIC_KEYS, checked: absolute paths in KEYS (an array), one per file name.
# A file holding a private key is refused: it would be published in every image.
public_keys() {
  local file names=" "
  [[ -n "${PUBLIC_KEYS:-}" && -n "${PUBLIC_KEYS// }" ]] || {
    echo "rootfs: PUBLIC_KEYS is not set: name the release-signing public keys (PEM files) the image trusts" >&2
    exit 1
  }
  keys=()
  for file in $PUBLIC_KEYS; do
    [[ -f "$file" && -r "$file" ]] || { echo "rootfs: PUBLIC_KEYS: $file: no such file" >&2; exit 1; }
    if grep -q 'PRIVATE KEY' "$file" || ! grep -q -- '-----BEGIN PUBLIC KEY-----' "$file"; then
      echo "rootfs: PUBLIC_KEYS: $file: not a PEM public key (BEGIN PUBLIC KEY)" >&2
      exit 1
    fi
    [[ "$names" != *" $(basename "$file") "* ]] ||
      { echo "rootfs: PUBLIC_KEYS: two keys named $(basename "$file")" >&2; exit 1; }
    names+="$(basename "$file") "
    keys+=("$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
  done
}

recipe_key() {
  local flavour=$1 kernel=$2 key
  {
    echo "$flavour"
    cat "$repo/VERSION" "$kernel/PACKAGE"
    "$NAMES_EXPORT" shell -
    # the trusted keys by name and content (their order does not matter)
    for key in "${keys[@]}"; do
      echo "key $(basename "$key") $(sha256sum <"$key" | cut -c1-64)"
    done | LC_ALL=C sort
    (cd "$here" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    (cd "$here" && find . -type l -printf "%p -> %l\n" | LC_ALL=C sort)
    # git keeps only the executable bit; the services in overlay/ need it
    (cd "$here" && find . -type f -perm -u+x | LC_ALL=C sort)
  } | sha256sum | cut -c1-16
}

# Runs mmdebstrap into the empty directory ROOT. The merged-usr hook links /bin, /sbin, /lib
# to /usr without the usrmerge package (which would pull in perl). dpkg leaves out docs,
# man pages and translations of every package it unpacks.
bootstrap() {
  local flavour=$1 root=$2 kernel=$3 keydir=$4
  local hooks=(--customize-hook="sync-in '$here/overlay' /")
  hooks+=(--customize-hook="'$here/customize.sh' \"\$1\" $flavour $(cat "$repo/VERSION") '$kernel' '$keydir' '$NAMES_EXPORT'")
  mmdebstrap --quiet --mode=root --variant=minbase \
    --include="$(packages "$flavour")" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "${hooks[@]}" \
    "$suite" "$root" "${sources[@]}"
}

# Builds the squashfs for FLAVOUR into the cache file TARGET (atomically: a failed build
# leaves nothing there). The public keys are copied to a directory of their own first, for
# customize.sh to install.
build() {
  local flavour=$1 target=$2 kernel=$3 root partial keydir
  root=$(mktemp -d "$(dirname "$target")/rootfs-$flavour.XXXXXX")
  keydir=$(mktemp -d "$(dirname "$target")/rootfs-keys.XXXXXX")
  partial="$target.partial"
  # expanded now: the trap runs after this function's locals are gone (set -u)
  trap "rm -rf $(printf '%q ' "$root" "$keydir" "$partial")" EXIT
  cp "${keys[@]}" "$keydir/"
  bootstrap "$flavour" "$root" "$kernel" "$keydir"
  # zstd at level 19 in 1 MiB blocks: 11% smaller than mksquashfs's level 15 in 128 KiB blocks,
  # and zstd decompresses as fast whatever the level (bench/image_size.py and boot_timeline.py)
  mksquashfs "$root" "$partial" -comp zstd -Xcompression-level 19 -b 1M -noappend -quiet -no-progress
  mv "$partial" "$target"
  # older recipes' images of this flavour are not used again: keep the cache to one each
  find "$(dirname "$target")" -maxdepth 1 -name "rootfs-$flavour-*.squashfs" \
    ! -name "$(basename "$target")" -delete
  rm -rf "$root" "$keydir"
  trap - EXIT
}

main() {
  [[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
  (($# >= 2)) || { usage >&2; exit 2; }
  local flavour=$1 out=$2 kernel=${3:-$repo/build/kernel} target
  [[ "$flavour" == lite || "$flavour" == full ]] || { echo "rootfs: '$flavour': expected lite or full" >&2; exit 2; }
  [[ -f "$kernel/PACKAGE" ]] || { echo "rootfs: $kernel: no kernel (make kernel)" >&2; exit 1; }
  kernel=$(cd "$kernel" && pwd)
  [[ -x "${NAMES_EXPORT:-}" ]] || { echo "rootfs: NAMES_EXPORT=${NAMES_EXPORT:-}: expected the built names_export (make build)" >&2; exit 1; }
  NAMES_EXPORT=$(cd "$(dirname "$NAMES_EXPORT")" && pwd)/$(basename "$NAMES_EXPORT")
  public_keys
  mkdir -p "$cache" "$(dirname "$out")"
  target="$cache/rootfs-$flavour-$(recipe_key "$flavour" "$kernel").squashfs"
  if [[ -f "$target" ]]; then
    echo "rootfs: $flavour: cached $target"
  else
    echo "rootfs: $flavour: building $target"
    build "$flavour" "$target" "$kernel"
    echo "rootfs: $flavour: built in $SECONDS s"
  fi
  # OUT is touched only when it becomes another file: make then rebuilds the ISO even when
  # the cached file it now is (after a reverted change) is older than the ISO.
  if [[ ! "$out" -ef "$target" ]]; then
    ln -f "$target" "$out" 2>/dev/null || cp "$target" "$out"
    touch "$out"
  fi
  echo "rootfs: $out ($(du -m "$out" | cut -f1) MiB)"
}

main "$@"
