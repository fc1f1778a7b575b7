#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Lab network namespace helper.
#
#   lab.sh up   [NETNS]   create NETNS (default opptp-lab) with bridge br0 192.0.2.1/24
#   lab.sh down [NETNS]   delete NETNS (and everything in it)
#   lab.sh exec [NETNS] -- CMD...   run CMD inside NETNS
#
# Only documentation addresses are used (192.0.2.0/24 underlay). The bridge
# address/name can be changed with INTEROP_BRIDGE (br0) / INTEROP_BRIDGE_IP.
set -euo pipefail
cmd=${1:-}; shift || true
NS=opptp-lab
if [ $# -gt 0 ] && [ "$1" != -- ]; then NS=$1; shift; fi
[ "${1:-}" = -- ] && shift
BR=${INTEROP_BRIDGE:-br0}
BRIP=${INTEROP_BRIDGE_IP:-192.0.2.1/24}

case "$cmd" in
up)
	if ! ip netns list | awk '{print $1}' | grep -qx "$NS"; then
		ip netns add "$NS"
	fi
	ip -n "$NS" link set lo up
	if ! ip -n "$NS" link show "$BR" >/dev/null 2>&1; then
		ip -n "$NS" link add "$BR" type bridge
		# no STP / forwarding delay: ports forward immediately
		ip -n "$NS" link set "$BR" type bridge stp_state 0 forward_delay 0 2>/dev/null || true
		ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
		ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
		ip -n "$NS" addr add "$BRIP" dev "$BR"
	fi
	ip -n "$NS" link set "$BR" up
	;;
down)
	if ip netns list | awk '{print $1}' | grep -qx "$NS"; then
		ip netns del "$NS"
	fi
	;;
exec)
	exec ip netns exec "$NS" "$@"
	;;
*)
	echo "usage: $0 up|down [NETNS] | exec [NETNS] -- CMD..." >&2
	exit 2
	;;
esac
