#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `openpptp connect HOST` takes a host name: resolved with getaddrinfo to
# every IPv4 address before anything else, tried in turn until one answers
# on TCP 1723, the one used named in the log. Names come from a hosts file that `ip netns exec` bind-mounts over
# /etc/hosts for the client's namespace only (/etc/netns/NS/, removed on
# exit); the machine's own /etc/hosts is never touched. DNS goes to
# 127.0.0.1 in that namespace, where nothing answers, so an unknown name
# fails at once.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
netns_etc=
cleanup() {
	net_cleanup
	[ -n "$netns_etc" ] && rm -rf "$netns_etc" && rmdir /etc/netns 2>/dev/null
	return 0
}
trap cleanup EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

netns_etc=/etc/netns/$CLI
mkdir -p "$netns_etc"
cat >"$netns_etc/hosts" <<'HOSTS'
127.0.0.1	localhost
192.0.2.1	vpn.example.test
192.0.2.1	multi.example.test
198.51.100.9	multi.example.test
198.51.100.10	elsewhere.example.test
192.0.2.3	fallback.example.test
192.0.2.1	fallback.example.test
HOSTS
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$netns_etc/resolv.conf"
printf 'hosts: files dns\n' >"$netns_etc/nsswitch.conf"

pptp_server

# run_client HOST-OR-EMPTY SECONDS ARGS...: prints the exit code. Runs in
# $(...), so the caller sets CLIENT_LOG.
run_client() {
	local host=$1 seconds=$2; shift 2
	timeout --kill-after=5 "$seconds" ip netns exec "$CLI" "$OPENPPTP" connect $host --user "$PPTP_USER" \
		--password-file "$NET_TMP/password" --ifname rtun0 --foreground "$@" >"$CLIENT_LOG" 2>&1
	echo $?
}

expect() { # NAME CODE PATTERN HOST SECONDS ARGS...
	local name=$1 code=$2 pattern=$3; shift 3
	CLIENT_LOG=$NET_TMP/client.resolve.$RANDOM.log
	local rc; rc=$(run_client "$@")
	if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$CLIENT_LOG"; then
		t_pass "$name (exit $rc)"
	else
		t_fail "$name" "exit $rc (want $code, '$pattern'), log: $(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
	fi
}

# The tunnel comes up (the client is then stopped by timeout: exit 124).
expect "a name resolves and the tunnel comes up" 124 "tunnel up" vpn.example.test 8
if grep -q "vpn.example.test is 192.0.2.1" "$CLIENT_LOG"; then t_pass "the log names the address of the name"
else t_fail "the log names the address" "$(head -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi

expect "two A records: the order is said" 124 "2 IPv4 addresses: 192.0.2.1, then 198.51.100.9" multi.example.test 8
if grep -q "connected to 192.0.2.1 (multi.example.test)" "$CLIENT_LOG" && grep -q "tunnel up" "$CLIENT_LOG" &&
	! grep -q "198.51.100.9 on TCP" "$CLIENT_LOG"; then t_pass "two A records: the first answers, tunnel up"
else t_fail "two A records: tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi

# The first address refuses TCP 1723 (an address of the server's namespace
# where nothing listens): the second is tried, the log says which is used.
ip -n "$SRV" addr add 192.0.2.3/32 dev "$(ip -n "$SRV" -o -4 addr show | awk '$4 == "192.0.2.1/24" { print $2 }')"
expect "first address dead: the next one is tried" 124 "trying 192.0.2.1, address 2 of 2 of fallback.example.test" \
	fallback.example.test 12
if grep -q "cannot reach 192.0.2.3 on TCP port 1723: connection refused" "$CLIENT_LOG" &&
	grep -q "connected to 192.0.2.1 (fallback.example.test)" "$CLIENT_LOG" && grep -q "tunnel up" "$CLIENT_LOG"; then
	t_pass "first address dead: its failure named, the second used, tunnel up"
else t_fail "fallback" "$(tr '\n' ' ' <"$CLIENT_LOG" | tail -c 400)"; fi
# Every address dead: exit 3 (unreachable) after trying each once.
ip -n "$SRV" addr add 192.0.2.4/32 dev "$(ip -n "$SRV" -o -4 addr show | awk '$4 == "192.0.2.1/24" { print $2 }')"
cat >>"$netns_etc/hosts" <<'HOSTS'
192.0.2.3	dead.example.test
192.0.2.4	dead.example.test
HOSTS
expect "every address dead: exit 3" 3 "cannot reach 192.0.2.4 on TCP port 1723" dead.example.test 15
[ "$(grep -c "cannot reach" "$CLIENT_LOG")" = 2 ] && t_pass "every address dead: each tried once" ||
	t_fail "each tried once" "$(grep "cannot reach" "$CLIENT_LOG" | tr '\n' ' ')"

printf '[connect]\nserver = vpn.example.test\n' >"$NET_TMP/client.conf"
expect "server = NAME in --config, no HOST argument" 124 "tunnel up" "" 8 --config "$NET_TMP/client.conf"

# The HOST argument wins over the file: the file names an unreachable one.
printf '[connect]\nserver = elsewhere.example.test\n' >"$NET_TMP/client.conf"
expect "the HOST argument wins over server =" 124 "tunnel up" vpn.example.test 8 --config "$NET_TMP/client.conf"

expect "an unknown name: exit 2, says so" 2 "cannot resolve nothing.example.test" nothing.example.test 15
expect "an old numeric form is not an address" 2 "neither an IPv4 address nor a host name" 10.1 5
expect "no server at all" 2 "give one server" "" 5
net_report
