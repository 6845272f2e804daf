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

@test "a missing or empty HOME comes from the container's /etc/passwd, or is /, as runc fills it in" {
	update_config '.process.env = ["PATH=/bin:/usr/bin"]'
	run_container sh -c 'echo "$HOME"'
	[ "$output" = /root ]
	update_config '.process.env = ["PATH=/bin:/usr/bin", "HOME="] | .process.user = {"uid": 65534}'
	run_container sh -c 'echo "$HOME"; env | grep -c ^HOME='
	[ "$output" = $'/nonexistent\n1' ]
	# no entry for the uid
	update_config '.process.user = {"uid": 4242, "gid": 4242}'
	run_container sh -c 'echo "$HOME"'
	[ "$output" = / ]
	update_config '.process.env = ["PATH=/bin:/usr/bin", "HOME=/mine"]'
	run_container sh -c 'echo "$HOME"'
	[ "$output" = /mine ]
}

@test "process.cwd is the working directory" {
	update_config '.process.cwd = "/etc"'
	run_container pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/etc" ]
}

@test "a missing process.cwd is made, one the user may not enter is entered, as runc does; one that cannot be made is named" {
	update_config '.root.readonly = false | .process.cwd = "/no/such/dir"'
	run_container sh -c 'pwd; stat -c "%a %u" .'
	[ "$status" -eq 0 ]
	[ "$output" = $'/no/such/dir\n755 0' ]
	update_config '.process.cwd = "/root/in" | .process.user = {"uid": 1000, "gid": 1000}'
	chmod 700 "$BUNDLE/rootfs/root"
	run_container pwd
	[ "$status" -eq 0 ]
	[ "$output" = /root/in ]
	update_config '.process.cwd = "/etc/passwd/dir"'
	run_container pwd
	assert_one_line_error 'process.cwd "/etc/passwd/dir"'
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

# The capability lines of /proc/self/status, "Inh Prm Eff Bnd Amb" in hex.
caps_line='grep ^Cap /proc/self/status | cut -f2 | tr "\n" " "'

@test "process.capabilities bound what root may do" {
	update_config '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}'
	run_container sh -c "$caps_line; mkdir /dev/m; mount -t tmpfs none /dev/m && echo mounted; true"
	[ "$status" -eq 0 ]
	[ "$output" = "0000000000000000 0000000000000001 0000000000000001 0000000000000401 0000000000000000 " ]
	[[ "$stderr" == *"mount: permission denied"* ]]
	# without process.capabilities, none at all, as runc has it
	update_config 'del(.process.capabilities)'
	set_args sh -c "$caps_line"
	runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "runc-$BATS_TEST_NUMBER" \
		< /dev/null > "$BATS_TEST_TMPDIR/runc.out"
	[ "$(cat "$BATS_TEST_TMPDIR/runc.out")" = "0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 " ]
	run_container sh -c "$caps_line"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/runc.out")" ]
}

@test "a non-root user keeps its ambient capabilities across exec" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = ([ "bounding", "effective", "inheritable",
			"permitted", "ambient"] | map({key: ., value: ["CAP_NET_BIND_SERVICE"]}) | from_entries)'
	run_container sh -c "$caps_line"
	[ "$status" -eq 0 ]
	[ "$output" = "0000000000000400 0000000000000400 0000000000000400 0000000000000400 0000000000000400 " ]
}

@test "ambient capabilities without inheritable ones stay out of the ambient set, as runc spec writes them" {
	# runc 1.1.5's spec: ambient, no inheritable
	update_config '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = ([ "bounding", "effective", "permitted",
			"ambient"] | map({key: ., value: ["CAP_NET_BIND_SERVICE", "CAP_KILL"]}) | from_entries)'
	run_container sh -c "$caps_line"
	[ "$status" -eq 0 ]
	# no ambient set, hence nothing effective or permitted after exec
	[ "$output" = "0000000000000000 0000000000000000 0000000000000000 0000000000000420 0000000000000000 " ]
}

@test "process.noNewPrivileges and process.user.umask are applied" {
	update_config '.process.noNewPrivileges = true | .process.user.umask = 63'
	run_container sh -c 'grep ^NoNewPrivs /proc/self/status | cut -f2; umask'
	[ "$output" = $'1\n0077' ]
	update_config '.process.noNewPrivileges = false | del(.process.user.umask)'
	run_container sh -c 'grep ^NoNewPrivs /proc/self/status | cut -f2; umask'
	[ "$output" = $'0\n0022' ]
}

@test "an unknown capability is left out with a warning that names it, as runc does" {
	update_config '.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_FLY"]}'
	run_container sh -c "$caps_line"
	[ "$status" -eq 0 ]
	[ "$output" = "0000000000000000 0000000000000000 0000000000000000 0000000000000001 0000000000000000 " ]
	[[ "$stderr" == *'process.capabilities.bounding[1]: unknown capability "CAP_FLY", left out'* ]]
}

@test "process.oomScoreAdj is the process's in the guest" {
	update_config '.process.oomScoreAdj = 500'
	run_container cat /proc/self/oom_score_adj
	[ "$output" = 500 ]
	update_config '.process.oomScoreAdj = -2000'
	run_container true
	assert_one_line_error 'process.oomScoreAdj: -2000 is out of range (-1000 to 1000)'
}

@test "a user namespace maps the container's ids to the spec's, for its files too" {
	mkdir -m 777 "$BATS_TEST_TMPDIR/vol"
	update_config --arg src "$BATS_TEST_TMPDIR/vol" '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
		.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 2048, hard: 2048}] |
		.mounts += [{destination: "/vol", type: "bind", source: $src, options: ["rbind"]}]'
	set_args sh -c 'id -u; cat /proc/self/uid_map | tr -s " "; stat -c %u /etc/passwd;
		echo x > /vol/f; sleep 1000'
	linuxd run -d --bundle "$BUNDLE" userns > "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null
	retry 300 test -e "$BATS_TEST_TMPDIR/vol/f"
	# root inside, 100000 outside; the host's root is nobody there
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = $'0\n 0 100000 65536\n65534' ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/vol/f")" = 100000:200000 ]
	# exec'd processes join it
	run_linuxd exec --user 1000:1000 userns sh -c 'id -u; echo y > /vol/g'
	[ "$output" = 1000 ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/vol/g")" = 101000:201000 ]
	linuxd delete --force userns
	update_config 'del(.linux.gidMappings)'
	run_container true
	assert_one_line_error 'linux.gidMappings: required with a user namespace'
}
