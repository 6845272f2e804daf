#!/bin/sh
# Start-up cost: median wall time of N runs of /bin/true from the default
# rootfs, linuxd beside runc (when installed) in the same run.
# usage: bench/startup.sh [BUILD] [N]
set -eu
build=$(cd "${1:-build}" && pwd)
n=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bundle"
cp -a "$build/rootfs" "$work/bundle/rootfs"
"$build/bin/linuxd" spec --bundle "$work/bundle"
jq '.process.args = ["/bin/true"] | .process.terminal = false' "$work/bundle/config.json" > "$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"

# median_ms CMD...: median wall time of n runs of CMD, in milliseconds
median_ms() {
	for i in $(seq "$n"); do
		s=$(date +%s%N)
		"$@" "bench-$i" > /dev/null
		e=$(date +%s%N)
		echo $(( (e - s) / 1000 ))
	done | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
}

linuxd_ms=$(median_ms "$build/bin/linuxd" --root "$work/state" run --bundle "$work/bundle")
echo "| runtime | median of $n runs of /bin/true (ms) | ratio to runc |"
echo "|---|---|---|"
if command -v runc > /dev/null; then
	runc_ms=$(median_ms runc --root "$work/runc" run --bundle "$work/bundle")
	echo "| runc | $runc_ms | 1.0 |"
	echo "| linuxd | $linuxd_ms | $(echo "$linuxd_ms $runc_ms" | awk '{ printf "%.1f", $1 / $2 }') |"
else
	echo "| linuxd | $linuxd_ms | (runc not installed) |"
fi
