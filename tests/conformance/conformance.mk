# Conformance kernels: pvguest kernels that test the hypervisor ABI from
# inside a guest, on real Xen 4.17 (the oracle) and on Paravane.
#
#   make conformance            build every $(CONF_BUILD)/<kernel>.elf
#   make test-conformance       run each one as dom0 of Paravane
#   make test-conformance-xen   run each one as dom0 of Xen 4.17 under QEMU
#
# A kernel is tests/conformance/<kernel>.c linked with the harness
# (harness/*.c, which provides app_main) and libpvguest.a.

CONF_BUILD := $(BUILD)/tests/conformance
CONF_KERNELS := $(basename $(notdir $(wildcard tests/conformance/*.c)))
CONF_ELFS := $(CONF_KERNELS:%=$(CONF_BUILD)/%.elf)
CONF_HARNESS_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,\
	$(wildcard tests/conformance/harness/*.c))

$(CONF_BUILD)/%.elf: $(PVG_OBJ)/tests/conformance/%.c.o \
		$(CONF_HARNESS_OBJS) $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$< $(CONF_HARNESS_OBJS))

# Keep the objects: make would delete them as intermediate files.
.SECONDARY: $(CONF_HARNESS_OBJS) \
	$(CONF_KERNELS:%=$(PVG_OBJ)/tests/conformance/%.c.o)

.PHONY: conformance test-conformance-xen
conformance: $(CONF_ELFS)
all: conformance

test-conformance-xen: $(CONF_ELFS)
	@python3 tests/conformance/run.py --xen --build $(BUILD) $(CONF_ELFS)
