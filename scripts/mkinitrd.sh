#!/bin/sh
# Pack linuxd-init ($1) as the sandbox kernel's initramfs ($2): /init and
# the empty directories it mounts on.
set -eu
init=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dev" "$tmp/proc" "$tmp/newroot" "$(dirname "$out")"
cp "$init" "$tmp/init"
(cd "$tmp" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
