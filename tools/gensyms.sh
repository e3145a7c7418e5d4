#!/bin/sh
# Turn the text symbols of a linked hypervisor image into the assembly of
# its symbol table (see hypervisor/common/symbols.c): sorted addresses,
# offsets into a string blob, and the blob. With /dev/null, an empty table.
set -eu
if [ "$1" = /dev/null ]; then
	syms=""
else
	syms=$(nm -n "$1" | awk '$2 ~ /^[tT]$/ && $3 !~ /^\.L/ { print $1, $3 }')
fi
printf '\t.section .hvsyms, "a"\n\t.balign 8\n'
printf '\t.globl hv_symbol_count\nhv_symbol_count:\n'
printf '%s\n' "$syms" | awk 'NF { n++ } END { printf "\t.quad %d\n", n }'
printf '\t.globl hv_symbol_addrs\nhv_symbol_addrs:\n'
printf '%s\n' "$syms" | awk 'NF { printf "\t.quad 0x%s\n", $1 }'
printf '\t.globl hv_symbol_offsets\nhv_symbol_offsets:\n'
printf '%s\n' "$syms" | awk 'NF { printf "\t.long %d\n", off; off += length($2) + 1 }'
printf '\t.globl hv_symbol_names\nhv_symbol_names:\n'
printf '%s\n' "$syms" | awk 'NF { printf "\t.asciz \"%s\"\n", $2 }'
printf '\t.byte 0\n'
