# The hypervisor image: a freestanding x86_64 ELF with a multiboot2 header.
#
# Code model: the image lives at 0xFFFF82D040000000 (L4 slot 261), inside
# the range Xen's ABI reserves for the hypervisor. -mcmodel=kernel would
# require it in the top 2 GiB (slot 511), which belongs to PV guests, so
# like Xen we build position-independent code (-fpie, hidden visibility)
# and link it at its fixed address; calls and data references are
# RIP-relative and cost nothing over the kernel model.

HV_BUILD := $(BUILD)/hypervisor
HV_ELF := $(BUILD)/paravane.elf

HV_CFLAGS := $(FREESTANDING_CFLAGS) -fpie -fvisibility=hidden \
	-include hypervisor/include/hv/visibility.h \
	-D__XEN__ -Ihypervisor/include -Ihypervisor/arch/x86/include \
	-I$(HV_BUILD)/include
HV_ASFLAGS := $(HV_CFLAGS) -D__ASSEMBLY__

HV_SRCS := $(wildcard lib/*.c hypervisor/common/*.c hypervisor/mm/*.c \
	hypervisor/drivers/*.c hypervisor/arch/x86/*.c hypervisor/arch/x86/pv/*.c \
	hypervisor/arch/x86/*.S hypervisor/arch/x86/boot/*.S)
HV_SRCS := $(filter-out hypervisor/arch/x86/asm-offsets.c,$(HV_SRCS))
HV_OBJS := $(patsubst %,$(HV_BUILD)/%.o,$(HV_SRCS))
HV_LDS := hypervisor/arch/x86/hypervisor.ld
HV_OFFSETS := $(HV_BUILD)/include/asm-offsets.h
HV_MK_DEPS := Makefile hypervisor/hypervisor.mk

$(HV_OFFSETS): hypervisor/arch/x86/asm-offsets.c | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HV_CFLAGS) -MF $@.d -MT $@ -S -o $@.s $<
	@( echo '/* Generated from asm-offsets.c; do not edit. */'; \
	   echo '#ifndef ASM_OFFSETS_H'; echo '#define ASM_OFFSETS_H'; \
	   sed -n 's/^->\([A-Za-z_0-9]*\) \$$\?\([0-9-]*\).*/#define \1 \2/p' $@.s; \
	   echo '#endif' ) > $@

$(HV_BUILD)/%.c.o: %.c $(HV_OFFSETS) $(HV_MK_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c -o $@ $<

$(HV_BUILD)/%.S.o: %.S $(HV_OFFSETS) $(HV_MK_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c -o $@ $<

# Two-pass link: the first image's text symbols become the symbol table
# that backtraces print; .hvsyms sits after .text, so no code moves.
HV_LDFLAGS := -nostdlib -static --no-dynamic-linker -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments -T $(HV_LDS)

$(HV_BUILD)/syms0.S:
	@mkdir -p $(dir $@)
	@tools/gensyms.sh /dev/null > $@

$(HV_BUILD)/paravane-syms0.elf: $(HV_OBJS) $(HV_BUILD)/syms0.S.o $(HV_LDS)
	$(Q)$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/syms0.S.o

$(HV_BUILD)/syms.S: $(HV_BUILD)/paravane-syms0.elf tools/gensyms.sh
	$(Q)tools/gensyms.sh $< > $@

$(HV_BUILD)/%.S.o: $(HV_BUILD)/%.S
	$(Q)$(CC) $(HV_ASFLAGS) -c -o $@ $<

$(HV_ELF): $(HV_OBJS) $(HV_BUILD)/syms.S.o $(HV_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/syms.S.o
	@nm $@ | grep -q ' start_paravane$$'

.PHONY: hypervisor
hypervisor: $(HV_ELF)
