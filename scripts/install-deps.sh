#!/bin/sh
# Install the Debian 12 packages linuxd needs to build and test, and any
# further packages named as arguments.
set -eu
packages="build-essential bc bison flex cpio xz-utils patch libjansson-dev libseccomp-dev
	linux-source-6.12 busybox-static bats jq iproute2 podman containerd runc
	python3-grpcio python3-protobuf protobuf-compiler clang strace $*"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
