#!/usr/bin/env bats
load helpers

@test "spec writes a default config.json that run accepts, with runc's restrictions" {
	rm "$BUNDLE/config.json"
	linuxd spec --bundle "$BUNDLE"
	jq -e '.ociVersion and .process.args == ["sh"] and .process.terminal and
		.root.path == "rootfs" and
		.process.noNewPrivileges and (.linux.readonlyPaths | index("/proc/sys"))' \
		"$BUNDLE/config.json"
	set_args sh -c 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status | cut -f2;
		cat /proc/sys/kernel/hostname
		{ echo x > /proc/sys/kernel/hostname; } 2> /dev/null || echo refused;
		wc -c < /proc/timer_list'
	run_linuxd run --bundle "$BUNDLE" from-spec
	[ "$status" -eq 0 ]
	# AUDIT_WRITE, KILL and NET_BIND_SERVICE; /proc/sys read-only; on a
	# terminal, which ends lines with \r\n
	[ "$(printf '%s' "$output" | tr -d '\r')" = $'0000000020000420\n1\nlinuxd\nrefused\n0' ]
}

@test "spec refuses to overwrite an existing config.json" {
	echo '{"mine": true}' > "$BUNDLE/config.json"
	cd "$BUNDLE"
	run_linuxd spec
	assert_one_line_error "config.json"
	[ "$(cat "$BUNDLE/config.json")" = '{"mine": true}' ]
}

@test "spec --bundle writes into that directory" {
	mkdir "$BATS_TEST_TMPDIR/other"
	run_linuxd spec --bundle "$BATS_TEST_TMPDIR/other"
	[ "$status" -eq 0 ]
	jq -e .ociVersion "$BATS_TEST_TMPDIR/other/config.json"
}

@test "features prints the OCI features document" {
	run_linuxd features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.ociVersionMin and .ociVersionMax and
		(.mountOptions | index("ro") and index("nosuid")) and
		(.linux.namespaces | index("pid")) and
		(.hooks | length == 6) and (.linux.capabilities | index("CAP_SYS_ADMIN")) and
		.linux.seccomp.enabled and (.linux.seccomp.actions | index("SCMP_ACT_ERRNO"))'
}

@test "--version and --help work for linuxd and every command" {
	run_linuxd --version
	[[ "$output" == "linuxd version "* ]]
	for cmd in create start run exec state kill delete list spec features pause resume ps update events; do
		run_linuxd $cmd --help
		[ "$status" -eq 0 ]
		[[ "$output" == usage:* ]]
	done
}
