# terraform-provider-lsms build.
#
# Sources are found by wildcard, so adding a .c file under provider/ or
# resources/ needs no edit here. protobuf-c code is generated into $(BUILD)/gen.
# `make SAN=1` builds everything with AddressSanitizer + UBSan into build/asan,
# `make SAN=thread` with ThreadSanitizer into build/tsan.

SAN ?=
FUZZ ?=
# PLATFORM=linux_amd64 or linux_arm64: the static release binary of that
# platform, cross-compiled with zig against libraries built from Debian's
# source packages (tests/tools/static/README.md), into build/static/PLATFORM.
PLATFORM ?=
PLATFORMS = linux_amd64 linux_arm64
ifneq ($(PLATFORM),)
ifeq ($(filter $(PLATFORM),$(PLATFORMS)),)
$(error PLATFORM=$(PLATFORM) is not one of $(PLATFORMS))
endif
BUILD ?= build/static/$(PLATFORM)
SANFLAGS =
OPT = -O2
else ifeq ($(FUZZ),1)
# libFuzzer build (make fuzz): every object instrumented for coverage and
# sanitizers; the fuzz targets link -fsanitize=fuzzer, which brings main().
CC = clang
BUILD = build/fuzz
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
OPT = -O1
else ifeq ($(SAN),1)
BUILD ?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT = -O1
else ifeq ($(SAN),thread)
# ThreadSanitizer (make SAN=thread): the provider's own code instrumented;
# gRPC, libcurl and OpenSSL are not, see tests/tools/tsan.supp.
BUILD ?= build/tsan
SANFLAGS = -fsanitize=thread -fno-omit-frame-pointer
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

CC ?= gcc
LINK = $(CC)
ifneq ($(PLATFORM),)
# The static build: zig's cc for the target and the prefix build-deps made
# ($(DEPS) links to it; see the deps rule below). libcurl is linked in.
DEPS = $(BUILD)/deps
DEPS_READY = $(BUILD)/deps.ready
CC = $(DEPS)/toolchain/cc
AR = $(DEPS)/toolchain/ar
LINK = $(DEPS)/toolchain/c++
PKG_CFLAGS = -I$(DEPS)/include -I$(DEPS)/include/libxml2 -DLSMS_CURL_LINKED
PKG_LIBS =
else
DEPS_READY =
# libcurl is compiled against but not linked: provider/aws/curl_lib.c opens
# it on first use (why: provider/aws/curl_lib.h).
LINK_PKGS = grpc libprotobuf-c openssl libcjson msgpack libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(LINK_PKGS) libcurl 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
endif
CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) $(SANFLAGS) \
         -Iprovider -I. -I$(BUILD)/gen $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS = $(SANFLAGS) $(EXTRA_LDFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm -ldl

# The provider binary of the plain build takes gRPC (with abseil, upb, re2,
# c-ares), protobuf-c, msgpack, libxml2 (with ICU and lzma), OpenSSL, zlib
# and libstdc++ from Debian's static archives: OpenTofu starts the provider
# several times per command, and binding the ~17,000 symbols of ~60 shared
# libraries cost more than the rest of the start-up (tests/bench/README.md).
# Only glibc and cJSON (Debian ships no archive of it) stay shared. Packed
# relative relocations (DT_RELR) keep the table the loader reads at start-up
# at 10 KB instead of 940 KB. Tests and sanitizer builds link the shared
# libraries. STATIC_LINK=0 turns it off.
STATIC_LINK ?= $(if $(SAN)$(FUZZ),0,1)
ifneq ($(PLATFORM),)
# Everything, the C and C++ runtimes (musl, libc++) included: no NEEDED
# entry, no interpreter. Archives in one group: their order does not matter.
# Symbols are stripped (-s): the zip carries what users run.
BIN_LIBS = -static -Wl,--gc-sections -s -Wl,--start-group $$(echo $(DEPS)/lib/*.a) -Wl,--end-group
else ifeq ($(STATIC_LINK),1)
STATIC_ARCHIVES := $(sort $(filter -labsl_% -lgrpc -lgpr -lupb -lre2 -lcares -laddress_sorting, \
                     $(shell pkg-config --static --libs grpc 2>/dev/null))) \
                   -lprotobuf-c -lmsgpackc -lxml2 -licuuc -licudata -llzma -lssl -lcrypto -lz -lstdc++
BIN_LIBS = -static-libstdc++ -static-libgcc -Wl,-z,pack-relative-relocs \
           -Wl,-Bstatic -Wl,--start-group $(STATIC_ARCHIVES) -Wl,--end-group \
           -Wl,-Bdynamic -lcjson -lpthread -lm -ldl -lrt
else
BIN_LIBS = $(LIBS)
endif

PROTO_SRC = $(wildcard proto/*.proto)
PROTO_C = $(patsubst proto/%.proto,$(BUILD)/gen/%.pb-c.c,$(PROTO_SRC))
PROTO_H = $(PROTO_C:.c=.h)
LIB_SRC = $(filter-out provider/main.c,$(wildcard provider/*.c provider/*/*.c resources/*.c resources/*/*.c))
# The demo player's files (lsms_player, resources/player/): the page and
# hls.js from its npm package (version and integrity pinned in
# tests/tools/hlsjs, fetched once into the cache), embedded as C arrays
# generated at build time.
PLAYER_ASSETS_C = $(BUILD)/gen/player_assets.c
LIB_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(PROTO_C:.c=.o) $(PLAYER_ASSETS_C:.c=.o)
BIN = $(BUILD)/terraform-provider-lsms
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

