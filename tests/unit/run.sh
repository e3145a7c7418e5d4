#!/bin/sh
# Run host unit-test programs and count their cases.
#
#   tests/unit/run.sh PROGRAM...
#
# Each cmocka program runs with TAP output into PROGRAM.log. A case is
# passed or failed by its "ok"/"not ok" line. A program that crashes (a
# sanitizer report, a signal) fails every planned case it never reported,
# and at least one case; so does one that exits non-zero with no failed
# case. The last line is "unit: N passed, N failed"; the exit status is 1
# if anything failed.

total_pass=0
total_fail=0

for prog in "$@"; do
	name=$(basename "$prog")
	log="$prog.log"
	CMOCKA_MESSAGE_OUTPUT=TAP "$prog" >"$log" 2>&1
	rc=$?
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
	pass=$(grep -c '^ok [0-9]' "$log")
	fail=$(grep -c '^not ok [0-9]' "$log")
	missing=$(( ${plan:-0} - pass - fail ))
	[ "$missing" -lt 0 ] && missing=0
	crashed=0
	if [ -z "$plan" ] || [ "$missing" -gt 0 ] ||
		{ [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; }; then
		crashed=1
	fi
	fail=$(( fail + missing ))
	[ "$crashed" -eq 1 ] && [ "$missing" -eq 0 ] && fail=$(( fail + 1 ))

	if [ "$fail" -eq 0 ]; then
		echo "  PASS    $name ($pass cases)"
	else
		echo "  FAIL    $name ($pass passed, $fail failed, exit $rc; see $log)"
		grep '^not ok [0-9]' "$log" | sed 's/^/          /'
		if [ "$crashed" -eq 1 ]; then
			last=$(grep -E '^(not )?ok [0-9]' "$log" | tail -n 1)
			echo "          crashed after: ${last:-(no case finished)}"
			grep -m 4 -E 'runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer|SUMMARY: ' "$log" |
				sed 's/^/          | /'
		fi
	fi
	total_pass=$(( total_pass + pass ))
	total_fail=$(( total_fail + fail ))
done

echo "unit: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
