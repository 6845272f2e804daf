#!/usr/bin/env bats
load helpers

# podman from Debian, with linuxd as its OCI runtime, its own storage and
# an image imported from the project's busybox rootfs.  On these machines
# podman needs cgroupfs and explicit ulimits, with runc as with linuxd.

setup_file() {
	export PODMAN_DIR="$BATS_FILE_TMPDIR/podman"
	podman_cmd import - localhost/linuxd-busybox:test \
		< <(tar -C "$LINUXD_BUILD/rootfs" -c .) > /dev/null
}

teardown_file() {
	podman_cmd rm -a -f -t 0 > /dev/null 2>&1 || true
	podman_cmd system reset -f > /dev/null 2>&1 || true
	rm -rf "$PODMAN_DIR"
}

podman_cmd() {
	podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" \
		--cgroup-manager=cgroupfs --runtime "$LINUXD_BIN" "$@"
}

# podman_run ARGS...: podman run with the limits this machine needs
podman_run() {
	podman_cmd run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}

@test "podman run --rm runs on linuxd's kernel and passes the exit code through" {
	run podman_run --rm localhost/linuxd-busybox:test uname -r
	[ "$status" -eq 0 ]
	[[ "$output" == *-linuxd ]]
	run podman_run --rm localhost/linuxd-busybox:test sh -c 'exit 42'
	[ "$status" -eq 42 ]
}

@test "podman run -d, exec, logs, stop and rm work" {
	id=$(podman_run -d localhost/linuxd-busybox:test \
		sh -c 'echo started; trap "echo stopping; exit 0" TERM; while :; do sleep 0.1; done')
	retry 300 sh -c "podman --root '$PODMAN_DIR/root' --runroot '$PODMAN_DIR/run' logs $id | grep -q started"
	run podman_cmd exec "$id" sh -c 'echo from-exec; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = from-exec ]
	podman_cmd stop -t 60 "$id"
	run podman_cmd logs "$id"
	[[ "$output" == *stopping* ]]
	[ "$(podman_cmd inspect -f '{{.State.ExitCode}}' "$id")" = 0 ]
	podman_cmd rm "$id"
	[ ! -e "/run/linuxd/$id" ]
}

@test "podman stop falls back to SIGKILL when the container ignores SIGTERM" {
	id=$(podman_run -d localhost/linuxd-busybox:test sleep 1000)
	podman_cmd stop -t 1 "$id"
	[ "$(podman_cmd inspect -f '{{.State.ExitCode}}' "$id")" = 137 ]
	podman_cmd rm "$id"
	[ ! -e "/run/linuxd/$id" ]
}

@test "podman run -it gives an interactive shell on a terminal" {
	run script -qec "podman --root '$PODMAN_DIR/root' --runroot '$PODMAN_DIR/run' \
		--cgroup-manager=cgroupfs --runtime '$LINUXD_BIN' run -it --rm \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		localhost/linuxd-busybox:test sh" /dev/null <<-EOF
		tty; echo typed-\$((6*7))
		exit 7
	EOF
	echo "$output" >&2
	[ "$status" -eq 7 ]
	[[ "$output" == *"/dev/tty1"* ]]
	[[ "$output" == *typed-42* ]]
}

@test "podman exec -it gives an interactive shell on a terminal" {
	id=$(podman_run -d localhost/linuxd-busybox:test sleep 1000)
	run script -qec "podman --root '$PODMAN_DIR/root' --runroot '$PODMAN_DIR/run' \
		--cgroup-manager=cgroupfs --runtime '$LINUXD_BIN' exec -it $id sh" /dev/null <<-EOF
		tty; echo typed-\$((6*7))
		exit 6
	EOF
	echo "$output" >&2
	[ "$status" -eq 6 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *typed-42* ]]
	podman_cmd rm -f -t 0 "$id"
}

@test "podman's default bridge network with -p serves a request from the host" {
	local port=$((18000 + BATS_TEST_NUMBER))
	id=$(podman_run -d -p "$port:8080" localhost/linuxd-busybox:test sh -c \
		'while :; do printf "HTTP/1.0 200 OK\r\n\r\nhello from linuxd\n" | nc -l -p 8080; done')
	run retry 300 timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port &&
		printf 'GET / HTTP/1.0\r\n\r\n' >&3 && cat <&3"
	podman_cmd rm -f -t 0 "$id"
	[[ "$output" == *"hello from linuxd"* ]]
}