VERSION = 0.1.0

# Generated sources are kept: make would otherwise delete them as intermediates.
.SECONDARY: $(PROTO_C) $(PROTO_H) $(PLAYER_ASSETS_C)
.PHONY: all deps unit-tests test test-layers test-unit test-static test-static-arm64 \
        test-examples-release test-unit-asan test-protocol test-acceptance fixture \
        test-playback \
        install release demo demo-destroy bench docs docs-check clean test-emulator test-protocol-asan \
        test-protocol-tsan \
        fuzz fuzz-bins fuzz-seeds test-fuzz test-unit-valgrind soak-iam test-reliability soak

all: $(BIN)

deps:
	@tests/tools/install-deps

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=proto --proto_path=/usr/include --c_out=$(BUILD)/gen $<

$(BUILD)/obj/%.o: %.c $(PROTO_H) $(DEPS_READY)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/%.pb-c.o: $(BUILD)/gen/%.pb-c.c $(PROTO_H) $(DEPS_READY)
	$(CC) $(filter-out -Wextra,$(CFLAGS)) -c $< -o $@

$(PLAYER_ASSETS_C): resources/player/page/index.html tests/tools/hlsjs \
                   tests/tools/embed_player_assets.py
	@mkdir -p $(BUILD)/gen
	@dist=$$(HLSJS_VERSION= tests/tools/hlsjs) && \
	  python3 tests/tools/embed_player_assets.py $@ "$$(dirname "$$dist")" \
	    resources/player/page/index.html

$(BUILD)/gen/player_assets.o: $(PLAYER_ASSETS_C) $(DEPS_READY)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/liblsms.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/provider/main.o $(BUILD)/liblsms.a $(DEPS_READY)
	$(LINK) $(LDFLAGS) -o $@ $(BUILD)/obj/provider/main.o $(BUILD)/liblsms.a $(BIN_LIBS)

ifneq ($(PLATFORM),)
# The libraries of the static build, built once per set of Debian versions,
# zig version and target into the cache (seconds when they are there).
# $(DEPS) links to that prefix; deps.ready changes only when the prefix
# does, so objects are recompiled against new headers and nothing else.
.PHONY: static-deps
static-deps:
	@prefix=$$(tests/tools/static/build-deps $(PLATFORM)) || exit 1; \
	mkdir -p $(BUILD); \
	if [ "$$(readlink $(DEPS) 2>/dev/null)" != "$$prefix" ] || [ ! -e $(DEPS_READY) ]; then \
	  ln -sfn "$$prefix" $(DEPS) && echo "$$prefix" > $(DEPS_READY); fi

$(DEPS_READY): static-deps
	@:
