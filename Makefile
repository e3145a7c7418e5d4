# Paravane: build, run and test everything from here.
#
#   make            build the hypervisor and the bootable ISO
#   make run        boot the ISO in QEMU, serial console on this terminal
#   make test       every suite; ends with "N passed, N failed"
#   make check      formatting, static analysis, headers compile alone
#
# The first "make run" or "make test" installs the Debian packages it
# needs when run as root (see tools/deps.sh).

.DEFAULT_GOAL := all
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.DELETE_ON_ERROR:

BUILD := build
# V=1 shows every command.
Q := $(if $(V),,@)
CC := gcc
LD := ld
OBJCOPY := objcopy

# The guest ABI: Debian's libxen-dev headers, seen as <xen/...> without
# exposing the rest of /usr/include to freestanding code.
XEN_HEADERS := /usr/include/xen
XEN_INC := $(BUILD)/xen-include
GCC_INC := $(shell $(CC) -print-file-name=include)

$(XEN_INC)/xen:
	@mkdir -p $(XEN_INC)
	@ln -sfn $(XEN_HEADERS) $@

# Flags for all freestanding x86_64 code (hypervisor and guests).
FREESTANDING_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes \
	-ffreestanding -nostdinc -isystem $(GCC_INC) -isystem $(XEN_INC) \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-Iinclude -MMD -MP

include hypervisor/hypervisor.mk
include pvguest/pvguest.mk
include tools/xl/xl.mk
include tools/tools.mk
include tools/bench/bench.mk
include tests/tests.mk

.PHONY: all clean deps
all: $(HV_ELF) $(ISO)

deps:
	@tools/deps.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

.PHONY: check
check: $(HV_ELF)
	@tools/check.sh
