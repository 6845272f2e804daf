#!/bin/sh
# Host memory of an idle container running `sleep`: RSS and PSS summed over
# every host process of the sandbox (the kernel process and its address-space
# processes), from /proc/PID/smaps_rollup.
# usage: bench/memory.sh [BUILD]
set -eu
build=$(cd "${1:-build}" && pwd)
work=$(mktemp -d)
mkdir "$work/bundle"
cp -a "$build/rootfs" "$work/bundle/rootfs"
"$build/bin/linuxd" spec --bundle "$work/bundle"
jq '.process.args = ["sleep", "1000"] | .process.terminal = false' "$work/bundle/config.json" > "$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"
"$build/bin/linuxd" --root "$work/state" run --bundle "$work/bundle" idle < /dev/null > /dev/null 2>&1 &
trap 'pkill -9 -f "uml_dir=$work/state/idle" || true; wait; rm -rf "$work"' EXIT
for _ in $(seq 100); do
	[ -f "$work/state/idle/state.json" ] && grep -q running "$work/state/idle/state.json" && break
	sleep 0.1
done
sleep 1
# the kernel process and its children (file server, stubs), whose command
# lines stubs no longer have
kernel=$(pgrep -o -f "uml_dir=$work/state/idle")
pids="$kernel $(pgrep -P "$kernel" | tr '\n' ' ')"
total_rss=0
total_pss=0
for p in $pids; do
	rss=$(awk '/^Rss:/ { print $2 }' "/proc/$p/smaps_rollup")
	pss=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")
	total_rss=$((total_rss + rss))
	total_pss=$((total_pss + pss))
done
echo "| sandbox processes | RSS (MiB) | PSS (MiB) |"
echo "|---|---|---|"
echo "| $(echo $pids | wc -w) | $(echo "$total_rss" | awk '{ printf "%.1f", $1 / 1024 }') | $(echo "$total_pss" | awk '{ printf "%.1f", $1 / 1024 }') |"
