#!/usr/bin/env bats
load helpers

# state_of ID: the status field of `linuxd state ID`
state_of() {
	linuxd state "$1" | jq -r .status
}

@test "create prepares the container and start runs its process" {
	set_args sh -c 'echo started; sleep 1000'
	update_config '.annotations = {"org.example.team": "ci", "n": "1"}'
	linuxd create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" life \
		> "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	[ "$(state_of life)" = created ]
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
	[ "$(linuxd state life | jq .pid)" = "$(cat "$BATS_TEST_TMPDIR/pid")" ]
	# the spec's annotations, as runc's state shows them
	[ "$(linuxd state life | jq -c .annotations)" = '{"org.example.team":"ci","n":"1"}' ]
	linuxd start life
	[ "$(state_of life)" = running ]
	retry 300 grep -q started "$BATS_TEST_TMPDIR/out"
	linuxd kill life KILL
	retry 300 status_is life stopped
	[ "$(linuxd state life | jq .pid)" = 0 ]
	linuxd delete life
	[ ! -e "$STATE/life" ]
}

@test "the state pid exits with the container's status, for a subreaper to collect" {
	set_args sh -c 'exit 7'
	# probe reap stands in for the containerd shim or conmon
	run "$LINUXD_BUILD/tests/probe" reap sh -c "
		'$LINUXD_BIN' --root '$STATE' create --bundle '$BUNDLE' \
			--pid-file '$BATS_TEST_TMPDIR/pid' code < /dev/null > /dev/null 2>&1
		'$LINUXD_BIN' --root '$STATE' start code"
	echo "$output" >&2
	[[ "$output" == *"$(cat "$BATS_TEST_TMPDIR/pid") 7"* ]]
	[ "$(state_of code)" = stopped ]
	linuxd delete code
}

@test "a container killed with SIGKILL reports 137" {
	set_args sleep 1000
	run "$LINUXD_BUILD/tests/probe" reap sh -c "
		'$LINUXD_BIN' --root '$STATE' run -d --bundle '$BUNDLE' \
			--pid-file '$BATS_TEST_TMPDIR/pid' killed < /dev/null > /dev/null 2>&1
		'$LINUXD_BIN' --root '$STATE' kill killed KILL"
	echo "$output" >&2
	[[ "$output" == *"$(cat "$BATS_TEST_TMPDIR/pid") 137"* ]]
	linuxd delete killed
}

@test "kill delivers signals by name and number" {
	set_args sh -c 'trap "echo got-usr1" USR1; trap "echo got-term; exit 5" TERM; echo ready; while :; do sleep 0.1; done'
	linuxd create --bundle "$BUNDLE" sigs > "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	linuxd start sigs
	retry 300 grep -q ready "$BATS_TEST_TMPDIR/out"
	linuxd kill sigs SIGUSR1
	retry 300 grep -q got-usr1 "$BATS_TEST_TMPDIR/out"
	# 0 only asks whether it runs, as runc's kill does
	linuxd kill sigs 0
	run_linuxd kill sigs RTMIN
	assert_one_line_error 'kill: unknown signal "RTMIN"'
	linuxd kill sigs 15
	retry 300 grep -q got-term "$BATS_TEST_TMPDIR/out"
	retry 300 status_is sigs stopped
	run_linuxd kill sigs
	assert_one_line_error 'cannot signal container "sigs": container not running'
	run_linuxd kill sigs 0
	assert_one_line_error 'cannot signal container "sigs": container not running'
	# as containerd's shim asks once a container's process is gone
	linuxd kill --all sigs KILL
	linuxd delete sigs
}

@test "start of a running container and delete without --force are refused" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" busy < /dev/null > /dev/null 2>&1
	[ "$(state_of busy)" = running ]
	run_linuxd start busy
	assert_one_line_error 'cannot start container "busy": it is running'
	run_linuxd delete busy
	assert_one_line_error 'cannot delete container "busy" that is not stopped'
	[ "$(state_of busy)" = running ]
	linuxd delete --force busy
	[ ! -e "$STATE/busy" ]
}

@test "delete of a created container removes it and its sandbox" {
	set_args true
	linuxd create --bundle "$BUNDLE" made < /dev/null > /dev/null 2>&1
	linuxd delete made
	[ ! -e "$STATE/made" ]
}

@test "commands on a container that does not exist name it" {
	for cmd in start state delete kill; do
		run_linuxd $cmd ghost
		assert_one_line_error 'container "ghost" does not exist'
	done
	# as runc, so that a caller's clean-up may always ask it
	run_linuxd delete --force ghost
	[ "$status" -eq 0 ] && [ -z "$output$stderr" ]
}

@test "kill refuses an unknown signal" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" sig < /dev/null > /dev/null 2>&1
	run_linuxd kill sig SIGNOPE
	assert_one_line_error 'unknown signal "SIGNOPE"'
	linuxd delete --force sig
}

