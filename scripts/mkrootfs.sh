#!/bin/sh
# The default container root filesystem: Debian's static busybox with its
# applet links, assembled locally (no network).
set -eu
root=$1
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "mkrootfs: $busybox: not found (apt-get install busybox-static)" >&2; exit 1; }
rm -rf "$root"
mkdir -p "$root"
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin etc dev proc sys tmp root run var/tmp home
chmod 1777 tmp var/tmp
cp "$busybox" bin/busybox
for applet in $(bin/busybox --list-full); do
	[ -e "$applet" ] || ln -s /bin/busybox "$applet"
done
cat > etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > etc/group <<'GROUP'
root:x:0:
daemon:x:1:
tty:x:5:
nogroup:x:65534:
GROUP
echo linuxd > etc/hostname
touch .built
