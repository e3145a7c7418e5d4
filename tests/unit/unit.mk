# Host unit tests: the real hypervisor sources compiled for the host and
# linked against the fake arch layer in tests/unit/fake/ (Hafnium style),
# one cmocka program per subsystem. "make test-unit" builds and runs them;
# its last line is "unit: N passed, N failed", counting test cases.
#
# Included from the top-level Makefile, whose $(BUILD), $(CC) and $(Q) it
# uses. The host's own headers are visible, so <xen/...> is Debian's
# /usr/include/xen, and hv/errno.h and hv/string.h switch to the C library
# under PARAVANE_HOST_TEST.

UNIT_DIR := tests/unit
UNIT_BUILD := $(BUILD)/tests/unit

UNIT_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-Wno-unused-parameter $(UNIT_SANITIZE) -fno-omit-frame-pointer \
	-DPARAVANE_HOST_TEST -D__XEN__ \
	-I$(UNIT_DIR)/fake -Iinclude -Ihypervisor/include \
	-Ihypervisor/arch/x86/include -MMD -MP
UNIT_LDFLAGS := $(UNIT_SANITIZE)
UNIT_LIBS := -lcmocka

UNIT_FAKE := $(UNIT_DIR)/fake/host.c $(UNIT_DIR)/fake/page.c \
	$(UNIT_DIR)/fake/cpu.c $(UNIT_DIR)/fake/paging.c $(UNIT_DIR)/fake/pv.c
UNIT_MM := hypervisor/mm/frame_table.c hypervisor/mm/page_alloc.c \
	$(UNIT_DIR)/mm_fixture.c
# Domains listed by the test itself, and small objects on the C heap.
UNIT_DOMAINS := $(UNIT_DIR)/fake/domain.c $(UNIT_DIR)/fake/xmalloc.c

# Each program: tests/unit/<name>.c, the fakes and the sources it tests.
UNIT_SRCS_test_bootmem := hypervisor/mm/boot_alloc.c
UNIT_SRCS_test_buddy := $(UNIT_MM)
UNIT_SRCS_test_frame_table := $(UNIT_MM)
UNIT_SRCS_test_xmalloc := $(UNIT_MM) hypervisor/mm/xmalloc.c
UNIT_SRCS_test_cmdline := hypervisor/common/cmdline.c \
	lib/strutil.c
UNIT_SRCS_test_multiboot2 := hypervisor/common/multiboot2.c \
	lib/strutil.c
UNIT_SRCS_test_timer := hypervisor/common/timer.c
UNIT_SRCS_test_time_scale := hypervisor/common/time_scale.c
UNIT_SRCS_test_vsnprintf := lib/vsnprintf.c
UNIT_SRCS_test_page_type := $(UNIT_MM) $(UNIT_DIR)/pt_fixture.c \
	hypervisor/arch/x86/pv/page_type.c hypervisor/arch/x86/pv/descriptor.c
UNIT_SRCS_test_descriptor_page := $(UNIT_SRCS_test_page_type)
UNIT_SRCS_test_elf := lib/pv_elf.c $(UNIT_DIR)/elf_image.c
UNIT_EVENTS := hypervisor/common/event_channel.c \
	hypervisor/common/event_2l.c $(UNIT_DIR)/ev_fixture.c $(UNIT_DOMAINS)
UNIT_SRCS_test_event_channel := $(UNIT_EVENTS)
UNIT_SRCS_test_event_delivery := $(UNIT_EVENTS)
UNIT_SRCS_test_sched_credit := hypervisor/common/sched_credit.c \
	$(UNIT_DIR)/sched_fixture.c $(UNIT_DIR)/fake/domain.c
UNIT_SRCS_test_grant_table := $(UNIT_MM) $(UNIT_DOMAINS) \
	$(UNIT_DIR)/gt_fixture.c hypervisor/common/grant_table.c \
	hypervisor/common/grant_mapping.c hypervisor/common/grant_copy.c \
	hypervisor/arch/x86/pv/page_type.c hypervisor/arch/x86/pv/descriptor.c
UNIT_SRCS_test_domctl := hypervisor/common/domctl.c \
	hypervisor/common/sysctl.c $(UNIT_DOMAINS)
