#!/usr/bin/env bats
load helpers

# refused MESSAGE: the last run_linuxd failed with status 1 and MESSAGE as
# its whole stderr
refused() {
	[ "$status" -eq 1 ]
	[ "$stderr" = "$1" ]
}

@test "linux.resources.pids.limit stops forks beyond it" {
	update_config '.linux.resources.pids = {"limit": 5}'
	run_container sh -c 'cat /sys/fs/cgroup/container/pids.max; for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; echo all-forked'
	[ "$output" = 5 ]
	[[ "$stderr" == *"can't fork"* ]]
}

# host_limits ID: the memory, pids and cpu quota limits of the sandbox's
# host cgroup at /linuxd-test/ID, cgroup v2 or v1
host_limits() {
	local g=/sys/fs/cgroup
	if [ "$(stat -f -c %T $g)" = cgroup2fs ]; then
		cat $g/linuxd-test/$1/memory.max $g/linuxd-test/$1/pids.max
		cut -d' ' -f1 $g/linuxd-test/$1/cpu.max
	else
		cat $g/memory/linuxd-test/$1/memory.limit_in_bytes \
			$g/pids/linuxd-test/$1/pids.max $g/cpu/linuxd-test/$1/cpu.cfs_quota_us
	fi
}

@test "update changes the limits of a running container, inside and in its host cgroup" {
	update_config '.linux.cgroupsPath = "/linuxd-test/upd"'
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" upd < /dev/null > /dev/null 2>&1
	linuxd update --memory 67108864 --pids-limit 42 --cpu-quota 50000 --cpu-period 100000 upd
	run_linuxd exec upd cat /sys/fs/cgroup/container/memory.max \
		/sys/fs/cgroup/container/pids.max /sys/fs/cgroup/container/cpu.max
	[ "$output" = $'67108864\n42\n50000 100000' ]
	# the host's: the guest's with the sandbox's own memory and tasks
	# added (64 MiB; two host tasks a process and 24), as at create
	[ "$(host_limits upd | xargs)" = "$((67108864 + 67108864)) $((42 * 2 + 24)) 50000" ]
	echo '{"pids": {"limit": 7}}' > "$BATS_TEST_TMPDIR/r.json"
	# with -r the other options are left out, as runc leaves them
	linuxd update --pids-limit 99 --memory 12x -r "$BATS_TEST_TMPDIR/r.json" upd
	[ "$(linuxd exec upd cat /sys/fs/cgroup/container/pids.max)" = 7 ]
	# "-" reads the resources from stdin, as runc's update -r - does
	echo '{"pids": {"limit": 8}}' | linuxd update -r - upd
	[ "$(linuxd exec upd cat /sys/fs/cgroup/container/pids.max)" = 8 ]
	linuxd update --memory 200M --pids-limit -1 upd
	run_linuxd exec upd cat /sys/fs/cgroup/container/memory.max /sys/fs/cgroup/container/pids.max
	[ "$output" = $'209715200\nmax' ]
	[ "$(host_limits upd | sed -n 1,2p | xargs)" = "$((209715200 + 67108864)) max" ]
	linuxd delete --force upd
	rmdir /sys/fs/cgroup/*/linuxd-test /sys/fs/cgroup/linuxd-test 2>/dev/null || true
}

@test "update sets the sandbox's host CPUs and memory nodes, and a memory reservation, as runc's update does" {
	update_config '.linux.cgroupsPath = "/linuxd-test/cpus"'
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" cpus \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	local g=/sys/fs/cgroup cpuset low
	if [ "$(stat -f -c %T $g)" = cgroup2fs ]; then
		cpuset=$g/linuxd-test/cpus low=$g/linuxd-test/cpus/memory.low
	else
		cpuset=$g/cpuset/linuxd-test/cpus
		low=$g/memory/linuxd-test/cpus/memory.soft_limit_in_bytes
	fi
	linuxd update --cpuset-cpus 0 --cpuset-mems 0 --memory-reservation 32M cpus
	[ "$(cat $cpuset/cpuset.cpus)" = 0 ] && [ "$(cat $cpuset/cpuset.mems)" = 0 ]
	[ "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$pid/status)" = 0 ]
	# the guest's reservation, and on the host the sandbox's own memory
	# added, as to its limit
	[ "$(linuxd exec cpus cat /sys/fs/cgroup/container/memory.low)" = 33554432 ]
	[ "$(cat $low)" = $((33554432 + 67108864)) ]
	all=$(cat /sys/devices/system/cpu/online)
	jq -n --arg all "$all" '{cpu: {cpus: $all}}' | linuxd update -r - cpus
	[ "$(cat $cpuset/cpuset.cpus)" = "$all" ]
	[ "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$pid/status)" = "$all" ]
	run_linuxd update --cpuset-cpus "0;1" cpus
	refused 'linuxd: update: --cpuset-cpus "0;1": expected a list such as 0-3,5'
	echo '{"cpu": {"mems": 0}}' > "$BATS_TEST_TMPDIR/r.json"
	run_linuxd update -r "$BATS_TEST_TMPDIR/r.json" cpus
	refused "linuxd: update: $BATS_TEST_TMPDIR/r.json: cpu.mems: expected a string"
	[ "$(cat $cpuset/cpuset.cpus)" = "$all" ]
	linuxd delete --force cpus
	[ ! -e "$cpuset" ]
	rmdir $g/*/linuxd-test $g/linuxd-test 2>/dev/null || true
}

