#!/usr/bin/env bats
load helpers

@test "the default mounts are there: proc, sysfs, tmpfs, devpts, mqueue" {
	run_container cat /proc/self/mounts
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^proc /proc proc '
	echo "$output" | grep -q '^tmpfs /dev tmpfs '
	echo "$output" | grep -q '^devpts /dev/pts devpts '
	echo "$output" | grep -q '^shm /dev/shm tmpfs '
	echo "$output" | grep -q '^mqueue /dev/mqueue mqueue '
	echo "$output" | grep -q '^sysfs /sys sysfs ro,'
}

@test "the default /dev has the usual devices" {
	run_container sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c && ls /dev/ptmx /dev/fd/ >/dev/null && echo ok'
	[ "$status" -eq 0 ]
	[ "$output" = $'4\n4\nok' ]
}

@test "a tmpfs mount takes its options" {
	update_config '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700", "noexec"]}]'
	run_container sh -c 'grep " /scratch " /proc/self/mounts; stat -c %a /scratch'
	[ "$status" -eq 0 ]
	[[ "$output" == *"tmpfs /scratch tmpfs rw,noexec"*"size=1024k"* ]]
	[[ "$output" == *$'\n700' ]]
}

@test "a tmpfs on a directory the rootfs has takes that directory's mode, as runc mounts it" {
	mkdir -m 751 "$BUNDLE/rootfs/kept"
	update_config '.root.readonly = true |
		.mounts += [{"destination": "/kept", "type": "tmpfs", "source": "tmpfs", "options": ["mode=700"]},
			    {"destination": "/new", "type": "tmpfs", "source": "tmpfs", "options": ["mode=710"]},
			    {"destination": "/new/sub", "type": "tmpfs", "source": "tmpfs"}]'
	run_container stat -c '%a %n' /kept /new /new/sub
	[ "$status" -eq 0 ]
	[ "$output" = $'751 /kept\n710 /new\n1777 /new/sub' ]
}

@test "a bind mount keeps the flags of its source's host mount, with its own options on top" {
	src="$BATS_TEST_TMPDIR/src"
	mkdir "$src"
	echo data > "$src/f"
	mount --bind "$src" "$src"
	mount -o remount,bind,ro,nosuid,nodev,noexec "$src"
	update_config --arg src "$src" \
		'.mounts += [{"destination": "/in", "type": "bind", "source": $src, "options": ["rbind"]},
			     {"destination": "/atime", "type": "bind", "source": $src, "options": ["rbind", "noatime"]}]'
	run_container sh -c 'grep -E " /(in|atime) " /proc/self/mounts; cat /in/f; echo x > /in/f'
	umount "$src"
	[ "$status" -eq 1 ]
	[[ "$output" == *"/in hostfs ro,nosuid,nodev,noexec,relatime"* ]]
	[[ "$output" == *"/atime hostfs ro,nosuid,nodev,noexec,noatime"* ]]
	[[ "$output" == *data* ]]
	[[ "$stderr" == *"Read-only file system"* ]]
}

@test "a read-write bind mount of a host directory shares files both ways" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	echo from-host > "$BATS_TEST_TMPDIR/shared/in"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	run_container sh -c 'cat /data/in && echo from-container > /data/out'
	[ "$status" -eq 0 ]
	[ "$output" = "from-host" ]
	[ "$(cat "$BATS_TEST_TMPDIR/shared/out")" = "from-container" ]
}

@test "df and statfs in a bind mount give the host file system's figures and type" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir "$vol"
	mount -t tmpfs -o size=3m tmpfs "$vol"
	head -c 1048576 /dev/zero > "$vol/mib"
	update_config --arg src "$vol" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	run_container stat -f -c '%t %b %f %S' /data
	host=$(stat -f -c '%t %b %f %S' "$vol")
	umount "$vol"
	[ "$status" -eq 0 ]
	echo "guest: $output host: $host" >&2
	[ "$output" = "$host" ]
	# tmpfs, 3 MiB, 2 MiB free
	[[ "$host" == "1021994 768 512 4096" ]]
}