endif

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblsms.a $(wildcard tests/unit/*.h)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/liblsms.a $(LDFLAGS) $(LIBS) -lcmocka

unit-tests: $(UNIT_BIN)

# Unit tests run from the repository root so they can find ../shared.
test-unit: unit-tests
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

test-unit-asan:
	$(MAKE) SAN=1 test-unit

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

clean:
	rm -rf build

# ---- release and install (tests/tools/release.py, README "Installing") ----
# `make release VERSION=x.y.z` writes into RELEASE_DIR what a provider registry
# and a network mirror serve, for RELEASE_PLATFORMS (default: both static
# binaries, linux_amd64 and linux_arm64; with PLATFORM=p, p alone):
# terraform-provider-lsms_VERSION_<os_arch>.zip, _SHA256SUMS, _manifest.json
# (and _SHA256SUMS.sig with SIGN_KEY=<gpg key>), and mirror/, a packed
# filesystem mirror that is also a static network mirror.
# `make install` extracts this machine's platform from a release into
# MIRROR_DIR (an unpacked filesystem mirror) and writes the CLI config TFRC
# pointing at it: with PLATFORM=p the static binary from RELEASE_DIR, without
# it the development build (`make`'s binary) through a release of its own in
# $(BUILD)/dev-release. Source address lsms/lsms means
# registry.opentofu.org/lsms/lsms for OpenTofu and registry.terraform.io/lsms/lsms
# for Terraform: both are written.
MIRROR_DIR ?= $(HOME)/.terraform.d/lsms-mirror
TFRC ?= $(HOME)/.terraform.d/lsms.tfrc
HOST_OS_ARCH := linux_$(patsubst x86_64,amd64,$(patsubst aarch64,arm64,$(shell uname -m)))
OS_ARCH = $(or $(PLATFORM),$(HOST_OS_ARCH))
RELEASE_DIR ?= build/release/$(VERSION)
RELEASE_PLATFORMS ?= $(or $(PLATFORM),$(PLATFORMS))
INSTALL_RELEASE_DIR = $(if $(PLATFORM)$(filter command line environment,$(origin RELEASE_DIR)),$(RELEASE_DIR),$(BUILD)/dev-release/$(VERSION))
RELEASE_ZIP = $(INSTALL_RELEASE_DIR)/terraform-provider-lsms_$(VERSION)_$(OS_ARCH).zip
SIGN_KEY ?=
RELEASE_PY = python3 tests/tools/release.py
shq = '$(subst ','\'',$(1))'
# The binary of platform p: this build's when p is PLATFORM, else build/static/p's.
static_build = $(if $(filter $(1),$(PLATFORM)),$(BUILD),build/static/$(1))

# A bad VERSION is refused before anything is built or written.
ifneq ($(filter release install,$(MAKECMDGOALS)),)
VERSION_ERROR := $(shell $(RELEASE_PY) check-version $(call shq,$(VERSION)) 2>&1)
ifneq ($(VERSION_ERROR),)
$(error $(VERSION_ERROR))
endif
endif

# Always rewritten (a new SIGN_KEY, a changed script).
release:
	@set -e; $(foreach p,$(RELEASE_PLATFORMS),\
	  $(MAKE) --no-print-directory PLATFORM=$(p) BUILD=$(call static_build,$(p)) all;)
	@$(RELEASE_PY) build $(foreach p,$(RELEASE_PLATFORMS),--binary $(p)=$(call static_build,$(p))/terraform-provider-lsms) \
	  --version $(call shq,$(VERSION)) --out $(call shq,$(RELEASE_DIR)) \
	  $(if $(SIGN_KEY),--sign-key $(call shq,$(SIGN_KEY)))

# install only needs this platform's zip to be newer than the binary.
$(RELEASE_ZIP): $(BIN) tests/tools/release.py
	@$(RELEASE_PY) build --binary $(OS_ARCH)=$(BIN) --version $(call shq,$(VERSION)) \
	  --out $(call shq,$(INSTALL_RELEASE_DIR)) >/dev/null

install: $(RELEASE_ZIP)
	@$(RELEASE_PY) install --release $(call shq,$(INSTALL_RELEASE_DIR)) --version $(call shq,$(VERSION)) \
	  --os-arch $(OS_ARCH) --mirror $(call shq,$(MIRROR_DIR)) --tfrc $(call shq,$(TFRC))

# ---- tests ----
PYTHON = $$(tests/tools/venv)
# The provider under test, for the suites: the development build, or with
# PLATFORM=p the static binary (make test-acceptance PLATFORM=linux_amd64).
# The suites' own make calls get none of this make's variables (MAKEFLAGS).
TEST_ENV = MAKEFLAGS= MFLAGS= $(if $(PLATFORM),LSMS_PLATFORM=$(PLATFORM) LSMS_BUILD=$(BUILD) \
           LSMS_PROVIDER_BIN=$(abspath $(BIN)))

# The protocol tests also use a fixture provider (tests/protocol/fixture_provider.c
# in place of resources/provider.c): a resource with identity, list and generated
# configuration, a data source, a function and an action over a file store, so
# the generic layers are tested without AWS.
FIXTURE_BIN = $(BUILD)/tests/terraform-provider-lsms-fixture

$(FIXTURE_BIN): tests/protocol/fixture_provider.c $(BUILD)/obj/provider/main.o $(BUILD)/liblsms.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tests/protocol/fixture_provider.c $(BUILD)/obj/provider/main.o \
	  $(BUILD)/liblsms.a $(LDFLAGS) $(LIBS)

fixture: $(FIXTURE_BIN)

test-protocol: $(BIN) $(FIXTURE_BIN)
	@py=$(PYTHON); LSMS_PROVIDER_BIN=$(BIN) LSMS_FIXTURE_BIN=$(FIXTURE_BIN) $$py -m pytest -q tests/protocol

test-emulator:
	@py=$(PYTHON); $$py -m pytest -q tests/emulator

# test_release.py releases and installs the static linux_amd64 binary (a
# release is static): make test-static runs it, with the examples on that
# binary; the other suites here test the build chosen as above (with
# PLATFORM=p, without the fixture provider, which is built for the
# development build only).
test-acceptance: $(BIN) $(if $(PLATFORM),,$(FIXTURE_BIN))
	@py=$(PYTHON); $(TEST_ENV) LSMS_BUILD=$(BUILD) $(if $(PLATFORM),,LSMS_FIXTURE_BIN=$(FIXTURE_BIN)) \
	  $$py -m pytest -q tests/acceptance $(if $(PLATFORM),,--ignore=tests/acceptance/test_release.py)

# The stream plays (tests/playback): examples applied with channel_start,
# encoded by the emulator's media plane, watched in headless Chromium with
# hls.js; screenshots and figures in $(BUILD)/playback.
test-playback: $(BIN)
	@py=$(PYTHON); $$py -m pytest -q tests/playback

# ---- the static release binaries (tests/static/README.md) ----
# test-static: linux_amd64's static binary (built from source when its
# libraries are not cached): no shared library, the chroot apply, TLS trust
# per distribution and proxies (tests/static), then the examples and release
# suites on it. test-static-arm64: linux_arm64's under qemu-user (handshake,
# chroot apply with an arm64 tofu, TLS): not in make test (see the README).
test-static:
	$(MAKE) -j2 PLATFORM=linux_amd64 all
	@py=$(PYTHON); MAKEFLAGS= MFLAGS= LSMS_STATIC_PLATFORMS=linux_amd64 $$py -m pytest -q tests/static
	$(MAKE) PLATFORM=linux_amd64 test-examples-release

test-examples-release: $(BIN)
	@py=$(PYTHON); $(TEST_ENV) $$py -m pytest -q tests/acceptance/test_examples.py \
	  tests/acceptance/test_release.py

test-static-arm64:
	@dpkg-query -W -f='$${Status}' qemu-user-static 2>/dev/null | grep -q "install ok installed" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends qemu-user-static >/dev/null; }
	$(MAKE) -j2 PLATFORM=linux_arm64 all
	@py=$(PYTHON); MAKEFLAGS= MFLAGS= LSMS_STATIC_PLATFORMS=linux_arm64 $$py -m pytest -q tests/static

# The sanitizer build of the binary is exercised by the protocol tests too.
test-protocol-asan:
	$(MAKE) SAN=1 all fixture
	@py=$(PYTHON); LSMS_PROVIDER_BIN=build/asan/terraform-provider-lsms \
	  LSMS_FIXTURE_BIN=build/asan/tests/terraform-provider-lsms-fixture $$py -m pytest -q tests/protocol

# ... and by the ThreadSanitizer build (the same one test-reliability uses):
# the hand-offs between the workers, the completion-queue thread and
# StopProvider, server streams included. A report stops the process
# (halt_on_error), which fails the test talking to it; gRPC and the other
# uninstrumented libraries are kept out as tests/tools/tsan.supp explains.
test-protocol-tsan:
	$(MAKE) SAN=thread BUILD=$(TSAN_BUILD) all fixture
	@py=$(PYTHON); \
	  TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 suppressions=$(CURDIR)/tests/tools/tsan.supp" \
	  LSMS_PROVIDER_BIN=$(TSAN_BUILD)/terraform-provider-lsms \
	  LSMS_FIXTURE_BIN=$(TSAN_BUILD)/tests/terraform-provider-lsms-fixture $$py -m pytest -q tests/protocol

# provider/aws reads top-down (aws/engine.h lists its layers): no module
# includes, directly or not, one that includes it back.
test-layers:
	@tests/tools/include-cycles provider/aws

test: deps
	$(MAKE) all
	$(MAKE) test-layers
	$(MAKE) test-unit
	$(MAKE) test-unit-asan
	$(MAKE) test-unit-valgrind
	$(MAKE) test-fuzz
	$(MAKE) test-protocol
	$(MAKE) test-protocol-asan
	$(MAKE) test-protocol-tsan
	$(MAKE) test-emulator
	$(MAKE) test-acceptance
	$(MAKE) test-playback
	$(MAKE) test-static
	$(MAKE) test-reliability

# Every unit test binary (the plain build) under valgrind memcheck: any
# error or definite/indirect/possible leak fails. No suppressions are needed:
# the one-time initialisations of libcurl, OpenSSL and libxml2 stay
# reachable ("still reachable" is not reported as an error).
VALGRIND = valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
           --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1

test-unit-valgrind: unit-tests
	@set -e; for t in $(UNIT_BIN); do echo "== valgrind $$t"; $(VALGRIND) $$t >/dev/null; done

# The IAM least-privilege proof for every action of examples/resources/*/iam-actions.txt
# (make test runs it for a sample of actions).
soak-iam: $(BIN)
	@py=$(PYTHON); LSMS_IAM_ALL_ACTIONS=1 $$py -m pytest -q tests/acceptance/test_least_privilege.py

# ---- reliability (tests/reliability): faults injected by tests/tools/faultproxy.py
# between the provider and the emulator, throttling, StopProvider, 50
# resources in parallel, also with the ThreadSanitizer build ($(TSAN_BUILD)).
# test-reliability: short versions (in make test, ~6 min); soak: every call
# index of the step-by-step failure test (apply and destroy of examples/complete
# and examples/complete-s3) and every variant, with each client (~1 h per
# client; LSMS_TEST_TOFU_ONLY=1 for OpenTofu alone), with the figures written to
# $(BUILD)/soak/*.json and summarised at the end.
TSAN_BUILD ?= build/tsan

test-reliability: $(BIN)
	$(MAKE) SAN=thread BUILD=$(TSAN_BUILD) all
	@py=$(PYTHON); LSMS_BUILD=$(BUILD) LSMS_TSAN_BUILD=$(TSAN_BUILD) $$py -m pytest -q tests/reliability

soak: $(BIN)
	$(MAKE) SAN=thread BUILD=$(TSAN_BUILD) all
	@rm -rf $(BUILD)/soak; mkdir -p $(BUILD)/soak
	@py=$(PYTHON); LSMS_BUILD=$(BUILD) LSMS_TSAN_BUILD=$(TSAN_BUILD) \
	  LSMS_RELIABILITY_REPORT_DIR=$(BUILD)/soak $$py -m pytest -q -rs --soak tests/reliability

# ---- fuzzing (libFuzzer, clang): tests/fuzz/fuzz_*.c, seeds in tests/fuzz/corpus/<target> ----
# `make fuzz` builds every target into build/fuzz/bin and runs each for
# FUZZ_SECONDS (FUZZ_JOBS at a time); `make test-fuzz` runs each for
# FUZZ_TEST_SECONDS. New inputs go to build/fuzz/corpus/<target> (the seeds
# are only read), crashes to build/fuzz/artifacts, logs to build/fuzz/logs.
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 15
FUZZ_JOBS ?= 2
FUZZ_RUNS ?= -1
FUZZ_BIN_DIR = build/fuzz/bin

ifeq ($(FUZZ),1)
$(FUZZ_BIN_DIR)/%: tests/fuzz/%.c $(BUILD)/liblsms.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -fsanitize=fuzzer-no-link%,$(CFLAGS)) -fsanitize=fuzzer,address,undefined \
	  -Itests/fuzz -o $@ $< $(BUILD)/liblsms.a $(LIBS)
