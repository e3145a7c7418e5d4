# Test suites. "make test" runs them all through tools/run-tests.sh, which
# prints each suite's "<suite>: N passed, N failed" line and the total.
#
#   test-unit          host unit tests (cmocka) built from hypervisor sources
#   test-integration   the hypervisor booted under QEMU, self-tests and dumps

-include tests/unit/unit.mk
include tests/conformance/conformance.mk

TEST_SUITES := unit integration

.PHONY: test test-integration
test: deps
	@tools/run-tests.sh $(TEST_SUITES)

test-integration: $(HV_ELF)
	@python3 tests/integration/run.py --build $(BUILD)
