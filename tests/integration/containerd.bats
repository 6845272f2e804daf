#!/usr/bin/env bats
load helpers

# containerd from Debian, on its own socket and directories, running
# containers through its runc v2 shim with linuxd as the runc binary.

setup_file() {
	export CTD="$BATS_FILE_TMPDIR/ctd"
	mkdir -p "$CTD"
	cat > "$CTD/config.toml" <<-TOML
		version = 2
		root = "$CTD/root"
		state = "$CTD/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$CTD/sock"
	TOML
	containerd --config "$CTD/config.toml" > "$CTD/log" 2>&1 3>&- &
	echo $! > "$CTD/pid"
	retry 300 ctr -a "$CTD/sock" version > /dev/null
}

teardown_file() {
	kill "$(cat "$CTD/pid")" 2>/dev/null || true
}

ctr_cmd() {
	ctr -a "$CTD/sock" "$@"
}

# ctr_run [OPTIONS] ID ARGS...: a container from the bundle's rootfs
ctr_run() {
	local opts=()
	while [[ "$1" == -* ]]; do
		opts+=("$1")
		shift
	done
	ctr_cmd run --runc-binary "$LINUXD_BIN" "${opts[@]}" --rootfs "$BUNDLE/rootfs" "$@"
}

@test "ctr run runs on linuxd's kernel and passes the exit status through" {
	run ctr_run --rm "c-$BATS_TEST_NUMBER-a" uname -r
	[ "$status" -eq 0 ]
	[[ "$output" == *-linuxd ]]
	run ctr_run --rm "c-$BATS_TEST_NUMBER-b" sh -c 'exit 33'
	[ "$status" -eq 33 ]
}

@test "ctr task exec and task kill work through the shim" {
	local id="c-$BATS_TEST_NUMBER"
	ctr_run -d "$id" sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done'
	[[ "$(ctr_cmd task ls)" == *"$id"*RUNNING* ]]
	run ctr_cmd task exec --exec-id e1 "$id" sh -c 'echo in-exec; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" = in-exec ]
	ctr_cmd task kill "$id"
	retry 300 sh -c "ctr -a '$CTD/sock' task ls | grep '$id' | grep -q STOPPED"
	ctr_cmd task delete "$id"
	ctr_cmd container delete "$id"
	[ -z "$(ctr_cmd task ls -q)" ]
}

@test "ctr task exec --tty gives an interactive shell on a terminal" {
	local id="c-$BATS_TEST_NUMBER"
	ctr_run -d "$id" sleep 1000
	run script -qec "ctr -a '$CTD/sock' task exec -t --exec-id e1 $id sh" /dev/null <<-EOF
		tty; echo typed-\$((6*7))
		exit 6
	EOF
	echo "$output" >&2
	[ "$status" -eq 6 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *typed-42* ]]
	ctr_cmd task kill -s SIGKILL "$id"
	retry 300 sh -c "ctr -a '$CTD/sock' task ls | grep '$id' | grep -q STOPPED"
	ctr_cmd task delete "$id"
	ctr_cmd container delete "$id"
}

# cri_containerd DIR: containerd with its CRI plugin, configured as
# docs/kubernetes.md says (with this build's linuxd), its state under DIR,
# the project's rootfs as pod sandbox image; sets CRI_PID.
cri_containerd() {
	local dir=$1
	mkdir -p "$dir"
	cat > "$dir/config.toml" <<-TOML
		root = "$dir/root"
		state = "$dir/state"
	TOML
	sed -n '/^```toml$/,/^```$/p' "$BATS_TEST_DIRNAME/../../docs/kubernetes.md" |
		sed '1d;$d' | sed "s|/usr/local/bin/linuxd|$LINUXD_BIN|" >> "$dir/config.toml"
	cat >> "$dir/config.toml" <<-TOML
		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "localhost/linuxd-busybox:test"
		[grpc]
		  address = "$dir/sock"
	TOML
	containerd --config "$dir/config.toml" > "$dir/log" 2>&1 3>&- &
	CRI_PID=$!
	retry 300 ctr -a "$dir/sock" version > /dev/null
}

# image_archive FILE: the project's rootfs as an image (docker archive)
# whose entrypoint sleeps, as a pod sandbox's does.
image_archive() {
	local dir="$BATS_TEST_TMPDIR/image" diff
	mkdir -p "$dir"
	tar -C "$BUNDLE/rootfs" -cf "$dir/layer.tar" .
	diff="sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture: "amd64", os: "linux",
		config: {Entrypoint: ["sleep", "2147483647"]},
		rootfs: {type: "layers", diff_ids: [$d]}}' > "$dir/config.json"
	jq -n '[{Config: "config.json", RepoTags: ["localhost/linuxd-busybox:test"],
		Layers: ["layer.tar"]}]' > "$dir/manifest.json"
	tar -C "$dir" -cf "$1" manifest.json config.json layer.tar
}

@test "a pod runs on linuxd through the CRI runtime handler of docs/kubernetes.md" {
	local dir="$BATS_TEST_TMPDIR/cri"
	cri_containerd "$dir"
	image_archive "$dir/image.tar"
	ctr -a "$dir/sock" -n k8s.io images import "$dir/image.tar"
	protoc -I "$BATS_TEST_DIRNAME/../cri" --python_out="$dir" \
		"$BATS_TEST_DIRNAME/../cri/cri.proto"
	run /usr/bin/python3 "$BATS_TEST_DIRNAME/../cri/pod.py" "$dir" "$dir/sock" \
		linuxd localhost/linuxd-busybox:test "$dir/logs" sh -c 'uname -r; exit 3'
	kill "$CRI_PID"
	wait "$CRI_PID" || true
	echo "$output" >&2
	[ "$status" -eq 3 ]
	[[ "$output" == *-linuxd ]]
}

@test "a CRI configuration with a linuxd runtime handler loads" {
	local dir="$BATS_TEST_TMPDIR/cri"
	cri_containerd "$dir"
	run ctr -a "$dir/sock" plugins ls
	kill "$CRI_PID"
	wait "$CRI_PID" || true
	echo "$output" | grep -Eq 'io.containerd.grpc.v1 +cri +linux/amd64 +ok'
	containerd --config "$dir/config.toml" config dump |
		grep -A1 'runtimes.linuxd.options' | grep -q "BinaryName = \"$LINUXD_BIN\""
}
