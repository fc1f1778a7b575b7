#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `openpptp connect HOST` takes a host name: resolved with getaddrinfo to
# every IPv4 address before anything else, the first used and named in the
# log. Names come from a hosts file that `ip netns exec` bind-mounts over
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

expect "two A records: the first is used" 124 "using 192.0.2.1 (also 198.51.100.9)" multi.example.test 8
if grep -q "tunnel up" "$CLIENT_LOG"; then t_pass "two A records: tunnel up"
else t_fail "two A records: tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi

printf '[connect]\nserver = vpn.example.test\n' >"$NET_TMP/client.conf"
expect "server = NAME in --config, no HOST argument" 124 "tunnel up" "" 8 --config "$NET_TMP/client.conf"

# The HOST argument wins over the file: the file names an unreachable one.
printf '[connect]\nserver = elsewhere.example.test\n' >"$NET_TMP/client.conf"
expect "the HOST argument wins over server =" 124 "tunnel up" vpn.example.test 8 --config "$NET_TMP/client.conf"

expect "an unknown name: exit 2, says so" 2 "cannot resolve nothing.example.test" nothing.example.test 15
expect "an old numeric form is not an address" 2 "neither an IPv4 address nor a host name" 10.1 5
expect "no server at all" 2 "give one server" "" 5
net_report
