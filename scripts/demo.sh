#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make demo: a PPTP server and a client in two network namespaces joined by
# a veth (underlay 192.0.2.0/24, tunnel 203.0.113.0/24), traffic through the
# tunnel, a summary, and everything torn down. Exit 0 only if traffic passed.
set -u
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root (network namespaces, TUN, raw sockets)" >&2
	exit 1
fi
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
say() { printf '\n== %s\n' "$*"; }

say "two namespaces: server 192.0.2.1 <-> client 192.0.2.2"
pptp_lab || exit 1
say "openpptp server (MS-CHAPv2, MPPE-128 required: the defaults)"
pptp_server || { echo "server did not start"; cat "$SERVER_LOG"; exit 1; }
sed -n '1,3p' "$SERVER_LOG"
say "openpptp connect 192.0.2.1 --user $PPTP_USER"
pptp_client "$CLI" pptp0 --password-file "$NET_TMP/password"
if ! net_wait_for 15 pptp_up "$CLI" pptp0; then
	echo "the tunnel did not come up"; cat "$CLIENT_LOG"; exit 1
fi
grep "tunnel up" "$CLIENT_LOG" | sed 's/^openpptp: info: //'
ip -n "$CLI" -4 addr show dev pptp0 | sed -n 2p

say "openpptp status"
ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl"

say "ping 203.0.113.1 through the tunnel"
ping_out=$(ip netns exec "$CLI" ping -c 5 -i 0.2 -W 2 203.0.113.1)
echo "$ping_out" | tail -2
rtt=$(echo "$ping_out" | awk -F/ '/rtt/ {print $5}')

say "TCP through the tunnel: iperf3, 8 MB client -> server"
ip netns exec "$SRV" iperf3 -s -B 203.0.113.1 -1 >/dev/null 2>&1 &
NET_PIDS+=("$!")
sleep 0.5
mbps=$(ip netns exec "$CLI" timeout 60 iperf3 -c 203.0.113.1 -n 8M -J 2>/dev/null |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.0f" % (d["end"]["sum_received"]["bits_per_second"]/1e6))' 2>/dev/null)
echo "received at ${mbps:-?} Mbit/s"
say "a 4 MB file with its checksum, server -> client"
if pptp_transfer "$SRV" 203.0.113.10 4000000 "$CLI"; then transfer=ok; else transfer=FAILED; fi
echo "sha256 match: $transfer"

session=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl")
summary=$(echo "$session" | python3 -c 'import json,sys; s=json.load(sys.stdin)["list"][0]; print("%s %s, MPPE-%s %s, client %s" % (s["user"], s["auth"], s["mppe_bits"], "stateless" if s["mppe_stateless"] else "stateful", s["tunnel_address"]))' 2>/dev/null)
net_stop "$CLIENT_PID"
net_stop "$SERVER_PID"

say "summary"
echo "session:    ${summary:-?}"
echo "ping RTT:   ${rtt:-?} ms average"
echo "throughput: ${mbps:-?} Mbit/s (iperf3, 8 MB, both ends userspace, MPPE-128)"
echo "transfer:   $transfer"
if [ -n "$rtt" ] && [ -n "$mbps" ] && [ "$transfer" = ok ]; then
	echo "demo: traffic passed"
	exit 0
fi
echo "demo: FAILED"
exit 1
