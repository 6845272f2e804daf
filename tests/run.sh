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
# The integration tests once per platform (PLATFORMS, default both).
for platform in ${PLATFORMS:-seccomp ptrace}; do
	echo "# platform: $platform"
	LINUXD_PLATFORM=$platform bats --tap "$here"/integration/${TESTS:-*}.bats | tee -a "$out"
done

passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
