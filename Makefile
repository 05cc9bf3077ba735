# The targets a person uses. Each installs the Debian packages it needs first
# (toolchain/deps.sh: apt-get runs only when something is missing).
#
#   make            build the static multi-call binary (build/release/maculaos)
#   make run        build the live ISO and boot it in QEMU on this terminal (Ctrl-A X quits)
#   make test       every test: unit (also under ASan + UBSan), system tests, QEMU scenarios
#   make torture N=50  power-cut torture of upgrades on an installed disk in QEMU (SEED= replays)
#   make fuzz RUNS=N   each libFuzzer harness of fuzz/ for N executions (make test runs a short round)
#   make unit-tsan     the unit tests that run threads against each other, under ThreadSanitizer
#   make toolchain  the static-library sysroot only
#   make clean      remove the build tree (the sysroot cache stays)
#
# The bootable pieces (each also cached in $(CACHE) where it is slow to make):
#   make kernel       Debian 12's kernel, unpacked: build/kernel/{vmlinuz,KVER,root/lib/modules}
#   make initramfs    build/initramfs.cpio.zst: /init (our binary), busybox, kernel modules
#   make rootfs       build/rootfs-lite.squashfs (rootfs-full: build/rootfs-full.squashfs)
#   make iso          build/macula-os-VERSION-amd64.iso (iso-full: ...-full-amd64.iso)
#   make images       build/images/: the ISO, the installed-disk image (.img, and .img.xz to
#                     download), .qcow2, .ova, the root file system (.tar.zst), the release,
#                     SHA256SUMS and SIZES (make img, img-xz, qcow2, ova, tar: one each)
#   make release      build/releases/CHANNEL/: the signed upgrade of the lite image (manifest.json,
#                     manifest.json.sig, *.zst); CHANNEL (stable), RELEASE_VERSION (VERSION's),
#                     SIGNING_KEY (the dev key, made in ~/.cache/maculaos/keys), K3S=DIR (k3s carried)

SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
# The sysroot lives outside the clone, keyed by the hash of its recipe: a warm build reuses it,
# a changed recipe builds a new one.
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/maculaos
SYSROOT := $(CACHE)/sysroot-$(shell sha256sum toolchain/build-sysroot.sh | cut -c1-16)
# ccache (CMakeLists.txt) keeps compiled objects there too. Paths under the clone are hashed
# relative to it, and the build directory is left out of the hash (it only names the clone in
# debug info), so a fresh clone reuses what another clone compiled.
export CCACHE_DIR ?= $(CACHE)/ccache
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

VERSION := $(shell cat VERSION)
KERNEL_DIR := $(BUILD)/kernel
INITRAMFS := $(BUILD)/initramfs.cpio.zst
ROOTFS_LITE := $(BUILD)/rootfs-lite.squashfs
ROOTFS_FULL := $(BUILD)/rootfs-full.squashfs
ISO := $(BUILD)/macula-os-$(VERSION)-amd64.iso
ISO_FULL := $(BUILD)/macula-os-$(VERSION)-full-amd64.iso
IMAGES := $(BUILD)/images
IMG := $(IMAGES)/macula-os-$(VERSION)-amd64.img
IMG_XZ := $(IMG).xz
QCOW2 := $(IMAGES)/macula-os-$(VERSION)-amd64.qcow2
OVA := $(IMAGES)/macula-os-$(VERSION)-amd64.ova
TAR := $(IMAGES)/macula-os-$(VERSION)-amd64.tar.zst

