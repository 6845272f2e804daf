#!/usr/bin/env bats
# The guest's files on the host: the rootfs, cached by the guest, and bind
# mounts, which the host shares; what each side sees of the other's changes.
load helpers

setup() {
	helpers_setup
	update_config '.root.readonly = false'
}

# bind_shared: a read-write bind mount of $BATS_TEST_TMPDIR/shared on /data
bind_shared() {
	mkdir -p "$BATS_TEST_TMPDIR/shared"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]'
}

@test "link counts, new entries and links in the rootfs are what the host has" {
	run_container sh -c 'set -e
		mkdir /t /t/a /t/b /t/c
		rmdir /t/b
		mv /t/c /t/a/
		echo x > /t/f
		exec 3< /t/f
		echo y >> /t/f
		cat <&3 > /dev/null
		ln /t/f /t/g
		ln /t/f /t/h
		rm /t/g
		ln -s f /t/l
		mv /t/h /t/f2
		stat -c "%n %h" /t /t/a /t/a/c /t/f /t/f2
		readlink /t/l
		find /t | sort | tr "\n" " "'
	[ "$status" -eq 0 ]
	host=$(cd "$BUNDLE/rootfs" && stat -c "/%n %h" t t/a t/a/c t/f t/f2)
	[ "$(echo "$output" | head -5)" = "$host" ]
	[ "$(echo "$output" | sed -n 6p)" = f ]
	[ "$(echo "$output" | sed -n 7p)" = "/t /t/a /t/a/c /t/f /t/f2 /t/l " ]
	# the directories' link counts, as find relies on them
	[ "$(echo "$output" | head -2)" = $'/t 3\n/t/a 3' ]
}

@test "what a write() wrote is on the host when it returns, in the rootfs and in a bind mount" {
	bind_shared
	set_args sh -c 'exec 3> /data/f 4> /w; printf hello >&3; printf world >&4
		head -c 300000 /dev/urandom >&4; touch /data/ready; sleep 1000'
	linuxd run -d --bundle "$BUNDLE" w < /dev/null > /dev/null 2>&1
	retry 300 test -e "$BATS_TEST_TMPDIR/shared/ready"
	# the files are still open in the container
	[ "$(cat "$BATS_TEST_TMPDIR/shared/f")" = hello ]
	[ "$(head -c 5 "$BUNDLE/rootfs/w")" = world ]
	[ "$(stat -c %s "$BUNDLE/rootfs/w")" = 300005 ]
	linuxd kill w KILL
	retry 300 status_is w stopped
	linuxd delete w
}

@test "a bind mount sees the host's changes at once" {
	bind_shared
	echo one > "$BATS_TEST_TMPDIR/shared/f"
	ln -s f "$BATS_TEST_TMPDIR/shared/l"
	set_args sh -c 'cat /data/f; ls /data; cat /data/l; touch /data/read
		while [ ! -e /data/go ]; do sleep 0.1; done; cat /data/f; ls /data
		cat /data/l'
	linuxd run --bundle "$BUNDLE" b < /dev/null > "$BATS_TEST_TMPDIR/out" 2>&1 &
	retry 300 test -e "$BATS_TEST_TMPDIR/shared/read"
	echo two > "$BATS_TEST_TMPDIR/shared/f"
	echo new > "$BATS_TEST_TMPDIR/shared/new"
	ln -sfn new "$BATS_TEST_TMPDIR/shared/l"
	touch "$BATS_TEST_TMPDIR/shared/go"
	wait
	cat "$BATS_TEST_TMPDIR/out"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = $'one\nf\nl\none\ntwo\nf\ngo\nl\nnew\nread\nnew' ]
}

@test "a symlink of the rootfs replaced or removed leads where the new one does" {
	set_args sh -c 'mkdir /t && echo a > /t/a && echo b > /t/b
		ln -s a /t/l && cat /t/l && ln -sfn b /t/l && cat /t/l
		readlink /t/l && rm /t/l && ln -s /t/a /t/l && cat /t/l
		rm /t/l && ! cat /t/l 2>/dev/null && echo gone'
	run_linuxd run --bundle "$BUNDLE" s
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nb\na\ngone' ]
	[ ! -e "$BUNDLE/rootfs/t/l" ] && [ ! -L "$BUNDLE/rootfs/t/l" ]
}

@test "writes inside, across and past the end of pages keep the rest of a file" {
	bind_shared
	head -c 1000000 /dev/urandom > "$BATS_TEST_TMPDIR/orig"
	cp "$BATS_TEST_TMPDIR/orig" "$BATS_TEST_TMPDIR/shared/f"
	cp "$BATS_TEST_TMPDIR/orig" "$BUNDLE/rootfs/f"
	run_container sh -c 'set -e
		for f in /data/f /f; do
			printf XY | dd of=$f bs=1 seek=5000 conv=notrunc 2>/dev/null
			printf 0123456789 | dd of=$f bs=1 seek=8190 conv=notrunc 2>/dev/null
			printf end | dd of=$f bs=1 seek=1000500 conv=notrunc 2>/dev/null
		done
		for i in $(seq 500); do echo "line $i"; done > /lines
		head -c 777777 /dev/urandom > /r
		sha256sum /r /f | cut -d" " -f1'
	[ "$status" -eq 0 ]
	# the same writes on the host
	f="$BATS_TEST_TMPDIR/orig"
	printf XY | dd of="$f" bs=1 seek=5000 conv=notrunc 2>/dev/null
	printf 0123456789 | dd of="$f" bs=1 seek=8190 conv=notrunc 2>/dev/null
	printf end | dd of="$f" bs=1 seek=1000500 conv=notrunc 2>/dev/null
	cmp "$f" "$BATS_TEST_TMPDIR/shared/f"
	cmp "$f" "$BUNDLE/rootfs/f"
	[ "$(wc -l < "$BUNDLE/rootfs/lines")" = 500 ]
	[ "$(tail -1 "$BUNDLE/rootfs/lines")" = "line 500" ]
	host=$(cd "$BUNDLE/rootfs" && sha256sum r f | cut -d' ' -f1)
	[ "$output" = "$host" ]
	# read again by a new guest, from the host
	run_container sh -c 'sha256sum /r /f | cut -d" " -f1'
	[ "$output" = "$host" ]
}

