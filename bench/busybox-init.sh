#!/bin/sh
# The peer in the boot benchmark: the same job as MaculaOS's C++ /init (modules, media by
# label, squashfs + tmpfs overlay, switch_root to OpenRC), done the classic way with busybox,
# as Alpine's and k3OS's initramfs scripts do. Not a product: bench/ only.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs -o mode=0755 devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
echo on >/proc/sys/kernel/printk_devkmsg
log() { echo "<6>busybox-init: $*" >/dev/kmsg; }
log "init started"

release=$(uname -r)
tab=$(printf '\t')
while IFS="$tab" read -r name path deps; do
  case $name in '#'*|'') continue ;; esac
  insmod "/lib/modules/$release/$path" 2>/dev/null
done </lib/modules/maculaos.modules
log "modules loaded"

media=
for i in $(seq 100); do  # 10 s at 100 ms
  media=$(findfs LABEL=MACULAOS 2>/dev/null) && break
  usleep 100000
done
[ -n "$media" ] || { log "no MACULAOS media"; exec sh; }
mkdir -p /run/macula/media /run/macula/rootfs /run/macula/overlay /newroot
mount -o ro "$media" /run/macula/media
mount -o ro,loop /run/macula/media/maculaos/rootfs.squashfs /run/macula/rootfs
mount -t tmpfs -o mode=0755 tmpfs /run/macula/overlay
mkdir /run/macula/overlay/upper /run/macula/overlay/work
mount -t overlay overlay \
  -o lowerdir=/run/macula/rootfs,upperdir=/run/macula/overlay/upper,workdir=/run/macula/overlay/work \
  /newroot
for d in dev proc sys run; do mount --move "/$d" "/newroot/$d"; done
echo "<6>busybox-init: switching root" >/newroot/dev/kmsg
exec switch_root /newroot /sbin/init </newroot/dev/console >/newroot/dev/console 2>&1
