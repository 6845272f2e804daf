#!/usr/bin/env bats
load helpers

# probe console plays conmon: it takes the terminal master from
# --console-socket, sets a 40x100 window, types stdin and prints the rest.
console_run() {
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

@test "process.terminal without --console-socket is refused" {
	update_config '.process.terminal = true'
	set_args true
	run_linuxd create --bundle "$BUNDLE" noconsole
	assert_one_line_error 'process.terminal: true needs --console-socket'
}
