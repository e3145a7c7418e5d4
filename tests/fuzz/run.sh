#!/bin/sh
# Run libFuzzer targets, each for a bounded time, and count them.
#
#   tests/fuzz/run.sh SECONDS WORKDIR TARGET...
#
# TARGET is a fuzz program named fuzz_<name>. It runs for SECONDS with
# the working corpus WORKDIR/corpus/<name> (new inputs go there), seeded
# from tests/fuzz/corpus/<name>; a crash leaves its input in
# WORKDIR/crashes/. Each target is one case: passed if libFuzzer exits 0
# (no crash, sanitizer report, leak or timeout). The last line is
# "fuzz: N passed, N failed"; the exit status is 1 if anything failed.

secs=$1
work=$2
shift 2

pass=0
fail=0
mkdir -p "$work/crashes"
for prog in "$@"; do
	target=$(basename "$prog")
	name=${target#fuzz_}
	corpus="$work/corpus/$name"
	log="$prog.log"
	mkdir -p "$corpus"
	"$prog" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/crashes/$target-" \
		"$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -eq 0 ]; then
		echo "  PASS    $target (${runs:-?} inputs in ${secs}s)"
		pass=$((pass + 1))
	else
		echo "  FAIL    $target (exit $rc; see $log)"
		grep -m 4 -E 'runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY: |Test unit written to' "$log" |
			sed 's/^/          | /'
		fail=$((fail + 1))
	fi
done

echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
