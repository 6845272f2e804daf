#!/bin/sh
# TCP between the host side and a container through a network namespace
# as CNI prepares one (a veth pair): bulk throughput each way and one-byte
# request round trips, for runc (the host's stack), runsc --platform=ptrace
# and linuxd (the guest kernel's stack), in one run.
# Each figure is the median of three transfers, or of three runs of round
# trips, each on its own connection.  The sender times a transfer, up to
# the receiver's end of it: the host into the container, the container
# out to the host.
# Prints a markdown table with ratios to runc and leaves it with a PNG
# chart in OUT.
# usage: bench/net.sh [BUILD] [MB] [ROUND_TRIPS] (OUT: $BENCH_OUT, default BUILD/bench)
set -eu
build=$(cd "${1:-build}" && pwd)
mb=${2:-200}
trips=${3:-2000}
out=${BENCH_OUT:-$build/bench}
work=$(mktemp -d)
ns=ldbench$$
sinks=
cleanup() {
	# the host's receivers and containers a failed measurement left running
	[ -z "$sinks" ] || kill "$sinks" $(pgrep -P "$sinks") 2>/dev/null || true
	runc --root "$work/runc" delete -f net-runc 2>/dev/null || true
	runc --root "$work/runc" delete -f net-runc-1cpu 2>/dev/null || true
	runsc --root "$work/runsc" delete -force net-runsc 2>/dev/null || true
	"$build/bin/linuxd" --root "$work/linuxd" delete -f net-linuxd 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$ns" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/bundle" "$out"
cp -a "$build/rootfs" "$work/bundle/rootfs"
cp "$build/bench/net" "$work/bundle/rootfs/net"
"$build/bin/linuxd" spec --bundle "$work/bundle"
serve="/net sink 5001 && /net sink 5001 && /net sink 5001"
serve="$serve && /net echo 5002 && /net echo 5002 && /net echo 5002"
upload="/net send 10.214.0.1 5003 $mb"
serve="$serve && $upload && $upload && $upload"
jq --arg ns "/run/netns/$ns" --arg serve "$serve" '.process.args = ["sh", "-c", $serve]
	| .process.terminal = false | .linux.namespaces = [.linux.namespaces[] | select(.type != "network")]
	+ [{"type": "network", "path": $ns}]' \
	"$work/bundle/config.json" > "$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"

# A fresh namespace for each runtime: 10.214.0.2 inside, 10.214.0.1 here.
netns() {
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$ns" 2>/dev/null || true
	ip netns add "$ns"
	ip link add "$ns" type veth peer name eth0 netns "$ns"
	ip addr add 10.214.0.1/24 dev "$ns"
	ip link set "$ns" up
	ip -n "$ns" addr add 10.214.0.2/24 dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
}

# middle: the middle one of three figures on standard input
middle() {
	sort -n | sed -n 2p
}

# median CMD...: the middle one of the figures that three runs of CMD print
median() {
	figures=$(for _ in 1 2 3; do "$@" || exit 1; done) || return 1
	printf '%s\n' $figures | middle
}

# measure NAME BUNDLE CMD...: the container with CMD, the host's side
# under $on; NAME.txt gets "MB/s-in RTT MB/s-out"
on=
measure() {
	name=$1
	bundle=$2
	shift 2
	echo "running on $name" >&2
	netns
	(for _ in 1 2 3; do $on "$build/bench/net" sink 5003 || exit 1; done) &
	sinks=$!
	"$@" run --bundle "$bundle" "net-$name" > "$work/$name.out" 2>&1 &
	pid=$!
	rate=$(median $on "$build/bench/net" send 10.214.0.2 5001 "$mb") &&
	rtt=$(median $on "$build/bench/net" rtt 10.214.0.2 5002 "$trips") &&
	wait "$pid" && wait "$sinks" &&
	[ "$(grep -cE '^[0-9.]+$' "$work/$name.out")" = 3 ] ||
		{ echo "bench/net.sh: the measurement on $name failed; it said:" >&2
		  cat "$work/$name.out" >&2; exit 1; }
	sinks=
	out_rate=$(middle < "$work/$name.out")
	echo "$rate $rtt $out_rate" > "$work/$name.txt"
}

measure runc "$work/bundle" runc --root "$work/runc"
# Debian's runsc refuses its own network stack in any namespace of this
# kernel ("cannot run with network enabled in root network namespace": it
# takes /proc/sys/net/core/rmem_default, now in every namespace, for the
# sign of the root one), so it runs in the namespace with the host's stack
# there behind its system-call interception.
mkdir "$work/runsc-bundle"
jq --arg root "$work/bundle/rootfs" '.root.path = $root |
	.linux.namespaces = [.linux.namespaces[] | select(.type != "network")]' \
	"$work/bundle/config.json" > "$work/runsc-bundle/config.json"
measure runsc "$work/runsc-bundle" nsenter --net="/run/netns/$ns" \
	runsc --root "$work/runsc" --platform=ptrace --network=host
measure linuxd "$work/bundle" "$build/bin/linuxd" --root "$work/linuxd"
on="taskset -c 0"
measure runc-1cpu "$work/bundle" $on runc --root "$work/runc"

for name in runc runsc linuxd runc-1cpu; do
	printf '%s %s\n' "$name" "$(cat "$work/$name.txt")"
done > "$work/all.txt"
awk 'NR == 1 { base_rate = $2; base_rtt = $3; base_out = $4 }
{ rate[NR] = $2; rtt[NR] = $3; out[NR] = $4; name[NR] = $1 }
END {
	print "| runtime | TCP into the container (MB/s) | ratio to runc | TCP out of it (MB/s) | ratio to runc | round trip (µs) | ratio to runc |"
	print "|---|---|---|---|---|---|---|"
	for (i = 1; i <= NR; i++)
		printf "| %s | %.0f | %.2f | %.0f | %.2f | %.1f | %.1fx |\n", name[i],
		       rate[i], rate[i] / base_rate, out[i], out[i] / base_out,
		       rtt[i], rtt[i] / base_rtt
}' "$work/all.txt" | tee "$out/net.md"

awk 'NR == 1 { r = $2; t = $3; o = $4 }
{ printf "%s\t%f\t%f\t%f\n", $1, $2 / r, $4 / o, $3 / t }' \
	"$work/all.txt" > "$work/ratios.tsv"
gnuplot <<EOF
set terminal png size 800,480
set output "$out/net.png"
set title "TCP with the host side, relative to runc"
set datafile separator "\t"
set style data histograms
set style histogram cluster gap 1
set style fill solid border -1
set yrange [0:*]
set ylabel "ratio to runc"
set key below
plot "$work/ratios.tsv" using 2:xtic(1) title "throughput into the container (higher is better)", \
     "" using 3 title "throughput out of it (higher is better)", \
     "" using 4 title "round-trip time (lower is better)"
EOF
echo "table: $out/net.md, chart: $out/net.png" >&2