@test "update names a bad value and changes nothing" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" upd < /dev/null > /dev/null 2>&1
	run_linuxd update --memory 12x --pids-limit 9 upd
	refused 'linuxd: update: --memory "12x": expected a size in bytes (or with k, m, g, t), or -1'
	echo '{"memory": {"limit": "64M"}}' > "$BATS_TEST_TMPDIR/r.json"
	run_linuxd update -r "$BATS_TEST_TMPDIR/r.json" upd
	refused "linuxd: update: $BATS_TEST_TMPDIR/r.json: memory.limit: expected an integer"
	echo '{"pids": {"limit": -5}}' > "$BATS_TEST_TMPDIR/r.json"
	run_linuxd update -r "$BATS_TEST_TMPDIR/r.json" upd
	refused "linuxd: update: $BATS_TEST_TMPDIR/r.json: pids.limit: expected a positive integer, or -1"
	# runc's options for what a sandbox has no use for are named
	run_linuxd update --pids-limit 9 --blkio-weight 500 upd
	refused "linuxd: update: --blkio-weight: block I/O weights are not supported: the container's files are reached through its file server"
	echo '{"cpu": {"realtimeRuntime": 950000}}' > "$BATS_TEST_TMPDIR/r.json"
	run_linuxd update -r "$BATS_TEST_TMPDIR/r.json" upd
	refused "linuxd: update: --cpu-rt-runtime: realtime CPU time is not supported: the container's processes are scheduled by its own kernel"
	[ "$(linuxd exec upd cat /sys/fs/cgroup/container/pids.max)" = max ]
	linuxd delete --force upd
}

@test "events --stats reports the container's usage" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" ev < /dev/null > /dev/null 2>&1
	run_linuxd events --stats ev
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.type == "stats" and .id == "ev" and
		.data.pids.current >= 1 and .data.memory.usage.usage > 0 and
		.data.cpu.usage.total >= 0'
	run_linuxd events --interval 1m30x ev
	refused 'linuxd: events: --interval "1m30x": expected a duration such as 5s or 1m'
	linuxd delete --force ev
	run_linuxd events --interval 500ms ev
	refused 'linuxd: container "ev" does not exist'
}

@test "events reports an oom event when a process of the container is killed for want of memory" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" oom < /dev/null > /dev/null 2>&1
	"$LINUXD_BIN" --root "$STATE" events --interval 1000s oom > "$BATS_TEST_TMPDIR/events" &
	local events=$!
	linuxd update --memory 33554432 oom
	run_linuxd exec oom probe alloc 100
	[ "$status" -eq 137 ]
	retry 300 grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events"
	jq -e 'select(.type == "oom") | .id == "oom"' "$BATS_TEST_TMPDIR/events"
	linuxd delete --force oom
	wait "$events"
}

