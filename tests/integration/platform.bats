#!/usr/bin/env bats
# How the sandbox kernel runs the container's programs: the seccomp platform
# (the default) or ptrace (--platform ptrace).  The suite runs on both.
load helpers

# check NAME: run `syscalls NAME` (tests/probe/syscalls.c) as the container
# process; it prints "NAME ok" when all went as on Linux.
check() {
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	run_container syscalls "$1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$1 ok"* ]]
}

@test "the sandbox's processes run on the platform asked for" {
	set_args sleep 1000
	linuxd run -d --bundle "$BUNDLE" plat
	kernel=$(linuxd state plat | jq -r .pid)
	retry 100 stubs_of "$kernel" > /dev/null
	# its file server on either: untraced, under its own filter
	server=$(pgrep -P "$kernel" -x hostfs-server)
	grep -qx "TracerPid:[[:space:]]*0" "/proc/$server/status"
	grep -qx "Seccomp:[[:space:]]*2" "/proc/$server/status"
	for stub in $(stubs_of "$kernel"); do
		tracer=$(awk '/^TracerPid:/ { print $2 }' "/proc/$stub/status")
		filter=$(awk '/^Seccomp:/ { print $2 }' "/proc/$stub/status")
		if [ "$LINUXD_PLATFORM" = ptrace ]; then
			[ "$tracer" = "$kernel" ]
		else
			[ "$tracer" = 0 ] && [ "$filter" = 2 ]
		fi
	done
	linuxd delete --force plat
}

@test "an unknown platform is refused" {
	run --separate-stderr "$LINUXD_BUILD/bin/linuxd" --root "$STATE" \
		--platform kvm run --bundle "$BUNDLE" bad
	assert_one_line_error '--platform: "kvm"'
	[ ! -e "$STATE/bad" ]
}

@test "threads contending on mutexes and condition variables" {
	check threads
}

@test "signals during a blocking read: EINTR, or restarted with SA_RESTART" {
	check eintr
}

@test "vfork shares memory with the parent until exec" {
	check vfork
}

@test "forked children see their parent's memory as it is, whatever was faulted in ahead for them" {
	check fork_learn
}

@test "a program run again gets its data as the file has it, whatever was faulted in ahead for it" {
	check exec_learn
}

@test "memory given back by munmap, brk or MADV_DONTNEED is gone when the call returns" {
	check unmap_gone
}

@test "clone with CLONE_VM shares memory" {
	check clone_vm
}

@test "execve from a process with running threads" {
	check exec_threads
}

@test "vector and FP registers survive system calls and signal handlers" {
	check fpu
}

@test "threads switching on one address space keep their own vector registers" {
	check fpu_threads
}

@test "processes switching on one CPU keep their own vector registers" {
	check fpu_procs
}

@test "a debugger reads and sets the vector registers of a process stopped in a system call" {
	check fpu_ptrace
}

@test "TLS through arch_prctl and __thread variables" {
	check tls
}

@test "system calls restart from call sites used before: SA_RESTART, restart_syscall" {
	check restart
}

@test "the seccomp platform rewrites system calls into jumps to the stub" {
	check rewritten
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		[[ "$output" == *"table no, read as is"* ]]
	else
		[[ "$output" == *"table yes, read rewritten"* ]]
	fi
}

@test "a process that jumps into its stub's code, or passes for its stub, cannot change a mapping or another process" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the ptrace platform traces every system call of a stub"
	fi
	check stub_calls
	echo "$output"
	# nine descriptors, munmap, mprotect, mremap, sched_setaffinity
	[ "$(grep -c ': stub ended$' <<< "$output")" -eq 13 ]
}

# two_processes ID: run container ID with two processes; the pids of its
# stubs, in STUBS.
two_processes() {
	set_args sh -c 'sleep 1000 & sleep 1000'
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$1" \
		< /dev/null > /dev/null 2>&1
	retry 100 stubs_of "$(cat "$BATS_TEST_TMPDIR/pid")" > /dev/null
	STUBS=$(stubs_of "$(cat "$BATS_TEST_TMPDIR/pid")")
}

