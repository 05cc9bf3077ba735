#!/usr/bin/env bash
# Installs the Debian packages a make target needs, and only when one is missing.
# Usage: toolchain/deps.sh GROUP...   (groups: build, fuzz, test, image, qemu)
# This is the one list of what MaculaOS needs from Debian 12.
set -euo pipefail

declare -A group=(
  # compilers, static libraries Debian ships, and what the source builds of the others need
  [build]="build-essential ccache cmake pkg-config file catch2 dpkg-dev libyaml-dev
           autoconf automake libtool autopoint gettext bison flex
           libzstd-dev libmbedtls-dev libssl-dev libsodium-dev libqrencode-dev libncurses-dev libgcrypt20-dev libgpg-error-dev libjson-c-dev uuid-dev libpopt-dev"
  # the libFuzzer harnesses (make fuzz): clang 16 with libc++, libFuzzer and the sanitizers
  [fuzz]="clang-16 libfuzzer-16-dev libclang-rt-16-dev libc++-16-dev libc++abi-16-dev"
  # the throwaway servers and checks the tests use
  # (chromium and python3-websocket: the pairing page in a real browser, driven over DevTools)
  [test]="python3 python3-pytest python3-pexpect python3-pyte openssl openssh-client zbar-tools
          python3-cryptography python3-websocket chromium xorriso e2fsprogs"
  # the kernel, initramfs, root file system and ISO (make kernel|initramfs|rootfs|iso)
  [image]="mmdebstrap squashfs-tools xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools
           dosfstools busybox-static zstd xz-utils cpio kmod dpkg-dev python3 fdisk openssl"
  # booting the images (swtpm: an emulated TPM 2.0 for the encrypted-state scenario)
  [qemu]="qemu-system-x86 ovmf seabios qemu-utils swtpm"
)

want=()
for g in "$@"; do
  [[ -n "${group[$g]:-}" ]] || { echo "deps.sh: unknown group '$g' (expected: ${!group[*]})" >&2; exit 2; }
  want+=(${group[$g]})
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done

# `apt-get source` needs deb-src entries; Debian's cloud images ship only binary ones.
need_src=0
if [[ " $* " == *" build "* ]] && ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  need_src=1
  cat > /etc/apt/sources.list.d/maculaos-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

((${#missing[@]} || need_src)) || exit 0
export DEBIAN_FRONTEND=noninteractive
echo "deps.sh: installing ${missing[*]:-(source lists only)}"
apt-get update -qq
((${#missing[@]})) && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
exit 0
