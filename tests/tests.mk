# Test suites; see tests/README.md.
.PHONY: test
