# Fuzz targets: the parsers of untrusted input, the console backend's
# rings (whose page a frontend may write at will) and a domU's xenstore
# ring client (whose response ring xenstored fills), built from the real
# sources with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer. "make test-fuzz" runs every target for
# FUZZ_TIME seconds from its seed corpus (tests/fuzz/corpus/<name>/); its
# last line is "fuzz: N passed, N failed", one case per target, passed if
# nothing crashed. Working corpora and crash inputs go to
# build/tests/fuzz/. "make fuzz-corpus" regenerates the seeds. It is a
# suite of "make test" with the default FUZZ_TIME (10 s a target); fuzz
# longer with "make test-fuzz FUZZ_TIME=600".
#
# Included from tests/tests.mk; uses the top-level $(BUILD) and $(Q).

FUZZ_DIR := tests/fuzz
FUZZ_BUILD := $(BUILD)/tests/fuzz
FUZZ_CC := clang
FUZZ_TIME ?= 10

FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-Wno-unused-parameter $(FUZZ_SANITIZE) -fno-omit-frame-pointer \
	-DPARAVANE_HOST_TEST -D__XEN__ -Iinclude -Ihypervisor/include \
	-Ihypervisor/arch/x86/include -MMD -MP

# Each target: tests/fuzz/<name>.c and the sources it fuzzes.
FUZZ_SRCS_fuzz_elf := lib/pv_elf.c
FUZZ_SRCS_fuzz_cpio := tools/ctrl/cpio.c
FUZZ_SRCS_fuzz_xlcfg := tools/ctrl/xlcfg.c lib/strutil.c
FUZZ_SRCS_fuzz_xs_wire := $(wildcard tools/xenstore/core/*.c)
FUZZ_SRCS_fuzz_consring := drivers-back/console/ring.c \
	drivers-back/console/log.c
FUZZ_SRCS_fuzz_xenbus_ring := pvguest/xenbus/ring_msg.c \
	pvguest/xenbus/xenbus.c pvguest/kernel/errno.c lib/strutil.c

FUZZ_NAMES := fuzz_elf fuzz_cpio fuzz_xlcfg fuzz_xs_wire fuzz_consring \
	fuzz_xenbus_ring
FUZZ_TARGETS := $(patsubst %,$(FUZZ_BUILD)/%,$(FUZZ_NAMES))

$(FUZZ_BUILD)/obj/%.c.o: %.c Makefile $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# dom0's toolstack parsers see the toolstack headers.
$(FUZZ_BUILD)/obj/tools/%.c.o $(FUZZ_BUILD)/obj/$(FUZZ_DIR)/fuzz_cpio.c.o \
$(FUZZ_BUILD)/obj/$(FUZZ_DIR)/fuzz_xlcfg.c.o \
$(FUZZ_BUILD)/obj/$(FUZZ_DIR)/fuzz_xs_wire.c.o: FUZZ_CFLAGS += -Itools/include

# The console backend's ring and log code sees its own header.
$(FUZZ_BUILD)/obj/drivers-back/%.c.o \
$(FUZZ_BUILD)/obj/$(FUZZ_DIR)/fuzz_consring.c.o: \
	FUZZ_CFLAGS += -Idrivers-back/console

# pvguest's code and its target see pvguest's headers and, as pvguest
# does, the latest guest interface rather than the hypervisor's view.
$(FUZZ_BUILD)/obj/pvguest/%.c.o \
$(FUZZ_BUILD)/obj/$(FUZZ_DIR)/fuzz_xenbus_ring.c.o: FUZZ_CFLAGS += \
	-Ipvguest/include -U__XEN__ \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

define FUZZ_PROGRAM
$(FUZZ_BUILD)/$(1): $(patsubst %,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_DIR)/$(1).c \
		$(FUZZ_SRCS_$(1)))
	@echo "  FUZZLD  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_SANITIZE) -o $$@ $$^
endef
$(foreach t,$(FUZZ_NAMES),$(eval $(call FUZZ_PROGRAM,$(t))))

.PHONY: test-fuzz fuzz-corpus
test-fuzz: $(FUZZ_TARGETS)
	@$(FUZZ_DIR)/run.sh $(FUZZ_TIME) $(FUZZ_BUILD) $(FUZZ_TARGETS)

# The seeds: xenstore client streams (gen_xs_corpus.py), xenstored's
# responses on a domU's ring (gen_xenbus_ring_corpus.py), images built
# like the unit tests', and the pvguest hello kernel (stripped) when it
# has been built.
FUZZ_GEN_ELF := $(FUZZ_BUILD)/gen_elf_corpus
$(FUZZ_GEN_ELF): $(FUZZ_DIR)/gen_elf_corpus.c tests/unit/elf_image.c \
		tests/unit/elf_image.h Makefile $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -std=gnu11 -O1 -Wall -Wextra -Werror -DPARAVANE_HOST_TEST \
		-D__XEN__ -Iinclude -Ihypervisor/include -o $@ \
		$(FUZZ_DIR)/gen_elf_corpus.c tests/unit/elf_image.c

fuzz-corpus: $(FUZZ_GEN_ELF)
	$(Q)$(FUZZ_DIR)/gen_xs_corpus.py $(FUZZ_DIR)/corpus/xs_wire
	$(Q)$(FUZZ_DIR)/gen_xenbus_ring_corpus.py $(FUZZ_DIR)/corpus/xenbus_ring
	@mkdir -p $(FUZZ_DIR)/corpus/elf
	$(Q)$(FUZZ_GEN_ELF) $(FUZZ_DIR)/corpus/elf
	$(Q)if [ -f $(BUILD)/pvguest/hello.elf ]; then \
		strip -o $(FUZZ_DIR)/corpus/elf/hello.elf \
			$(BUILD)/pvguest/hello.elf; fi
