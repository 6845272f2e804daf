#!/bin/sh
# The whole test suite: unit tests, then the integration tests that start
# real containers.  Ends with "N passed, N failed"; exits non-zero when any
# test failed.
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export LINUXD_BUILD="$build"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$build/tests/config_test" | tee -a "$out"
bats --tap "$here"/integration/${TESTS:-*}.bats | tee -a "$out"

passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
