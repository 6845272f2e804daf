#!/usr/bin/env bats
load helpers

# start_sleeper ID: a detached container running sleep
start_sleeper() {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" "$1" < /dev/null > /dev/null 2>&1
}

@test "exec runs a process inside the running container with the caller's stdio" {
	update_config '.hostname = "exec-host"'
	start_sleeper ex
	run_linuxd exec ex sh -c 'hostname; echo $$; cat /proc/1/cmdline | tr "\0" " "; echo err >&2; exit 3'
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = exec-host ]
	[ "${lines[1]}" -gt 1 ]
	[ "${lines[2]}" = "sleep 1000 " ]
	[ "$stderr" = err ]
	result=$(printf 'in\n' | linuxd exec ex cat)
	[ "$result" = in ]
	linuxd delete --force ex
}

@test "exec takes the process from --process, and --env, --cwd and --user" {
	start_sleeper ex
	jq -n '{args: ["sh", "-c", "echo $A; pwd; id -u"], env: ["A=from-process"], cwd: "/tmp", user: {uid: 0, gid: 0}}' \
		> "$BATS_TEST_TMPDIR/process.json"
	run_linuxd exec --process "$BATS_TEST_TMPDIR/process.json" ex
	[ "$status" -eq 0 ]
	[ "$output" = $'from-process\n/tmp\n0' ]
	run_linuxd exec --env A=from-flag --cwd /etc --user 1000:1000 ex sh -c 'echo $A; pwd; id -u'
	[ "$output" = $'from-flag\n/etc\n1000' ]
	# its capabilities, no_new_privs and rlimits, as the container's are
	jq -n '{args: ["sh", "-c", "grep -E \"^(CapBnd|CapEff|NoNewPrivs)\" /proc/self/status | cut -f2; probe rlimit nofile"],
		cwd: "/", user: {uid: 0, gid: 0}, noNewPrivileges: true,
		capabilities: {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]},
		rlimits: [{type: "RLIMIT_NOFILE", soft: 99, hard: 99}]}' > "$BATS_TEST_TMPDIR/process.json"
	run_linuxd exec --process "$BATS_TEST_TMPDIR/process.json" ex
	[ "$output" = $'0000000000000020\n0000000000000020\n1\n99 99' ]
	# runc's --cap, --additional-gids and --no-new-privs, on top of it
	jq '.args = ["sh", "-c", "grep -E \"^(CapEff|NoNewPrivs)\" /proc/self/status | cut -f2; id -G"] |
		.noNewPrivileges = false' "$BATS_TEST_TMPDIR/process.json" > "$BATS_TEST_TMPDIR/p2.json"
	run_linuxd exec --process "$BATS_TEST_TMPDIR/p2.json" --cap CAP_CHOWN \
		-g 7 --additional-gids 8 --no-new-privs ex
	[ "$output" = $'0000000000000021\n1\n0 7 8' ]
	run_linuxd exec --cap CAP_FLY ex true
	assert_one_line_error '--cap "CAP_FLY": unknown capability'
	linuxd delete --force ex
}

@test "exec --detach leaves a host process that exits with the process's status" {
	start_sleeper ex
	run "$LINUXD_BUILD/tests/probe" reap "$LINUXD_BIN" --root "$STATE" exec -d \
		--pid-file "$BATS_TEST_TMPDIR/pid" ex sh -c 'exit 9'
	echo "$output" >&2
	[[ "$output" == *"$(cat "$BATS_TEST_TMPDIR/pid") 9"* ]]
	linuxd delete --force ex
}

@test "exec of a missing program, or into a stopped container, is refused" {
	start_sleeper ex
	run_linuxd exec ex no-such-program
	assert_one_line_error 'executable file not found'
	linuxd kill ex KILL
	retry 300 status_is ex stopped
	run_linuxd exec ex true
	assert_one_line_error 'cannot exec in container "ex": it is stopped'
	linuxd delete ex
}

@test "exec into a created container runs in its namespaces before it starts, as runc's does" {
	set_args sh -c 'cat /dev/shm/mark; hostname'
	update_config '.hostname = "made"'
	linuxd create --bundle "$BUNDLE" ex < /dev/null > "$BATS_TEST_TMPDIR/out" 2>&1
	run_linuxd exec ex sh -c 'hostname; echo from-exec > /dev/shm/mark'
	[ "$status" -eq 0 ]
	[ "$output" = made ]
	status_is ex created
	linuxd start ex
	retry 300 status_is ex stopped
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = $'from-exec\nmade' ]
	linuxd delete ex
}

@test "signals sent to a foreground exec reach the exec'd process" {
	start_sleeper ex
	"$LINUXD_BIN" --root "$STATE" exec ex sh -c 'trap "echo got-term; exit 4" TERM; echo ready; while :; do sleep 0.1; done' \
		> "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null &
	local pid=$!
	watchdog "$pid"
	retry 300 grep -q ready "$BATS_TEST_TMPDIR/out"
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 4 ]
	grep -q got-term "$BATS_TEST_TMPDIR/out"
	[ "$(linuxd state ex | jq -r .status)" = running ]
	linuxd delete --force ex
}

@test "exec --preserve-fds passes the caller's descriptors 3 and on to the process, and no others" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" xpf < /dev/null > /dev/null 2>&1
	echo from-three > "$BATS_TEST_TMPDIR/in"
	run linuxd exec --preserve-fds 2 xpf sh -c 'cat <&3; echo to-four >&4; ls /proc/self/fd | tr "\n" " "' \
		3< "$BATS_TEST_TMPDIR/in" 4> "$BATS_TEST_TMPDIR/out" 5< /dev/null
	[ "$status" -eq 0 ]
	# ls's own directory descriptor is the one after them
	[ "$output" = 'from-three
0 1 2 3 4 5 ' ]
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = to-four ]
	# without it, none of them
	run linuxd exec xpf sh -c 'ls /proc/self/fd | tr "\n" " "' 3< "$BATS_TEST_TMPDIR/in"
	[ "$output" = '0 1 2 3 ' ]
	run_linuxd exec --preserve-fds 500 xpf true
	assert_one_line_error "is not open"
	[[ "$stderr" == *"--preserve-fds 500: descriptor "* ]]
	linuxd delete --force xpf
}

@test "exec takes the container's process as it was created, whatever became of the bundle" {
	update_config '.process.env = ["PATH=/bin:/usr/bin", "AT=create"]'
	start_sleeper kept
	update_config '.process.env = ["PATH=/bin:/usr/bin", "AT=later"]'
	run_linuxd exec kept sh -c 'echo $AT'
	[ "$output" = create ]
	rm "$BUNDLE/config.json"
	run_linuxd exec kept sh -c 'echo $AT'
	[ "$output" = create ]
	linuxd delete --force kept
}
