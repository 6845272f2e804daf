#!/bin/sh
# Build the linuxd sandbox kernel (Linux, ARCH=um) into $1, and put the
# host-side sources of its file server into directory $2 if given, for
# tests/attack/fileserver.c, which drives that code as a hostile kernel.
#
# The result is cached under $LINUXD_CACHE (default ~/.cache/linuxd/kernel),
# keyed by the kernel source tarball, the patch series, the config fragment
# and this script, so an unchanged kernel is never rebuilt.
set -eu

out=$1
srcout=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tarball=${LINUXD_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${LINUXD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linuxd/kernel}
jobs=${JOBS:-$(nproc)}

[ -r "$tarball" ] || { echo "kernel/build.sh: $tarball: not found (apt-get install linux-source-6.12)" >&2; exit 1; }

key=$( { sha256sum "$tarball" | cut -d' ' -f1
	 cat "$here/build.sh" "$here/linuxd.config"
	 cat "$here"/patches/*.patch 2>/dev/null || true; } | sha256sum | cut -c1-16)
entry=$cache/$key

if [ ! -x "$entry/linux" ]; then
	echo "kernel: building $key (not cached)"
	work=$cache/work-$key
	rm -rf "$work"
	mkdir -p "$work"
	tar -xf "$tarball" -C "$work" --strip-components=1
	for p in "$here"/patches/*.patch; do
		[ -e "$p" ] || continue
		patch -d "$work" -p1 --quiet --forward < "$p"
	done
	make -C "$work" -s ARCH=um allnoconfig
	"$work/scripts/kconfig/merge_config.sh" -m -O "$work" \
		"$work/.config" "$here/linuxd.config" >/dev/null
	make -C "$work" -s ARCH=um olddefconfig
	# Every option the fragment asks for must have survived olddefconfig.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$here/linuxd.config" |
		grep -vxFf "$work/.config" || true)
	if [ -n "$missing" ]; then
		echo "kernel/linuxd.config: options not accepted: $missing" >&2
		exit 1
	fi
	make -C "$work" -s ARCH=um -j"$jobs" linux
	mkdir -p "$entry.tmp"
	strip -o "$entry.tmp/linux" "$work/linux"
	cp "$work/.config" "$entry.tmp/config"
	mkdir "$entry.tmp/src"
	cp "$work/fs/hostfs/hostfs_user.c" "$work/fs/hostfs/hostfs.h" \
		"$work/arch/um/os-Linux/jail.c" "$entry.tmp/src/"
	rm -rf "$entry"
	mv "$entry.tmp" "$entry"
	rm -rf "$work"
fi
mkdir -p "$(dirname "$out")"
cp "$entry/linux" "$out.tmp"
mv "$out.tmp" "$out"
if [ -n "$srcout" ]; then
	rm -rf "$srcout"
	cp -r "$entry/src" "$srcout"
fi
