#!/usr/bin/env bats
load helpers

@test "the sandbox kernel runs in its own namespaces, as nobody with no capability and no new privileges" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" boxed \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	for ns in pid mnt ipc uts net cgroup; do
		[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ]
	done
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status"
	# the kernel process and its stubs are nobody and hold no capability;
	# its file server is root with chown, dac_override, dac_read_search,
	# fowner and fsetid (hostfs acting for the guest's root), nothing else,
	# and those in a user namespace of its own, none in the host's
	ids() { grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)):' "/proc/$1/status" |
		cut -f2- | tr '\t' ' ' | sed 's/ *$//' | paste -sd,; }
	none=0000000000000000 file=000000000000001f
	nobody="65534 65534 65534 65534,65534 65534 65534 65534,,$none,$none,$none,$none,$none"
	root="0 0 0 0,0 0 0 0,,$none,$file,$file,$file,$none"
	retry 100 sh -c "grep -q '^Uid:.65534' /proc/$pid/status"
	[ "$(ids "$pid")" = "$nobody" ]
	server=$(pgrep -P "$pid" -x hostfs-server)
	[ "$(ids "$server")" = "$root" ]
	[ "$(readlink "/proc/$server/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	[ "$(readlink "/proc/$pid/ns/user")" = "$(readlink /proc/self/ns/user)" ]
	for map in uid_map gid_map; do
		[ "$(tr -s ' ' < "/proc/$server/$map")" = " 0 0 4294967295" ]
	done
	retry 100 stubs_of "$pid" > /dev/null
	for p in $(stubs_of "$pid"); do
		[ "$(ids "$p")" = "$nobody" ]
	done
	# its address-space processes are in its pid namespace too
	for child in $(pgrep -P "$pid"); do
		[ "$(readlink "/proc/$child/ns/pid")" = "$(readlink "/proc/$pid/ns/pid_for_children")" ]
	done
	linuxd delete --force boxed
}

@test "the sandbox kernel is held to its allowlist of host system calls" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" held \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 100 grep -qx "Seccomp:[[:space:]]*2" "/proc/$pid/status"
	# so is its file server
	[ "$(pgrep -P "$pid" | xargs -I{} grep -lx "Seccomp:[[:space:]]*2" /proc/{}/status | wc -l)" = \
		"$(pgrep -P "$pid" | wc -l)" ]
	linuxd delete --force held
	linuxd features | jq -e '.annotations["org.linuxd.kernel.hostSyscalls"] |
		split(",") | index("futex") and (index("openat") | not) and (index("execve") | not)'
	linuxd features | jq -e '.annotations["org.linuxd.fileServer.hostSyscalls"] |
		split(",") | index("openat") and (index("clone") | not) and (index("execve") | not)'
	# docs/security.md lists the same tables
	for who in kernel fileServer; do
		docs=$(sed -n "/^<!-- $who -->/,/^\$/p" "$BATS_TEST_DIRNAME/../../docs/security.md" |
			grep -oE '^\| `[a-z0-9_]+` \|' | tr -d '|` ' | paste -sd,)
		[ "$docs" = "$(linuxd features | jq -r ".annotations[\"org.linuxd.$who.hostSyscalls\"]")" ]
	done
	# a call left out of it ends the sandbox, the call named in the log
	# (once started, when the test says go)
	mkdir "$BATS_TEST_TMPDIR/go"
	update_config --arg src "$BATS_TEST_TMPDIR/go" '.root.readonly = false |
		.mounts += [{destination: "/home", type: "bind", source: $src, options: ["rbind"]}]'
	set_args sh -c 'while [ ! -e /home/go ]; do sleep 0.1; done; ln -s target /link'
	LINUXD_ALLOWLIST_DENY=symlink linuxd run -d --bundle "$BUNDLE" denied \
		< /dev/null > /dev/null 2>&1
	touch "$BATS_TEST_TMPDIR/go/go"
	retry 300 status_is denied stopped
	grep -q "host system call 88 is outside the file server's allowlist" \
		"$BATS_TEST_TMPDIR/linuxd.log"
	[ ! -L "$BUNDLE/rootfs/link" ]
	linuxd delete denied
}