@test "a failed create leaves nothing behind and the id is free again" {
	set_args no-such-program
	run_linuxd create --bundle "$BUNDLE" failing
	assert_one_line_error "executable file not found"
	[ ! -e "$STATE/failing" ]
	set_args true
	linuxd create --bundle "$BUNDLE" failing < /dev/null > /dev/null 2>&1
	linuxd delete failing
}

@test "list shows containers with their status, as a table or JSON" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" one < /dev/null > /dev/null 2>&1
	linuxd create --bundle "$BUNDLE" two < /dev/null > /dev/null 2>&1
	run_linuxd list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == ID* ]]
	echo "$output" | grep -Eq '^one +[0-9]+ +running'
	echo "$output" | grep -Eq '^two +[0-9]+ +created'
	[ "$(linuxd list --format json | jq -r 'map(.id + "=" + .status) | sort | join(",")')" = "one=running,two=created" ]
	# and the rest of runc's fields
	linuxd list --format json | jq -e --arg r "$BUNDLE/rootfs" \
		'all(.[]; .rootfs == $r and .owner == "root" and .ociVersion and .created)'
	echo "$output" | grep -Eq '^one .* root$'
	[ "$(linuxd list -q | sort | tr '\n' ' ')" = "one two " ]
	linuxd delete --force one
	linuxd delete two
}

@test "kill --all reaches every process of the container" {
	# PID 1 (a shell without a trap) ignores TERM; its child traps it
	set_args sh -c 'sh -c "trap \"echo child-got-term; exit 0\" TERM; echo child-ready; while :; do sleep 0.1; done" & wait'
	linuxd run -d --bundle "$BUNDLE" all > "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	retry 300 grep -q child-ready "$BATS_TEST_TMPDIR/out"
	linuxd kill --all all TERM
	retry 300 grep -q child-got-term "$BATS_TEST_TMPDIR/out"
	retry 300 status_is all stopped
	linuxd delete all
}

@test "commands on one container are serialized; different containers run side by side" {
	set_args sleep 1000
	for i in 1 2 3 4 5; do
		linuxd run -d --bundle "$BUNDLE" "par-$i" < /dev/null > /dev/null 2>&1 &
	done
	wait
	[ "$(linuxd list -q | sort | tr '\n' ' ')" = "par-1 par-2 par-3 par-4 par-5 " ]
	# racing deletes and kills of one container: exactly one delete wins
	for _ in 1 2 3; do
		linuxd delete --force par-1 2>/dev/null &
		linuxd kill par-1 KILL 2>/dev/null &
	done
	wait
	[ ! -e "$STATE/par-1" ]
	for i in 2 3 4 5; do
		linuxd delete --force "par-$i" &
	done
	wait
	[ -z "$(linuxd list -q)" ]
}

@test "pause freezes every process of the container and resume thaws them" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	update_config --arg src "$BATS_TEST_TMPDIR/shared" \
		'.mounts += [{"destination": "/shared", "type": "bind", "source": $src, "options": ["bind"]}]'
	set_args sh -c 'i=0; while :; do i=$((i+1)); echo $i > /shared/count; sleep 0.01; done'
	linuxd run -d --bundle "$BUNDLE" frozen < /dev/null > /dev/null 2>&1
	retry 300 test -s "$BATS_TEST_TMPDIR/shared/count"
	linuxd pause frozen
	[ "$(linuxd state frozen | jq -r .status)" = paused ]
	before=$(cat "$BATS_TEST_TMPDIR/shared/count")
	sleep 0.5
	[ "$(cat "$BATS_TEST_TMPDIR/shared/count")" = "$before" ]
	run_linuxd exec frozen true
	assert_one_line_error 'cannot exec in a paused container (use --ignore-paused to override)'
	[ "$status" -eq 255 ]
	run_linuxd pause frozen
	assert_one_line_error 'cannot pause container "frozen": it is paused'
	linuxd resume frozen
	[ "$(linuxd state frozen | jq -r .status)" = running ]
	retry 300 sh -c "[ \"\$(cat '$BATS_TEST_TMPDIR/shared/count')\" != '$before' ]"
	linuxd pause frozen
	run_linuxd delete frozen
	assert_one_line_error 'cannot delete container "frozen" that is not stopped: paused (use --force)'
	linuxd delete --force frozen
}

@test "exec --ignore-paused runs a process in a paused container once it is resumed, as runc's does" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" frozen < /dev/null > /dev/null 2>&1
	linuxd pause frozen
	linuxd exec --ignore-paused frozen echo ran > "$BATS_TEST_TMPDIR/out" 2>&1 &
	exec_pid=$!
	# the new process waits, frozen with the rest (not yet echo); the guest
	# still answers
	retry 300 sh -c "[ \$('$LINUXD_BIN' --root '$STATE' ps frozen | wc -l) -eq 3 ]"
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
	[ "$(linuxd state frozen | jq -r .status)" = paused ]
	linuxd resume frozen
	wait "$exec_pid"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = ran ]
	linuxd delete --force frozen
}

