# Host tools: the ISO builder and the QEMU launcher.

# The demo ISO: the hypervisor with dom0 (pvguest and the toolstack,
# tools/xl) and dom0's ramdisk of configurations and domU kernels.
# DOM0_RAMDISK= (empty) boots dom0 without one.
ISO := $(BUILD)/paravane.iso
HV_CMDLINE ?= loglvl=info console=com1
DOM0_KERNEL ?= $(PVG_BUILD)/dom0.elf
DOM0_RAMDISK ?= $(BUILD)/dom0/ramdisk.cpio
DOM0_CMDLINE ?= console=hvc0
QEMU_ARGS ?=

ISO_DEPS := $(HV_ELF) $(DOM0_KERNEL) $(DOM0_RAMDISK) tools/mkiso.sh

$(ISO): $(ISO_DEPS)
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ $(HV_ELF) "$(HV_CMDLINE)" \
		$(DOM0_KERNEL) "$(DOM0_CMDLINE)" \
		$(if $(DOM0_RAMDISK),$(DOM0_RAMDISK) ramdisk)

.PHONY: iso run
iso: $(ISO)

run: deps
	@$(MAKE) --no-print-directory $(ISO)
	tools/qemu-run.sh $(ISO) $(QEMU_ARGS)

# xenstored as a host daemon (tools/xenstore/xenstore.mk).
include tools/xenstore/xenstore.mk
