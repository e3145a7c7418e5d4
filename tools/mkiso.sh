#!/bin/sh
# Build a BIOS-bootable GRUB rescue ISO for Paravane.
#
#   mkiso.sh OUT.iso HYPERVISOR.elf "HV CMDLINE" [MODULE "MODULE CMDLINE"]...
#
# grub.cfg boots the hypervisor with multiboot2 and passes each module with
# module2; GRUB talks on the serial line so the whole boot shows on COM1.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 OUT.iso HV.elf CMDLINE [MOD CMDLINE]..." >&2; exit 2; }
out=$1 hv=$2 cmdline=$3
shift 3

stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub"
cp "$hv" "$stage/boot/paravane.elf"

cfg=$stage/boot/grub/grub.cfg
cat > "$cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Paravane" {
	multiboot2 /boot/paravane.elf $cmdline
CFG
n=0
while [ $# -ge 2 ]; do
	name=$(basename "$1")
	cp "$1" "$stage/boot/$n-$name"
	echo "	module2 /boot/$n-$name $2" >> "$cfg"
	n=$((n + 1))
	shift 2
done
printf '\tboot\n}\n' >> "$cfg"

grub-mkrescue -o "$out" "$stage" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
