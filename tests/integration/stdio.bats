#!/usr/bin/env bats
load helpers

@test "64 MiB of random bytes pass through cat unchanged" {
	head -c 64M /dev/urandom > "$BATS_TEST_TMPDIR/in"
	set_args cat
	linuxd run --bundle "$BUNDLE" cat64 < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out"
	[ "$(sha256sum < "$BATS_TEST_TMPDIR/in")" = "$(sha256sum < "$BATS_TEST_TMPDIR/out")" ]
}

@test "bytes from a pipe reach the container and come back through a pipe" {
	set_args cat
	result=$(head -c 1M /dev/urandom | tee "$BATS_TEST_TMPDIR/in" |
		linuxd run --bundle "$BUNDLE" piped | sha256sum)
	[ "$result" = "$(sha256sum < "$BATS_TEST_TMPDIR/in")" ]
}

@test "stdout and stderr stay separate streams" {
	run_container sh -c 'echo to-out; echo to-err >&2; echo more-out'
	[ "$status" -eq 0 ]
	[ "$output" = $'to-out\nmore-out' ]
	[ "$stderr" = "to-err" ]
}

@test "closing the runtime's stdin gives the process end-of-file" {
	set_args sh -c 'cat; echo got-eof'
	result=$(printf 'line\n' | linuxd run --bundle "$BUNDLE" eof)
	[ "$result" = $'line\ngot-eof' ]
}

@test "stdio are not terminals when process.terminal is false" {
	set_args probe tty 0 1 2
	result=$(linuxd run --bundle "$BUNDLE" notty < /dev/null 2>&1)
	[ "$result" = $'0 notty\n1 notty\n2 notty' ]
}

@test "stdin from /dev/null and stdout to a regular file work" {
	set_args sh -c 'cat; echo done'
	linuxd run --bundle "$BUNDLE" tofile < /dev/null > "$BATS_TEST_TMPDIR/out"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "done" ]
}

@test "bytes that a tty would rewrite pass unchanged" {
	printf 'a\r\nb\x03\x04\x1a\x7f\n\x00end' > "$BATS_TEST_TMPDIR/in"
	set_args cat
	linuxd run --bundle "$BUNDLE" raw < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}