@test "killing the sandbox kernel takes every process of the sandbox with it" {
	set_args sh -c 'sleep 1000 & sleep 1000 & wait'
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" killed \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 300 sh -c "[ \$(pgrep -P $pid | wc -l) -ge 3 ]"
	kill -9 "$pid"
	retry 300 status_is killed stopped
	# (the bracket keeps the pattern from matching this sh -c itself)
	retry 300 sh -c "! pgrep -f 'uml_di[r]=$STATE/killed' > /dev/null"
	linuxd delete killed
}

@test "guest root mounting hostfs finds only the rootfs and the bind-mount sources" {
	echo secret > "$BATS_TEST_TMPDIR/secret"
	mkdir "$BATS_TEST_TMPDIR/shared"
	echo shared > "$BATS_TEST_TMPDIR/shared/file"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{destination: "/home", type: "bind", source: $src, options: ["rbind", "ro"]}]'
	run_container sh -c "mkdir /dev/h && mount -t hostfs -o / hostfs /dev/h &&
		ls /dev/h; ls '/dev/h$BATS_TEST_TMPDIR'; cat '/dev/h$BATS_TEST_TMPDIR/shared/file';
		for p in /etc /proc /sys /dev /root '$LINUXD_BUILD' '$BATS_TEST_TMPDIR/secret'; do
			mkdir -p /dev/x && mount -t hostfs -o \"\$p\" hostfs /dev/x 2>/dev/null &&
				echo \"reached \$p\"; ls \"/dev/h\$p\" 2>/dev/null && echo \"listed \$p\"
		done; true"
	[ "$status" -eq 0 ]
	# the host's root holds only the top directory of the bundle's path
	[ "${lines[0]}" = "$(echo "$BATS_TEST_TMPDIR" | cut -d/ -f2)" ]
	[[ "$output" == *"bundle"*"shared"* ]]
	[[ "$output" == *"shared"$'\n'* ]]
	[[ "$output" != *secret* ]]
	[[ "$output" != *reached* ]]
	[[ "$output" != *listed* ]]
}

