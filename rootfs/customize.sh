#!/usr/bin/env bash
# mmdebstrap's customize hook for rootfs/build.sh: turns the bootstrapped Debian in ROOT
# (overlay/ already copied in) into MaculaOS. Runs outside the chroot, as root.
# Usage: rootfs/customize.sh ROOT lite|full VERSION KERNEL_DIR KEY_DIR NAMES_EXPORT
#   KEY_DIR: the release-signing public keys (PEM files) the image trusts (build.sh's PUBLIC_KEYS)
#   NAMES_EXPORT: the built names_export (names/names_export.cc): the names table for the image
set -euo pipefail

in_root() { chroot "$root" "$@"; }

# Debian's /etc/os-release links to /usr/lib/os-release: replace the file it points to.
write_os_release() {
  cat >"$root/usr/lib/os-release" <<EOF
PRETTY_NAME="MaculaOS $version ($flavour)"
NAME="MaculaOS"
ID=maculaos
ID_LIKE=debian
VERSION_ID="$version"
VERSION="$version ($flavour)"
VARIANT_ID=$flavour
EOF
  ln -sf ../usr/lib/os-release "$root/etc/os-release"
}

# The plan's mark (the node graph beside the wordmark, overlay/usr/share/maculaos/logo.txt, which
# the setup wizard shows too) on the console before login (agetty's /etc/issue: its backslashes
# are escapes, so doubled) and after it (the motd).
write_banners() {
  local logo="$root$MACULA_LOGO"
  { echo; sed 's/\\/\\\\/g' "$logo"; echo; echo ' \S{PRETTY_NAME} on \n (\l)'; echo; } >"$root/etc/issue"
  # what services show under it while the system runs (the pairing screen): in /run, never on a disk
  ln -sfn "$MACULA_ISSUE_DIR" "$root/etc/issue.d"
  { echo; cat "$logo"; echo; echo ' An immutable Linux OS for edge nodes that run k3s.'; echo; } >"$root/etc/motd"
}

# OpenRC is the init: our PID 1 execs /sbin/init in the new root, and openrc-init runs the
# sysinit, boot and default runlevels (Debian's openrc package does not provide /sbin/init).
set_init() {
  ln -sf openrc-init "$root/usr/sbin/init"
}

# OpenRC's settings (Debian's /etc/rc.conf, edited): the cgroup v2 hierarchy alone (what k3s
# prefers; the hybrid default mounts each v1 controller too, at every boot). Services start one
# at a time: rc_parallel="YES" made the live boot 12 s slower on one emulated CPU (bench/
# boot_timeline.py), where the services compete for the CPU rather than wait.
configure_openrc() {
  sed -i -e 's/^#\?rc_cgroup_mode=.*/rc_cgroup_mode="unified"/' "$root/etc/rc.conf"
  grep -qx 'rc_cgroup_mode="unified"' "$root/etc/rc.conf"
}

# Services and gettys. Debian's openrc configures no getty; the agetty script takes its port
# from the name of the link that starts it.
enable_services() {
  local svc
  ln -sf agetty "$root/etc/init.d/agetty.ttyS0"
  ln -sf agetty "$root/etc/init.d/agetty.tty1"
  # the mesh roles: one script; bootstrap and gateway join the default runlevel by the config
  ln -sf macula-mesh "$root/etc/init.d/macula-bootstrap"
  ln -sf macula-mesh "$root/etc/init.d/macula-gateway"
  # remounts / read-only at shutdown, once everything else has stopped
  in_root rc-update add umountroot shutdown
  # boot runs before default: names and keys exist before the network and sshd start
  # maculaos-config first: it names the host, and the config gives the keys ssh needs. The
  # gettys follow it (conf.d/agetty), so the login prompt does not wait for the network
  # services: one logs in while they start (DHCP, mDNS, chrony, sshd, pairing).
  for svc in maculaos-config macula-identity agetty.ttyS0 agetty.tty1; do in_root rc-update add "$svc" boot; done
  # local comes last (`after *`) and, on an installed system, assesses the boot
  for svc in macula-network maculaos-config-network ssh chrony dbus avahi-daemon macula-mdns-name macula-mesh k3s macula-logs macula-update-check \
             macula-firstboot local; do
    in_root rc-update add "$svc" default
  done
  leave_out_scripts
  # util-linux's hwclock.sh needs initscripts' helpers, which OpenRC alone does not have.
  if [[ -e "$root/etc/init.d/hwclock.sh" && ! -e "$root/etc/init.d/mountall.sh" ]]; then
    in_root rc-update del hwclock.sh 2>/dev/null || true
    rm -f "$root/etc/init.d/hwclock.sh"
  fi
}