endif

fuzz-bins: deps
	$(MAKE) FUZZ=1 $(addprefix $(FUZZ_BIN_DIR)/,$(FUZZ_TARGETS))

fuzz-run-%:
	@mkdir -p build/fuzz/corpus/$* build/fuzz/artifacts build/fuzz/logs
	@echo "== fuzz $* ($(FUZZ_TIME) s)"
	@if $(FUZZ_BIN_DIR)/$* -max_total_time=$(FUZZ_TIME) -runs=$(FUZZ_RUNS) -timeout=10 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/$*- \
	    build/fuzz/corpus/$* tests/fuzz/corpus/$* >build/fuzz/logs/$*.log 2>&1; then \
	  grep -E '^(Done|#[0-9]+ +DONE)|stat::number_of_executed_units|cov:' build/fuzz/logs/$*.log \
	    | tail -3 | sed 's/^/   $*: /'; \
	else tail -40 build/fuzz/logs/$*.log; echo "fuzz $* FAILED (log build/fuzz/logs/$*.log)"; exit 1; fi

# Regenerates the codec and protocol seeds from the state files of a real
# apply against the emulator: make fuzz-seeds STATES="pull.tfstate push.tfstate"
fuzz-seeds: $(BUILD)/liblsms.a
	$(CC) $(CFLAGS) -Itests/fuzz -o $(BUILD)/seed_gen tests/fuzz/seed_gen.c $(BUILD)/liblsms.a \
	  $(LDFLAGS) $(LIBS)
	$(BUILD)/seed_gen tests/fuzz/corpus $(STATES)

