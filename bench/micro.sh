#!/bin/sh
# System-call and address-space costs inside a container: bench/micro.c run
# natively (runc), under gVisor (runsc --platform=ptrace), and on linuxd's
# kernel with its ptrace and seccomp platforms, side by side in one run.
# Native runs twice: as it comes, and on one CPU (taskset), as linuxd's
# uniprocessor kernel runs a container's processes.
# Prints a markdown table of microseconds per operation and ratios to
# native, and leaves it with a PNG chart of the ratios in OUT.
# With BUSY=1, both host CPUs are busy with two nice-0 loops meanwhile, and
# the table and chart are micro-busy.md and micro-busy.png.
# usage: bench/micro.sh [BUILD] [SCALE] (OUT: $BENCH_OUT, default BUILD/bench)
set -eu
build=$(cd "${1:-build}" && pwd)
scale=${2:-1}
out=${BENCH_OUT:-$build/bench}
base=micro${BUSY:+-busy}
work=$(mktemp -d)
busy=
trap '[ -z "$busy" ] || kill $busy; rm -rf "$work"' EXIT
mkdir -p "$work/bundle" "$out"
cp -a "$build/rootfs" "$work/bundle/rootfs"
cp "$build/bench/micro" "$work/bundle/rootfs/micro"
"$build/bin/linuxd" spec --bundle "$work/bundle"
jq --arg s "$scale" '.process.args = ["/micro", $s] | .process.terminal = false' \
	"$work/bundle/config.json" > "$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"

# measure NAME CMD...: run the benchmark container with CMD into NAME.txt
measure() {
	name=$1
	shift
	echo "running on $name" >&2
	"$@" run --bundle "$work/bundle" "micro-$name" > "$work/$name.txt"
}
if [ -n "${BUSY:-}" ]; then
	sh -c 'while :; do :; done' & busy="$!"
	sh -c 'while :; do :; done' & busy="$busy $!"
fi
measure runc runc --root "$work/runc"
measure runc-1cpu taskset -c 0 runc --root "$work/runc"
measure runsc runsc --root "$work/runsc" --platform=ptrace --network=none
measure linuxd-ptrace "$build/bin/linuxd" --root "$work/linuxd" --platform ptrace
measure linuxd "$build/bin/linuxd" --root "$work/linuxd"

# One tab-separated line per operation: name, then the five times in ns.
paste "$work/runc.txt" "$work/runsc.txt" "$work/linuxd-ptrace.txt" \
	"$work/linuxd.txt" "$work/runc-1cpu.txt" | awk -F '\t' '{
	n = split($1, a, " "); name = a[1]
	for (i = 2; i < n; i++) name = name " " a[i]
	line = name
	for (f = 1; f <= 5; f++) { split($f, b, " "); line = line "\t" b[n] }
	print line
}' > "$work/times.tsv"

awk -F '\t' 'BEGIN {
	print "| operation | runc (µs) | runsc ptrace (µs) | ratio | linuxd ptrace (µs) | ratio | linuxd seccomp (µs) | ratio | runc on one CPU (µs) | linuxd seccomp to it |"
	print "|---|---|---|---|---|---|---|---|---|---|"
} {
	printf "| %s | %.2f", $1, $2 / 1000
	for (f = 3; f <= 5; f++) printf " | %.2f | %.1fx", $f / 1000, $f / $2
	printf " | %.2f | %.1fx |\n", $6 / 1000, $5 / $6
}' "$work/times.tsv" | tee "$out/$base.md"

awk -F '\t' '{ printf "\"%s\"\t%f\t%f\t%f\n", $1, $3 / $2, $4 / $2, $5 / $2 }' \
	"$work/times.tsv" > "$work/ratios.tsv"
# the log-scale y axis starts at a power of ten below half the smallest
# ratio, so that every bar shows
ymin=$(awk -F '\t' 'NR == 1 { m = $2 } { for (i = 2; i <= 4; i++) if ($i < m) m = $i }
	END { x = log(m / 2) / log(10); f = int(x); if (f > x) f--; print 10 ^ f }' \
	"$work/ratios.tsv")
gnuplot <<EOF
set terminal png size 1100,520
set output "$out/$base.png"
set title "Time per operation, relative to runc (native)${BUSY:+, host CPUs busy}; lower is better"
set datafile separator "\t"
set style data histograms
set style histogram cluster gap 1
set style fill solid border -1
set logscale y
set yrange [$ymin:*]
set ylabel "ratio to native (log scale)"
set xtics rotate by -20
set key top left
plot "$work/ratios.tsv" using 2:xtic(1) title "runsc --platform=ptrace", \
     "" using 3 title "linuxd --platform ptrace", \
     "" using 4 title "linuxd (seccomp)"
EOF
echo "table: $out/$base.md, chart: $out/$base.png" >&2
