# pvguest: the PV guest kernel, as a library that kernels link with.
#
#   $(PVG_LIB)            libpvguest.a: everything but app_main()
#   $(PVG_LDS)            the linker script (preprocessed pvguest.ld.S)
#   $(PVG_BUILD)/hello.elf   the hello-world kernel
#   make pvguest          builds them; make pvguest-xen boots hello on Xen
#
# Any source in the tree compiles for pvguest as $(PVG_OBJ)/<path>.o with
# $(PVG_CFLAGS). A kernel is its objects plus the whole library:
#
#   $(BUILD)/x.elf: $(PVG_OBJ)/dir/x.c.o $(PVG_LINK_DEPS)
#   	@echo "  LD      $@"
#   	$(Q)$(call pvguest_link,$(PVG_OBJ)/dir/x.c.o)
#
# Code model: pvguest is linked at 0xFFFFFFFF80000000 (L4 slot 511, which
# belongs to guests) and built with -mcmodel=kernel, like Linux.

PVG_BUILD := $(BUILD)/pvguest
PVG_OBJ := $(PVG_BUILD)/obj
PVG_LIB := $(PVG_BUILD)/libpvguest.a
PVG_LDS := $(PVG_BUILD)/pvguest.ld

PVG_CFLAGS := $(FREESTANDING_CFLAGS) -mcmodel=kernel -fno-pie -fno-pic \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-Ipvguest/include
PVG_ASFLAGS := $(PVG_CFLAGS) -D__ASSEMBLY__
PVG_MK_DEPS := Makefile pvguest/pvguest.mk

PVG_LIB_SRCS := $(wildcard lib/*.c pvguest/arch/x86/*.S pvguest/kernel/*.c \
	pvguest/mm/*.c pvguest/events/*.c pvguest/time/*.c pvguest/sched/*.c \
	pvguest/grant/*.c pvguest/xenbus/*.c drivers-front/*/*.c)
PVG_LIB_SRCS := $(filter-out %.ld.S,$(PVG_LIB_SRCS))
PVG_LIB_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,$(PVG_LIB_SRCS))

$(PVG_OBJ)/%.c.o: %.c $(PVG_MK_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(PVG_CFLAGS) -c -o $@ $<

$(PVG_OBJ)/%.S.o: %.S $(PVG_MK_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(PVG_ASFLAGS) -c -o $@ $<

$(PVG_LDS): pvguest/arch/x86/pvguest.ld.S $(PVG_MK_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -undef -x c -D__ASSEMBLY__ -Ipvguest/include \
		-MMD -MP -MT $@ -MF $@.d -o $@ $<

$(PVG_LIB): $(PVG_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

PVG_LDFLAGS := -nostdlib -static --no-dynamic-linker -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments -T $(PVG_LDS)
PVG_LINK_DEPS := $(PVG_LIB) $(PVG_LDS)

# $(call pvguest_link,OBJS): link $@ from OBJS and all of libpvguest.a.
pvguest_link = $(LD) $(PVG_LDFLAGS) -o $@ $(1) \
	--whole-archive $(PVG_LIB) --no-whole-archive

$(PVG_BUILD)/hello.elf: $(PVG_OBJ)/pvguest/apps/hello.c.o $(PVG_LINK_DEPS)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$(PVG_OBJ)/pvguest/apps/hello.c.o)

.PHONY: pvguest pvguest-xen
pvguest: $(PVG_LIB) $(PVG_BUILD)/hello.elf
all: pvguest

# Boot hello.elf as dom0 of real Xen 4.17 under QEMU (the ABI oracle).
pvguest-xen: $(PVG_BUILD)/hello.elf
	tools/xen-run.sh $< "exit=port"
