#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 12 §1 (correct at every MTU) and issue 11 item 2 (source check),
# end to end between namespaces:
# - `--mtu 1400` on both ends with MPPE-128: the link MTU is 1396, and a
#   4 MB TCP transfer each way completes with the bytes checked (it stalled
#   for ever: the 1397..1400-byte segments were dropped silently);
# - a client TUN MTU above the link MTU (1500): TCP still completes (MSS
#   clamping), a DF ping of 1400 bytes gets "Frag needed, mtu 1396" and one
#   without DF is fragmented and answered;
# - one client sends with another client's address: 0 of 10 reach the
#   server's stack, and status shows the drops.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
MB4=4194304

transfer_both() { # NAME CLIENT_ADDR
	if pptp_transfer "$CLI" 203.0.113.1 "$MB4" "$SRV"; then t_pass "$1: 4 MB client -> server"; else t_fail "$1: 4 MB client -> server" "checksum or stall"; fi
	if pptp_transfer "$SRV" "$2" "$MB4" "$CLI"; then t_pass "$1: 4 MB server -> client"; else t_fail "$1: 4 MB server -> client" "checksum or stall"; fi
}

# 1. --mtu 1400 on both ends, MPPE-128 (the black hole of issue 12 §1).
pptp_server --mtu 1400 --mppe require-128 || { t_fail "server" "did not start"; net_report; exit 1; }
pptp_client "$CLI" ptun0 --mtu 1400 --mppe require-128
if net_wait_for 15 pptp_up "$CLI" ptun0; then
	addr=$(ip -n "$CLI" -4 -o addr show dev ptun0 | awk '{print $4}' | cut -d/ -f1)
	mtu=$(ip -n "$CLI" -o link show dev ptun0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	if [ "$mtu" = 1396 ]; then t_pass "client TUN MTU follows the link (1396)"; else t_fail "client TUN MTU follows the link" "mtu $mtu"; fi
	transfer_both "--mtu 1400 + MPPE" "$addr"

	# 2. The client's TUN MTU above the link MTU (a user or a script set it).
	ip -n "$CLI" link set dev ptun0 mtu 1500
	transfer_both "client TUN MTU 1500 > link 1396" "$addr"
	out=$(ip netns exec "$CLI" ping -c 1 -W 2 -M do -s 1372 203.0.113.1 2>&1)
	if grep -q 'mtu = 1396' <<<"$out"; then t_pass "DF ping of 1400 bytes: Frag needed, mtu 1396"; else t_fail "DF ping of 1400 bytes answered with Frag needed" "$(tr '\n' ' ' <<<"$out")"; fi
	if ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 -M dont -s 1472 203.0.113.1 >/dev/null; then t_pass "1500-byte ping without DF fragmented and answered"; else t_fail "1500-byte ping without DF"; fi
	# the server's shared TUN keeps MTU 1400: its kernel learns 1396 per destination
	out=$(ip netns exec "$SRV" ping -c 1 -W 2 -M do -s 1372 "$addr" 2>&1)
	if grep -q 'mtu = 1396' <<<"$out"; then t_pass "server DF ping of 1400 bytes: Frag needed, mtu 1396"; else t_fail "server DF ping answered with Frag needed" "$(tr '\n' ' ' <<<"$out")"; fi
	json=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl")
	icmp=$(python3 -c 'import json,sys; print(sum(s.get("icmp_too_big",0) for s in json.load(sys.stdin)["list"]))' <<<"$json")
	if [ "${icmp:-0}" -ge 1 ]; then t_pass "server answered $icmp too-big packets with ICMP"; else t_fail "server ICMP too big counted" "$json"; fi
else
	t_fail "--mtu 1400 tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"

# 3. Issue 11 item 2: a second client sends with the first one's address.
CLI2=$(net_ns cli2)
net_veth "$SRV" 198.51.100.1/24 "$CLI2" 198.51.100.2/24 >/dev/null
ip -n "$CLI2" route add 192.0.2.0/24 via 198.51.100.1
pptp_client "$CLI" ptunA; A=$CLIENT_PID
net_bg "$CLI2" "$NET_TMP/c2.log" "$OPENPPTP" connect 192.0.2.1 --user "$PPTP_USER" \
	--password-file "$NET_TMP/password" --ifname ptunC --foreground
C=$NET_LAST_PID
if net_wait_for 20 pptp_up "$CLI" ptunA && net_wait_for 20 pptp_up "$CLI2" ptunC; then
	a=$(ip -n "$CLI" -4 -o addr show dev ptunA | awk '{print $4}' | cut -d/ -f1)
	ip netns exec "$SRV" nft -f - <<NFT
table inet spoof {
	chain in {
		type filter hook input priority 0;
		ip saddr $a ip daddr 203.0.113.1 icmp type echo-request counter
	}
}
NFT
	ip -n "$CLI2" addr add "$a/32" dev ptunC
	ip netns exec "$CLI2" ping -c 10 -i 0.2 -W 1 -I "$a" 203.0.113.1 >/dev/null 2>&1
	got=$(ip netns exec "$SRV" nft list table inet spoof | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	if [ "$got" = 0 ]; then t_pass "0 of 10 spoofed packets reached the server"; else t_fail "spoofed packets dropped" "$got of 10 reached the server"; fi
	json=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl")
	drops=$(python3 -c 'import json,sys; print(sum(s.get("drop_ip_source",0) for s in json.load(sys.stdin)["list"]))' <<<"$json")
	if [ "${drops:-0}" -ge 10 ]; then t_pass "status counts $drops source drops"; else t_fail "status counts source drops" "$json"; fi
	if ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null; then t_pass "the real owner still passes"; else t_fail "the real owner still passes"; fi
	ip netns exec "$SRV" nft delete table inet spoof
else
	t_fail "two clients up" "$(tail -3 "$CLIENT_LOG" "$NET_TMP/c2.log" | tr '\n' ' ')"
fi
net_stop "$A"
net_stop "$C"
net_report
