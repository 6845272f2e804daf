#!/bin/bash
# make soak: CYCLES create, start and delete cycles of a container that
# exits at once, then KILLS more of one that is killed while it runs, with
# the runtime's state root of its own.  Any failing command is reported
# with its error; at the end, any process, mount, cgroup, namespace or
# file the containers left.  Ends with one summary line; exits non-zero on
# any failure or leftover.
# usage: tests/soak.sh [BUILD] (CYCLES, default 2000; KILLS, default 200)
set -u -o pipefail
build=$(cd "${1:-build}" && pwd)
cycles=${CYCLES:-2000}
kills=${KILLS:-200}
work=$(mktemp -d /tmp/linuxd-soak.XXXXXX)
state="$work/state"
# every command's log, the sandbox kernel's included, in one file
linuxd() {
	"$build/bin/linuxd" --log "$work/log" "$@"
}
failures=0
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bundle"
cp -a "$build/rootfs" "$work/bundle/rootfs"
(cd "$work/bundle" && linuxd spec)

# args ARG...: the container's process
args() {
	jq --args '.process.args = $ARGS.positional | .process.terminal = false' "$@" \
		< "$work/bundle/config.json" > "$work/c.json" &&
		mv "$work/c.json" "$work/bundle/config.json"
}

# try WHAT CMD...: run CMD, count and report a failure
try() {
	local what=$1
	shift
	# a file, not a pipe: the sandbox of create keeps the caller's stderr
	if ! "$@" < /dev/null > /dev/null 2> "$work/err"; then
		failures=$((failures + 1))
		echo "soak: $what: $* failed: $(cat "$work/err")" >&2
		tail -20 "$work/log" >&2
		return 1
	fi
}

# stopped ID: wait (up to 60 s) until the container has stopped
stopped() {
	local i
	for i in $(seq 600); do
		[ "$(linuxd --root "$state" state "$1" 2>/dev/null |
			jq -r .status)" = stopped ] && return 0
		sleep 0.1
	done
	echo "not stopped after 60 s" >&2
	return 1
}

# cycle N ID KILL: create, start, (kill,) wait until stopped, delete
cycle() {
	local what="cycle $1"
	try "$what" linuxd --root "$state" create --bundle "$work/bundle" "$2" ||
		{ linuxd --root "$state" delete --force "$2" > /dev/null 2>&1; return; }
	try "$what" linuxd --root "$state" start "$2"
	[ "$3" = 0 ] || try "$what" linuxd --root "$state" kill "$2" KILL
	try "$what" stopped "$2"
	try "$what" linuxd --root "$state" delete "$2" ||
		linuxd --root "$state" delete --force "$2" > /dev/null 2>&1
}

shm_before=$(ls /dev/shm | wc -l)
args true
for i in $(seq "$cycles"); do
	cycle "$i" "soak-$i" 0
	[ $((i % 100)) -ne 0 ] || echo "soak: $i cycles, $failures failures" >&2
done
args sleep 1000
for i in $(seq "$kills"); do
	cycle "kill $i" "soak-kill-$i" 1
done

# what the containers left: processes of the sandbox, mounts and files of
# the state root, cgroups named after the containers, namespaces held by
# no process left
left=()
procs=$(pgrep -f "uml_dir=$state" | tr '\n' ' ')
[ -z "$procs" ] || left+=("processes: $procs")
mounts=$(grep -c " $work" /proc/self/mountinfo)
[ "$mounts" -eq 0 ] || left+=("$mounts mounts under $work")
files=$(find "$state" -mindepth 1 2>/dev/null | head -5 | tr '\n' ' ')
[ -z "$files" ] || left+=("files: $files")
groups=$(find /sys/fs/cgroup -type d -name 'soak-*' 2>/dev/null | head -5 | tr '\n' ' ')
[ -z "$groups" ] || left+=("cgroups: $groups")
[ "$(ls /dev/shm | wc -l)" -eq "$shm_before" ] || left+=("files in /dev/shm")
nsfs=$(grep -c "nsfs.* $work" /proc/self/mountinfo)
[ "$nsfs" -eq 0 ] || left+=("$nsfs bound namespaces")

echo "soak: $cycles cycles and $kills with a kill: $failures failures, ${#left[@]} kinds of leftovers"
for l in "${left[@]}"; do
	echo "soak: left behind: $l"
done
[ "$failures" -eq 0 ] && [ "${#left[@]}" -eq 0 ]
