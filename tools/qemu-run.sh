#!/bin/sh
# Boot a Paravane ISO under QEMU (TCG) with the serial console on this
# terminal. Ctrl-A X quits QEMU; Ctrl-A C switches to the QEMU monitor.
#
#   qemu-run.sh IMAGE.iso [extra QEMU arguments]
#
# Environment: PARAVANE_SMP (default 2), PARAVANE_MEM (default 1G).
set -eu
iso=$1
shift
exec qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max \
	-smp "${PARAVANE_SMP:-2}" -m "${PARAVANE_MEM:-1G}" \
	-cdrom "$iso" -boot d \
	-nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	"$@"