@test "linux.resources bound the whole sandbox in its host cgroup at linux.cgroupsPath" {
	update_config '.linux.cgroupsPath = "/linuxd-test/box" |
		.linux.resources = {memory: {limit: 134217728, reservation: 67108864}, pids: {limit: 40},
				    cpu: {quota: 50000, period: 100000, cpus: "0", mems: "0"}}'
	set_args sh -c 'sleep 1000 & sleep 1000'
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" box \
		< /dev/null > /dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 100 sh -c "[ \$(pgrep -P $pid | wc -l) -ge 2 ]"
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		dir=/sys/fs/cgroup/linuxd-test/box
		memory=$(cat $dir/memory.max) pids=$(cat $dir/pids.max)
		[ "$(cat $dir/cpu.max)" = "50000 100000" ]
		low=$(cat $dir/memory.low)
		cpuset=$dir
	else
		dir=/sys/fs/cgroup/pids/linuxd-test/box
		memory=$(cat /sys/fs/cgroup/memory/linuxd-test/box/memory.limit_in_bytes)
		pids=$(cat $dir/pids.max)
		[ "$(cat /sys/fs/cgroup/cpu/linuxd-test/box/cpu.cfs_quota_us)" = 50000 ]
		low=$(cat /sys/fs/cgroup/memory/linuxd-test/box/memory.soft_limit_in_bytes)
		cpuset=/sys/fs/cgroup/cpuset/linuxd-test/box
	fi
	# the CPUs and memory nodes of linux.resources.cpu, as runc's cpuset
	[ "$(cat $cpuset/cpuset.cpus)" = 0 ] && [ "$(cat $cpuset/cpuset.mems)" = 0 ]
	# the guest's limits and some room for the kernel process and stubs
	# (two host threads a process)
	[ "$memory" -ge 134217728 ] && [ "$memory" -le $((134217728 * 2)) ]
	[ "$low" = $((67108864 + 67108864)) ]
	[ "$(linuxd exec box cat /sys/fs/cgroup/container/memory.low)" = 67108864 ]
	[ "$pids" -ge 80 ] && [ "$pids" -le 120 ]
	for p in $pid $(pgrep -P "$pid"); do
		# a stub that is exiting has already left its cgroup
		grep -qx "$p" "$dir/cgroup.procs" || ! ps -o stat= -p "$p" | grep -qv Z
		cpus=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$p/status 2>/dev/null) ||
			continue
		[ "$cpus" = 0 ]
	done
	linuxd delete --force box
	[ ! -e "$dir" ] && [ ! -e "$cpuset" ]
	rmdir /sys/fs/cgroup/*/linuxd-test /sys/fs/cgroup/linuxd-test 2>/dev/null || true
}

@test "a bad linux.resources.cpu.cpus is named, and leaves nothing behind" {
	update_config '.linux.cgroupsPath = "/linuxd-test/badcpus" |
		.linux.resources = {cpu: {cpus: "0;1"}}'
	run_linuxd run --bundle "$BUNDLE" badcpus
	assert_one_line_error 'config.json: linux.resources.cpu.cpus: "0;1": expected a list such as 0-3,5'
	# a CPU the host does not have: the host's refusal, file and value named
	update_config '.linux.resources = {cpu: {cpus: "4095"}}'
	run_linuxd run --bundle "$BUNDLE" badcpus
	assert_one_line_error "linuxd-test/badcpus/cpuset.cpus: 4095"
	[ ! -e /sys/fs/cgroup/linuxd-test/badcpus ]
	[ ! -e /sys/fs/cgroup/cpuset/linuxd-test/badcpus ]
	[ -z "$(linuxd list -q)" ]
	rmdir /sys/fs/cgroup/*/linuxd-test /sys/fs/cgroup/linuxd-test 2>/dev/null || true
}

# The groups of PID that linuxd makes, as /proc/PID/cgroup shows them: v1's
# memory and pids, or v2's.
groups_of() {
	grep -E '^[0-9]+:(memory|pids):' "/proc/$1/cgroup" || grep '^0::' "/proc/$1/cgroup"
}

@test "a relative linux.cgroupsPath is below the runtime's own group, where runc puts it" {
	# (the default capabilities: the suite's are more than the host kernel has)
	update_config '.linux.cgroupsPath = "linuxd-test-rel/./box" | del(.process.capabilities)'
	set_args sleep 1000
	local runc="runc --root $BATS_TEST_TMPDIR/runc"
	$runc run -d --bundle "$BUNDLE" rel < /dev/null > /dev/null 2>&1
	want=$(groups_of "$($runc state rel | jq .pid)")
	$runc delete --force rel
	[[ "$want" == *"/linuxd-test-rel/box"* ]]
	linuxd run -d --bundle "$BUNDLE" rel < /dev/null > /dev/null 2>&1
	[ "$(groups_of "$(linuxd state rel | jq .pid)")" = "$want" ]
	linuxd delete --force rel
	find /sys/fs/cgroup -depth -type d -name linuxd-test-rel -exec rmdir {} \;
}

@test "with --systemd-cgroup, linux.cgroupsPath is slice:prefix:name, taken as runc takes it" {
	update_config '.linux.cgroupsPath = "linuxd-test-a-b.slice:pfx:box"'
	set_args sleep 1000
	linuxd --systemd-cgroup run -d --bundle "$BUNDLE" sd < /dev/null > /dev/null 2>&1
	run groups_of "$(linuxd state sd | jq .pid)"
	linuxd delete --force sd
	[ "$(cut -d: -f3 <<< "$output" | sort -u)" = \
	  /linuxd.slice/linuxd-test.slice/linuxd-test-a.slice/linuxd-test-a-b.slice/pfx-box.scope ]
	find /sys/fs/cgroup -depth -type d -path '*/linuxd.slice*' -exec rmdir {} \;
	# what runc refuses, named; a path that would climb out too
	for path in linuxd-test/box a--b.slice:p:n x.slice:p:../n; do
		update_config ".linux.cgroupsPath = \"$path\""
		run_linuxd --systemd-cgroup run --bundle "$BUNDLE" sd
		assert_one_line_error "linux.cgroupsPath: \"$path\""
	done
	[ -z "$(linuxd list -q)" ]
}
