#!/bin/sh
# Run a container from the default busybox rootfs on linuxd's own kernel
# and show its kernel next to the host's.
set -eu
build=$(cd "${1:-build}" && pwd)
bundle="$build/demo"
rm -rf "$bundle"
mkdir -p "$bundle"
ln -s ../rootfs "$bundle/rootfs"
"$build/bin/linuxd" spec --bundle "$bundle"
sed -i 's/"sh"$/"uname", "-a"/; s/"terminal": true/"terminal": false/' "$bundle/config.json"
echo "host:      $(uname -a)"
printf 'container: '
"$build/bin/linuxd" run --bundle "$bundle" "demo-$$"
