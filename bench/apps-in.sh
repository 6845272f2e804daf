#!/bin/bash
# The workloads of bench/apps.sh, run inside the container: for each, one
# line "NAME SECONDS" on stdout ("NAME -" if it failed) (wall time of the workload alone, by the
# container's clock).  Inputs come from /bench/src, made by bench/apps.sh;
# scratch files go to a new directory $BENCH_TMP (default /bench/tmp/run)
# on the container's rootfs, left for bench/apps.sh to delete.
# usage: apps-in.sh [NAME...] (default: all)
set -eu
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
src=/bench/src
tmp=${BENCH_TMP:-/bench/tmp/run}
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$tmp"

# timed NAME FUNCTION: run FUNCTION (5 minutes at most), print NAME and
# its wall time in seconds
timed() {
	local name=$1 s e
	shift
	s=$EPOCHREALTIME
	if ! timeout 300 bash -c "$1" > "$tmp/$name.out" 2>&1; then
		echo "$name failed:" >&2
		tail -5 "$tmp/$name.out" >&2
		echo "$name -"
		return
	fi
	e=$EPOCHREALTIME
	echo "$name $(echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }')"
}

repeat() {
	local n=$1
	shift
	for _ in $(seq "$n"); do "$@"; done
}

python_start() { repeat 20 python3 -c pass; }
true_start() { repeat 100 /bin/true; }
python_compute() { python3 "$src/compute.py"; }
gcc_small() { repeat 10 gcc -O2 -c "$src/small.c" -o "$tmp/small.o"; }
gcc_large() { gcc -O2 -c "$src/large.c" -o "$tmp/large.o"; }
make_j() { cp -r "$src/proj" "$tmp/proj" && make -s -j2 -C "$tmp/proj"; }
git_tree() {
	cp -r "$src/tree" "$tmp/tree" && cd "$tmp/tree" && git init -q &&
		git add . && git -c user.name=b -c user.email=b@b commit -qm one &&
		git status --short && git log --oneline > /dev/null &&
		echo x >> f/0/1 && git diff --stat && cd "$tmp"
}
sqlite_inserts() { python3 "$src/sqlite.py" "$tmp/db.sqlite"; }
tar_xz() {
	tar -cJf "$tmp/t.tar.xz" -C "$src" tree proj && mkdir "$tmp/x" &&
		tar -xJf "$tmp/t.tar.xz" -C "$tmp/x"
}
seq_write() { dd if=/dev/zero of="$tmp/big" bs=1M count=128 conv=fsync; }
seq_read() { dd if="$tmp/big" of=/dev/null bs=1M; }
redis() { redis-benchmark -q -n 20000 -c 10 -t set,get; }
nginx_file() {
	local i
	for i in $(seq 20); do
		curl -sf -o /dev/null http://127.0.0.1:8080/10m || return 1
	done
}
java_hello() { javac -d "$tmp" "$src/Hello.java" && java -cp "$tmp" Hello; }
node_compute() { node "$src/compute.js"; }
gdb_step() { gdb -batch -x "$src/gdb.cmd" "$tmp/loop"; }

# each workload runs in a bash of its own, under timeout
export src tmp
export -f $(declare -F | awk '{ print $3 }')
all="python_start true_start python_compute gcc_small gcc_large make_j git_tree
	sqlite_inserts tar_xz seq_write seq_read redis nginx_file java_hello
	node_compute gdb_step"
for w in ${*:-$all}; do
	case $w in
	nginx_file)
		head -c 10M /dev/zero > "$tmp/10m"
		printf 'daemon on; user root; pid %s/nginx.pid; error_log %s/nginx.err;
events {} http { access_log off; server { listen 127.0.0.1:8080; root %s; } }\n' \
			"$tmp" "$tmp" "$tmp" > "$tmp/nginx.conf"
		nginx -c "$tmp/nginx.conf" || true
		timed "$w" "$w"
		kill "$(cat "$tmp/nginx.pid")" || true;;
	redis)
		redis-server --port 6379 --save '' --daemonize yes --logfile "$tmp/redis.log" || true
		for _ in $(seq 200); do redis-cli ping > /dev/null 2>&1 && break; sleep 0.05; done
		timed "$w" "$w"
		redis-cli shutdown nosave || true;;
	gdb_step)
		gcc -g -O0 -o "$tmp/loop" "$src/loop.c"
		timed "$w" "$w";;
	*)
		timed "$w" "$w";;
	esac
done
rm -f "$tmp/big"
