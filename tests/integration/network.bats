#!/usr/bin/env bats
load helpers

# Each test makes a network namespace with one end of a veth pair as its
# eth0 (10.213.N.2/24, fd00:213:N::2/64, default route via the other end),
# as CNI does, and the container joins it.  The other end, 10.213.N.1 and
# fd00:213:N::1, is the host side.

setup() {
	NETNS="ld-$$-$BATS_TEST_NUMBER"
	PEER="ldh$$n$BATS_TEST_NUMBER"
	GUEST4="10.213.$BATS_TEST_NUMBER.2"
	HOST4="10.213.$BATS_TEST_NUMBER.1"
	GUEST6="fd00:213:$BATS_TEST_NUMBER::2"
	HOST6="fd00:213:$BATS_TEST_NUMBER::1"
	ip netns add "$NETNS"
	ip link add "$PEER" type veth peer name eth0 netns "$NETNS"
	ip addr add "$HOST4/24" dev "$PEER"
	ip -6 addr add "$HOST6/64" dev "$PEER" nodad
	ip link set "$PEER" up
	ip -n "$NETNS" addr add "$GUEST4/24" dev eth0
	ip -n "$NETNS" -6 addr add "$GUEST6/64" dev eth0 nodad
	ip -n "$NETNS" link set eth0 up
	ip -n "$NETNS" route add default via "$HOST4"
	BEFORE=$(ns_state)
	helpers_setup
	update_config --arg p "/run/netns/$NETNS" \
		'.linux.namespaces = [.linux.namespaces[] | select(.type != "network")]
		+ [{"type": "network", "path": $p}]'
}

teardown() {
	ip netns del "$NETNS" 2>/dev/null || true
	ip link del "$PEER" 2>/dev/null || true
	nothing_left_behind
}

# The namespace's addresses and routes, as the host's stack there has them.
ns_state() {
	ip -n "$NETNS" -br addr show eth0
	ip -n "$NETNS" route
	ip -n "$NETNS" -6 route
}

# start ID ARGS...: a detached container running ARGS
start() {
	local id=$1
	shift
	set_args "$@"
	linuxd run -d --bundle "$BUNDLE" "$id" < /dev/null > "$BATS_TEST_TMPDIR/$id.out" 2>&1
}

# tcp_get HOST PORT [SECONDS]: connect, read everything, within SECONDS
# (30 unless given; quietly refused while the server does not listen yet)
tcp_get() {
	timeout "${3:-30}" bash -c "exec 3<>/dev/tcp/$1/$2 && cat <&3" 2> /dev/null
}

@test "the container sees its namespace's interfaces and no others, as under runc" {
	run_container ls /sys/class/net
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "$(ip netns exec "$NETNS" ls /sys/class/net | xargs)" ]
}

@test "the container takes over the namespace's interface: MAC, addresses, routes, MTU" {
	ip -n "$NETNS" link set eth0 mtu 1400
	local mac
	mac=$(ip -n "$NETNS" -j link show eth0 | jq -r '.[0].address')
	run_container sh -c 'cat /sys/class/net/eth0/address /sys/class/net/eth0/mtu; ip addr show eth0; ip route; ip -6 route'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$mac" ]
	[ "${lines[1]}" = 1400 ]
	[[ "$output" == *"inet $GUEST4/24"* ]]
	[[ "$output" == *"inet6 $GUEST6/64"* ]]
	[[ "$output" == *"default via $HOST4 dev eth0"* ]]
	# and gives them back once it is gone
	[ "$(ns_state)" = "$BEFORE" ]
}

@test "a TCP server in the container is reached from the host side, over IPv4 and IPv6" {
	start srv sh -c 'nc -l -p 8080 -e echo from-guest; nc -l -p 8080 -e echo from-guest-v6'
	run retry 300 tcp_get "$GUEST4" 8080
	[ "$output" = from-guest ]
	run retry 300 tcp_get "$GUEST6" 8080
	[ "$output" = from-guest-v6 ]
	retry 300 status_is srv stopped
	linuxd delete srv
	[ "$(ns_state)" = "$BEFORE" ]
}

