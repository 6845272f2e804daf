#!/usr/bin/env bats
load helpers

@test "the sandbox kernel runs in its own pid, mount, ipc, uts and network namespaces" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" boxed \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	for ns in pid mnt ipc uts net; do
		[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ]
	done
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status"
	# its address-space processes are in its pid namespace too
	for child in $(pgrep -P "$pid"); do
		[ "$(readlink "/proc/$child/ns/pid")" = "$(readlink "/proc/$pid/ns/pid_for_children")" ]
	done
	linuxd delete --force boxed
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