@test "file operations in a bind mount reach the host's files" {
	mkdir -p "$BATS_TEST_TMPDIR/shared/old" "$BATS_TEST_TMPDIR/shared/gone"
	seq 1000 > "$BATS_TEST_TMPDIR/shared/long"
	touch "$BATS_TEST_TMPDIR/shared/target"
	# enough names that a directory takes more than one host read
	for i in $(seq 300); do : > "$BATS_TEST_TMPDIR/shared/f$i"; done
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	run_container sh -c 'cd /data && ln -s target link && chown 1234:5678 link &&
		truncate -s 10 long &&
		mv old new && rmdir gone && rm f1 && ls | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" = 303 ]
	cd "$BATS_TEST_TMPDIR/shared"
	[ "$(stat -c %u:%g target)" = 1234:5678 ]
	[ "$(readlink link)" = target ]
	[ "$(stat -c %s long)" = 10 ]
	[ -d new ] && [ ! -e old ] && [ ! -e gone ] && [ ! -e f1 ] && [ -e f300 ]
}

@test "files in a bind mount keep modes, times and links, and open for reading then writing" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	echo one > "$BATS_TEST_TMPDIR/shared/f"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
	# f open for reading while opened for writing: hostfs reopens it
	run_container sh -c 'cd /data && exec 3< f && echo two >> f && cat <&3 &&
		chmod 640 f && touch -t 200102030405.06 f && ln f hard && mkfifo fifo &&
		df /data | tail -n +2 | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\ntwo\n1')" ]
	cd "$BATS_TEST_TMPDIR/shared"
	[ "$(stat -c %a f)" = 640 ]
	[ "$(stat -c %Y f)" = "$(date -u -d '2001-02-03 04:05:06' +%s)" ]
	[ f -ef hard ] && [ -p fifo ]
}

@test "a read-only bind mount cannot be written" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["bind", "ro"]}]'
	run_container touch /data/file
	[ "$status" -ne 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/shared/file" ]
}

@test "a single file can be bind-mounted, read-only or writable" {
	echo host-file > "$BATS_TEST_TMPDIR/one"
	echo other > "$BATS_TEST_TMPDIR/sibling"
	update_config --arg src "$BATS_TEST_TMPDIR/one" \
		'.mounts += [{"destination": "/etc/one", "type": "bind", "source": $src, "options": ["bind", "ro"]},
			     {"destination": "/tmp/two", "type": "bind", "source": $src, "options": ["bind"]}]'
	run_container sh -c 'cat /etc/one; echo x >> /etc/one || echo ro-refused; echo appended >> /tmp/two; ls /etc | grep -c sibling'
	[ "$output" = $'host-file\nro-refused\n0' ]
	[ "$(cat "$BATS_TEST_TMPDIR/one")" = $'host-file\nappended' ]
}

@test "a bind mount of a missing host path is named" {
	update_config '.mounts += [{"destination": "/data", "type": "bind", "source": "/no/such/path", "options": ["bind"]}]'
	run_container true
	assert_one_line_error "mounts[7]"
}

@test "linux.sysctl is set in the container's kernel, and a bad one is named" {
	update_config '.linux.sysctl = {"kernel.shmmax": "12345678", "net.ipv4.ip_forward": "1",
		"kernel/domainname": "example.org"}'
	run_container sh -c 'cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/domainname'
	[ "$status" -eq 0 ]
	[ "$output" = $'12345678\n1\nexample.org' ]
	update_config '.linux.sysctl = {"kernel.no_such_thing": "1"}'
	run_container true
	assert_one_line_error 'linux.sysctl "kernel.no_such_thing": No such file or directory'
	update_config '.linux.sysctl = {"../../etc/passwd": "x"}'
	run_container true
	assert_one_line_error 'linux.sysctl: "../../etc/passwd" is not a sysctl name'
}

@test "linux.maskedPaths hide files and directories; linux.readonlyPaths cannot be written" {
	update_config '.linux.maskedPaths = ["/proc/version", "/sys/kernel", "/proc/no-such-path"] |
		.linux.readonlyPaths = ["/proc/sys", "/proc/no-such-path"] |
		.linux.sysctl = {"kernel.shmmni": "1234"}'
	run_container sh -c 'wc -c < /proc/version; ls -A /sys/kernel | wc -l;
		cat /proc/sys/kernel/shmmni; echo 99 > /proc/sys/kernel/shmmni || echo refused'
	[ "$status" -eq 0 ]
	[ "$output" = $'0\n0\n1234\nrefused' ]
	[[ "$stderr" == *"Read-only file system"* ]]
	update_config '.linux.maskedPaths = ["proc/version"]'
	run_container true
	assert_one_line_error 'linux.maskedPaths[0]: "proc/version" is not an absolute path'
}

