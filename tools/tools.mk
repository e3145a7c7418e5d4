# Host tools: the ISO builder and the QEMU launcher.

# The demo ISO: the hypervisor with pvguest as dom0.
ISO := $(BUILD)/paravane.iso
HV_CMDLINE ?= loglvl=info console=com1
DOM0_KERNEL ?= $(PVG_BUILD)/hello.elf
DOM0_CMDLINE ?= console=hvc0
QEMU_ARGS ?=

ISO_DEPS := $(HV_ELF) $(DOM0_KERNEL) tools/mkiso.sh

$(ISO): $(ISO_DEPS)
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ $(HV_ELF) "$(HV_CMDLINE)" \
		$(DOM0_KERNEL) "$(DOM0_CMDLINE)"

.PHONY: iso run
iso: $(ISO)

run: deps
	@$(MAKE) --no-print-directory $(ISO)
	tools/qemu-run.sh $(ISO) $(QEMU_ARGS)
