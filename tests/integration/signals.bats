#!/usr/bin/env bats
load helpers

# Start a container that traps SIG and exits 3 on it; send SIG to run.
signal_reaches_container() {
	local sig=$1 out="$BATS_TEST_TMPDIR/out-$1"
	set_args sh -c "trap 'echo got-$sig; exit 3' $sig; echo ready; while :; do sleep 0.1; done"
	names_used "sig-$sig"
	"$LINUXD_BIN" --root "$STATE" run --bundle "$BUNDLE" "sig-$sig" \
		> "$out" 2>&1 < /dev/null &
	local pid=$!
	watchdog "$pid"
	retry 300 grep -q ready "$out"
	kill -s "$sig" "$pid"
	wait "$pid" || status=$?
	cat "$out" >&2
	[ "${status:-0}" -eq 3 ]
	grep -q "got-$sig" "$out"
}

@test "SIGTERM sent to run reaches the container process" {
	signal_reaches_container TERM
}

@test "SIGINT sent to run reaches the container process" {
	signal_reaches_container INT
}

@test "SIGHUP sent to run reaches the container process" {
	signal_reaches_container HUP
}

@test "SIGQUIT sent to run reaches the container process" {
	signal_reaches_container QUIT
}

@test "SIGUSR1 sent to run reaches the container process" {
	signal_reaches_container USR1
}

@test "SIGUSR2 sent to run reaches the container process" {
	signal_reaches_container USR2
}
