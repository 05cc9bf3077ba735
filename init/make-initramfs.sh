#!/usr/bin/env bash
# Packs the initramfs. What it takes and what it makes: usage() below, or --help.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# Storage first: its drivers probe asynchronously while the rest loads.
module_lists=(storage filesystems device-mapper misc)
# Shipped, and loaded by /init only when it needs them (maculaos.<name>).
on_demand_lists=(watchdog)

usage() {
  cat <<'USAGE'
Packs the initramfs: our static PID 1 as /init, busybox for the rescue shell, and the kernel
modules the lists in kernel-configs/modules/ name, with their build-time load order.

  /init                            BINARY (the static maculaos multi-call binary)
  /bin/busybox, /bin/<applet>      busybox-static, one symlink per applet (sh included)
  /lib/modules/KVER/<path>.ko      the module closure (kernel-configs/resolve-modules.py)
  /lib/modules/maculaos.modules    NAME<TAB>PATH<TAB>DEP,DEP|- per module, deps first
  /lib/modules/maculaos.load       the module names to load at boot, one a line
  /lib/modules/maculaos.watchdog   the watchdog drivers, loaded on a trial boot
  /dev/console                     char 5:1, so the kernel has a console before devtmpfs
  /dev /proc /sys /run /newroot /tmp   empty mount points

Usage: init/make-initramfs.sh BINARY OUT.cpio.zst [KERNEL_DIR]
  KERNEL_DIR is what kernel-configs/fetch-kernel.sh made (default: build/kernel).
USAGE
}

add_busybox() {
  local root=$1 applet
  install -D -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
}

add_modules() {
  local root=$1 kernel=$2 lists=()
  for l in "${module_lists[@]}"; do lists+=("$repo/kernel-configs/modules/$l.list"); done
  for l in "${on_demand_lists[@]}"; do lists+=("on-demand:$repo/kernel-configs/modules/on-demand/$l.list"); done
  python3 "$repo/kernel-configs/resolve-modules.py" "$kernel/root" "$(cat "$kernel/KVER")" \
    "$root" "${lists[@]}"
}

# The kernel opens /dev/console before /init runs; without it /init starts with no stdio.
add_skeleton() {
  local root=$1
  mkdir -p "$root"/{dev,proc,sys,run,newroot,tmp}
  chmod 1777 "$root/tmp"
  mknod -m 0600 "$root/dev/console" c 5 1
}

# newc archive in name order, with the files' times and owners as they are (root's), zstd'd.
pack() {
  local root=$1 out=$2
  (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) \
    | zstd -19 -q -f -o "$out"
}

main() {
  [[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
  (($# >= 2)) || { usage >&2; exit 2; }
  local binary=$1 out=$2 kernel=${3:-$repo/build/kernel}
  [[ -x "$binary" ]] || { echo "make-initramfs: $binary: not an executable" >&2; exit 1; }
  if [[ ! -f "$kernel/KVER" ]]; then
    echo "make-initramfs: $kernel: no kernel (make kernel)" >&2
    exit 1
  fi
  staging=$(mktemp -d "${TMPDIR:-/tmp}/maculaos-initramfs.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  install -m 0755 "$binary" "$staging/init"
  add_busybox "$staging"
  add_modules "$staging" "$kernel"
  add_skeleton "$staging"
  mkdir -p "$(dirname "$out")"
  pack "$staging" "$out"
  echo "initramfs: $out ($(du -k "$out" | cut -f1) KiB;" \
    "$(du -sk "$staging" | cut -f1) KiB unpacked)"
}

main "$@"