# Release signing. SIGNING_KEY (ECDSA P-256, PEM) signs `make release`'s manifest; the root file
# system trusts the public keys of PUBLIC_KEYS (space-separated PEM files, copied to
# /etc/maculaos/keys). The defaults are a development pair, made on first use by
# release/dev-key.sh in $(CACHE)/keys.
DEV_KEY_DIR := $(CACHE)/keys
SIGNING_KEY ?= $(DEV_KEY_DIR)/maculaos-dev.key.pem
PUBLIC_KEYS ?= $(DEV_KEY_DIR)/maculaos-dev.pub.pem
# runs release/dev-key.sh (silent when the pair exists) when a default key is in use
DEV_KEYS = $(if $(filter $(DEV_KEY_DIR)/maculaos-dev.key.pem,$(SIGNING_KEY))$(filter \
             $(DEV_KEY_DIR)/maculaos-dev.pub.pem,$(PUBLIC_KEYS)),release/dev-key.sh $(DEV_KEY_DIR),:)
CHANNEL ?= stable
# The names table's tool (names/names_export.cc): the image's names.sh and GRUB's menus take
# their paths, labels and command-line keys from it.
NAMES_EXPORT := $(BUILD)/release/names_export
RELEASE_VERSION ?= $(VERSION)

.PHONY: all build toolchain test unit-sanitized unit-tsan run clean torture fuzz fuzz-build fuzz-short config-reference
.PHONY: kernel initramfs rootfs rootfs-full iso iso-full release images img img-xz qcow2 ova tar

all: build

toolchain:
	@toolchain/deps.sh build
	@test -d $(SYSROOT) || toolchain/build-sysroot.sh $(BUILD)/src $(SYSROOT)

# The QEMU scenarios boot the images `make iso` makes: CMake is told where they will be.
build: toolchain
	@cmake -S . -B $(BUILD)/release -DMACULA_SYSROOT=$(SYSROOT) -DMACULA_ISO=$(abspath $(ISO)) \
	  -DMACULA_IMG=$(abspath $(IMG)) -DMACULA_QCOW2=$(abspath $(QCOW2)) -DMACULA_OVA=$(abspath $(OVA)) \
	  -DMACULA_TAR=$(abspath $(TAR)) \
	  -DMACULA_KERNEL=$(abspath $(KERNEL_DIR)/vmlinuz) -DMACULA_INITRAMFS=$(abspath $(INITRAMFS)) \
	  -DMACULA_ROOTFS=$(abspath $(ROOTFS_LITE)) -DMACULA_SIGNING_KEY=$(abspath $(SIGNING_KEY)) >/dev/null
	@cmake --build $(BUILD)/release -j$(JOBS)

# The config reference and the editors' JSON Schema are the built binary's output
# (tests/test_config.py fails when the files in docs/ differ from it).
config-reference: build
	$(BUILD)/release/maculaos config schema --markdown > docs/config-reference.md
	$(BUILD)/release/maculaos config schema --json > docs/config-schema.json

test: build unit-sanitized unit-tsan fuzz-short iso img qcow2 ova tar
	@toolchain/deps.sh test qemu
	cd $(BUILD)/release && ctest --output-on-failure -j$(JOBS)

unit-sanitized:
	@toolchain/deps.sh build test
	@cmake -S . -B $(BUILD)/sanitize -DMACULA_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/sanitize -j$(JOBS)
	cd $(BUILD)/sanitize && ctest --output-on-failure -j$(JOBS)

# The unit tests that run threads against each other (the pairing session's), under ThreadSanitizer.
unit-tsan:
	@toolchain/deps.sh build test
	@cmake -S . -B $(BUILD)/tsan -DMACULA_TSAN=ON >/dev/null
	@cmake --build $(BUILD)/tsan -j$(JOBS)
	cd $(BUILD)/tsan && ctest --output-on-failure -j$(JOBS)

# libFuzzer harnesses (fuzz/): clang 16 with libc++, ASan and UBSan.
fuzz-build:
	@toolchain/deps.sh build fuzz
	@CC=clang-16 CXX=clang++-16 cmake -S . -B $(BUILD)/fuzz -DMACULA_FUZZ=ON >/dev/null
	@cmake --build $(BUILD)/fuzz -j$(JOBS)

RUNS ?= 1000000
fuzz: fuzz-build
	fuzz/run.sh $(BUILD)/fuzz runs $(RUNS)

