#!/bin/sh
# Boot a pvguest kernel as dom0 of real Xen 4.17 under QEMU (TCG): Xen is
# the ABI oracle that pvguest and its conformance tests are checked on.
#
#   xen-run.sh KERNEL.elf ["guest cmdline"] [extra QEMU arguments]
#
# Environment:
#   XEN_CMDLINE   more Xen options, after the defaults below
#   XEN_TIMEOUT   seconds before the run is stopped (default 120)
#   XEN_LOG       serial log file (default BUILD/xen/<kernel>.log)
#   BUILD         build directory (default build); Xen is fetched into it
#
# The serial console is shown as it arrives and kept in the log. The run
# ends when QEMU exits (a guest given "exit=port" writes its result to
# isa-debug-exit), when Xen reports that dom0 powered off, shut down or
# crashed, when Xen panics, or at the timeout.
#
# Exit status: 0 the guest succeeded (debug-exit success, or dom0 powered
# off with code 0); 1 it failed (failure code, crash, Xen panic); 2 timeout;
# 3 usage or setup error.
set -u
[ $# -ge 1 ] || { echo "usage: $0 KERNEL.elf [\"guest cmdline\"] [qemu args]" >&2; exit 3; }
kernel=$1
cmdline=${2:-}
shift
[ $# -gt 0 ] && shift
[ -f "$kernel" ] || { echo "xen-run: no such kernel: $kernel" >&2; exit 3; }

tools=$(dirname "$0")
build=${BUILD:-build}
"$tools/xen-fetch.sh" "$build" || exit 3
xen=$build/xen/xen.elf
name=$(basename "$kernel" .elf)
log=${XEN_LOG:-$build/xen/$name.log}
timeout=${XEN_TIMEOUT:-120}

# Xen's options: serial console; a small dom0 with two vCPUs (on the two
# CPUs QEMU gives, so SMP guest code is exercised); stop instead of
# rebooting after a dom0 crash; print every message, including guests'.
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=128M,max:128M"
xen_cmdline="$xen_cmdline dom0_max_vcpus=2 noreboot loglvl=all guest_loglvl=all"
xen_cmdline="$xen_cmdline ${XEN_CMDLINE:-}"

# QEMU's multiboot loader splits -initrd at commas; ",," is a literal one.
module=$(printf '%s' "$kernel${cmdline:+ $cmdline}" | sed 's/,/,,/g')

# What Xen prints when dom0 has ended the run (see hwdom_shutdown()).
done_re='Hardware Dom0 (halted|shutdown|crashed)|Panic on CPU|Hardware domain 0 did'

mkdir -p "$(dirname "$log")"
: > "$log"
errs=$(mktemp)
trap 'rm -f "$errs"' EXIT
# -cpu max,-smap: with SMAP, Xen 4.17 under TCG crashes its first PV guest.
qemu-system-x86_64 -machine q35 -accel tcg -cpu max,-smap -smp 2 -m 512M \
	-display none -monitor none -serial "file:$log" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$xen" -append "$xen_cmdline" -initrd "$module" \
	"$@" </dev/null 2>"$errs" &
qemu=$!
tail --pid="$qemu" -n +1 -f "$log" &
tailer=$!

stopped=""
start=$(date +%s)
while kill -0 "$qemu" 2>/dev/null; do
	if grep -q -E "$done_re" "$log"; then
		sleep 1 # let Xen finish its last lines
		stopped=xen
		kill "$qemu" 2>/dev/null
		break
	fi
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		stopped=timeout
		kill "$qemu" 2>/dev/null
		break
	fi
	sleep 0.2
done
wait "$qemu"
status=$?
wait "$tailer" 2>/dev/null
# QEMU's own complaints, less the note that it was stopped here.
grep -v 'terminating on signal' "$errs" >&2

# isa-debug-exit makes QEMU exit with (value << 1) | 1 (qemu_exit.h).
if [ "$stopped" = timeout ]; then
	outcome="timed out after ${timeout}s"
	rc=2
elif [ -z "$stopped" ] && [ "$status" -eq $(((0x10 << 1) | 1)) ]; then
	outcome="guest reported success"
	rc=0
elif [ -z "$stopped" ] && [ "$status" -eq $(((0x11 << 1) | 1)) ]; then
	outcome="guest reported failure"
	rc=1
elif grep -q 'Hardware Dom0 halted' "$log"; then
	outcome="dom0 powered off"
	rc=0
elif grep -q -E "$done_re" "$log"; then
	outcome="dom0 failed: $(grep -o -E "$done_re" "$log" | head -n 1)"
	rc=1
else
	outcome="QEMU exited with status $status"
	rc=1
fi
echo "xen-run: $name: $outcome (log: $log)" >&2
exit "$rc"