@test "a compromised sandbox kernel still reaches no host file outside the container's roots" {
	echo hostsecret-8c1f > "$BATS_TEST_TMPDIR/secret"
	mkfifo "$BATS_TEST_TMPDIR/in"
	exec 7<> "$BATS_TEST_TMPDIR/in"
	# only shell builtins once the kernel is taken: hostfs answers nothing
	set_args sh -c 'echo ready; read p; if read -r x < "$p"; then echo "read:$x"; else echo denied; fi'
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" taken \
		< "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" 2>&1
	retry 100 grep -q ready "$BATS_TEST_TMPDIR/out"
	# the attacker makes the rootfs's host path relative: ../../.. from
	# the file server's working directory reaches the host's root
	up=$(printf '../%.0s' $(seq 30) | cut -c1-$((${#BUNDLE} + 5)))
	"$BATS_TEST_DIRNAME/../attack/rewrite_kernel_memory.py" "$(cat "$BATS_TEST_TMPDIR/pid")" \
		"$BUNDLE/rootfs" "${up%/}"
	echo "$BATS_TEST_TMPDIR/secret" >&7
	retry 100 grep -qE '^(read|denied)' "$BATS_TEST_TMPDIR/out"
	cat "$BATS_TEST_TMPDIR/out"
	[[ "$(cat "$BATS_TEST_TMPDIR/out")" != *hostsecret* ]]
	grep -qx denied "$BATS_TEST_TMPDIR/out"
	linuxd delete --force taken
}

@test "guest root cannot write to a read-only rootfs or bind source through hostfs" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.root.readonly = true |
		 .mounts += [{destination: "/home", type: "bind", source: $src, options: ["rbind", "ro"]}]'
	run_container sh -c "mkdir /dev/h && mount -t hostfs -o / hostfs /dev/h &&
		touch '/dev/h$BUNDLE/rootfs/new' '/dev/h$BATS_TEST_TMPDIR/shared/new' \
			'/dev/h/new' 2>&1; true"
	[ "$status" -eq 0 ]
	[ ! -e "$BUNDLE/rootfs/new" ] && [ ! -e "$BATS_TEST_TMPDIR/shared/new" ]
	[ "$(grep -c 'Read-only file system' <<< "$output")" -eq 3 ]
}

@test "a bind source does not follow a symbolic link that a container planted in a shared directory" {
	shared="$BATS_TEST_TMPDIR/shared"
	mkdir "$shared" "$BATS_TEST_TMPDIR/real" "$BATS_TEST_TMPDIR/host"
	echo host-made > "$BATS_TEST_TMPDIR/real/file"
	ln -s ../real "$BATS_TEST_TMPDIR/host/link"
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.json"
	# the planter: guest root links the host's /etc into the shared directory
	update_config --arg src "$shared" \
		'.mounts += [{destination: "/shared", type: "bind", source: $src, options: ["rbind"]}]'
	set_args sh -c 'ln -s /etc /shared/etc; ln -s ../../../../../etc /shared/up'
	linuxd create --bundle "$BUNDLE" planter
	linuxd start planter
	retry 100 status_is planter stopped
	[ "$(readlink "$shared/etc")" = /etc ]
	# another container that names a path through either link: refused
	# while the planter is known to the runtime, also by another path to
	# the shared directory (a bind mount of it)
	mkdir "$BATS_TEST_TMPDIR/alias"
	mount --bind "$shared" "$BATS_TEST_TMPDIR/alias"
	for link in "$shared/etc" "$shared/up" "$BATS_TEST_TMPDIR/alias/etc"; do
		cp "$BATS_TEST_TMPDIR/config.json" "$BUNDLE/config.json"
		update_config --arg src "$link" \
			'.mounts += [{destination: "/mnt", type: "bind", source: $src, options: ["rbind"]}]'
		set_args cat /mnt/shadow
		run_linuxd run --bundle "$BUNDLE" victim
		assert_one_line_error "mounts[$(jq '.mounts | length - 1' "$BUNDLE/config.json")].source: $link: the symbolic link $link lies in a directory a container can write"
	done
	umount "$BATS_TEST_TMPDIR/alias"
	# as is one through a link in its own bind source, planter gone or not
	linuxd delete planter
	cp "$BATS_TEST_TMPDIR/config.json" "$BUNDLE/config.json"
	update_config --arg src "$shared" \
		'.mounts += [{destination: "/shared", type: "bind", source: $src, options: ["rbind"]},
			     {destination: "/mnt", type: "bind", source: ($src + "/etc"), options: ["rbind"]}]'
	run_linuxd run --bundle "$BUNDLE" victim
	assert_one_line_error "the symbolic link $shared/etc lies in a directory a container can write"
	# the host's own links are followed, as runc follows them
	cp "$BATS_TEST_TMPDIR/config.json" "$BUNDLE/config.json"
	update_config --arg src "$BATS_TEST_TMPDIR/host/link" \
		'.mounts += [{destination: "/mnt", type: "bind", source: $src, options: ["rbind"]}]'
	run_container cat /mnt/file
	[ "$status" -eq 0 ]
	[ "$output" = host-made ]
}

@test "a bind source swapped for a symbolic link after create checked it is not followed" {
	t=$BATS_TEST_TMPDIR
	mkdir -p "$t/src" "$t/host" "$STATE"
	echo mine > "$t/src/file"
	echo host-secret > "$t/host/file"
	update_config --arg src "$t/src" \
		'.mounts += [{destination: "/mnt", type: "bind", source: $src, options: ["rbind"]}]'
	set_args cat /mnt/file
	# the state root on a mount of its own: the runtime's first write
	# there, after it resolved the bind sources, waits for the swap
	mount -t tmpfs tmpfs "$STATE"
	"$LINUXD_BUILD/tests/swap_on_open" "$STATE" "$t/src" "$t/host" > "$t/swap" &
	retry 100 grep -q ready "$t/swap"
	run_linuxd run --bundle "$BUNDLE" victim
	wait $!
	umount "$STATE"
	[ "$(readlink "$t/src")" = "$t/host" ]
	assert_one_line_error "private root: bind mount source $t/src: Too many levels of symbolic links"
	[[ "$output" != *host-secret* ]]
}

@test "the file server sees a bind source's submounts with rbind only, and every mount of its root nosuid, nodev, read-only below a read-only source" {
	t=$BATS_TEST_TMPDIR
	mkdir -p "$t/nr/sub" "$t/ro/sub"
	for d in nr ro; do
		mount -t tmpfs tmpfs "$t/$d/sub"
		echo below > "$t/$d/sub/file"
	done
	update_config --arg t "$t" \
		'.mounts += [{destination: "/b", type: "bind", source: ($t + "/nr"), options: ["bind"]},
			     {destination: "/r", type: "bind", source: ($t + "/ro"), options: ["rbind", "ro"]}]'
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" subm < /dev/null > /dev/null 2>&1
	kernel=$(linuxd state subm | jq -r .pid)
	# as runc: bind leaves the submount out, rbind takes it
	run linuxd exec subm sh -c 'ls /b/sub | wc -l; cat /r/sub/file'
	[ "$output" = "$(printf '0\nbelow')" ]
	# the kernel process's own mounts: its private root's, seen from it
	mounts=$(awk '$5 != "/" { print $5, $6 }' "/proc/$kernel/mountinfo")
	echo "$mounts" >&2
	[ -n "$mounts" ]
	! grep -v 'nosuid,nodev' <<< "$mounts" || false
	grep -q "^$t/ro/sub ro," <<< "$mounts"
	! grep -q "^$t/nr/sub " <<< "$mounts" || false
	linuxd delete --force subm
	umount "$t/nr/sub" "$t/ro/sub"
}

@test "the runtime and the sandbox kernel cannot be overwritten from the guest" {
	# the class of CVE-2019-5736: neither binary is in the guest's reach
	update_config '.root.readonly = false'
	run_container sh -c "mkdir /dev/h && mount -t hostfs -o / hostfs /dev/h &&
		for f in '$LINUXD_BIN' '$LINUXD_BUILD/lib/linuxd/linux' /proc/self/exe; do
			echo x >> \"/dev/h\$f\" 2>/dev/null && echo \"wrote \$f\"
		done; echo x >> /proc/self/exe 2>/dev/null && echo wrote exe; true"
	[ "$status" -eq 0 ]
	[[ "$output" != *wrote* ]]
}

@test "the sandbox holds no host descriptor beyond those passed on purpose" {
	# the class of CVE-2024-21626: a descriptor the runtime had open stays out
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" fds \
		< /dev/null > /dev/null 2>&1 9< "$LINUXD_BUILD" 8< /etc/passwd
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 100 pgrep -P "$pid" > /dev/null
	for p in "$pid" $(pgrep -P "$pid"); do
		for fd in /proc/"$p"/fd/*; do
			target=$(readlink "$fd" || true)
			case "$target" in
			socket:* | pipe:* | anon_inode:*) continue ;;
			"/memfd:physmem (deleted)") continue ;;	# its memory
			"$BUNDLE"/rootfs/*) continue ;;	# the guest's open files
			esac
			# /dev/null, the log, or something it should not hold
			[ "$(stat -L -c %t:%T "$fd")" = 1:3 ] ||
				[ "$fd" -ef "$BATS_TEST_TMPDIR/linuxd.log" ] || {
				echo "process $p holds $fd: $target" >&2; false; }
		done
	done
	linuxd delete --force fds
}

@test "host processes and abstract unix sockets are out of the guest's reach" {
	name="linuxd-test-$$-$BATS_TEST_NUMBER"
	"$LINUXD_BUILD/tests/probe" unix-listen "$name" > "$BATS_TEST_TMPDIR/listen" &
	listener=$!
	retry 100 grep -q listening "$BATS_TEST_TMPDIR/listen"
	run_container sh -c "probe unix-connect '$name'; ps -o pid,comm; kill -0 $listener && echo signalled; true"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "not connected: Connection refused" ]]
	[[ "$output" != *signalled* ]]
	[[ "$output" != *bats* ]]
	# the listener was there to be reached
	"$LINUXD_BUILD/tests/probe" unix-connect "$name"
	wait "$listener"
}

@test "module loading is absent from the sandbox kernel" {
	run_container sh -c 'exec 2>&1; echo x > /dev/m.ko; insmod /dev/m.ko; echo status=$?; ls /proc/modules'
	[ "$status" -ne 0 ]
	# init_module fails with ENOSYS (38)
	[[ "$output" == *"status=38"* ]]
	[[ "$output" == *"/proc/modules: No such file or directory"* ]]
}
