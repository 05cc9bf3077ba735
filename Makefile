# The targets a person uses. Each installs the Debian packages it needs first
# (toolchain/deps.sh: apt-get runs only when something is missing).
#
#   make            build the static multi-call binary (build/release/maculaos)
#   make run        build MaculaOS and run it
#   make test       every test: unit (also under ASan + UBSan) and system tests
#   make toolchain  the static-library sysroot only
#   make clean      remove the build tree (the sysroot cache stays)

SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
# The sysroot lives outside the clone, keyed by the hash of its recipe: a warm build reuses it,
# a changed recipe builds a new one.
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/maculaos
SYSROOT := $(CACHE)/sysroot-$(shell sha256sum toolchain/build-sysroot.sh | cut -c1-16)

.PHONY: all build toolchain test unit-sanitized run clean

all: build

toolchain:
	@toolchain/deps.sh build
	@test -d $(SYSROOT) || toolchain/build-sysroot.sh $(BUILD)/src $(SYSROOT)

build: toolchain
	@cmake -S . -B $(BUILD)/release -DMACULA_SYSROOT=$(SYSROOT) >/dev/null
	@cmake --build $(BUILD)/release -j$(JOBS)

test: build unit-sanitized
	@toolchain/deps.sh test
	cd $(BUILD)/release && ctest --output-on-failure -j$(JOBS)

unit-sanitized:
	@toolchain/deps.sh build
	@cmake -S . -B $(BUILD)/sanitize -DMACULA_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/sanitize -j$(JOBS)
	cd $(BUILD)/sanitize && ctest --output-on-failure -j$(JOBS)

run: build
	$(BUILD)/release/maculaos version

clean:
	rm -rf $(BUILD)
