#!/usr/bin/env bats
load helpers

# A host script as every kind of hook; it logs its kind and the status it
# was given on stdin.
add_logging_hooks() {
	cat > "$BATS_TEST_TMPDIR/hook" <<-SH
		#!/bin/sh
		echo "\$1 \$(jq -r '.id + " " + .status + " " + .annotations.owner')" >> "$BATS_TEST_TMPDIR/hooks.log"
	SH
	chmod +x "$BATS_TEST_TMPDIR/hook"
	update_config --arg h "$BATS_TEST_TMPDIR/hook" '.hooks = (
		["prestart", "createRuntime", "createContainer", "startContainer",
		 "poststart", "poststop"] | map({key: ., value: [{path: $h, args: [$h, .]}]})
		| from_entries) | .annotations.owner = "ci"'
}

@test "hooks run in lifecycle order with the state on stdin" {
	add_logging_hooks
	set_args true
	linuxd create --bundle "$BUNDLE" hooked < /dev/null > /dev/null 2>&1
	linuxd start hooked
	retry 300 status_is hooked stopped
	linuxd delete hooked
	run cat "$BATS_TEST_TMPDIR/hooks.log"
	[ "$output" = "prestart hooked created ci
createRuntime hooked created ci
createContainer hooked created ci
startContainer hooked created ci
poststart hooked running ci
poststop hooked stopped ci" ]
}

@test "a failing createRuntime hook fails create and leaves nothing behind" {
	update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
	set_args true
	run_linuxd create --bundle "$BUNDLE" badhook
	assert_one_line_error 'error running createRuntime hook #0 (hooks.createRuntime[0], /bin/false): exit status 1'
	[ ! -e "$STATE/badhook" ]
}

@test "a hook that outlives its timeout is killed and fails create" {
	update_config '.hooks.prestart = [{"path": "/bin/sleep", "args": ["sleep", "600"], "timeout": 1}]'
	set_args true
	run_linuxd create --bundle "$BUNDLE" slowhook
	assert_one_line_error 'error running prestart hook #0 (hooks.prestart[0], /bin/sleep): timed out after 1 s'
	[ ! -e "$STATE/slowhook" ]
}

@test "an invalid hook is named" {
	update_config '.hooks.poststart = [{"path": "relative"}]'
	run_linuxd run --bundle "$BUNDLE" invalid
	assert_one_line_error 'hooks.poststart[0].path: expected an absolute path'
}
