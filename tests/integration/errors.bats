#!/usr/bin/env bats
load helpers

# Each bad input gives one line naming the fault, a non-zero exit and
# leaves nothing behind (checked by teardown).

@test "a missing config.json is named" {
	rm "$BUNDLE/config.json"
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "$BUNDLE/config.json: No such file or directory"
}

@test "invalid JSON is reported with its position" {
	echo '{"ociVersion": "1.0.2", "process": ' > "$BUNDLE/config.json"
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "config.json: invalid JSON at line"
}

@test "a field of the wrong type is named with the type expected" {
	update_config '.process.args = "sh"'
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "config.json: process.args: expected an array of strings, got a string"
	update_config '.process.args = ["true"] | .process.user.uid = "root"'
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "process.user.uid: expected an integer, got a string"
	update_config '.process.user.uid = 0 | .process.env = [1]'
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "process.env[0]: expected a string, got an integer"
}

@test "missing ociVersion, process or root are named" {
	for field in ociVersion process root; do
		update_config "del(.$field)"
		run_linuxd run --bundle "$BUNDLE" bad
		assert_one_line_error "config.json: $field: missing"
		(cd "$BUNDLE" && rm config.json && "$LINUXD_BIN" spec)
		update_config '.process.terminal = false'
	done
}

@test "a sandbox kernel that stops while it starts is named, with its last word" {
	# traced by strace, the kernel cannot trace its own boot checks (the
	# runtime's stderr apart from strace's own warnings)
	names_used traced
	run strace -f -o /dev/null sh -c 'exec "$0" --root "$1" run --bundle "$2" traced 2> "$3"' \
		"$LINUXD_BIN" "$STATE" "$BUNDLE" "$BATS_TEST_TMPDIR/stderr"
	stderr=$(cat "$BATS_TEST_TMPDIR/stderr")
	assert_one_line_error "sandbox kernel stopped while starting: check_ptrace"
}

@test "a missing rootfs is named" {
	update_config '.root.path = "no-such-rootfs"'
	run_linuxd run --bundle "$BUNDLE" bad
	assert_one_line_error "root.path: $BUNDLE/no-such-rootfs: No such file or directory"
}

@test "args[0] not found in the container is named" {
	run_container no-such-program
	assert_one_line_error 'process.args[0]: exec: "no-such-program": executable file not found in $PATH'
	run_container /bin/no-such-program
	assert_one_line_error 'process.args[0]: exec: "/bin/no-such-program": stat /bin/no-such-program: no such file or directory'
}

@test "args[0] that is not executable is named" {
	printf '#!/bin/sh\necho hi\n' > "$BUNDLE/rootfs/bin/not-exec"
	chmod 644 "$BUNDLE/rootfs/bin/not-exec"
	run_container not-exec
	assert_one_line_error 'process.args[0]: exec: "not-exec": permission denied'
	run_container /bin/not-exec
	assert_one_line_error 'process.args[0]: exec: "/bin/not-exec": permission denied'
}

@test "invalid container ids are refused as runc refuses them" {
	set_args true
	for id in "" . .. "a/b" "a b" "x:y" "\$x"; do
		run_linuxd run --bundle "$BUNDLE" "$id"
		assert_one_line_error "invalid container id"
	done
}

@test "an id already in use is refused and the running container is unharmed" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	set_args sh -c 'echo ready; read line; echo "first got $line"'
	names_used dup
	"$LINUXD_BIN" --root "$STATE" run --bundle "$BUNDLE" dup \
		< "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	watchdog "$pid"
	exec 5> "$BATS_TEST_TMPDIR/in"
	retry 300 grep -q ready "$BATS_TEST_TMPDIR/out"
	run_linuxd run --bundle "$BUNDLE" dup
	assert_one_line_error "container with id exists: dup"
	echo hello >&5
	exec 5>&-
	wait "$pid"
	grep -q "first got hello" "$BATS_TEST_TMPDIR/out"
}

@test "unknown commands and options are refused" {
	run_linuxd frobnicate
	assert_one_line_error 'unknown command "frobnicate"'
	run_linuxd run --no-such-option x
	[ "$status" -ne 0 ]
}

@test "with --log-format json an error is also a JSON line in the --log file, as runc writes it" {
	run_linuxd --log "$BATS_TEST_TMPDIR/log.json" --log-format json start missing
	assert_one_line_error 'container "missing" does not exist'
	run jq -r '[.level, .msg, (.time | fromdateiso8601 | type)] | join(" ")' "$BATS_TEST_TMPDIR/log.json"
	[ "$output" = 'error container "missing" does not exist number' ]
}

@test "an error is also a text line in the --log file, as runc writes it" {
	run_linuxd --log "$BATS_TEST_TMPDIR/log" start missing
	assert_one_line_error 'container "missing" does not exist'
	grep -Eqx 'time="[0-9T:-]+Z" level=error msg="container \\"missing\\" does not exist"' \
		"$BATS_TEST_TMPDIR/log"
}

@test "oversized, deeply nested and non-UTF-8 config.json are refused by name" {
	set_args true
	head -c $((17 << 20)) /dev/zero | tr '\0' ' ' >> "$BUNDLE/config.json"
	run_linuxd run --bundle "$BUNDLE" big
	assert_one_line_error "config.json: larger than 16 MiB"
	printf '{"ociVersion": %s1%s}' "$(printf '[%.0s' $(seq 5000))" \
		"$(printf ']%.0s' $(seq 5000))" > "$BUNDLE/config.json"
	run_linuxd run --bundle "$BUNDLE" deep
	assert_one_line_error "config.json: invalid JSON"
	[[ "$stderr" == *"maximum parsing depth reached"* ]]
	printf '{"ociVersion": "1.2.0\xff\xfe"}' > "$BUNDLE/config.json"
	run_linuxd run --bundle "$BUNDLE" utf
	assert_one_line_error "config.json: invalid JSON"
	[[ "$stderr" == *"unable to decode byte 0xff"* ]]
}
