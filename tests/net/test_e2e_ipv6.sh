#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 12 §3, IPv6 inside the tunnel, end to end between namespaces:
# - server --ipv6-pool 2001:db8:1::/48 --dns6, client --ipv6 --default-route:
#   the client gets fe80::<IPV6CP id> and an address of its /64 from the
#   server's Router Advertisement, learns the RDNSS server; ping6 and a
#   1 MB TCP transfer each way, IPv4 at the same time (dual stack), and
#   link-local pings both ways (the server is fe80::1 on every session);
#   --dns writes the RDNSS server next to the IPv4 ones, restored at exit;
# - a packet from an IPv6 source outside the session's /64 is dropped
#   before the server's stack and counted;
# - a client without --ipv6 (Protocol-Reject of IPV6CP): the session
#   comes up IPv4 only.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
MB1=1048576
SRV6=2001:db8:1::1

pptp_global6() { # NS IFNAME: the interface has a global address in 2001:db8:1::/48
	ip -n "$1" -6 addr show dev "$2" scope global 2>/dev/null | grep -q 'inet6 2001:db8:1:'
}

pptp_server --ipv6-pool 2001:db8:1::/48 --dns6 2001:db8::53 || { t_fail "server" "did not start"; net_report; exit 1; }
ip netns exec "$SRV" sysctl -qw net.ipv6.conf.all.forwarding=1
knobs=$(ip netns exec "$SRV" cat /proc/sys/net/ipv6/conf/pptp0/accept_ra /proc/sys/net/ipv6/conf/pptp0/accept_redirects | tr '\n' ' ')
if [ "$knobs" = "0 0 " ]; then t_pass "server TUN: accept_ra and accept_redirects 0"; else t_fail "server TUN accepts no RA or Redirect" "$knobs"; fi
printf 'nameserver 192.0.2.99\n' >"$NET_TMP/resolv.conf"
pptp_client "$CLI" ptun6 --ipv6 --default-route --dns --resolv-conf "$NET_TMP/resolv.conf"
if net_wait_for 20 pptp_global6 "$CLI" ptun6; then
	t_pass "client address from the Router Advertisement"
	addr6=$(ip -n "$CLI" -6 -o addr show dev ptun6 scope global | awk '{print $4}' | cut -d/ -f1)
	ll=$(ip -n "$CLI" -6 -o addr show dev ptun6 scope link | awk '{print $4}' | cut -d/ -f1)
	case "$addr6" in 2001:db8:1:710a:*) t_pass "its /64 follows the tunnel address ($addr6)" ;;
	*) t_fail "its /64 follows the tunnel address" "$addr6" ;; esac
	# SLAAC from the IPV6CP identifier: the link-local and the global share it
	if [ -n "$ll" ] && [ "${ll#fe80::}" = "${addr6#2001:db8:1:710a:}" ]; then t_pass "link-local $ll from the IPV6CP identifier"; else t_fail "link-local from the IPV6CP identifier" "ll '$ll' global '$addr6'"; fi
	if grep -q 'IPv6 DNS server 2001:db8::53 (RDNSS)' "$CLIENT_LOG"; then t_pass "RDNSS 2001:db8::53 learned"; else t_fail "RDNSS learned" "$(grep IPv6 "$CLIENT_LOG" | tr '\n' ' ')"; fi
	rdnss_applied() { grep -q '^nameserver 2001:db8::53$' "$NET_TMP/resolv.conf" && grep -q '^nameserver 203.0.113.53$' "$NET_TMP/resolv.conf"; }
	if net_wait_for 5 rdnss_applied; then t_pass "--dns: IPv4 and RDNSS servers in resolv.conf"; else t_fail "--dns: IPv4 and RDNSS servers in resolv.conf" "$(tr '\n' ' ' <"$NET_TMP/resolv.conf")"; fi
	if ip -n "$CLI" -6 route show | grep -q '^::/1 dev ptun6'; then t_pass "--default-route covers IPv6"; else t_fail "--default-route covers IPv6" "$(ip -n "$CLI" -6 route | tr '\n' ' ')"; fi
	if ip netns exec "$CLI" ping -6 -c 3 -i 0.2 -W 2 "$SRV6" >/dev/null; then t_pass "ping6 client -> server"; else t_fail "ping6 client -> server"; fi
	if ip netns exec "$SRV" ping -6 -c 3 -i 0.2 -W 2 "$addr6" >/dev/null; then t_pass "ping6 server -> client"; else t_fail "ping6 server -> client"; fi
	if ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null; then t_pass "IPv4 at the same time (dual stack)"; else t_fail "IPv4 at the same time"; fi
	routes=$(ip -n "$SRV" -6 route show dev pptp0)
	if grep -q '^2001:db8:1:710a::/64 ' <<<"$routes" && grep -q "^$ll " <<<"$routes"; then t_pass "server routes the /64 and the link-local to the TUN"; else t_fail "server routes the /64 and the link-local" "$(tr '\n' ' ' <<<"$routes")"; fi
	if ip netns exec "$SRV" ping -6 -c 2 -i 0.2 -W 2 "$ll%pptp0" >/dev/null; then t_pass "ping6 server -> client link-local"; else t_fail "ping6 server -> client link-local" "$(ip -n "$SRV" -6 route show dev pptp0 | tr '\n' ' ')"; fi
	if ip netns exec "$CLI" ping -6 -c 2 -i 0.2 -W 2 "fe80::1%ptun6" >/dev/null; then t_pass "ping6 client -> server link-local fe80::1"; else t_fail "ping6 client -> server link-local"; fi
	if pptp_transfer "$CLI" "$SRV6" "$MB1" "$SRV"; then t_pass "1 MB over IPv6 client -> server"; else t_fail "1 MB over IPv6 client -> server" "checksum or stall"; fi
	if pptp_transfer "$SRV" "$addr6" "$MB1" "$CLI"; then t_pass "1 MB over IPv6 server -> client"; else t_fail "1 MB over IPv6 server -> client" "checksum or stall"; fi
	if pptp_transfer "$CLI" 203.0.113.1 "$MB1" "$SRV"; then t_pass "1 MB over IPv4 in the same tunnel"; else t_fail "1 MB over IPv4 in the same tunnel"; fi

	# A source outside the session's /64: dropped before the server's stack.
	ip netns exec "$SRV" nft -f - <<NFT