@test "files made in a bind mount belong to their maker, with the guest's umask" {
	mkdir -m 777 "$BATS_TEST_TMPDIR/vol"
	mkdir -m 2777 "$BATS_TEST_TMPDIR/vol/sg"
	chgrp 50 "$BATS_TEST_TMPDIR/vol/sg"
	update_config --arg src "$BATS_TEST_TMPDIR/vol" '.process.user = {uid: 1000, gid: 1001} |
		.mounts += [{destination: "/vol", type: "bind", source: $src, options: ["rbind"]}]'
	run_container sh -c 'umask 002; echo x > /vol/f; mkdir /vol/d; mkfifo /vol/p;
		ln -s f /vol/l; echo x > /vol/sg/g; mkdir /vol/sg/d'
	[ "$status" -eq 0 ]
	cd "$BATS_TEST_TMPDIR/vol"
	[ "$(stat -c '%n %u:%g %a' f d p sg/g sg/d | tr '\n' ,)" = \
		"f 1000:1001 664,d 1000:1001 775,p 1000:1001 664,sg/g 1000:50 664,sg/d 1000:50 2775," ]
	[ "$(stat -c '%u:%g' l)" = 1000:1001 ]
	# root's files stay root's
	update_config '.process.user = {uid: 0, gid: 0}'
	run_container sh -c 'umask 077; echo x > /vol/r'
	[ "$(stat -c '%u:%g %a' r)" = "0:0 600" ]
}

@test "a bind mount's files are read, written and run as their modes and the host's mount allow" {
	mkdir "$BATS_TEST_TMPDIR/vol" "$BATS_TEST_TMPDIR/ro"
	echo open > "$BATS_TEST_TMPDIR/vol/open"
	echo secret > "$BATS_TEST_TMPDIR/vol/secret"
	chmod 644 "$BATS_TEST_TMPDIR/vol/open"
	chmod 600 "$BATS_TEST_TMPDIR/vol/secret"
	printf '#!/bin/sh\necho ran\n' > "$BATS_TEST_TMPDIR/ro/run"
	chmod 755 "$BATS_TEST_TMPDIR/ro/run"
	mount --bind "$BATS_TEST_TMPDIR/ro" "$BATS_TEST_TMPDIR/ro"
	mount -o remount,bind,ro,noexec "$BATS_TEST_TMPDIR/ro"
	update_config --arg src "$BATS_TEST_TMPDIR/vol" --arg ro "$BATS_TEST_TMPDIR/ro" \
		'.process.user = {uid: 1000, gid: 1000} |
		.mounts += [{destination: "/vol", type: "bind", source: $src, options: ["rbind"]},
			    {destination: "/ro", type: "bind", source: $ro, options: ["rbind"]}]'
	run_container sh -c 'cat /vol/open; cat /vol/secret; echo x >> /vol/open;
		cat /ro/run > /dev/null && echo readable; /ro/run; echo x > /ro/new'
	umount "$BATS_TEST_TMPDIR/ro"
	[ "$output" = $'open\nreadable' ]
	[[ "$stderr" == *"can't open '/vol/secret': Permission denied"* ]]
	[[ "$stderr" == *"can't create /vol/open: Permission denied"* ]]
	[[ "$stderr" == *"/ro/run: Permission denied"* ]]
	[[ "$stderr" == *"can't create /ro/new: Read-only file system"* ]]
}

@test "a program's file capabilities in the rootfs are its own in the guest" {
	# a copy of busybox with cap_net_raw+ep (a version 2 security.capability)
	cp "$BUNDLE/rootfs/bin/busybox" "$BUNDLE/rootfs/bin/busybox-caps"
	/usr/bin/python3 -c 'import os, struct, sys
os.setxattr(sys.argv[1], "security.capability", struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0))' \
		"$BUNDLE/rootfs/bin/busybox-caps"
	update_config '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false'
	run_container sh -c 'busybox-caps cat /proc/self/status | grep ^CapEff | cut -f2;
		cat /proc/self/status | grep ^CapEff | cut -f2'
	[ "$status" -eq 0 ]
	[ "$output" = $'0000000000002000\n0000000000000000' ]
}
