# Shared vocabulary of the integration tests: each test gets a fresh
bats_require_minimum_version 1.5.0

# bundle (busybox rootfs + default config) and its own state directory.

LINUXD_BUILD=${LINUXD_BUILD:-$(cd "$BATS_TEST_DIRNAME/../../build" && pwd)}
LINUXD_BIN="$LINUXD_BUILD/bin/linuxd"
# LINUXD_PLATFORM: the platform every container of the suite runs on,
# seccomp (the default) or ptrace, chosen through a wrapper so that podman
# and containerd, which take a program, use it too.
LINUXD_PLATFORM=${LINUXD_PLATFORM:-seccomp}
if [ "$LINUXD_PLATFORM" != seccomp ]; then
	LINUXD_BIN="$BATS_RUN_TMPDIR/linuxd-$LINUXD_PLATFORM"
	printf '#!/bin/sh\nexec "%s" --platform %s "$@"\n' \
		"$LINUXD_BUILD/bin/linuxd" "$LINUXD_PLATFORM" > "$LINUXD_BIN"
	chmod +x "$LINUXD_BIN"
fi

setup() {
	helpers_setup
}

helpers_setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	STATE="$BATS_TEST_TMPDIR/state"
	mkdir -p "$BUNDLE"
	cp -a "$LINUXD_BUILD/rootfs" "$BUNDLE/rootfs"
	cp "$LINUXD_BUILD/tests/probe" "$BUNDLE/rootfs/bin/probe"
	(cd "$BUNDLE" && "$LINUXD_BIN" spec)
	# guest root with all of its capabilities, as the escape attempts
	# need it, and the caller's stdio, not a terminal; spec.bats runs the
	# spec's own
	update_config --argjson all "$("$LINUXD_BIN" features | jq -c .linux.capabilities)" \
		'.process.capabilities = {bounding: $all, effective: $all, permitted: $all}
		 | .process.terminal = false'
	CGROUPS_BEFORE=$(linuxd_cgroups)
}

# The host cgroups of containers without linux.cgroupsPath (linuxd/ID).
linuxd_cgroups() {
	find /sys/fs/cgroup/ /sys/fs/cgroup/*/ -maxdepth 2 -mindepth 2 \
		-path '*/linuxd/*' -type d 2>/dev/null | sort
}

teardown() {
	nothing_left_behind
}

nothing_left_behind() {
	[ -z "${WATCHDOGS:-}" ] || kill $WATCHDOGS 2>/dev/null || true
	# A failed test shows the end of its log, the sandbox kernel's included.
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -s "$BATS_TEST_TMPDIR/linuxd.log" ]; then
		echo "--- end of $BATS_TEST_TMPDIR/linuxd.log:" >&2
		tail -n 40 "$BATS_TEST_TMPDIR/linuxd.log" >&2
	fi
	# Nothing a container left behind: no kernel process, state, mount or
	# cgroup; what is found is cleaned up for the next test.
	# (A sandbox that was just killed may take a moment to be gone.)
	local left failed=0
	retry 300 sandbox_gone || true
	left=$(pgrep -f "$(sandbox_pattern)" || true)
	if [ -n "$left" ]; then
		ps -o pid,ppid,stat,etime,args -p "$(echo $left | tr ' ' ,)" >&2 || true
		kill -9 $left 2>/dev/null || true
		echo "stray sandbox kernel processes: $left" >&2
		retry 300 sandbox_gone || true
		failed=1
	fi
	if [ -d "$STATE" ] && [ -n "$(ls -A "$STATE")" ]; then
		echo "state left behind: $(ls -A "$STATE")" >&2
		failed=1
	fi
	if grep -qF -e "$BATS_TEST_TMPDIR" -e /run/linuxd /proc/self/mountinfo; then
		echo "mounts left behind" >&2
		failed=1
	fi
	# (those of containers this test named: others may run on the host)
	left=$(comm -13 <(echo "$CGROUPS_BEFORE") <(linuxd_cgroups) |
		awk -v f="$BATS_TEST_TMPDIR/names" 'BEGIN {
			while ((getline n < f) > 0) named[n] = 1 }
			{ id = $0; sub(".*/", "", id); if (id in named) print }')
	if [ -n "$left" ]; then
		echo "cgroups left behind: $left" >&2
		rmdir $left 2>/dev/null || true
		failed=1
	fi
	return $failed
}

# The sandbox kernels of this test: those with their run files in its
# state directory.
sandbox_pattern() {
	echo "lib/linuxd/linux .*uml_dir=$STATE/"
}

sandbox_gone() {
	! pgrep -f "$(sandbox_pattern)" > /dev/null
}

# linuxd with this test's state directory and log (a later --log wins).
linuxd() {
	names_used "$@"
	"$LINUXD_BIN" --root "$STATE" --log "$BATS_TEST_TMPDIR/linuxd.log" "$@"
}

# names_used ARG...: note the words a linuxd command line names, among
# them the container ids, whose cgroups the leftover check looks for.
names_used() {
	printf '%s\n' "$@" >> "$BATS_TEST_TMPDIR/names"
}

# runs linuxd and records status/output like bats' run, printing both for
# the failure log.
run_linuxd() {
	names_used "$@"
	run --separate-stderr "$LINUXD_BIN" --root "$STATE" \
		--log "$BATS_TEST_TMPDIR/linuxd.log" "$@"
	echo "linuxd $* -> status $status" >&2
	echo "stdout: $output" >&2
	echo "stderr: $stderr" >&2
}

# update_config JQ-FILTER: edit the bundle's config.json.
update_config() {
	jq "$@" "$BUNDLE/config.json" > "$BUNDLE/config.json.new"
	mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# set_args ARG...: the container process's argv.
set_args() {
	local args='[]' arg
	for arg in "$@"; do
		args=$(jq -c --arg a "$arg" '. + [$a]' <<< "$args")
	done
	update_config --argjson a "$args" '.process.args = $a'
}

# run_container ARG...: run a container with these args from the bundle.
run_container() {
	set_args "$@"
	run_linuxd run --bundle "$BUNDLE" "test-$BATS_TEST_NUMBER"
}

# retry N CMD...: CMD until it succeeds, N tries a tenth of a second apart.
retry() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# watchdog PID: kill PID if it is still there after ten minutes, so that a
# hung container fails its test instead of stopping the suite.
watchdog() {
	(sleep 600; kill -9 "$1") > /dev/null 2>&1 3>&- &
	WATCHDOGS="${WATCHDOGS:-} $!"
}

# status_is ID STATUS: the container's status is STATUS (for retry)
# The stub processes of the sandbox kernel $1: its children but its file
# server (false if there is none).
stubs_of() {
	local p stubs=
	for p in $(pgrep -P "$1"); do
		[ "$(cat "/proc/$p/comm" 2> /dev/null)" = hostfs-server ] || stubs="$stubs $p"
	done
	[ -n "$stubs" ] && echo $stubs
}

# stub_most KERNEL FILE AWK: the stub of KERNEL for which AWK, run on its
# /proc/PID/FILE, prints the largest number.
stub_most() {
	local p
	for p in $(stubs_of "$1"); do
		echo "$(awk "$3" "/proc/$p/$2") $p"
	done | sort -n | tail -1 | cut -d' ' -f2
}

status_is() {
	[ "$("$LINUXD_BIN" --root "$STATE" state "$1" | jq -r .status)" = "$2" ]
}

# The error is one line naming what is wrong, with a non-zero exit.
assert_one_line_error() {
	printf 'status %s, stderr: %s\n' "$status" "$stderr" >&2
	[ "$status" -ne 0 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"$1"* ]]
}
