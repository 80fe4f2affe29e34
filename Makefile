# terraform-provider-lsms build.
#
# Sources are found by wildcard, so adding a .c file under provider/ or
# resources/ needs no edit here. protobuf-c code is generated into $(BUILD)/gen.
# `make SAN=1` builds everything with AddressSanitizer + UBSan into build/asan,
# `make SAN=thread` with ThreadSanitizer into build/tsan.

SAN ?=
FUZZ ?=
ifeq ($(FUZZ),1)
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
# libcurl is compiled against but not linked: provider/aws/curl_lib.c opens
# it on first use (why: provider/aws/curl_lib.h).
LINK_PKGS = grpc libprotobuf-c openssl libcjson msgpack libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(LINK_PKGS) libcurl 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
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
ifeq ($(STATIC_LINK),1)
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
.PHONY: all deps unit-tests test test-unit test-unit-asan test-protocol test-acceptance fixture \
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

$(BUILD)/obj/%.o: %.c $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/%.pb-c.o: $(BUILD)/gen/%.pb-c.c $(PROTO_H)
	$(CC) $(filter-out -Wextra,$(CFLAGS)) -c $< -o $@

$(PLAYER_ASSETS_C): resources/player/page/index.html tests/tools/hlsjs \
                   tests/tools/embed_player_assets.py
	@mkdir -p $(BUILD)/gen
	@dist=$$(HLSJS_VERSION= tests/tools/hlsjs) && \
	  python3 tests/tools/embed_player_assets.py $@ "$$(dirname "$$dist")" \
	    resources/player/page/index.html

$(BUILD)/gen/player_assets.o: $(PLAYER_ASSETS_C)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/liblsms.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/provider/main.o $(BUILD)/liblsms.a
	$(CC) $(LDFLAGS) -o $@ $^ $(BIN_LIBS)

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
# and a network mirror serve: terraform-provider-lsms_VERSION_linux_amd64.zip,
# _SHA256SUMS, _manifest.json (and _SHA256SUMS.sig with SIGN_KEY=<gpg key>),
# and mirror/, a packed filesystem mirror that is also a static network mirror.
# `make install` extracts that zip into MIRROR_DIR (an unpacked filesystem
# mirror) and writes the CLI config TFRC pointing at it. Source address
# lsms/lsms means registry.opentofu.org/lsms/lsms for OpenTofu and
# registry.terraform.io/lsms/lsms for Terraform: both are written.
MIRROR_DIR ?= $(HOME)/.terraform.d/lsms-mirror
TFRC ?= $(HOME)/.terraform.d/lsms.tfrc
OS_ARCH = linux_amd64
RELEASE_DIR ?= $(BUILD)/release/$(VERSION)
RELEASE_ZIP = $(RELEASE_DIR)/terraform-provider-lsms_$(VERSION)_$(OS_ARCH).zip
SIGN_KEY ?=
RELEASE_PY = python3 tests/tools/release.py
shq = '$(subst ','\'',$(1))'

# A bad VERSION is refused before anything is built or written.
ifneq ($(filter release install,$(MAKECMDGOALS)),)
VERSION_ERROR := $(shell $(RELEASE_PY) check-version $(call shq,$(VERSION)) 2>&1)
ifneq ($(VERSION_ERROR),)
$(error $(VERSION_ERROR))
endif
endif

RELEASE_BUILD = $(RELEASE_PY) build --binary $(BIN) --version $(call shq,$(VERSION)) \
  --os-arch $(OS_ARCH) --out $(call shq,$(RELEASE_DIR)) $(if $(SIGN_KEY),--sign-key $(call shq,$(SIGN_KEY)))

# Always rewritten (a new SIGN_KEY, a changed script); install only needs the
# zip to be newer than the binary.
release: $(BIN)
	@$(RELEASE_BUILD)

$(RELEASE_ZIP): $(BIN) tests/tools/release.py
	@$(RELEASE_BUILD) >/dev/null

install: $(RELEASE_ZIP)
	@$(RELEASE_PY) install --release $(call shq,$(RELEASE_DIR)) --version $(call shq,$(VERSION)) \
	  --os-arch $(OS_ARCH) --mirror $(call shq,$(MIRROR_DIR)) --tfrc $(call shq,$(TFRC))

# ---- tests ----
PYTHON = $$(tests/tools/venv)

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

test-acceptance: $(BIN) $(FIXTURE_BIN)
	@py=$(PYTHON); LSMS_BUILD=$(BUILD) LSMS_FIXTURE_BIN=$(FIXTURE_BIN) $$py -m pytest -q tests/acceptance

# The stream plays (tests/playback): examples applied with channel_start,
# encoded by the emulator's media plane, watched in headless Chromium with
# hls.js; screenshots and figures in $(BUILD)/playback.
test-playback: $(BIN)
	@py=$(PYTHON); $$py -m pytest -q tests/playback

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

test: deps
	$(MAKE) all
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
bench: $(BIN)
	@py=$(PYTHON); $$py tests/bench/run.py $(BIN) --out $(BUILD)/bench/results.md
