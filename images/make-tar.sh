#!/usr/bin/env bash
# Makes the root file system tarball (macula-os-VERSION-amd64.tar.zst): the root image's files
# (owners, modes, links and extended attributes as in the squashfs), zstd-compressed, for
# containers and chroots (`docker import`, `tar -xf ... -C DIR && chroot DIR`).
#
# usage: images/make-tar.sh ROOTFS.squashfs OUT.tar.zst
set -euo pipefail

(($# == 2)) || { echo "usage: make-tar.sh ROOTFS.squashfs OUT.tar.zst" >&2; exit 2; }
squashfs=$1 out=$2
work=$(mktemp -d "$(dirname "$out")/tar.XXXXXX")
trap 'rm -rf "$work"' EXIT
unsquashfs -quiet -no-progress -dest "$work/root" "$squashfs" >/dev/null
tar --create --numeric-owner --xattrs --sort=name -C "$work/root" . | zstd -q -T0 -o "$work/out.tar.zst"
mv "$work/out.tar.zst" "$out"
echo "tar: $out ($(du -h "$out" | cut -f1))"
