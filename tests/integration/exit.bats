#!/usr/bin/env bats
load helpers

@test "the exit status of run is the process's, 0 to 255" {
	set_args sh -c 'exit $0' 0
	for code in 0 1 42 127 255; do
		update_config --arg c "$code" '.process.args[3] = $c'
		status=0
		linuxd run --bundle "$BUNDLE" exits || status=$?
		[ "$status" -eq "$code" ]
	done
}

@test "a process killed by a signal gives 128 plus the signal number" {
	run_container probe segv
	[ "$status" -eq 139 ]
}

@test "a child of the process may die of a signal without harm" {
	run_container sh -c 'probe segv; echo child=$?'
	[ "$status" -eq 0 ]
	[ "$output" = "child=139" ]
}
