#!/usr/bin/env bats
# Faults the runtime survives, leaving nothing behind.
load helpers

teardown() {
	umount "$BATS_TEST_TMPDIR/full" 2>/dev/null || true
	nothing_left_behind
}

@test "a full disk under the state directory gives a clear error and leaves nothing" {
	STATE="$BATS_TEST_TMPDIR/full"
	mkdir "$STATE"
	mount -t tmpfs -o size=64k tmpfs "$STATE"
	dd if=/dev/zero of="$STATE/filler" bs=4k 2>/dev/null || true
	set_args true
	run_linuxd run --bundle "$BUNDLE" full
	left=$(ls -A "$STATE")
	rm "$STATE/filler"
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"$STATE/full"*"No space left on device"* ]]
	[ "$left" = filler ]
	# with room again, the same container runs
	run_linuxd run --bundle "$BUNDLE" full
	umount "$STATE"
	[ "$status" -eq 0 ]
}

@test "a full /dev/shm on the host does not end a container that takes new memory" {
	# the guest's memory is its kernel's memfd, not a file in the host's
	# /dev/shm, which the host's other programs share (here a full one of
	# 1 MiB, in a mount namespace of the test's own)
	update_config '.mounts += [{destination: "/big", type: "tmpfs", source: "tmpfs", options: ["size=200m"]}]'
	set_args sh -c 'dd if=/dev/zero of=/big/x bs=1M count=100 2>&1 | tail -1'
	names_used "test-$BATS_TEST_NUMBER"
	run unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs /dev/shm &&
		dd if=/dev/zero of=/dev/shm/filler bs=4k 2>/dev/null; exec "$@"' sh \
		"$LINUXD_BIN" --root "$STATE" --log "$BATS_TEST_TMPDIR/linuxd.log" \
		run --bundle "$BUNDLE" "test-$BATS_TEST_NUMBER"
	[ "$status" -eq 0 ]
	[[ "$output" == *"100+0 records out"* ]]
}

@test "50 create, start and delete cycles leave no process, mount, cgroup or file" {
	set_args true
	shm=$(ls /dev/shm | wc -l)
	for i in $(seq 50); do
		linuxd create --bundle "$BUNDLE" cycle < /dev/null > /dev/null 2>&1
		linuxd start cycle
		retry 300 status_is cycle stopped
		linuxd delete cycle
	done
	[ "$(ls /dev/shm | wc -l)" -eq "$shm" ]
	# teardown checks processes, state, mounts and cgroups
}

@test "20 containers run at once" {
	set_args sleep 1000
	for i in $(seq 20); do
		linuxd run -d --bundle "$BUNDLE" "many-$i" < /dev/null > /dev/null 2>&1
	done
	for i in $(seq 20); do
		status_is "many-$i" running
		[ "$(linuxd exec "many-$i" hostname)" = linuxd ]
	done
	[ "$(linuxd list -q | wc -l)" -eq 20 ]
	for i in $(seq 20); do
		linuxd delete --force "many-$i"
	done
}

@test "guest root flooding the kernel log writes no more than log_rate to the host" {
	# 5 MB of emergency messages, each line let through by the guest's
	# rate limit of /dev/kmsg, which counts per open; then pairs of a line
	# over the budget and one that fits, each fitting one bringing the
	# count of what was dropped
	set_args sh -c 'mknod /dev/kmsg c 1 11 && line=$(head -c 990 /dev/zero | tr "\\0" x) &&
		i=0 && while [ $i -lt 5000 ]; do
			echo "<0>flood $i $line" > /dev/kmsg; i=$((i + 1)); done &&
		i=0 && while [ $i -lt 20000 ]; do
			echo "<0>$line" > /dev/kmsg; echo "<0>a" > /dev/kmsg; i=$((i + 1)); done'
	start=$(date +%s)
	linuxd run --bundle "$BUNDLE" flood
	seconds=$(($(date +%s) - start + 1))
	grep -q "flood 0 x" "$BATS_TEST_TMPDIR/linuxd.log"
	grep -q "bytes of the log dropped" "$BATS_TEST_TMPDIR/linuxd.log"
	# a minute's worth at once, then 1 KiB a second, and the boot's lines
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/linuxd.log")" -le $((61440 + 1024 * seconds + 4096)) ]
}

@test "killing the sandbox's file server ends the container with status 137, the log saying so" {
	# the guest notices when it next needs a host file
	set_args sh -c 'while :; do ls / > /dev/null; sleep 0.1; done'
	(if linuxd run --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" files \
		< /dev/null > /dev/null 2>&1 3>&-; then echo 0; else echo $?; fi \
		> "$BATS_TEST_TMPDIR/status") 3>&- &
	retry 100 test -s "$BATS_TEST_TMPDIR/pid"
	kernel=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 100 pgrep -P "$kernel" -x hostfs-server > /dev/null
	kill -9 "$(pgrep -P "$kernel" -x hostfs-server)"
	retry 300 test -s "$BATS_TEST_TMPDIR/status"
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 137 ]
	grep -q "hostfs: the file server has died: the container ends" "$BATS_TEST_TMPDIR/linuxd.log"
	! grep -q "Kernel panic" "$BATS_TEST_TMPDIR/linuxd.log" || false
}