# What make test runs: the regression inputs, then 10 s of each harness.
fuzz-short: fuzz-build
	fuzz/run.sh $(BUILD)/fuzz seconds 10

# Power cuts at random moments of upgrades, boot-state updates and boots (qemu-tests/torture.py):
# N rounds, then how many rounds, boots and failures. SEED= replays a run.
N ?= 50
torture: img
	@toolchain/deps.sh test qemu
	MACULA_ISO=$(abspath $(ISO)) MACULA_KERNEL=$(abspath $(KERNEL_DIR)/vmlinuz) \
	  MACULA_INITRAMFS=$(abspath $(INITRAMFS)) MACULA_ROOTFS=$(abspath $(ROOTFS_LITE)) \
	  MACULA_IMG=$(abspath $(IMG)) \
	  MACULA_SIGNING_KEY=$(abspath $(SIGNING_KEY)) MACULA_QEMU_LOGS=$(abspath $(BUILD))/release/qemu-logs \
	  /usr/bin/python3 qemu-tests/torture.py $(N) $(if $(SEED),--seed $(SEED))

# TCG: KVM guests hang on the machines this is developed on (ACCEL=kvm where it works).
ACCEL ?= tcg
run: iso
	@toolchain/deps.sh qemu
	@echo "Booting $(ISO): log in as macula / macula; Ctrl-A X quits QEMU."
	qemu-system-x86_64 -accel $(ACCEL) -m 1024 -nographic -cdrom $(ISO) \
	  -device virtio-rng-pci -nic user,model=virtio-net-pci

clean:
	rm -rf $(BUILD)

kernel:
	@toolchain/deps.sh image
	@kernel-configs/fetch-kernel.sh $(KERNEL_DIR) $(CACHE)/kernel

# The phony targets bring their inputs up to date, then a sub-make rebuilds the file only when
# an input is newer (the binary, the kernel package, the module lists, the scripts).
initramfs: build kernel
	@toolchain/deps.sh image
	@$(MAKE) --no-print-directory $(INITRAMFS)