@test "exec --cgroup runs the process in a cgroup under the container's, as runc's does on cgroup v2" {
	# a writable cgroup mount, so that the container can make the cgroup
	update_config '(.mounts[] | select(.destination == "/sys/fs/cgroup") | .options) -= ["ro"]'
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" sub < /dev/null > /dev/null 2>&1
	linuxd exec sub sh -c 'mkdir "/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)/inner"'
	run_linuxd exec --cgroup inner sub cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == "0::/"*"/inner" ]]
	run_linuxd exec --cgroup pids,memory:inner sub cat /proc/self/cgroup
	[[ "$output" == "0::/"*"/inner" ]]
	run_linuxd exec --cgroup ../inner sub true
	assert_one_line_error '--cgroup "../inner": not a cgroup under the container'"'"'s'
	run_linuxd exec --cgroup missing sub true
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"--cgroup"*"No such file or directory"* ]]
	linuxd delete --force sub
}

@test "ps lists the container's processes with the pids it sees" {
	set_args sh -c 'sleep 1000 & sleep 2000; true'
	linuxd run -d --bundle "$BUNDLE" listed < /dev/null > /dev/null 2>&1
	# until both children have executed sleep
	retry 300 sh -c "'$LINUXD_BIN' --root '$STATE' ps listed | grep -Eq '^[0-9]+ sleep 1000$' &&
		'$LINUXD_BIN' --root '$STATE' ps listed | grep -Eq '^[0-9]+ sleep 2000$'"
	run_linuxd ps listed
	[ "${lines[0]}" = "PID CMD" ]
	echo "$output" | grep -q '^1 sh -c'
	[ "$(linuxd ps --format json listed | jq length)" -eq 3 ]
	# PS-OPTIONS: ps with them, the lines of the container's processes
	# kept (and the header), not ps's own, as runc's ps keeps them
	run_linuxd ps listed -o pid,comm
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == *PID*COMMAND* ]]
	[ "$(echo "$output" | grep -c ' sleep$')" -eq 2 ]
	! echo "$output" | grep -q ' ps$'
	[ "$(linuxd ps listed -ef | grep -c ' sleep [12]000$')" -eq 2 ]
	run_linuxd ps listed -o comm
	[ "$status" -eq 1 ]
	[ "$stderr" = "linuxd: ps: couldn't find PID field in ps output" ]
	linuxd delete --force listed
}

@test "run --keep leaves the container stopped, its cgroup in place, until delete, as runc's does" {
	update_config '.linux.cgroupsPath = "/linuxd-test/kept"'
	set_args sh -c 'exit 3'
	run_linuxd run --keep --bundle "$BUNDLE" kept
	[ "$status" -eq 3 ]
	status_is kept stopped
	dir=/sys/fs/cgroup/linuxd-test/kept
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || dir=/sys/fs/cgroup/pids/linuxd-test/kept
	[ -d "$dir" ]
	linuxd delete kept
	[ ! -e "$dir" ]
	run_linuxd state kept
	[ "$status" -ne 0 ]
	rmdir /sys/fs/cgroup/*/linuxd-test /sys/fs/cgroup/linuxd-test 2>/dev/null || true
	# create has no --keep
	run_linuxd create --keep --bundle "$BUNDLE" kept
	[ "$status" -ne 0 ]
}

@test "create --pidfd-socket sends a pidfd of the container's pid, which can kill it, as runc's does" {
	sock="$BATS_TEST_TMPDIR/pidfd.sock"
	python3 - "$sock" > "$BATS_TEST_TMPDIR/recv.out" <<'PY' &
import signal, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 64, 1)
print(msg.decode(), len(fds))
signal.pidfd_send_signal(fds[0], signal.SIGKILL)
PY
	recv=$!
	retry 100 test -S "$sock"
	set_args sleep 1000
	linuxd create --bundle "$BUNDLE" --pidfd-socket "$sock" pfd
	wait "$recv"
	[ "$(cat "$BATS_TEST_TMPDIR/recv.out")" = "pidfd 1" ]
	retry 100 status_is pfd stopped
	linuxd delete pfd
	# a socket no one listens on: named, nothing left
	run_linuxd run --bundle "$BUNDLE" --pidfd-socket "$BATS_TEST_TMPDIR/none" pfd
	assert_one_line_error "--pidfd-socket $BATS_TEST_TMPDIR/none: No such file or directory"
	[ -z "$(linuxd list -q)" ]
}