@test "a stub holds nothing of the kernel process: no copy of its binary, C library, stack or heap" {
	two_processes bare
	# the guest's memory and the stub's own pages are of the kernel's
	# memory file; [vsyscall] is the host's, the same in every process
	for p in $STUBS; do
		left=$(grep -v -e ' /memfd:physmem (deleted)$' -e '\[vsyscall\]$' "/proc/$p/maps" || true)
		echo "stub $p: $left" >&2
		[ -z "$left" ]
	done
	linuxd delete --force bare
}

@test "no page a stub maps without write can be made writable from inside it, its code included" {
	two_processes ro
	# mprotect() cannot add write where the host says "may not write"
	# (no "mw" in VmFlags): a shared mapping of a read-only descriptor
	for p in $STUBS; do
		grep -q '^VmFlags:' "/proc/$p/smaps"
		left=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { perm = $2; name = $NF }
			/^VmFlags:/ && substr(perm, 2, 1) != "w" && name != "[vsyscall]" &&
				/ mw/ { print perm, name, $0 }' "/proc/$p/smaps")
		echo "stub $p: $left" >&2
		[ -z "$left" ]
	done
	linuxd delete --force ro
}

@test "a process that masks every signal from its stub's code and spins is killed; the sandbox goes on" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the ptrace platform stops a stub at every system call"
	fi
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	set_args syscalls stub_sigmask
	# a bound of our own: without the kernel's, the sandbox would stop
	run --separate-stderr timeout 120 "$LINUXD_BIN" --root "$STATE" \
		--log "$BATS_TEST_TMPDIR/linuxd.log" run --bundle "$BUNDLE" spinner
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" == *"stub_sigmask ok"* ]]
	grep -q "did not hand over" "$BATS_TEST_TMPDIR/linuxd.log"
}

@test "a process that scribbles over its stub's data and the shared doorbell page from a second thread harms only itself" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the probe finds the stub through the seccomp platform's trap table"
	fi
	check stub_scribble
	[[ "$output" == *"scribbler: status"* ]]
	! grep -q "Kernel panic" "$BATS_TEST_TMPDIR/linuxd.log" || false
}

@test "a kept stub holds nothing of the process that ran in it last" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the probe enters the stub by the seccomp platform's trap table"
	fi
	check stub_leftovers
	[[ "$output" == *"secret found in 0 of 20 stubs"* ]]
}

@test "a process that exits while its stub waits on a stack of its own leaves the next process, root's, nothing to run" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the probe enters the stub by the seccomp platform's trap table"
	fi
	check stub_poison
	[[ "$output" == *"attacker's registers: 0 of 20"* ]]
}

@test "a debugger steps through system calls that were rewritten before it attached" {
	check step
	if [ "$LINUXD_PLATFORM" != ptrace ]; then
		[[ "$output" == *"stepped out of the trap table"* ]]
	fi
}

@test "a tracer that steps its child into the stub's code and takes away its signals ends only the child" {
	if [ "$LINUXD_PLATFORM" = ptrace ]; then
		skip "the probe enters the stub by the seccomp platform's trap table"
	fi
	update_config '.process.user = {uid: 1000, gid: 1000}'
	check stub_trace
	[[ "$output" == *"then Segmentation fault"* ]]
}

@test "a debugger reads the debug registers as on the host, no word between registers; breakpoint traps fill no log" {
	# an unprivileged user tracing its own child
	update_config '.process.user = {uid: 1000, gid: 1000}'
	check debugregs
	[[ "$output" == *"2000 traps"* ]]
	# the host reports the same registers
	native=$("$LINUXD_BUILD/tests/syscalls" debugregs | grep '^dr6')
	[[ "$output" == *"$native"* ]]
	[ "$(grep -c "relay unknown signal" "$BATS_TEST_TMPDIR/linuxd.log")" -eq 0 ]
}

