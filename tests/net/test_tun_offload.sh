#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 12 §4: TUN offloads (IFF_VNET_HDR + TSO). With --tun-offload on
# (the default) the kernel hands both daemons 64 KiB TCP super-packets that
# openpptp segments itself (src/proto/ip/ip_gso.c):
# - a 32 MB TCP transfer each way completes with its sha256, with and
#   without MPPE, and again with --tun-offload off on both ends;
# - the daemons really took super-packets (server status, client exit log)
#   and wrote merged ones (GRO), and none with offloads off;
# - every packet on the veth (captured where it leaves each namespace,
#   before any GRO) fits the session: the inner IP packet of a no-MPPE
#   session is at most the link MTU (1400), the outer GRE packet of an MPPE
#   one at most the link MTU (1396) + 42 (IPv4 20, GRE 16, PPP 4, MPPE 2).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap "net_cleanup" EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
MB32=33554432
VETH_SRV=$(ip -n "$SRV" -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1 | head -1)
VETH_CLI=$(ip -n "$CLI" -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1 | head -1)

offload_status() { # the server's "TUN offload:" status line
	ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" | grep '^TUN offload:'
}
super_packets() { offload_status | sed -n 's/.*, \([0-9]*\) super-packets.*/\1/p'; }
merged_into() { offload_status | sed -n 's/.* merged into \([0-9]*\).*/\1/p'; }

capture_start() { # NS IFACE FILE: GRE leaving IFACE, headers only, bounded
	ip netns exec "$1" timeout 60 tcpdump -i "$2" -Q out -U -s 128 -c 200000 -w "$3" 'ip proto 47' \
		>"$3.log" 2>&1 &
	NET_PIDS+=("$!")
	CAPTURES+=("$!")
	net_wait_for 10 grep -q "listening on" "$3.log"
}
capture_stop() {
	for p in "${CAPTURES[@]}"; do kill -INT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	CAPTURES=()
}
max_len() { # FILE FIELD-INDEX: the largest ip.len (1: outer, 2: inner) of GRE data packets
	tshark -r "$1" -Y 'gre && ppp' -T fields -e ip.len 2>/dev/null | awk -F, -v i="$2" '$i > m {m = $i} END {print m + 0}'
}

run_case() { # NAME OFFLOAD FIELD LIMIT ARGS...: FIELD 1 outer, 2 inner IP length at most LIMIT
	local name=$1 offload=$2 field=$3 limit=$4; shift 4
	CAPTURES=()
	pptp_server --tun-offload "$offload" "$@" || { t_fail "$name: server" "did not start"; return; }
	pptp_client "$CLI" ptunO --tun-offload "$offload" "$@"
	if ! net_wait_for 15 pptp_up "$CLI" ptunO; then
		t_fail "$name: tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
		net_stop "$CLIENT_PID"
		return
	fi
	local addr
	addr=$(ip -n "$CLI" -4 -o addr show dev ptunO | awk '{print $4}' | cut -d/ -f1)
	capture_start "$SRV" "$VETH_SRV" "$NET_TMP/$name.srv.pcap"
	capture_start "$CLI" "$VETH_CLI" "$NET_TMP/$name.cli.pcap"
	if pptp_transfer "$CLI" 203.0.113.1 "$MB32" "$SRV"; then t_pass "$name: 32 MB client -> server"; else t_fail "$name: 32 MB client -> server" "checksum or stall"; fi
	if pptp_transfer "$SRV" "$addr" "$MB32" "$CLI"; then t_pass "$name: 32 MB server -> client"; else t_fail "$name: 32 MB server -> client" "checksum or stall"; fi
	capture_stop
	local status supers merged
	status=$(offload_status)
	supers=$(super_packets)
	merged=$(merged_into)
	net_stop "$CLIENT_PID"
	if [ "$offload" = on ]; then
		if grep -q '^TUN offload: on' <<<"$status" && [ "${supers:-0}" -gt 0 ]; then t_pass "$name: server segmented $supers super-packets"; else t_fail "$name: server took super-packets" "$status"; fi
		if [ "${merged:-0}" -gt 0 ]; then t_pass "$name: server wrote $merged merged super-packets"; else t_fail "$name: server merged segments" "$status"; fi
		if grep -q 'TUN offload: [1-9][0-9]* super-packets' "$CLIENT_LOG"; then t_pass "$name: client segmented super-packets"; else t_fail "$name: client took super-packets" "$(grep -i offload "$CLIENT_LOG")"; fi
	else
		if grep -q '^TUN offload: off, 0 super-packets.* merged into 0' <<<"$status" && ! grep -q 'TUN offload:' "$CLIENT_LOG"; then t_pass "$name: no super-packets"; else t_fail "$name: no super-packets" "$status"; fi
	fi
	local f m
	for f in "$NET_TMP/$name.srv.pcap" "$NET_TMP/$name.cli.pcap"; do
		m=$(max_len "$f" "$field")
		if [ "$m" -gt 0 ] && [ "$m" -le "$limit" ]; then t_pass "$name: largest on the wire $m <= $limit ($(basename "$f" .pcap))"; else t_fail "$name: packets fit the session ($(basename "$f" .pcap))" "largest $m, limit $limit"; fi
	done
}

# No MPPE: the link MTU is 1400 (inner IP); MPPE: 1396 + 42 outside.
run_case nompp-on on 2 1400 --mppe none
run_case nompp-off off 2 1400 --mppe none
run_case mppe-on on 1 1438 --mppe require-128
run_case mppe-stateful-on on 1 1438 --mppe require-128,stateful-only
net_report