@test "a file just written has the host's size and blocks in the guest" {
	run_container sh -c 'dd if=/dev/zero of=/z bs=65536 count=4 2>/dev/null; stat -c "%s %b" /z'
	[ "$status" -eq 0 ]
	[ "$output" = "$(stat -c "%s %b" "$BUNDLE/rootfs/z")" ]
}

@test "a directory made in the rootfs finds what was made in it, also once the guest let its entries go" {
	# /proc/sys writable: the guest's caches are the guest's to drop
	update_config '.linux.readonlyPaths -= ["/proc/sys"]'
	run_container sh -c 'mkdir /t && cd /t && echo x > f && mkdir d &&
		mv f g && ln -s g l && ls f 2>&1; ls | tr "\n" " "; echo
		echo 2 > /proc/sys/vm/drop_caches && cat g l && ls -d d && ls f 2>&1'
	[ "$status" -ne 0 ]
	[ "$(echo "$output" | sed -n 2p)" = "d g l " ]
	[ "$(echo "$output" | sed -n 3,5p)" = "$(printf 'x\nx\nd')" ]
	[[ "$(echo "$output" | sed -n 1p)" == *"No such file"* ]]
	[[ "$(echo "$output" | sed -n 6p)" == *"No such file"* ]]
}

@test "a file an unprivileged user makes in the rootfs is theirs, in the guest as on the host" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	run_container sh -c 'mkdir /tmp/u && echo x > /tmp/u/f && stat -c "%u %g" /tmp/u/f &&
		touch /etc/u 2>&1'
	[ "$status" -ne 0 ]
	[ "$(echo "$output" | sed -n 1p)" = "1000 1000" ]
	[[ "$(echo "$output" | sed -n 2p)" == *"Permission denied"* ]]
	[ "$(stat -c "%u %g" "$BUNDLE/rootfs/tmp/u/f")" = "1000 1000" ]
	[ ! -e "$BUNDLE/rootfs/etc/u" ]
}

@test "a watcher of the rootfs and of a bind mount sees a file and its directory go, as on the host" {
	bind_shared
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	native=$(PROBE_DIR="$BATS_TEST_TMPDIR" "$LINUXD_BUILD/tests/syscalls" inotify)
	run_container sh -c 'syscalls inotify && PROBE_DIR=/data syscalls inotify'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s' "$native" "$native")" ]
}

# traced PID: whether a tracer has attached to process PID
traced() {
	! grep -qx "TracerPid:[[:space:]]*0" "/proc/$1/status"
}

@test "running a program from the rootfs again asks the file server nothing" {
	local kernel server tracer
	mkdir "$BATS_TEST_TMPDIR/go"
	update_config --arg src "$BATS_TEST_TMPDIR/go" \
		'.mounts += [{destination: "/go", type: "bind", source: $src, options: ["rbind"]}]'
	set_args sh -c 'while [ ! -e /go/go ]; do sleep 0.1; done
		for i in $(seq 50); do /bin/true; done; echo ran; sleep 100'
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" again \
		> "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	kernel=$(cat "$BATS_TEST_TMPDIR/pid")
	server=$(pgrep -P "$kernel" -x hostfs-server)
	strace -qq -e trace=access,lgetxattr -o "$BATS_TEST_TMPDIR/trace" -p "$server" &
	tracer=$!
	retry 100 traced "$server"
	touch "$BATS_TEST_TMPDIR/go/go"
	retry 300 grep -q ran "$BATS_TEST_TMPDIR/out"
	kill "$tracer"
	wait "$tracer" || true
	linuxd delete --force again
	cat "$BATS_TEST_TMPDIR/trace" >&2
	# 50 runs: whether it may run, and its file capabilities, asked once
	[ "$(grep -c . "$BATS_TEST_TMPDIR/trace")" -le 4 ]
}

@test "the kernel features programs probe for answer as under runc, fallocate on the rootfs included" {
	cp "$LINUXD_BUILD/tests/features" "$BUNDLE/rootfs/bin/features"
	# the capabilities of the spec, as both runtimes write it
	mkdir "$BATS_TEST_TMPDIR/spec"
	linuxd spec --bundle "$BATS_TEST_TMPDIR/spec"
	update_config --slurpfile s "$BATS_TEST_TMPDIR/spec/config.json" \
		'.process.capabilities = $s[0].process.capabilities'
	set_args features /fallocate-probe
	runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "runc-$BATS_TEST_NUMBER" \
		< /dev/null > "$BATS_TEST_TMPDIR/runc.out"
	run_container features /fallocate-probe
	[ "$status" -eq 0 ]
	# the proc connector is the guest kernel's own, and it lets any
	# process listen, as Linux 6.12 does; the host's may not
	diff <(grep -v '^proc-connector' "$BATS_TEST_TMPDIR/runc.out") \
		<(grep -v '^proc-connector' <<< "$output")
	[[ "$output" == *"proc-connector ok"* ]]
}