@test "random ptrace requests of an unprivileged tracer end, the kernel running on" {
	cp "$LINUXD_BUILD/tests/ptrace_fuzz" "$BUNDLE/rootfs/bin/ptrace_fuzz"
	update_config '.process.user = {uid: 1000, gid: 1000}'
	run_container sh -c 'ptrace_fuzz 1 50000 && ptrace_fuzz 2 50000'
	[ "$status" -eq 0 ]
	[ "$(grep -c "50000 requests" <<< "$output")" -eq 2 ]
	! grep -q -e "Kernel panic" -e "Oops" -e "BUG" "$BATS_TEST_TMPDIR/linuxd.log" || false
}

# check_as_runc NAME: check NAME, and find that runc's container prints the
# same, with the default capabilities (the suite's are more than the host
# kernel has).
check_as_runc() {
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	update_config 'del(.process.capabilities)'
	set_args syscalls "$1"
	runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "runc-$BATS_TEST_NUMBER" \
		< /dev/null > "$BATS_TEST_TMPDIR/runc.out"
	check "$1"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/runc.out")" ]
}

@test "the vDSO reads the clocks without a system call, as under runc, once the kernel's clock is the TSC" {
	check_as_runc vdso
	# (without a constant TSC, both kernels' clocks are system calls)
	if grep -q ' constant_tsc.* nonstop_tsc' /proc/cpuinfo; then
		[[ "$output" == *"the clocks read without a system call"* ]]
	fi
}

@test "a debugger's register requests with a bad buffer fail with EFAULT and change nothing, as under runc" {
	update_config '.process.user = {uid: 1000, gid: 1000}'
	check_as_runc regs_fault
	[[ "$output" == *"setregs -1 Bad address"* ]]
}

@test "a debugger's PTRACE_ARCH_PRCTL reads and sets the tracee's FS base, not its own, as under runc" {
	update_config '.process.user = {uid: 1000, gid: 1000}'
	check_as_runc arch_prctl_trace
	[[ "$output" == *"the tracer's by 0"* ]]
}

@test "an unprivileged process cannot write the page the vDSO reads the clocks from, as under runc" {
	update_config '.process.user = {uid: 1000, gid: 1000}'
	check_as_runc vvar
	[[ "$output" == *"the clock page cannot be written"* ]]
}

@test "a busy loop's time is user time, as on the host" {
	"$LINUXD_BUILD/tests/syscalls" cputime
	check cputime
	[[ "$output" != *"user 0 ms"* ]]
}

@test "a syscall instruction outside libc reaches the sandbox kernel" {
	check raw
	[[ "$output" == *"raw pid 1"* ]]
	[[ "$output" == *"raw write"* ]]
}

@test "a fatal SIGSEGV ends only that program; the sandbox goes on" {
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	run_container sh -c 'probe segv; echo status=$?; syscalls threads'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "status=139" ]
	[ "${lines[1]}" = "threads ok" ]
}

@test "a program that dumps core leaves its core with its registers; the sandbox goes on" {
	cp "$LINUXD_BUILD/tests/syscalls" "$BUNDLE/rootfs/bin/syscalls"
	update_config '.root.readonly = false'
	run_container sh -c 'cd /tmp && ulimit -c unlimited && probe segv; echo status=$?; syscalls threads'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "status=139" ]
	[ "${lines[1]}" = "threads ok" ]
	# %r12 in the general registers' note, %xmm10 in the FP one
	run /usr/bin/python3 - "$BUNDLE/rootfs/tmp/core" <<'EOF'