$(INITRAMFS): $(BUILD)/release/maculaos.stripped $(KERNEL_DIR)/PACKAGE init/make-initramfs.sh \
              kernel-configs/resolve-modules.py $(wildcard kernel-configs/modules/*.list kernel-configs/modules/on-demand/*.list)
	@init/make-initramfs.sh $< $@ $(KERNEL_DIR)

rootfs: build kernel
	@toolchain/deps.sh image
	@$(DEV_KEYS)
	@CACHE=$(CACHE) PUBLIC_KEYS="$(PUBLIC_KEYS)" NAMES_EXPORT=$(NAMES_EXPORT) rootfs/build.sh lite $(ROOTFS_LITE) $(KERNEL_DIR)

rootfs-full: build kernel
	@toolchain/deps.sh image
	@$(DEV_KEYS)
	@CACHE=$(CACHE) PUBLIC_KEYS="$(PUBLIC_KEYS)" NAMES_EXPORT=$(NAMES_EXPORT) rootfs/build.sh full $(ROOTFS_FULL) $(KERNEL_DIR)

iso: initramfs rootfs
	@toolchain/deps.sh image
	@$(MAKE) --no-print-directory $(ISO)

iso-full: initramfs rootfs-full
	@toolchain/deps.sh image
	@$(MAKE) --no-print-directory $(ISO_FULL)

ISO_INPUTS := $(KERNEL_DIR)/vmlinuz $(INITRAMFS) bootloader/make-iso.sh bootloader/grub-iso.cfg $(NAMES_EXPORT)

$(ISO): $(ROOTFS_LITE) $(ISO_INPUTS)
	@NAMES_EXPORT=$(NAMES_EXPORT) bootloader/make-iso.sh $(KERNEL_DIR)/vmlinuz $(INITRAMFS) $< $@

$(ISO_FULL): $(ROOTFS_FULL) $(ISO_INPUTS)
	@NAMES_EXPORT=$(NAMES_EXPORT) bootloader/make-iso.sh $(KERNEL_DIR)/vmlinuz $(INITRAMFS) $< $@

# The release of the lite image, signed with SIGNING_KEY, into build/releases/CHANNEL/ (made
# again on every run: zstd -19 of the root image takes a minute or two). A warning when the
# image does not trust SIGNING_KEY (right only when retiring that key): nodes that upgrade to it
# could not verify the next release signed with the same key. K3S=DIR (a k3s release in its
# download layout, of the version the image pins) carries k3s for air-gapped nodes.
release: initramfs rootfs
	@toolchain/deps.sh image
	@$(DEV_KEYS)
	@signer=$$(openssl pkey -in $(SIGNING_KEY) -pubout 2>/dev/null) || signer=; \
	  for pub in $(PUBLIC_KEYS); do \
	    [[ -n "$$signer" && "$$(openssl pkey -pubin -in $$pub -pubout 2>/dev/null)" == "$$signer" ]] && exit 0; \
	  done; \
	  echo "release: warning: PUBLIC_KEYS ($(PUBLIC_KEYS)) do not include the public half of SIGNING_KEY ($(SIGNING_KEY))" >&2
	@release/make-release.sh --version $(RELEASE_VERSION) --channel $(CHANNEL) --key $(SIGNING_KEY) \
	  --kernel $(KERNEL_DIR)/vmlinuz --initrd $(INITRAMFS) --rootfs $(ROOTFS_LITE) $(if $(K3S),--k3s $(K3S)) \
	  $(BUILD)/releases/$(CHANNEL)

# The images beside the ISO (images/): made from the ISO, its kernel and initramfs, and the
# root image. The installed-disk image is an unattended install in a QEMU guest (ACCEL).
img: iso
	@toolchain/deps.sh qemu
	@$(MAKE) --no-print-directory $(IMG)

$(IMG): $(ISO) images/make-img.sh
	@mkdir -p $(@D)
	@ACCEL=$(ACCEL) images/make-img.sh $(ISO) $(KERNEL_DIR)/vmlinuz $(INITRAMFS) $@

# The disk image to download (docs/downloads.md: xz, as balenaEtcher reads no zstd): not on
# make test's path, which boots the raw .img.
img-xz: img
	@$(MAKE) --no-print-directory $(IMG_XZ)

$(IMG_XZ): $(IMG)
	@start=$$SECONDS && xz -T0 -6 -c $< >$@.partial && mv $@.partial $@ && \
	  echo "img-xz: $@ ($$(du -h $@ | cut -f1), $$((SECONDS - start)) s)"

qcow2: img
	@$(MAKE) --no-print-directory $(QCOW2)

$(QCOW2): $(IMG)
	@qemu-img convert -c -f raw -O qcow2 $< $@.partial && mv $@.partial $@
	@echo "qcow2: $@ ($$(du -h $@ | cut -f1))"

ova: img
	@$(MAKE) --no-print-directory $(OVA)

$(OVA): $(IMG) images/make-ova.sh
	@images/make-ova.sh $< $@

tar: rootfs
	@$(MAKE) --no-print-directory $(TAR)

$(TAR): $(ROOTFS_LITE) images/make-tar.sh
	@mkdir -p $(@D)
	@images/make-tar.sh $< $@

# Every artifact in one directory, with their checksums and sizes.
images: img img-xz qcow2 ova tar release
	@ln -f $(ISO) $(IMAGES)/
	@rm -rf $(IMAGES)/release && cp -r $(BUILD)/releases/$(CHANNEL) $(IMAGES)/release
	@cd $(IMAGES) && artifacts="$(notdir $(ISO) $(IMG) $(IMG_XZ) $(QCOW2) $(OVA) $(TAR))" && \
	  sha256sum $$artifacts >SHA256SUMS && \
	  for f in $$artifacts; do echo "$$f $$(stat -c %s $$f) bytes, $$(du -h $$f | cut -f1) allocated"; done >SIZES
	@cat $(IMAGES)/SIZES