# queued PID N: N connections or more wait on the control socket of the
# sandbox kernel PID.
queued() {
	[ "$(ss -xlpH | awk -v p="pid=$1," 'index($0, p) { print $3 }')" -ge "$2" ]
}

@test "every command answers within its deadline when the sandbox kernel is stopped, and kill KILL still ends the container" {
	export LINUXD_TIMEOUT=2
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" stuck \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	kill -STOP "$pid"
	for cmd in "ps stuck" "exec stuck true" "kill stuck TERM" "pause stuck" \
		   "update --pids-limit 50 stuck" "events --stats stuck"; do
		run --separate-stderr timeout 60 "$LINUXD_BIN" --root "$STATE" $cmd
		echo "$cmd -> $status: $stderr" >&2
		assert_one_line_error "did not answer within 2 s"
		# an exec that failed is 255, as runc's
		[ "$status" -eq "$([ "${cmd%% *}" = exec ] && echo 255 || echo 1)" ]
	done
	# state and list do not wait for the guest, nor for a lock
	status_is stuck running
	linuxd list -q | grep -qx stuck
	# commands that wait for the guest hold no lock meanwhile, however
	# many: thirty of them queue on the control socket at once
	for i in $(seq 30); do
		LINUXD_TIMEOUT=60 timeout 90 "$LINUXD_BIN" --root "$STATE" kill stuck TERM 2>/dev/null &
	done
	retry 300 queued "$pid" 30
	# SIGKILL needs no guest: the runtime ends the sandbox itself
	timeout 60 "$LINUXD_BIN" --root "$STATE" kill stuck KILL
	retry 300 status_is stuck stopped
	linuxd delete stuck
	# and the queued commands end with it
	wait
}

@test "a fork bomb that the host's pids limit stops: forks fail, the kernel log says so once a second at most, the container is killed as usual" {
	# the operator's limit on a parent cgroup, none of the guest's own
	if [ -d /sys/fs/cgroup/pids ]; then
		parent=/sys/fs/cgroup/pids/linuxd-test-bomb
	else
		parent=/sys/fs/cgroup/linuxd-test-bomb
	fi
	mkdir -p "$parent"
	echo 40 > "$parent/pids.max"
	update_config 'del(.linux.resources.pids) | .linux.cgroupsPath = "/linuxd-test-bomb/bomb"'
	set_args probe forkbomb
	(if linuxd run --bundle "$BUNDLE" bomb < /dev/null > /dev/null 2>&1 3>&-; then
		echo 0; else echo $?; fi > "$BATS_TEST_TMPDIR/status") 3>&- &
	retry 300 grep -q "clone failed" "$BATS_TEST_TMPDIR/linuxd.log"
	start=$(date +%s)
	sleep 3
	lines=$(grep -c "clone failed" "$BATS_TEST_TMPDIR/linuxd.log")
	elapsed=$(($(date +%s) - start))
	echo "$lines lines in ${elapsed}s" >&2
	[ "$lines" -le $((elapsed + 2)) ]
	grep -q "clone failed, errno = 11 ([0-9]* times since the last report)" \
		"$BATS_TEST_TMPDIR/linuxd.log"
	linuxd kill bomb KILL
	retry 300 test -s "$BATS_TEST_TMPDIR/status"
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 137 ]
	! grep -q "Kernel panic" "$BATS_TEST_TMPDIR/linuxd.log" || false
	rmdir /sys/fs/cgroup/*/linuxd-test-bomb /sys/fs/cgroup/linuxd-test-bomb 2>/dev/null || true
}

@test "a fork bomb at the container's pids limit ends with the container, killed or at its PID 1's exit, with the container's status" {
	update_config '.linux.resources.pids.limit = 30'
	# killed: 128 + SIGKILL
	set_args probe forkbomb
	(if linuxd run --bundle "$BUNDLE" bomb < /dev/null > /dev/null 2>&1 3>&-; then
		echo 0; else echo $?; fi > "$BATS_TEST_TMPDIR/status") 3>&- &
	retry 100 status_is bomb running
	retry 300 sh -c "[ \$(pgrep -P $(linuxd state bomb | jq .pid) | wc -l) -gt 20 ]"
	linuxd kill bomb KILL
	retry 300 test -s "$BATS_TEST_TMPDIR/status"
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 137 ]
	# PID 1 exits on its own while the bomb goes on: its status (sleep
	# starts first, as the bomb leaves the shell no pid to fork)
	set_args sh -c 'sleep 3 & s=$!; probe forkbomb & wait $s; exit 7'
	run_linuxd run --bundle "$BUNDLE" bomb
	[ "$status" -eq 7 ]
	! grep -q "Kernel panic" "$BATS_TEST_TMPDIR/linuxd.log" || false
}
