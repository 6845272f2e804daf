#!/usr/bin/env bats
load helpers

@test "an installed linuxd finds its kernel and init under PREFIX/lib/linuxd" {
	make -s -C "$BATS_TEST_DIRNAME/../.." BUILD="$LINUXD_BUILD" \
		PREFIX="$BATS_TEST_TMPDIR/prefix" install
	[ -x "$BATS_TEST_TMPDIR/prefix/lib/linuxd/linux" ]
	[ -f "$BATS_TEST_TMPDIR/prefix/lib/linuxd/init.cpio" ]
	set_args uname -r
	run --separate-stderr "$BATS_TEST_TMPDIR/prefix/bin/linuxd" --root "$STATE" \
		run --bundle "$BUNDLE" installed
	[ "$status" -eq 0 ]
	[[ "$output" == *-linuxd ]]
}
