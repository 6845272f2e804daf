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

@test "stdio on the caller's sockets: bytes pass, and the caller's sockets stay blocking" {
	set_args sh -c 'cat; echo done >&2'
	python3 - "$LINUXD_BIN" "$STATE" "$BUNDLE" <<'PY'
import fcntl, os, socket, subprocess, sys, threading
linuxd, state, bundle = sys.argv[1:]
ins, outs, errs = socket.socketpair(), socket.socketpair(), socket.socketpair()
p = subprocess.Popen([linuxd, "--root", state, "run", "-d", "--bundle", bundle, "sock"],
                     stdin=ins[1], stdout=outs[1], stderr=errs[1])
assert p.wait() == 0
for s in (ins[1], outs[1], errs[1]):
    flags = fcntl.fcntl(s.fileno(), fcntl.F_GETFL)
    assert not flags & os.O_NONBLOCK, "O_NONBLOCK on the caller's socket: %o" % flags
    s.close()
def send():
    ins[0].sendall(b"x" * 1000000)
    ins[0].close()
threading.Thread(target=send).start()
got = b"".join(iter(lambda: outs[0].recv(65536), b""))
assert got == b"x" * 1000000, len(got)
assert errs[0].recv(100) == b"done\n"
PY
	retry 100 status_is sock stopped
	linuxd delete sock
}
