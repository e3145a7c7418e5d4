#!/bin/sh
# Run test suites ("make test-<suite>" each), show their output, and end
# with every suite's summary line and the total:
#
#   unit: 97 passed, 0 failed
#   integration: 19 passed, 0 failed
#   116 passed, 0 failed
#
# A suite that ends without its summary line counts as one failure.
# Exits non-zero if anything failed.
set -u
logdir=build/tests
mkdir -p "$logdir"
summary=""
total_pass=0
total_fail=0
for suite in "$@"; do
	log=$logdir/$suite.out
	echo "=== $suite"
	{ make --no-print-directory "test-$suite" 2>&1; echo $? > "$log.rc"; } |
		tee "$log"
	rc=$(cat "$log.rc")
	line=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1)
	if [ -z "$line" ]; then
		line="$suite: 0 passed, 1 failed"
		echo "$suite: the suite did not finish (see $log)"
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		line="$suite: $p passed, 1 failed"
		echo "$suite: exited with status $rc"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary="$summary$line
"
done
echo "==="
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
