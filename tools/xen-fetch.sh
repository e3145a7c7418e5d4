#!/bin/sh
# Fetch real Xen 4.17 (Debian's xen-hypervisor-4.17-amd64) to use as the
# ABI oracle: pvguest kernels boot on it under QEMU (tools/xen-run.sh).
#
#   xen-fetch.sh [BUILD_DIR]     default BUILD_DIR: build
#
# Leaves BUILD_DIR/xen/xen.elf, the uncompressed hypervisor: a multiboot1
# image that QEMU's -kernel boots directly. The .deb is kept in the same
# folder, so a second run does nothing. apt-get download needs no root,
# but a machine that never ran "apt-get update" may know no candidate; as
# root the script updates the lists and retries once.
set -eu
build=${1:-build}
dir=$build/xen
pkg=xen-hypervisor-4.17-amd64
out=$dir/xen.elf

[ -s "$out" ] && exit 0
mkdir -p "$dir"

# Test suites boot several kernels at once and each may call this script:
# one fetches while the others wait, then find xen.elf there.
exec 9>"$dir/.fetch.lock"
flock 9
[ -s "$out" ] && exit 0

# apt-get download writes the .deb in place, so it downloads into a
# staging folder and only a complete, readable package is moved in.
download() {
	fetch=$(mktemp -d "$dir/.download.XXXXXX")
	if ! (cd "$fetch" && apt-get download -q "$pkg" >/dev/null 2>&1); then
		if [ "$(id -u)" -ne 0 ]; then
			rm -rf "$fetch"
			echo "xen-fetch: 'apt-get download $pkg' failed;" \
				"run 'sudo apt-get update' and retry" >&2
			exit 1
		fi
		apt-get update -q >/dev/null
		(cd "$fetch" && apt-get download -q "$pkg" >/dev/null)
	fi
	got=$(ls "$fetch"/${pkg}_*.deb | head -n 1)
	dpkg-deb --info "$got" >/dev/null
	mv "$got" "$dir/"
	rm -rf "$fetch"
}

deb=$(ls "$dir"/${pkg}_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "xen-fetch: downloading $pkg"
	download
	deb=$(ls "$dir"/${pkg}_*.deb | head -n 1)
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
if ! dpkg-deb -x "$deb" "$stage" 2>/dev/null; then
	echo "xen-fetch: $deb is damaged; downloading $pkg again"
	rm -f "$deb"
	rm -rf "$stage" && mkdir "$stage"
	download
	deb=$(ls "$dir"/${pkg}_*.deb | head -n 1)
	dpkg-deb -x "$deb" "$stage"
fi
gz=$(ls "$stage"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n 1 || true)
[ -n "$gz" ] || { echo "xen-fetch: no /boot/xen-4.17-amd64.gz in $deb" >&2; exit 1; }
cp "$gz" "$dir/xen-4.17.gz"
gunzip -c "$dir/xen-4.17.gz" > "$out.tmp"
mv "$out.tmp" "$out"
echo "xen-fetch: $out ($(basename "$deb"))"