@test "the container's network comes back after its interface goes down and up" {
	start srv sh -c 'nc -l -p 8080 -e echo before; nc -l -p 8080 -e echo after'
	run retry 300 tcp_get "$GUEST4" 8080
	[ "$output" = before ]
	ip -n "$NETNS" link set eth0 down
	ip -n "$NETNS" link set eth0 up
	# (a kernel that lost its interface would take each try's whole time)
	run retry 100 tcp_get "$GUEST4" 8080 2
	[ "$output" = after ]
	retry 300 status_is srv stopped
	linuxd delete srv
}

@test "a client in the container reaches a server on the host side" {
	timeout 60 /usr/bin/python3 -c 'import socket, sys
s = socket.create_server((sys.argv[1], 9090))
c, _ = s.accept()
c.sendall(b"from-host\n")' "$HOST4" &
	local server=$!
	run_container sh -c "for i in \$(seq 100); do nc $HOST4 9090 && break; sleep 0.1; done"
	[ "$output" = from-host ]
	wait "$server"
}

@test "UDP datagrams reach the container, over IPv4 and IPv6" {
	local to
	for to in "$GUEST4" "$GUEST6"; do
		start udp probe udp-recv 5353
		retry 300 grep -q listening "$BATS_TEST_TMPDIR/udp.out"
		/usr/bin/python3 -c 'import socket, sys
socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
              socket.SOCK_DGRAM).sendto(b"udp-hello", (sys.argv[1], 5353))' "$to"
		retry 300 status_is udp stopped
		grep -qx udp-hello "$BATS_TEST_TMPDIR/udp.out"
		linuxd delete udp
	done
}

@test "100 MB sent to the container arrive intact" {
	head -c 100000000 /dev/urandom > "$BATS_TEST_TMPDIR/data"
	start bulk sh -c 'nc -l -p 8080 | md5sum'
	# until the server listens; bounded, should the sandbox die midway
	timeout 300 bash -c "until (exec 3<>/dev/tcp/$GUEST4/8080 &&
		cat '$BATS_TEST_TMPDIR/data' >&3) 2> /dev/null; do sleep 0.1; done"
	retry 600 status_is bulk stopped
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/bulk.out")" = \
	  "$(md5sum < "$BATS_TEST_TMPDIR/data" | cut -d' ' -f1)" ]
	linuxd delete bulk
}

@test "a Kubernetes pod's sandbox container leaves the pod's network to the pod's containers" {
	update_config '.annotations["io.kubernetes.cri.container-type"] = "sandbox"'
	run_container sh -c 'ls /sys/class/net'
	[ "$output" = lo ]
	[ "$(ns_state)" = "$BEFORE" ]
	update_config '.annotations["io.kubernetes.cri.container-type"] = "container"'
	run_container sh -c 'ls /sys/class/net'
	[ "$output" = $'eth0\nlo' ]
}

@test "a new network namespace, or none in the spec, gives loopback only" {
	update_config '.linux.namespaces = [{"type": "network"}]'
	run_container sh -c 'ls /sys/class/net; ping -c 1 -W 1 127.0.0.1 > /dev/null && echo lo-works'
	[ "$output" = $'lo\nlo-works' ]
	update_config 'del(.linux.namespaces)'
	run_container sh -c 'ls /sys/class/net'
	[ "$output" = lo ]
}

@test "a network namespace that does not exist is refused" {
	update_config '.linux.namespaces = [{"type": "network", "path": "/run/netns/no-such-ns"}]'
	set_args true
	run_linuxd run --bundle "$BUNDLE" nons
	assert_one_line_error 'linux.namespaces: network /run/netns/no-such-ns: No such file or directory'
	update_config '.linux.namespaces = [{"type": "netwrk"}]'
	run_linuxd run --bundle "$BUNDLE" nons
	assert_one_line_error 'linux.namespaces[0].type: unknown namespace type "netwrk"'
	update_config '.linux.namespaces = [{"type": "network"}, {"type": "network"}]'
	run_linuxd run --bundle "$BUNDLE" nons
	assert_one_line_error 'linux.namespaces[1].type: repeated namespace type "network"'
}
