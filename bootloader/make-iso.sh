#!/usr/bin/env bash
# Makes the MaculaOS ISO. What it takes and what it makes: usage() below, or --help.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# What grub.cfg uses, and what finds and reads the ISO; grub-mkrescue installs these and their
# dependencies for both platforms instead of all ~300 modules. GRUB's search probes every
# partition map it knows of (partmap.lst) and prints an error for each one missing.
grub_modules=(normal configfile linux echo test serial terminal search iso9660 fat all_video)
mapfile -t grub_partmaps </usr/lib/grub/i386-pc/partmap.lst

usage() {
  cat <<'USAGE'
Makes the MaculaOS ISO: hybrid (boots from CD and USB stick), BIOS and UEFI, GRUB with the
menu of grub-iso.cfg, the volume label our PID 1 looks for (names/names.h: the label, and
where the files below go).

  /boot/vmlinuz                 KERNEL
  /boot/initrd.zst              INITRAMFS
  /boot/grub/grub.cfg           bootloader/grub-iso.cfg, its names filled in
  /maculaos/rootfs.squashfs     ROOTFS_SQUASHFS

Usage: NAMES_EXPORT=build/release/names_export bootloader/make-iso.sh KERNEL INITRAMFS ROOTFS_SQUASHFS OUT.iso
USAGE
}

# The tree hard-links the inputs (on one file system; copies them otherwise).
make_tree() {
  local tree=$1 kernel=$2 initrd=$3 rootfs=$4
  mkdir -p "$tree/boot/grub" "$(dirname "$tree/$MACULA_MEDIA_KERNEL")" "$(dirname "$tree/$MACULA_MEDIA_INITRD")" \
    "$(dirname "$tree/$MACULA_MEDIA_ROOT_IMAGE")"
  ln_or_cp "$kernel" "$tree/$MACULA_MEDIA_KERNEL"
  ln_or_cp "$initrd" "$tree/$MACULA_MEDIA_INITRD"
  ln_or_cp "$rootfs" "$tree/$MACULA_MEDIA_ROOT_IMAGE"
  "$NAMES_EXPORT" substitute "$here/grub-iso.cfg" "$tree/boot/grub/grub.cfg"
}

ln_or_cp() {
  ln -f "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

# -hfsplus off: grub-mkrescue would add an HFS+ partition for Macs, carrying the same label.
# xorriso is chatty: its output is shown only when it fails.
make_iso() {
  local tree=$1 out=$2 output
  if ! output=$(grub-mkrescue -o "$out" --locales= --fonts= --themes= \
      --install-modules="${grub_modules[*]} ${grub_partmaps[*]}" "$tree" \
      -- -volid "$MACULA_LABEL_MEDIA" -hfsplus off 2>&1); then
    echo "$output" >&2
    return 1
  fi
}

main() {
  [[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
  (($# == 4)) || { usage >&2; exit 2; }
  local kernel=$1 initrd=$2 rootfs=$3 out=$4 f
  for f in "$kernel" "$initrd" "$rootfs"; do
    [[ -f "$f" ]] || { echo "make-iso: $f: no such file" >&2; exit 1; }
  done
  [[ -x "${NAMES_EXPORT:-}" ]] || { echo "make-iso: NAMES_EXPORT=${NAMES_EXPORT:-}: expected the built names_export (make build)" >&2; exit 1; }
  mkdir -p "$(dirname "$out")"
  # global, for the trap
  tree=$(mktemp -d "$(dirname "$out")/iso-tree.XXXXXX")
  trap 'rm -rf "$tree" "$tree.names.sh"' EXIT
  "$NAMES_EXPORT" shell "$tree.names.sh"
  . "$tree.names.sh"
  make_tree "$tree" "$kernel" "$initrd" "$rootfs"
  rm -f "$out"
  make_iso "$tree" "$out"
  echo "iso: $out ($(du -m "$out" | cut -f1) MiB)"
}

main "$@"
