# Test suites. "make test" runs them all through tools/run-tests.sh, which
# prints each suite's "<suite>: N passed, N failed" line and the total.
#
#   test-unit          host unit tests (cmocka): hypervisor sources,
#                      xenstored's core, the toolstack's parsers
#   test-integration   the hypervisor booted under QEMU, self-tests and dumps
#   test-conformance   the conformance kernels as dom0 of Paravane
#   test-conformance-xen (or test-xen)  the same kernels as dom0 of Xen 4.17
#   test-toolstack     dom0 kernels that build and watch domUs (Paravane)
#   test-toolstack-xen the same on Xen 4.17
#   test-fuzz          the libFuzzer targets, FUZZ_TIME seconds each (10)
#   test-compat        Debian's xenstore-utils against our xenstored
#                      (the host daemon, tests/compat/run.py)

-include tests/unit/unit.mk
-include tests/fuzz/fuzz.mk
include tests/conformance/conformance.mk
include tests/toolstack/toolstack.mk

TEST_SUITES := unit integration conformance conformance-xen toolstack \
	toolstack-xen fuzz compat

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

# dom0's ramdisk for the xl cases: the configurations in
# tests/integration/xl, the ping pair autostarted, the toolstack tests'
# probe domU, the demo kernel and the console echo domU.
INTEG_XL_CFGS := $(wildcard tests/integration/xl/*.cfg)
INTEG_RAMDISK := $(BUILD)/tests/integration/ramdisk.cpio

$(INTEG_RAMDISK): $(INTEG_XL_CFGS) $(TS_GUEST_ELFS) $(TS_BUILD)/bad.elf \
		$(BUILD)/stripped/pingpong.elf $(BUILD)/stripped/echo.elf \
		tools/mkramdisk.py tests/tests.mk
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	$(Q)tools/mkramdisk.py $@ \
		$(foreach c,$(INTEG_XL_CFGS),/etc/xl/$(notdir $(c))=$(c)) \
		/etc/xl/auto/ping-a.cfg@=../ping-a.cfg \
		/etc/xl/auto/ping-b.cfg@=../ping-b.cfg \
		/boot/probe.elf=$(TS_BUILD)/guests/probe.elf \
		/boot/bad.elf=$(TS_BUILD)/bad.elf \
		/boot/pingpong.elf=$(BUILD)/stripped/pingpong.elf \
		/boot/echo.elf=$(BUILD)/stripped/echo.elf

test-integration: $(HV_ELF) $(PVG_BUILD)/hello.elf $(INTEG_GUESTS) \
		$(DOM0_ELF) $(DOM0_RAMDISK) $(INTEG_RAMDISK)
	@python3 tests/integration/run.py --build $(BUILD)

test-conformance: $(HV_ELF) $(CONF_ELFS)
	@python3 tests/conformance/run.py --build $(BUILD) $(CONF_ELFS)

test-xen: test-conformance-xen

.PHONY: test-compat
test-compat: $(XSD_HOST)
	@python3 tests/compat/run.py --daemon $(XSD_HOST)