# Debian's scripts that do nothing on this system, out of the runlevels and of /etc/init.d:
# each would cost the boot a second under emulation, and OpenRC reads every script's
# dependencies again at each boot (about 0.1 s a script).
#   sudo: resets timestamps in /var/lib/sudo, where sudo no longer keeps them (/run)
#   kmod: loads the modules /etc/modules and modules-load.d list, and they list none (the node
#     config's `modules` loads a node's)
#   nftables: loads /etc/nftables.conf, an accept-all table; the config's boot stage loads the
#     node's firewall before the network comes up
#   procps: `sysctl --system`, which maculaos-config runs before the config's own sysctl keys
#   rc, rcS, savecache: sysvinit's entry points, and a cache OpenRC's sysinit does not read
leave_out_scripts() {
  local svc level
  for svc in sudo kmod nftables procps rc rcS savecache; do
    for level in "$root"/etc/runlevels/*; do
      # -L: the link names /etc/init.d/SVC inside the root, not on this host
      if [[ -L "$level/$svc" ]]; then in_root rc-update del "$svc" "$(basename "$level")"; fi
    done
    rm -f "$root/etc/init.d/$svc"
  done
}

# The public keys that verify a release's manifest.json.sig (maculaos upgrade), and the
# directory of boot health checks (overlay/etc/maculaos/health.d has its README).
add_trust() {
  local key n=0
  install -d -m 0755 "$root$MACULA_RELEASE_KEYS_DIR" "$root$MACULA_HEALTH_DIR"
  chmod 0755 "$root$MACULA_ETC_DIR" "$root$MACULA_HEALTH_DIR"
  for key in "$keydir"/*; do
    [[ -f "$key" ]] || continue
    install -m 0644 "$key" "$root$MACULA_RELEASE_KEYS_DIR/$(basename "$key")"
    n=$((n + 1))
  done
  ((n)) || { echo "customize.sh: $keydir: no public keys" >&2; exit 1; }
}

# User macula (sudo) with the image's password, for the console of a live boot (an installed
# node expires or locks it: config/image_password.h); root cannot log in.
add_users() {
  in_root useradd --create-home --shell /bin/bash --groups sudo --comment MaculaOS "$MACULA_USER"
  echo "$MACULA_USER:$MACULA_IMAGE_PASSWORD" | in_root chpasswd
  in_root passwd --lock root >/dev/null
}

# What must differ per machine is made on its first boot (macula-identity, maculaos-config,
# dhclient): SSH host keys, machine ID, host name, resolver. mmdebstrap copied the build
# host's hostname and resolv.conf.
strip_identity() {
  rm -f "$root"/etc/ssh/ssh_host_*_key "$root"/etc/ssh/ssh_host_*_key.pub
  rm -f "$root/etc/machine-id" "$root/var/lib/dbus/machine-id" "$root/etc/hostname"
  rm -f "$root/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  echo "# MaculaOS's initramfs mounts the root file system." >"$root/etc/fstab"
}

# chronyd's sources come from the node config alone (maculaos-config writes
# /etc/chrony/sources.d/maculaos.sources, Debian's pool when ntp_servers is not set).
configure_chrony() {
  sed -i '/^pool /d' "$root/etc/chrony/chrony.conf"
}

# The locale most configs name, built once here; another is built at boot by maculaos-config.
build_locales() {
  in_root localedef -i en_US -f UTF-8 en_US.UTF-8
}

# The kernel's modules, for udev and modprobe: the drivers a headless node may need (no sound,
# graphics, radios, media), plus whatever those depend on elsewhere in the tree.
add_modules() {
  local kver src dst
  kver=$(cat "$kernel/KVER")
  src="$kernel/root/lib/modules/$kver"
  dst="$root/usr/lib/modules/$kver"
  mkdir -p "$dst"
  cp -a "$src"/modules.{order,builtin,builtin.modinfo} "$dst/"
  (cd "$src" && wanted_modules | sort -u | cpio -pdm --quiet "$dst")
  depmod -b "$root/usr" "$kver"
}

# Relative paths (in MODULE_DIR, the current directory) of the subset and its dependencies.
wanted_modules() {
  local dirs=(kernel/arch kernel/block kernel/crypto kernel/fs kernel/lib kernel/mm kernel/net
              kernel/virt)
  local drivers=(ata block cdrom char dca edac firmware hid hwmon i2c input md mmc net nvme pci
                 platform pps ptp scsi thermal tty usb vhost virtio watchdog)
  dirs+=("${drivers[@]/#/kernel/drivers/}")
  # Left out unless something kept needs them: radios (wireless, Bluetooth), the USB device
  # side (gadget: a node is the host), cluster file systems of shared SANs, and the kernel's
  # own test modules.
  local left_out=(drivers/net/wireless net/wireless net/mac80211 net/bluetooth drivers/usb/gadget
                  fs/ocfs2 fs/gfs2)
  [[ $flavour == lite ]] && left_out+=("${lite_left_out[@]}")
  local not_paths=() path
  for path in "${left_out[@]}"; do not_paths+=(-not -path "kernel/$path" -not -path "kernel/$path/*"); done
  find "${dirs[@]}" -name '*.ko' -not -name 'test_*.ko' "${not_paths[@]}" |
    awk -F': *' '
      NR == FNR { want[$0] = 1; next }  # the paths find selected
      $1 in want {                      # modules.dep lines are "path: dep dep ...", all deps
        print $1
        n = split($2, deps, " ")
        for (i = 1; i <= n; i++) print deps[i]
      }' - modules.dep
}

# What the lite image leaves out besides (52 MB of modules; the full image keeps them): the
# hardware of data-centre servers (Fibre Channel, FCoE and iSCSI-offload HBAs, old parallel
# SCSI and big SAS controllers, 25-400G NICs, InfiniBand, the SCSI target side), buses and
# protocols no edge node speaks (CAN, WAN, ham radio, 802.15.4, NFC, ATM, TIPC, RDS, SMC, RDMA
# transports), the file systems of raw flash, old Unixes and other OSes' disks, and touch panels,
# tablets and joysticks. Kept: the NICs, SATA/NVMe/SAS/RAID controllers and virtual devices
# of small servers, boards and clouds (Intel, Realtek, Broadcom, Aquantia, ENA, gVNIC, virtio,
# VMware, Hyper-V, mpt3sas, megaraid, smartpqi, aacraid), and the file systems Kubernetes
# storage uses (ext4, XFS, Btrfs, NFS, SMB, Ceph, F2FS, exFAT, NTFS).
lite_left_out=(
  drivers/scsi/{lpfc,qla2xxx,qla4xxx,bfa,be2iscsi,bnx2fc,bnx2i,cxgbi,fnic,csiostor,snic,qedf,qedi}
  drivers/scsi/{fcoe,libfc,elx,aic7xxx,aic94xx,pm8001,isci,mvsas,esas2r,arcmsr,mpi3mr}
  drivers/net/ethernet/{mellanox,chelsio,qlogic,sfc,netronome,cavium,huawei,emulex,brocade}
  drivers/net/ethernet/{neterion,myricom,pensando,fungible,cisco}
  drivers/infiniband drivers/target drivers/nvme/target drivers/nvme/host/nvme-rdma.ko net/smc
  net/sunrpc/xprtrdma net/9p/9pnet_rdma.ko
  drivers/net/{can,wan,hamradio,ieee802154,fddi,arcnet,plip}
  net/{can,ieee802154,mac802154,6lowpan,nfc,tipc,rds,atm,batman-adv,appletalk,x25,phonet,dccp}
  net/{lapb,llc2,rxrpc}
  fs/{afs,ubifs,jffs2,nilfs2,reiserfs,jfs,orangefs,coda,dlm,hfs,hfsplus,ufs,befs,omfs,sysv}
  fs/{qnx4,qnx6,minix,romfs,efs,freevxfs,hpfs,adfs,affs}
  drivers/mtd drivers/input/{joystick,tablet,touchscreen}
)

# Docs, man pages and translations that dpkg's path-exclude missed (the essential packages are
# unpacked before it applies), apt's caches, and files nothing on a node uses.
trim() {
  find "$root/usr/share/doc" -type f ! -name copyright -delete
  find "$root/usr/share/doc" -type l -delete
  rm -rf "$root"/usr/share/{man,info}/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
  rm -rf "$root"/var/cache/apt/archives/*.deb
  rm -f "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
  # GRUB's prebuilt monolithic EFI images (15.7 MB; Debian builds its signed images from them):
  # grub-install, which macula-install runs, makes its own core image from the modules.
  rm -rf "$root"/usr/lib/grub/x86_64-efi/monolithic
  # GRUB's tools for making images, fonts and rescue media elsewhere (8.9 MB): the installer runs
  # grub-install and grub-editenv, and grub-install the probe, mkimage and mkrelpath it shares.
  (cd "$root/usr/bin" && rm -f grub-{mkrescue,fstest,render-label,file,syslinux2cfg,mount,mkstandalone} \
     grub-{mknetdir,mkfont,script-check,mkpasswd-pbkdf2,mklayout,glue-efi,menulst2cfg})
  rm -f "$root"/usr/sbin/grub-{macbless,mkdevicemap}
  # The locales a node can build at boot are the UTF-8 ones: their one character map stays, the
  # 232 legacy ones go (2.9 MB, compressed already), and SUPPORTED, which maculaos.locale is
  # checked against, names only what can still be built.
  find "$root/usr/share/i18n/charmaps" -type f ! -name UTF-8.gz -delete
  sed -i '/ UTF-8$/!d' "$root/usr/share/i18n/SUPPORTED"
}

# udev's hardware database (hwdb.bin), compiled again without the vendor and model names of
# every PCI, USB, SDIO, Bluetooth and ACPI device and MAC prefix (20-*-vendor-*.hwdb, 20-OUI.hwdb:
# 8.6 MB of the 9.6 MB of sources, 12 MB of the 13 MB compiled). Those only name devices for
# people (ID_VENDOR_FROM_DATABASE); the entries udev acts on (keyboards, sensors, interface
# names, autosuspend) stay. The sources go after: a read-only root never compiles them again.
compile_hwdb() {
  local hwdb=$root/usr/lib/udev/hwdb.d
  rm -f "$hwdb"/20-OUI.hwdb "$hwdb"/20-*-vendor*.hwdb
  in_root systemd-hwdb update --usr --strict
  rm -f "$hwdb"/*.hwdb
}

# `man` is mandoc's (packages-lite.txt): Debian installs it only as mman, leaving man to
# man-db, which with groff is 7 MB where mandoc is 1.4. mandoc reads /etc/man.conf (the overlay's:
# the booted binary's pages in /run, made at each boot). It looks pages up by name only when
# its name is mman (Debian builds it so): a link named man would take the name for a file, so
# man is a script that calls it by that name.
link_man() {
  printf '#!/bin/sh\nexec mman "$@"\n' >"$root/usr/bin/man"
  chmod 0755 "$root/usr/bin/man"
}

# apt and what only it needs (its library, gpgv, the archive keys): the root is read-only, and a
# node changes its software by upgrading the whole image. dpkg's database stays (/var is seeded
# from it, and it lists what the image holds).
remove_apt() {
  rm -rf "$root/var/log/apt"
  in_root dpkg --purge apt libapt-pkg6.0 gpgv debian-archive-keyring >/dev/null
}

# OpenRC's dependency scan answered from the image (overlay/usr/libexec/maculaos/openrc-gendepends
# says why and when): Debian's gendepends.sh diverted, ours in its place, and the scan's answer
# and the digest of what it read kept. Last: after every change to the init scripts.
keep_openrc_dependencies() {
  local scan=/lib/rc/sh/gendepends.sh ours=$MACULA_LIBEXEC_DIR/openrc-gendepends
  local answer=$MACULA_OPENRC_DEPENDS
  in_root dpkg-divert --quiet --local --rename --divert "$scan.debian" --add "$scan"
  ln -s "$ours" "$root$scan"
  in_root "$scan.debian" >"$root$answer" 2>/dev/null
  in_root "$ours" --key >"$root$answer.key"
  grep -q '^local$' "$root$answer"  # the scan found the scripts
}

# The names table (names/names.h) in the image, for its scripts (names.sh), and in the overlay's
# files that cannot source it (GRUB-like placeholders, @MACULA_...@: profile.d, sudoers), each
# keeping its mode. Read here too: this script's own paths come from it.
install_names() {
  local tmp=$root.names.sh file mode
  "$names_export" shell "$tmp"
  . "$tmp"
  install -D -m 0644 "$tmp" "$root$MACULA_NAMES_SH"
  rm -f "$tmp"
  while IFS= read -r -d '' file; do
    file=${file#"$here/overlay"}
    mode=$(stat -c %a "$root$file")
    "$names_export" substitute "$root$file" "$root$file"
    chmod "$mode" "$root$file"
  done < <(grep -rlZ '@MACULA_[A-Z0-9_]*@' "$here/overlay")
}

main() {
  (($# == 6)) || { echo "usage: customize.sh ROOT lite|full VERSION KERNEL_DIR KEY_DIR NAMES_EXPORT" >&2; exit 2; }
  root=$1 flavour=$2 version=$3 kernel=$4 keydir=$5 names_export=$6
  here=$(cd "$(dirname "$0")" && pwd)
  install_names
  chmod 0755 "$root"/etc/init.d/macula-* "$root"/etc/init.d/maculaos-* "$root"/etc/init.d/local "$root"/etc/init.d/chrony \
    "$root"/etc/local.d/*.start "$root"/usr/local/sbin/*
  add_trust
  write_os_release
  write_banners
  set_init
  configure_openrc
  add_users
  enable_services
  strip_identity
  configure_chrony
  build_locales
  add_modules
  remove_apt
  compile_hwdb
  trim
  link_man
  keep_openrc_dependencies
}

main "$@"
