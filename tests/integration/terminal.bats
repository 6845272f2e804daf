#!/usr/bin/env bats
load helpers

# probe console plays conmon: it takes the terminal master from
# --console-socket, sets a 40x100 window, types stdin and prints the rest.
console_run() {
	names_used "$@"
	"$LINUXD_BUILD/tests/probe" console "$BATS_TEST_TMPDIR/console.sock" \
		"$LINUXD_BIN" --root "$STATE" run -d --console-socket \
		"$BATS_TEST_TMPDIR/console.sock" --bundle "$BUNDLE" "$@"
}

@test "with process.terminal the process gets a terminal from --console-socket" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo all-ttys'
	run console_run term < /dev/null
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | tr -d '\r')" = $'/dev/tty1\n40 100\nall-ttys' ]
	retry 300 status_is term stopped
	linuxd delete term
}

@test "with --console-socket the sandbox keeps none of the caller's stdio" {
	update_config '.process.terminal = true'
	set_args sleep 1000
	console_run keep < /dev/null > "$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	retry 100 status_is keep running
	# the host descriptors of the process's stdio (hostfd=3,4,5)
	pid=$(linuxd state keep | jq .pid)
	for fd in 3 4 5; do
		[ "$(readlink "/proc/$pid/fd/$fd")" = /dev/null ]
	done
	linuxd delete --force keep
	wait
}

@test "an interactive shell on the terminal reads what is typed, with job control" {
	update_config '.process.terminal = true'
	set_args sh -i
	run console_run shell <<-EOF
		set -m; sleep 1000 &
		jobs; kill %1; echo typed-\$((6*7))
		exit 3
	EOF
	echo "$output" >&2
	[[ "$output" == *"[1]+  Running"*"sleep 1000"* ]]
	[[ "$output" == *typed-42* ]]
	retry 300 status_is shell stopped
	linuxd delete shell
}

@test "window-size changes on the console reach the container process" {
	update_config '.process.terminal = true'
	set_args sh -c 'trap "stty size; exit 9" WINCH; stty size; echo re"ady"; while :; do sleep 0.1; done'
	PROBE_RESIZE_AFTER=ready run console_run winch < /dev/null
	[ "$(printf '%s' "$output" | tr -d '\r')" = $'40 100\nready\n50 120' ]
	retry 300 status_is winch stopped
	linuxd delete winch
}

@test "a foreground run without --console-socket is the process's terminal" {
	update_config '.process.terminal = true'
	set_args sh -i
	run linuxd run --bundle "$BUNDLE" fg <<-EOF
		tty; echo typed-\$((6*7))
		exit 3
	EOF
	[ "$status" -eq 3 ]
	[[ "$output" == *"/dev/tty1"*typed-42* ]]
}

@test "create, or run -d, with process.terminal and without --console-socket is refused" {
	update_config '.process.terminal = true'
	set_args true
	run_linuxd create --bundle "$BUNDLE" noconsole
	assert_one_line_error 'process.terminal: true needs --console-socket'
	run_linuxd run -d --bundle "$BUNDLE" noconsole
	assert_one_line_error 'process.terminal: true needs --console-socket'
}

start_ex() {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" ex
}

# exec_console ARGS...: exec -t -d in container "ex", its terminal taken
# from --console-socket by the probe
exec_console() {
	rm -f "$BATS_TEST_TMPDIR/exec.sock"
	"$LINUXD_BUILD/tests/probe" console "$BATS_TEST_TMPDIR/exec.sock" \
		"$LINUXD_BIN" --root "$STATE" exec -t -d --pid-file "$BATS_TEST_TMPDIR/pid" \
		--console-socket "$BATS_TEST_TMPDIR/exec.sock" ex "$@"
}

@test "exec --tty gives the process a terminal of the container's devpts from --console-socket" {
	start_ex
	# the probe sets the window size once it has the master, maybe after
	# the process started: it reaches the process then
	run exec_console sh -c 'until [ "$(stty size 2> /dev/null)" = "40 100" ]; do sleep 0.1; done
		tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo all-ttys'
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | tr -d '\r')" = $'/dev/pts/0\n40 100\nall-ttys' ]
	linuxd delete -f ex
}

@test "exec --tty runs an interactive shell with job control and follows window-size changes" {
	start_ex
	run exec_console sh -i <<-EOF
		set -m; sleep 1000 &
		jobs; kill %1; echo typed-\$((6*7))
		exit 5
	EOF
	echo "$output" >&2
	[[ "$output" == *"[1]+  Running"*"sleep 1000"* ]]
	[[ "$output" == *typed-42* ]]
	PROBE_RESIZE_AFTER=ready run exec_console sh -c 'trap "stty size; exit 5" WINCH; echo re"ady"; while :; do sleep 0.1; done' < /dev/null
	echo "$output" >&2
	[ "$(printf '%s' "$output" | tr -d '\r')" = $'ready\n50 120' ]
	linuxd delete -f ex
}

@test "the host process of a detached exec --tty exits with the process's status" {
	start_ex
	run "$LINUXD_BUILD/tests/probe" reap "$LINUXD_BUILD/tests/probe" console \
		"$BATS_TEST_TMPDIR/exec.sock" "$LINUXD_BIN" --root "$STATE" exec -t -d \
		--pid-file "$BATS_TEST_TMPDIR/pid" --console-socket "$BATS_TEST_TMPDIR/exec.sock" \
		ex sh -c 'exit 6' < /dev/null
	[[ "$output" == *"$(cat "$BATS_TEST_TMPDIR/pid") 6"* ]]
	linuxd delete -f ex
}

@test "a foreground exec --tty without --console-socket is the process's terminal" {
	start_ex
	run linuxd exec -t ex sh -i <<-EOF
		tty; echo typed-\$((6*7))
		exit 4
	EOF
	[ "$status" -eq 4 ]
	[[ "$output" == *"/dev/pts/0"*typed-42* ]]
	run_linuxd exec -t -d ex true
	assert_one_line_error 'exec: a terminal with --detach needs --console-socket'
	linuxd delete -f ex
}
