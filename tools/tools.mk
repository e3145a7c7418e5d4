# Host tools: the ISO builder and the QEMU launcher.

ISO := $(BUILD)/paravane.iso
HV_CMDLINE ?= loglvl=info console=com1
QEMU_ARGS ?=

ISO_DEPS := $(HV_ELF) tools/mkiso.sh

$(ISO): $(ISO_DEPS)
	tools/mkiso.sh $@ $(HV_ELF) "$(HV_CMDLINE)"

.PHONY: iso run
iso: $(ISO)

run: deps
	@$(MAKE) --no-print-directory $(ISO)
	tools/qemu-run.sh $(ISO) $(QEMU_ARGS)
