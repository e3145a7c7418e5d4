# Test suites. "make test" runs them all through tools/run-tests.sh, which
# prints each suite's "<suite>: N passed, N failed" line and the total.
#
#   test-unit          host unit tests (cmocka) built from hypervisor sources
#   test-integration   the hypervisor booted under QEMU, self-tests and dumps
#   test-conformance   the conformance kernels as dom0 of Paravane
#   test-conformance-xen (or test-xen)  the same kernels as dom0 of Xen 4.17

-include tests/unit/unit.mk
-include tests/fuzz/fuzz.mk
include tests/conformance/conformance.mk

TEST_SUITES := unit integration conformance conformance-xen

.PHONY: test test-integration test-conformance test-xen
test: deps
	@tools/run-tests.sh $(TEST_SUITES)

# Guest kernels the integration tests boot (tests/integration/guests/).
INTEG_GUESTS := $(patsubst tests/integration/guests/%.c,$(BUILD)/tests/integration/%.elf,\
	$(wildcard tests/integration/guests/*.c))

$(BUILD)/tests/integration/%.elf: $(PVG_OBJ)/tests/integration/guests/%.c.o \
		$(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$<)

.SECONDARY: $(patsubst %.c,$(PVG_OBJ)/%.c.o,$(wildcard tests/integration/guests/*.c))

test-integration: $(HV_ELF) $(PVG_BUILD)/hello.elf $(INTEG_GUESTS)
	@python3 tests/integration/run.py --build $(BUILD)

test-conformance: $(HV_ELF) $(CONF_ELFS)
	@python3 tests/conformance/run.py --build $(BUILD) $(CONF_ELFS)

test-xen: test-conformance-xen