fuzz: fuzz-bins
	$(MAKE) -j$(FUZZ_JOBS) FUZZ_TIME=$(FUZZ_SECONDS) $(addprefix fuzz-run-,$(FUZZ_TARGETS))

test-fuzz: fuzz-bins
	$(MAKE) -j$(FUZZ_JOBS) FUZZ_TIME=$(FUZZ_TEST_SECONDS) $(addprefix fuzz-run-,$(FUZZ_TARGETS))

# ---- the main job: the solution against the local emulator, ending on a
# stream that plays in its demo player (tests/tools/demo) ----
# ORIGIN=s3 (default): examples/complete-s3, the solution to use on AWS today;
# ORIGIN=mediastore: examples/complete, the solution as AWS built it.
# The channel is started and fed the test card its test_card_command output
# prints, as README.md says for AWS; the end is a local player URL and a
# screenshot of the player (build/demo/player.png). make demo-destroy leaves
# nothing, media processes included.
# CLIENT=terraform (or a path) runs it with Terraform instead of OpenTofu.
ORIGIN ?= s3

demo: deps
	@ORIGIN=$(ORIGIN) CLIENT=$(CLIENT) tests/tools/demo up

demo-destroy:
	@ORIGIN=$(ORIGIN) CLIENT=$(CLIENT) tests/tools/demo down

# ---- documentation generated from the provider's schema ----
docs: $(BIN)
	@tests/tools/docs write

docs-check: $(BIN)
	@tests/tools/docs check

# ---- benchmarks: figures, never a failure on a time (tests/bench/README.md) ----
# The static linux_amd64 release binary is measured beside the development
# build (built from source the first time: tests/tools/static/README.md);
# the linux_arm64 zip's size is reported when that binary is built.
bench: $(BIN)
	$(MAKE) -j2 PLATFORM=linux_amd64 all
	@py=$(PYTHON); $$py tests/bench/run.py $(BIN) --static build/static/linux_amd64/terraform-provider-lsms \
	  $(if $(wildcard build/static/linux_arm64/terraform-provider-lsms),--static-arm64 build/static/linux_arm64/terraform-provider-lsms) \
	  --out $(BUILD)/bench/results.md