UNIT_SRCS_test_cpio := tools/ctrl/cpio.c
UNIT_SRCS_test_xlcfg := tools/ctrl/xlcfg.c lib/strutil.c
# xenstored: its core with the fixture's allocator and clients.
UNIT_XS := $(wildcard tools/xenstore/core/*.c) $(UNIT_DIR)/xs_fixture.c
UNIT_XS_NAMES := $(basename $(notdir $(wildcard $(UNIT_DIR)/test_xenstore_*.c)))
$(foreach t,$(UNIT_XS_NAMES),$(eval UNIT_SRCS_$(t) := $(UNIT_XS)))
UNIT_SRCS_test_consback := drivers-back/console/ring.c \
	drivers-back/console/log.c
# pvguest's xenstore client over the fixture's scripted transport.
UNIT_SRCS_test_xenbus := pvguest/xenbus/xenbus.c pvguest/xenbus/state.c \
	pvguest/kernel/errno.c lib/strutil.c $(UNIT_DIR)/xb_fixture.c \
	$(UNIT_DIR)/xb_watch_fake.c
# Its ring's message level, with the same fixture's heap.
UNIT_SRCS_test_xenbus_ring := $(UNIT_SRCS_test_xenbus) \
	pvguest/xenbus/ring_msg.c
# Its watches: the real watch.c, run a step at a time, over the same
# transport, with a fake vCPU and thread.
UNIT_SRCS_test_xenbus_watch := pvguest/xenbus/watch.c \
	pvguest/xenbus/xenbus.c pvguest/kernel/errno.c lib/strutil.c \
	$(UNIT_DIR)/xb_fixture.c $(UNIT_DIR)/xb_thread.c

UNIT_NAMES := test_bootmem test_buddy test_frame_table test_xmalloc \
	test_cmdline test_multiboot2 test_timer test_time_scale \
	test_vsnprintf test_page_type test_descriptor_page test_elf test_event_channel \
	test_event_delivery test_grant_table test_sched_credit test_domctl \
	test_cpio test_xlcfg test_consback test_xenbus test_xenbus_ring \
	test_xenbus_watch \
	$(UNIT_XS_NAMES)
UNIT_TESTS := $(patsubst %,$(UNIT_BUILD)/%,$(UNIT_NAMES))

# dom0's toolstack (tools/ctrl) and its tests see the toolstack headers.
$(UNIT_BUILD)/obj/tools/%.c.o $(UNIT_BUILD)/obj/tests/unit/test_cpio.c.o \
$(UNIT_BUILD)/obj/tests/unit/test_xlcfg.c.o \
$(UNIT_BUILD)/obj/tests/unit/test_xenstore_%.c.o \
$(UNIT_BUILD)/obj/tests/unit/xs_fixture.c.o: UNIT_EXTRA_CFLAGS := -Itools/include

# The console backend's ring and log code and its test see its header.
$(UNIT_BUILD)/obj/drivers-back/%.c.o \
$(UNIT_BUILD)/obj/tests/unit/test_consback.c.o: \
	UNIT_EXTRA_CFLAGS := -Idrivers-back/console

# pvguest's code and its tests see pvguest's headers and, as pvguest
# does, the latest guest interface rather than the hypervisor's view.
$(UNIT_BUILD)/obj/pvguest/%.c.o $(UNIT_BUILD)/obj/tests/unit/test_xenbus.c.o \
$(UNIT_BUILD)/obj/tests/unit/test_xenbus_ring.c.o \
$(UNIT_BUILD)/obj/tests/unit/test_xenbus_watch.c.o \
$(UNIT_BUILD)/obj/tests/unit/xb_fixture.c.o \
$(UNIT_BUILD)/obj/tests/unit/xb_watch_fake.c.o \
$(UNIT_BUILD)/obj/tests/unit/xb_thread.c.o: UNIT_EXTRA_CFLAGS := \
	-Ipvguest/include -U__XEN__ \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

# vsnprintf.c defines the C library's vsnprintf and snprintf; rename them.
$(UNIT_BUILD)/obj/lib/vsnprintf.c.o: UNIT_EXTRA_CFLAGS := \
	-Dvsnprintf=hv_vsnprintf -Dsnprintf=hv_snprintf

$(UNIT_BUILD)/obj/%.c.o: %.c Makefile $(UNIT_DIR)/unit.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(UNIT_CFLAGS) $(UNIT_EXTRA_CFLAGS) -c -o $@ $<

define UNIT_PROGRAM
$(UNIT_BUILD)/$(1): $(patsubst %,$(UNIT_BUILD)/obj/%.o,$(UNIT_DIR)/$(1).c \
		$(UNIT_SRCS_$(1)) $(UNIT_FAKE))
	@echo "  HOSTLD  $$@"
	$(Q)$(CC) $(UNIT_LDFLAGS) -o $$@ $$^ $(UNIT_LIBS)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call UNIT_PROGRAM,$(t))))

.PHONY: test-unit
test-unit: $(UNIT_TESTS)
	@$(UNIT_DIR)/run.sh $(UNIT_TESTS)
