#!/usr/bin/env bats
load helpers

@test "process.env is the process's whole environment" {
	update_config '.process.env = ["PATH=/bin:/usr/bin", "GREETING=hello world"]'
	run_container sh -c 'env | sort'
	[ "$status" -eq 0 ]
	[[ "$output" == *"GREETING=hello world"* ]]
	[[ "$output" == *"PATH=/bin:/usr/bin"* ]]
	[[ "$output" != *"BATS"* ]]
}

@test "process.cwd is the working directory" {
	update_config '.process.cwd = "/etc"'
	run_container pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/etc" ]
}

@test "a process.cwd that does not exist is named" {
	update_config '.process.cwd = "/no/such/dir"'
	run_container pwd
	assert_one_line_error 'process.cwd "/no/such/dir"'
}

@test "process.user sets uid, gid and additional groups" {
	update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 2000]}'
	run_container sh -c 'id -u; id -g; id -G'
	[ "$status" -eq 0 ]
	[ "$output" = $'1000\n1001\n1001 5 2000' ]
}

@test "a non-root user cannot write where only root may" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .root.readonly = false'
	chmod 755 "$BUNDLE/rootfs/root"
	run_container touch /root/file
	[ "$status" -ne 0 ]
	[ ! -e "$BUNDLE/rootfs/root/file" ]
}

@test "process.rlimits are applied" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	run_container sh -c 'probe rlimit nofile; probe rlimit core'
	[ "$status" -eq 0 ]
	[ "$output" = $'321 654\n0 0' ]
}
