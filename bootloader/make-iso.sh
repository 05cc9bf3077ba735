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
menu of grub-iso.cfg, volume label MACULAOS (what our PID 1 looks for).

  /boot/vmlinuz                 KERNEL
  /boot/initrd.zst              INITRAMFS
  /boot/grub/grub.cfg           bootloader/grub-iso.cfg
  /maculaos/rootfs.squashfs     ROOTFS_SQUASHFS

Usage: bootloader/make-iso.sh KERNEL INITRAMFS ROOTFS_SQUASHFS OUT.iso
USAGE
}

# The tree hard-links the inputs (on one file system; copies them otherwise).
make_tree() {
  local tree=$1 kernel=$2 initrd=$3 rootfs=$4
  mkdir -p "$tree/boot/grub" "$tree/maculaos"
  ln_or_cp "$kernel" "$tree/boot/vmlinuz"
  ln_or_cp "$initrd" "$tree/boot/initrd.zst"
  ln_or_cp "$rootfs" "$tree/maculaos/rootfs.squashfs"
  cp "$here/grub-iso.cfg" "$tree/boot/grub/grub.cfg"
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
      -- -volid MACULAOS -hfsplus off 2>&1); then
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
  mkdir -p "$(dirname "$out")"
  # global, for the trap
  tree=$(mktemp -d "$(dirname "$out")/iso-tree.XXXXXX")
  trap 'rm -rf "$tree"' EXIT
  make_tree "$tree" "$kernel" "$initrd" "$rootfs"
  rm -f "$out"
  make_iso "$tree" "$out"
  echo "iso: $out ($(du -m "$out" | cut -f1) MiB)"
}

main "$@"