import struct, sys
core = open(sys.argv[1], 'rb').read()
phoff, = struct.unpack_from('<Q', core, 32)
phnum, = struct.unpack_from('<H', core, 56)
notes = {}
for i in range(phnum):
    kind, _, off, _, _, size = struct.unpack_from('<IIQQQQ', core, phoff + 56 * i)
    end = off + size
    while kind == 4 and off < end:
        namesz, descsz, ntype = struct.unpack_from('<III', core, off)
        desc = off + 12 + (namesz + 3) // 4 * 4
        notes.setdefault(ntype, core[desc:desc + descsz])
        off = desc + (descsz + 3) // 4 * 4
print(hex(struct.unpack_from('<Q', notes[1], 112 + 3 * 8)[0]))
print(notes[2][160 + 10 * 16:160 + 11 * 16].decode())
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0x1122334455667788 ]
	[ "${lines[1]}" = "linuxd core xmm!" ]
}

# kill_stub ID MARK FILE AWK: run container ID detached, its output in
# $BATS_TEST_TMPDIR/out; once MARK is there, SIGKILL the stub that
# stub_most picks by FILE and AWK, and wait until the container stopped.
kill_stub() {
	linuxd run -d --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" \
		"$1" > "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	retry 300 grep -q "$2" "$BATS_TEST_TMPDIR/out"
	kill -9 "$(stub_most "$(cat "$BATS_TEST_TMPDIR/pid")" "$3" "$4")"
	retry 300 status_is "$1" stopped
	cat "$BATS_TEST_TMPDIR/out" >&2
}

@test "killing one program's stub process ends only that program, as SIGKILL would" {
	set_args sh -c 'probe hold 64; echo "hold ended $?"; echo still here'
	# the stub of the program holding 64 MiB is the largest one
	kill_stub one holding status '/^VmRSS/ { print $2 }'
	grep -qx "hold ended 137" "$BATS_TEST_TMPDIR/out"
	grep -q "stub [0-9]* of process [0-9]* (probe) was killed: so is the process" \
		"$BATS_TEST_TMPDIR/linuxd.log"
	grep -qx "still here" "$BATS_TEST_TMPDIR/out"
	linuxd delete one
}

@test "killing the stub of a program that runs its own code ends it the same way, said the same way" {
	set_args sh -c 'sh -c "echo spinning; while :; do :; done"; echo "spin ended $?"'
	# the stub of the spinning shell is the one with the most CPU time
	kill_stub spin spinning stat '{ print $14 + $15 }'
	grep -qx "spin ended 137" "$BATS_TEST_TMPDIR/out"
	grep -q "stub [0-9]* of process [0-9]* (sh) was killed: so is the process" \
		"$BATS_TEST_TMPDIR/linuxd.log"
	linuxd delete spin
}

@test "killing the sandbox's stub processes ends the container with status 137, leaving nothing" {
	# init's stub among them, though init sleeps: the kernel notices at once
	set_args sleep 1000
	(if linuxd run --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" stubs \
		< /dev/null > /dev/null 2>&1 3>&-; then echo 0; else echo $?; fi \
		> "$BATS_TEST_TMPDIR/status") 3>&- &
	retry 100 test -s "$BATS_TEST_TMPDIR/pid"
	kernel=$(cat "$BATS_TEST_TMPDIR/pid")
	retry 100 stubs_of "$kernel" > /dev/null
	kill -9 $(stubs_of "$kernel")
	retry 300 test -s "$BATS_TEST_TMPDIR/status"
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 137 ]
	grep -q "stub [0-9]* of init was killed: the kernel powers off" \
		"$BATS_TEST_TMPDIR/linuxd.log"
	! grep -q "Kernel panic" "$BATS_TEST_TMPDIR/linuxd.log" || false
	# detached, then deleted: its state says stopped
	linuxd run -d --bundle "$BUNDLE" stubs2 < /dev/null > /dev/null 2>&1
	kernel=$(linuxd state stubs2 | jq -r .pid)
	retry 100 stubs_of "$kernel" > /dev/null
	kill -9 $(stubs_of "$kernel")
	retry 300 status_is stubs2 stopped
	linuxd delete stubs2
}
