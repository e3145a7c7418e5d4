#!/bin/sh
# Static checks of the tree ("make check"):
#   1. clang-format: every C file and header is formatted (.clang-format);
#   2. cppcheck: no warnings in the C sources (hypervisor, lib, dom0's
#      toolstack in tools/ctrl and tools/xl, the split drivers);
#   3. every header compiles on its own (its includes are complete);
#   4. the hypervisor builds with -Werror (done by make before this runs).
# Exits non-zero on the first failing step.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
fail=0

echo "check: clang-format"
files=$(git ls-files '*.c' '*.h')
if ! clang-format --dry-run --Werror $files; then
	echo "check: run 'clang-format -i' on the files above" >&2
	fail=1
fi

echo "check: cppcheck"
hv_inc="-I include -I hypervisor/include -I hypervisor/arch/x86/include -I $build/hypervisor/include -I $build/xen-include"
# shellcheck disable=SC2086
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr \
	--enable=warning,performance,portability \
	--std=c11 --platform=unix64 -D__x86_64__ -D__XEN__ -D__GNUC__ \
	--suppress=missingIncludeSystem \
	$hv_inc $(git ls-files 'hypervisor/*.c' 'lib/*.c'); then
	fail=1
fi
# dom0's toolstack and the split drivers, as pvguest builds them
# (tools/xl/xl.mk).
tools_inc="-I include -I pvguest/include -I tools/include -I drivers-back/include -I $build/xen-include"
# shellcheck disable=SC2086
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr \
	--enable=warning,performance,portability \
	--std=c11 --platform=unix64 -D__x86_64__ -D__XEN_TOOLS__ -D__GNUC__ \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 \
	--suppress=missingIncludeSystem \
	$tools_inc $(git ls-files 'tools/ctrl/*.c' 'tools/xl/*.c' 'tools/xenstore/*.c' \
		'drivers-back/*.c' 'drivers-front/*.c'); then
	fail=1
fi

echo "check: headers compile alone"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc_inc=$(gcc -print-file-name=include)
for h in $(git ls-files 'include/*.h' 'hypervisor/include/*.h' 'hypervisor/arch/x86/include/*.h'); do
	case "$h" in
	include/*) name=${h#include/} ;;
	hypervisor/include/*) name=${h#hypervisor/include/} ;;
	hypervisor/arch/x86/include/*) name=${h#hypervisor/arch/x86/include/} ;;
	esac
	printf '#include <%s>\n' "$name" > "$tmp/t.c"
	# shellcheck disable=SC2086
	if ! gcc -std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdinc \
		-isystem "$gcc_inc" -isystem "$build/xen-include" -D__XEN__ \
		-include hypervisor/include/hv/visibility.h \
		$hv_inc -fsyntax-only "$tmp/t.c"; then
		echo "check: $h does not compile on its own" >&2
		fail=1
	fi
done

for h in $(git ls-files 'tools/include/*.h' 'drivers-back/include/*.h'); do
	printf '#include <%s>\n' "${h#*/include/}" > "$tmp/t.c"
	# shellcheck disable=SC2086
	if ! gcc -std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdinc \
		-isystem "$gcc_inc" -isystem "$build/xen-include" \
		-D__XEN_TOOLS__ \
		-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
		$tools_inc -fsyntax-only "$tmp/t.c"; then
		echo "check: $h does not compile on its own" >&2
		fail=1
	fi
done

[ "$fail" -eq 0 ] && echo "check: all passed"
exit "$fail"
