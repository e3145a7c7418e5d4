#!/bin/sh
# Run conformance kernels as dom0 of real Xen 4.17 (tools/xen-run.sh,
# with exit=port) and add up their "<kernel>: N passed, N failed" lines:
#
#   run-xen.sh build/tests/conformance/basic.elf ...
#
# ends with "conformance-xen: N passed, N failed". A kernel that ends
# without its summary line counts as one failure. Exits non-zero if
# anything failed.
set -u
tools=$(dirname "$0")/../../../tools
pass=0
fail=0
for elf in "$@"; do
	name=$(basename "$elf" .elf)
	out=$(mktemp)
	"$tools/xen-run.sh" "$elf" "exit=port" 2>&1 | tee "$out"
	line=$(tr -d '\r' < "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" | tail -n 1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "run-xen: $name did not finish"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed/\1/')
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "conformance-xen: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