table inet spoof6 {
	chain in {
		type filter hook input priority 0;
		ip6 saddr 2001:db8:1:ffff::5 counter
	}
}
NFT
	ip -n "$CLI" -6 addr add 2001:db8:1:ffff::5/128 dev ptun6 nodad
	ip netns exec "$CLI" ping -6 -c 5 -i 0.2 -W 1 -I 2001:db8:1:ffff::5 "$SRV6" >/dev/null 2>&1
	got=$(ip netns exec "$SRV" nft list table inet spoof6 | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	if [ "$got" = 0 ]; then t_pass "0 of 5 packets from outside the /64 reached the server"; else t_fail "IPv6 spoofed source dropped" "$got of 5 reached the server"; fi
	json=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl")
	if grep -q '"ipv6_prefix":"2001:db8:1:710a::/64"' <<<"$json"; then t_pass "status shows the session's /64"; else t_fail "status shows the session's /64" "$json"; fi
	drops=$(python3 -c 'import json,sys; print(sum(s.get("drop_ip_source",0) for s in json.load(sys.stdin)["list"]))' <<<"$json")
	if [ "${drops:-0}" -ge 5 ]; then t_pass "status counts $drops IPv6 source drops"; else t_fail "status counts IPv6 source drops" "$json"; fi
	ip netns exec "$SRV" nft delete table inet spoof6
else
	t_fail "IPv6 tunnel up" "$(tail -5 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"
session_routes_gone() { ! ip -n "$SRV" -6 route show dev pptp0 | grep -q '^2001:db8:1:710a::/64\|^fe80::[0-9a-f]*:'; }
if net_wait_for 10 session_routes_gone; then t_pass "session ended: its IPv6 routes are gone"; else t_fail "session IPv6 routes removed" "$(ip -n "$SRV" -6 route show dev pptp0 | tr '\n' ' ')"; fi
if [ "$(cat "$NET_TMP/resolv.conf")" = "nameserver 192.0.2.99" ]; then t_pass "resolv.conf restored at exit"; else t_fail "resolv.conf restored at exit" "$(tr '\n' ' ' <"$NET_TMP/resolv.conf")"; fi

# A peer that refuses IPV6CP (Protocol-Reject): the session is IPv4 only.
pptp_client "$CLI" ptun4
if net_wait_for 15 pptp_up "$CLI" ptun4; then
	if ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null; then t_pass "IPV6CP refused: the session is up, IPv4 passes"; else t_fail "IPV6CP refused: IPv4 passes"; fi
	if net_wait_for 5 grep -q 'IPV6CP not available' "$SERVER_LOG"; then t_pass "server: IPV6CP not available"; else t_fail "server logs IPV6CP not available" "$(tail -5 "$SERVER_LOG" | tr '\n' ' ')"; fi
	if ! ip -n "$CLI" -6 addr show dev ptun4 | grep -q inet6; then t_pass "no IPv6 address on an IPv4-only tunnel"; else t_fail "no IPv6 address on an IPv4-only tunnel"; fi
else
	t_fail "IPv4-only tunnel up" "$(tail -5 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"
net_report
