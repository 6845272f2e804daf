#!/bin/sh
# Real programs in a container: the workloads of bench/apps-in.sh (python,
# gcc, make, git, sqlite, tar+xz, sequential I/O, redis, nginx, java, node,
# gdb) on a Debian 12 rootfs this script makes with debootstrap (cached),
# under runc, linuxd and runsc --platform=ptrace side by side, in four
# conditions: an idle host; both host CPUs busy with two nice-0 loops; the
# container confined to one CPU; the container held to half a CPU by quota.
# Prints a markdown table per condition (seconds and ratios to runc, with
# their geometric mean) and leaves the tables and a PNG chart in OUT.
# usage: bench/apps.sh [BUILD]
# env: CONDITIONS (default "idle busy cpu1 half"), RUNTIMES (default
# "runc linuxd runsc"), WORKLOADS (default all), BENCH_OUT (default
# BUILD/bench), BENCH_CACHE (default ~/.cache/linuxd/bench-apps)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
out=${BENCH_OUT:-$build/bench}
conditions=${CONDITIONS:-idle busy cpu1 half}
runtimes=${RUNTIMES:-runc linuxd runsc}
# libboost-regex: a dependency of gdb that debootstrap does not resolve by itself
packages=python3,gcc,libc6-dev,make,git,sqlite3,xz-utils,redis-server,redis-tools,nginx-light,curl,default-jdk-headless,nodejs,gdb,libboost-regex1.74.0
cache=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linuxd/bench-apps}
rootfs=$cache/$(echo "bookworm $packages" | sha256sum | cut -c1-16)
work=$(mktemp -d)
busy=
trap '[ -z "$busy" ] || kill $busy; rm -rf "$work" "$rootfs/bench/tmp"' EXIT
mkdir -p "$out" "$cache"

if [ ! -d "$rootfs" ]; then
	echo "making the Debian rootfs in $rootfs (once)" >&2
	rm -rf "$rootfs.tmp"
	debootstrap --variant=minbase --include="$packages" bookworm \
		"$rootfs.tmp" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; exit 1; }
	rm -rf "$rootfs.tmp/var/cache/apt/archives/"*.deb
	mv "$rootfs.tmp" "$rootfs"
fi
"$here/apps-src.sh" "$rootfs/bench/src"
# Each run writes to a directory of its own, all deleted once the runs are
# over, so that no run follows another's deletions: a host file system
# such as ext4 without a journal passes over the inodes freed lately when
# it makes a file, at a cost that grows with their number.
rm -rf "$rootfs/bench/tmp"
cp "$here/apps-in.sh" "$rootfs/bench/apps-in.sh"

# config COND: the bundle's config.json for a condition, in $work/cond.json
config() {
	case $1 in
	cpu1) res='{"cpu": {"cpus": "0"}}';;
	half) res='{"cpu": {"quota": 50000, "period": 100000}}';;
	*) res='{}';;
	esac
	jq --arg root "$rootfs" --argjson res "$res" --arg w "${WORKLOADS:-}" '
		.root = {path: $root, readonly: false}
		| .process.terminal = false
		| .process.args = ["/bin/bash", "/bench/apps-in.sh"] + ($w | split(" ") | map(select(. != "")))
		| .linux.resources = ({memory: {limit: 4294967296}} + $res)' \
		"$work/spec.json" > "$work/cond.json"
}

# table COND: the markdown table of a condition's times, the first runtime
# the base of the ratios; the ratios also go to ratios-COND.tsv
table() {
	files=
	for rt in $runtimes; do
		files="$files $work/$1-$rt.txt"
	done
	# each runtime's "NAME SECONDS" lines; rows in the first runtime's order
	awk -v cond="$1" -v rts="$runtimes" -v tsv="$work/ratios-$1.tsv" \
		-v prefix="$work/$1-" '
	BEGIN {
		n = split(rts, rt, " ")
		for (i = 1; i <= n; i++)
			file[prefix rt[i] ".txt"] = i
		printf "| %s: workload | %s (s)", cond, rt[1]
		for (i = 2; i <= n; i++) printf " | %s (s) | ratio", rt[i]
		print " |"
		printf "|---|---"
		for (i = 2; i <= n; i++) printf "|---|---"
		print "|"
	}
	file[FILENAME] == 1 { names[++count] = $1 }
	{ t[$1, file[FILENAME]] = $2 }
	END {
		for (w = 1; w <= count; w++) {
			name = names[w]
			base = t[name, 1]
			printf "| %s | %s", name, base
			line = name
			for (i = 2; i <= n; i++) {
				v = (name, i) in t ? t[name, i] : "-"
				ok = base != "-" && v != "-" && base > 0
				r = ok ? v / base : 0
				if (ok) { logsum[i] += log(r); hits[i]++ }
				printf " | %s | %s", v, ok ? sprintf("%.1fx", r) : "-"
				line = line "\t" r
			}
			print " |"
			print line > tsv
		}
		printf "| geometric mean |"
		for (i = 2; i <= n; i++)
			printf " | | %s", hits[i] ? sprintf("%.2fx", exp(logsum[i] / hits[i])) : "-"
		print " |"
	}' $files
}

# chart: linuxd's ratio to runc per workload, one bar per condition
chart() {
	col=$(echo "$runtimes" | awk '{ for (i = 2; i <= NF; i++) if ($i == "linuxd") print i }')
	[ -n "$col" ] || return 0
	plot=
	for cond in $conditions; do
		plot="$plot${plot:+, }\"$work/ratios-$cond.tsv\" using $col:xtic(1) title \"$cond\""
	done
	gnuplot <<-EOF
	set terminal png size 1200,540 noenhanced
	set output "$out/apps.png"
	set title "Real programs under linuxd, time relative to runc in the same condition; lower is better"
	set datafile separator "\t"
	set style data histograms
	set style histogram cluster gap 1
	set style fill solid border -1
	set logscale y
	set ylabel "ratio to runc (log scale)"
	set xtics rotate by -30
	set key top left
	plot $plot
	EOF
}

mkdir "$work/bundle"
"$build/bin/linuxd" spec --bundle "$work/bundle"
mv "$work/bundle/config.json" "$work/spec.json"
for cond in $conditions; do
	config "$cond"
	if [ "$cond" = busy ]; then
		sh -c 'while :; do :; done' & busy="$!"
		sh -c 'while :; do :; done' & busy="$busy $!"
	fi
	for rt in $runtimes; do
		echo "running $cond on $rt" >&2
		case $rt in
		runc) set -- runc --root "$work/runc";;
		linuxd) set -- "$build/bin/linuxd" --root "$work/linuxd";;
		runsc) set -- runsc --root "$work/runsc" --platform=ptrace --network=none;;
		esac
		jq --arg t "/bench/tmp/$cond-$rt" '.process.env += ["BENCH_TMP=" + $t]' \
			"$work/cond.json" > "$work/bundle/config.json"
		# the last run's files on the disk, not in the way of this one's
		sync
		"$@" run --bundle "$work/bundle" "apps-$cond-$rt" < /dev/null \
			> "$work/$cond-$rt.txt" || echo "$rt ended with $?" >&2
	done
	if [ -n "$busy" ]; then
		kill $busy
		busy=
	fi
	table "$cond" | tee "$out/apps-$cond.md"
done
chart
echo "tables: $out/apps-*.md, chart: $out/apps.png" >&2
