#!/usr/bin/env bats
load helpers

# A profile that refuses mkdir, and chmod to mode 0777, with EPERM.
refuse_mkdir_and_0777() {
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1},
			{names: ["chmod", "no_such_call"], action: "SCMP_ACT_ERRNO",
			 args: [{index: 1, value: 511, op: "SCMP_CMP_EQ"}]}]}'
}

try_calls='mkdir /dev/d; echo mkdir=$?; touch /dev/f; chmod 777 /dev/f; echo 777=$?; chmod 755 /dev/f; echo 755=$?'

@test "linux.seccomp filters the container process's system calls, and an exec'd one's" {
	refuse_mkdir_and_0777
	set_args sh -c "$try_calls; sleep 1000"
	linuxd run -d --bundle "$BUNDLE" sc > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" < /dev/null
	retry 300 grep -q 755= "$BATS_TEST_TMPDIR/out"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = $'mkdir=1\n777=1\n755=0' ]
	grep -q "can't create directory '/dev/d': Operation not permitted" "$BATS_TEST_TMPDIR/err"
	run_linuxd exec sc sh -c 'mkdir /dev/e; echo mkdir=$?'
	[ "$output" = mkdir=1 ]
	linuxd delete --force sc
}

@test "a call the profile kills for ends the process with SIGSYS" {
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["getppid"], action: "SCMP_ACT_KILL_PROCESS"}]}'
	run_container probe getppid
	[ "$status" -eq 159 ] && [ -z "$output" ]
	update_config 'del(.linux.seccomp)'
	run_container probe getppid
	[ "$status" -eq 0 ] && [ "$output" = 0 ]
}

@test "without no_new_privs the filter is in place before capabilities go" {
	refuse_mkdir_and_0777
	update_config '.process.noNewPrivileges = false |
		.process.capabilities = {bounding: ["CAP_CHOWN"], effective: ["CAP_CHOWN"],
			permitted: ["CAP_CHOWN"]}'
	run_container sh -c "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | cut -f2; $try_calls"
	[ "$output" = $'0000000000000001\n0\n2\nmkdir=1\n777=1\n755=0' ]
}

@test "a bad seccomp profile is named and leaves nothing behind" {
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_EXPLODE"}]}'
	run_container true
	assert_one_line_error 'config.json: linux.seccomp.syscalls[0]: unknown action'
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_Z80"]}'
	run_container true
	assert_one_line_error 'linux.seccomp.architectures[0]: unknown architecture'
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO",
			args: [{index: 9, value: 1, op: "SCMP_CMP_EQ"}]}]}'
	run_container true
	assert_one_line_error 'linux.seccomp.syscalls[0].args[0]: index: expected 0 to 5'
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/run/agent.sock"}'
	run_container true
	assert_one_line_error 'linux.seccomp.listenerPath: a seccomp agent is not supported'
}

@test "a call above those a profile names fails with ENOSYS, not the default errno, as under runc" {
	# every x86-64 call the build host knows allowed, anything else EPERM
	names=$(sed -n 's/^#define __NR_\([a-z0-9_]*\) [0-9]*$/\1/p' \
		/usr/include/x86_64-linux-gnu/asm/unistd_64.h | jq -R . | jq -cs .)
	update_config --argjson n "$names" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
		architectures: ["SCMP_ARCH_X86_64"], syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}'
	cp "$LINUXD_BUILD/tests/features" "$BUNDLE/rootfs/bin/features"
	# the spec's own capabilities, which runc can apply on this host
	mkdir "$BATS_TEST_TMPDIR/spec"
	linuxd spec --bundle "$BATS_TEST_TMPDIR/spec"
	update_config --slurpfile s "$BATS_TEST_TMPDIR/spec/config.json" \
		'.process.capabilities = $s[0].process.capabilities'
	set_args features
	runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "runc-$BATS_TEST_NUMBER" \
		< /dev/null > "$BATS_TEST_TMPDIR/runc.out"
	grep -qx "syscall-1000 ENOSYS" "$BATS_TEST_TMPDIR/runc.out"
	run_container features
	[ "$status" -eq 0 ]
	[[ "$output" == *"syscall-1000 ENOSYS"* ]]
	# and with a profile that allows what it does not name, the kernel's
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_ALLOW" |
		.linux.seccomp.syscalls = [{names: ["swapon"], action: "SCMP_ACT_ERRNO"}]'
	run_container features
	[[ "$output" == *"syscall-1000 ENOSYS"* ]]
	[[ "$output" == *"swapon EPERM"* ]]
}
