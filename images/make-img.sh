#!/usr/bin/env bash
# Makes the raw installed-disk image (macula-os-VERSION-amd64.img): MaculaOS installed from the
# ISO by its own installer, unattended, onto a 4 GiB sparse file that a QEMU guest sees as its
# disk. The host needs neither vfat nor ext4 (the guest's kernel makes the file systems). The
# disk is what `macula-install /dev/vda` leaves: GPT A/B layout, GRUB for BIOS and UEFI, slot A
# filled, boot state initial, no identity yet (each node makes its own at first boot), and it
# grows into a larger disk on its first boot (init/sys/state_growth.h).
#
# usage: images/make-img.sh ISO KERNEL INITRAMFS OUT.img
# ACCEL: QEMU's accelerator (tcg; kvm where it works). The guest's console goes to OUT-install.log (OUT without .img).
set -euo pipefail

(($# == 4)) || { echo "usage: make-img.sh ISO KERNEL INITRAMFS OUT.img" >&2; exit 2; }
iso=$1 kernel=$2 initrd=$3 out=$4
size=4G
partial="$out.partial"
log="${out%.img}-install.log"
rm -f "$partial"
trap 'rm -f "$partial"' EXIT
truncate -s "$size" "$partial"
echo "img: installing onto a $size disk in QEMU (about 3 min under TCG; console in $log)"
# The kernel and initramfs are the ISO's own, booted directly to pass the installer's
# unattended options; the ISO provides the root image the installer copies.
timeout 1800 qemu-system-x86_64 -accel "${ACCEL:-tcg}" -m 1024 -smp 1 -display none -no-reboot \
  -serial "file:$log" -monitor none -device virtio-rng-pci -nic none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0,115200n8 macula.mode=install macula.install.device=/dev/vda macula.install.silent macula.install.power_off" \
  -drive "file=$iso,media=cdrom,readonly=on,if=ide" \
  -drive "file=$partial,format=raw,if=virtio" </dev/null
# macula.install.power_off: the guest powers off once installed, and QEMU exits
grep -q "MaculaOS .* installed on /dev/vda" "$log" || { echo "img: the install did not finish (see $log)" >&2; exit 1; }
mv "$partial" "$out"
trap - EXIT
echo "img: $out ($(du -h --apparent-size "$out" | cut -f1), $(du -h "$out" | cut -f1) allocated)"
