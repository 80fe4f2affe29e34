# terraform-provider-lsms build.
#
# Sources are found by wildcard, so adding a .c file under provider/ or
# resources/ needs no edit here. protobuf-c code is generated into $(BUILD)/gen.
# `make SAN=1` builds everything with AddressSanitizer + UBSan into build/asan.

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

CC ?= gcc
PKGS = grpc libprotobuf-c libcurl openssl libcjson msgpack libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) $(SANFLAGS) \
         -Iprovider -I. -I$(BUILD)/gen $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS = $(SANFLAGS) $(EXTRA_LDFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

PROTO_SRC = $(wildcard proto/*.proto)
PROTO_C = $(patsubst proto/%.proto,$(BUILD)/gen/%.pb-c.c,$(PROTO_SRC))
PROTO_H = $(PROTO_C:.c=.h)
LIB_SRC = $(filter-out provider/main.c,$(wildcard provider/*.c provider/*/*.c resources/*.c))
LIB_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(PROTO_C:.c=.o)
BIN = $(BUILD)/terraform-provider-lsms
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

VERSION = 0.1.0

# Generated sources are kept: make would otherwise delete them as intermediates.
.SECONDARY: $(PROTO_C) $(PROTO_H)
.PHONY: all deps unit-tests test test-unit test-unit-asan test-protocol test-acceptance \
        install demo demo-destroy bench docs docs-check clean test-emulator test-protocol-asan

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

$(BUILD)/liblsms.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/provider/main.o $(BUILD)/liblsms.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

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

# ---- install: a filesystem mirror and a CLI config so `tofu init` works offline ----
# Source address lsms/lsms means registry.opentofu.org/lsms/lsms for OpenTofu and
# registry.terraform.io/lsms/lsms for Terraform: the binary goes under both.
MIRROR_DIR ?= $(HOME)/.terraform.d/lsms-mirror
TFRC ?= $(HOME)/.terraform.d/lsms.tfrc
OS_ARCH = linux_amd64

install: $(BIN)
	@set -e; for host in registry.opentofu.org registry.terraform.io; do \
	  d="$(MIRROR_DIR)/$$host/lsms/lsms/$(VERSION)/$(OS_ARCH)"; \
	  mkdir -p "$$d"; install -m 0755 $(BIN) "$$d/terraform-provider-lsms_v$(VERSION)"; \
	done
	@mkdir -p $(dir $(TFRC))
	@mirror=$$(cd "$(MIRROR_DIR)" && pwd); printf '%s\n' \
	  '# Written by `make install` of terraform-provider-lsms.' \
	  'provider_installation {' \
	  '  filesystem_mirror {' \
	  "    path    = \"$$mirror\"" \
	  '    include = ["registry.opentofu.org/lsms/*", "registry.terraform.io/lsms/*"]' \
	  '  }' \
	  '}' > $(TFRC)
	@echo "installed lsms/lsms $(VERSION) into $(MIRROR_DIR)"
	@echo "use it with: export TF_CLI_CONFIG_FILE=$(TFRC)"

# ---- tests ----
PYTHON = $$(tests/tools/venv)

test-protocol: $(BIN)
	@py=$(PYTHON); $$py -m pytest -q tests/protocol

test-emulator:
	@py=$(PYTHON); $$py -m pytest -q tests/emulator

test-acceptance: $(BIN)
	@py=$(PYTHON); $$py -m pytest -q tests/acceptance

# The sanitizer build of the binary is exercised by the protocol tests too.
test-protocol-asan:
	$(MAKE) SAN=1 all
	@py=$(PYTHON); LSMS_PROVIDER_BIN=build/asan/terraform-provider-lsms $$py -m pytest -q tests/protocol

test: deps
	$(MAKE) all
	$(MAKE) test-unit
	$(MAKE) test-unit-asan
	$(MAKE) test-protocol
	$(MAKE) test-protocol-asan
	$(MAKE) test-emulator
	$(MAKE) test-acceptance

# ---- the main job: the complete example against the local emulator ----
demo: deps
	@tests/tools/demo up

demo-destroy:
	@tests/tools/demo down

# ---- documentation generated from the provider's schema ----
docs: $(BIN)
	@tests/tools/docs write

docs-check: $(BIN)
	@tests/tools/docs check
