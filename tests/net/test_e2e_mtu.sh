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
#   server's stack, and status shows the drops;
# - a client MRU of 1300 against the server's TUN of 1396: the server puts
#   mtu 1296 on the session's /32 (through the privsep helper), TCP both
#   ways, UDP of each size across 1296 either arrives or gets the ICMP;
#   --mss-clamp N lowers the MSS the peer sees;
# - no MPPE: link MTU 1400 above the TUN's 1396, no route MTU, TCP both ways.
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
	# the server's shared TUN keeps MTU 1400; the session's /32 says 1396
	# (issue 12 §1), so the server's kernel refuses a bigger DF packet itself
	route=$(ip -n "$SRV" route show "$addr")
	if grep -q 'mtu 1396' <<<"$route"; then t_pass "server route to the session has mtu 1396"; else t_fail "server route MTU 1396" "$route"; fi
	out=$(ip netns exec "$SRV" ping -c 1 -W 2 -M do -s 1372 "$addr" 2>&1)
	if grep -q 'mtu[ =]*1396' <<<"$out"; then t_pass "server DF ping of 1400 bytes: mtu 1396"; else t_fail "server DF ping of 1400 bytes refused with mtu 1396" "$(tr '\n' ' ' <<<"$out")"; fi
else
	t_fail "--mtu 1400 tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"

# 4. Client MRU 1300 vs the server's TUN 1396, MPPE-128, --mss-clamp 1000.
pptp_server --mppe require-128 --mss-clamp 1000 || { t_fail "server" "did not start"; net_report; exit 1; }
pptp_client "$CLI" ptunM --mru 1300 --mppe require-128
if net_wait_for 15 pptp_up "$CLI" ptunM; then
	addr=$(ip -n "$CLI" -4 -o addr show dev ptunM | awk '{print $4}' | cut -d/ -f1)
	route=$(ip -n "$SRV" route show "$addr")
	if grep -q 'mtu 1296' <<<"$route"; then t_pass "server route to the session has mtu 1296"; else t_fail "server route MTU" "$route"; fi
	mtu=$(ip -n "$CLI" -o link show dev ptunM | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	if [ "$mtu" = 1296 ]; then t_pass "client TUN MTU 1296"; else t_fail "client TUN MTU 1296" "mtu $mtu"; fi
	transfer_both "MRU 1300 vs TUN 1396" "$addr"
	# UDP with DF from the server, sizes across 1296; PROBE ignores the
	# route's MTU so the bigger ones reach openpptp and get its ICMP.
	ip netns exec "$CLI" timeout 8 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 5002)); s.settimeout(3)
got = []
try:
    while True: got.append(len(s.recv(2000)) + 28)
except socket.timeout: pass
print(" ".join(map(str, sorted(got))))' >"$NET_TMP/udp.got" &
	upid=$!
	net_wait_for 5 sh -c "ip netns exec '$CLI' ss -Hlun 'sport = :5002' | grep -q 5002"
	before=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" | python3 -c 'import json,sys; print(sum(s["icmp_too_big"] for s in json.load(sys.stdin)["list"]))')
	ip netns exec "$SRV" python3 -c '
import socket, sys
IP_MTU_DISCOVER, IP_PMTUDISC_PROBE = 10, 3
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)
for size in (1200, 1295, 1296, 1297, 1300, 1396):
    s.sendto(b"x" * (size - 28), (sys.argv[1], 5002))' "$addr"
	wait "$upid"
	after=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" | python3 -c 'import json,sys; print(sum(s["icmp_too_big"] for s in json.load(sys.stdin)["list"]))')
	got=$(cat "$NET_TMP/udp.got")
	if [ "$got" = "1200 1295 1296" ]; then t_pass "UDP 1200/1295/1296 arrive"; else t_fail "UDP up to 1296 arrive, above do not" "got: $got"; fi
	if [ $((after - before)) -ge 3 ]; then t_pass "UDP 1297/1300/1396 answered with ICMP ($((after - before)))"; else t_fail "UDP above 1296 answered with ICMP" "$before -> $after"; fi
	# DF without PROBE: the kernel knows the route's MTU and refuses at once.
	out=$(ip netns exec "$SRV" ping -c 1 -W 2 -M do -s 1272 "$addr" 2>&1)
	if grep -q 'mtu[ =]*1296' <<<"$out"; then t_pass "server kernel refuses DF 1300 on the route (mtu 1296)"; else t_fail "server kernel uses the route MTU" "$(tr '\n' ' ' <<<"$out")"; fi
	# --mss-clamp 1000 on the server: the client's TCP sends at most 1000.
	ip netns exec "$SRV" timeout 10 nc -l 203.0.113.1 5003 >/dev/null &
	lpid=$!
	net_wait_for 5 sh -c "ip netns exec '$SRV' ss -Hltn 'sport = :5003' | grep -q 5003"
	# the connection is held open (bounded) while ss looks at it
	{ head -c 300000 /dev/zero; sleep 4; } | ip netns exec "$CLI" timeout 10 nc -N 203.0.113.1 5003 &
	cpid=$!
	mss=""
	for _ in $(seq 1 40); do
		mss=$(ip netns exec "$CLI" ss -tin dst 203.0.113.1 dport = 5003 | grep -o ' mss:[0-9]*' | head -1)
		[ -n "$mss" ] && break
		sleep 0.1
	done
	wait "$cpid" "$lpid"
	# ss shows the MSS less TCP options (12 bytes of timestamps): <= 1000
	if [ -n "$mss" ] && [ "${mss# mss:}" -le 1000 ]; then t_pass "--mss-clamp 1000: the client's MSS is ${mss#*:} (<= 1000)"; else t_fail "--mss-clamp 1000" "client socket shows '$mss'"; fi
else
	t_fail "MRU 1300 tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"

# 5. No MPPE: link MTU 1400 above the TUN's 1396; no route MTU.
pptp_server --mppe none || { t_fail "server" "did not start"; net_report; exit 1; }
pptp_client "$CLI" ptunN --mppe none
if net_wait_for 15 pptp_up "$CLI" ptunN; then
	addr=$(ip -n "$CLI" -4 -o addr show dev ptunN | awk '{print $4}' | cut -d/ -f1)
	route=$(ip -n "$SRV" route show "$addr")
	if [ -n "$route" ] && ! grep -q ' mtu ' <<<"$route"; then t_pass "no MPPE: route without an MTU"; else t_fail "no MPPE: route without an MTU" "$route"; fi
	transfer_both "no MPPE" "$addr"
else
	t_fail "no-MPPE tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"
pptp_server || { t_fail "server" "did not restart"; net_report; exit 1; }

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
