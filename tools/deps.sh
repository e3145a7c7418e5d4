#!/bin/sh
# Make sure the Debian packages Paravane needs are installed. As root,
# install what is missing with apt-get; otherwise name the packages and
# the command to install them, and fail.
#
#   deps.sh            everything (build, run, test, check)
set -eu

packages="
	gcc make binutils
	grub-pc-bin grub-common xorriso mtools
	libxen-dev xenstore-utils
	qemu-system-x86
	libcmocka-dev python3
	cppcheck clang-format
	clang libclang-rt-14-dev
"

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Paravane needs these Debian packages:$missing" >&2
	echo "Install them with:  sudo apt-get install$missing" >&2
	exit 1
fi
echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
