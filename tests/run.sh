#!/bin/bash
# The whole test suite: unit tests (plain and under ASan/UBSan), then the
# integration tests that start real containers, on each platform.  Ends with
# "N passed, N failed"; exits non-zero when any test failed.
set -u -o pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export LINUXD_BUILD="$build"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# unit BINARY: its TAP lines, and a failure when it dies (a sanitizer report)
unit() {
	"$1" 2>&1 | tee -a "$out" || echo "not ok - $(basename "$1") exited with status $?" | tee -a "$out"
}
unit "$build/tests/config_test"
unit "$build/tests/config_test_asan"
unit "$build/tests/allowlist_test"
# a hostile kernel's requests to the file server, FUZZ_RUNS random ones too
unit "$build/tests/fileserver-attack"

# fuzz NAME: FUZZ_RUNS inputs (default 20000) grown from the corpus of
# tests/fuzz/corpus/NAME; a crash, a hang or a leak fails it.
fuzz() {
	local dir runs=${FUZZ_RUNS:-20000}
	dir=$(mktemp -d)
	cp "$here/fuzz/corpus/$1"/* "$dir"
	if "$build/tests/fuzz-$1" -runs="$runs" -timeout=10 -max_len=65536 \
		"$dir" > "$dir/log" 2>&1; then
		echo "ok - fuzz: $1.json parsing, $runs inputs" | tee -a "$out"
	else
		echo "not ok - fuzz: $1.json parsing" | tee -a "$out"
		tail -40 "$dir/log"
	fi
	rm -rf "$dir"
}
fuzz config
fuzz process
# The integration tests once per platform (PLATFORMS, default both).
for platform in ${PLATFORMS:-seccomp ptrace}; do
	echo "# platform: $platform"
	LINUXD_PLATFORM=$platform bats --tap "$here"/integration/${TESTS:-*}.bats | tee -a "$out"
done

passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
