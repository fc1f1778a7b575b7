#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# openpptp client <-> openpptp server in two namespaces, for every
# authentication method x MPPE mode: tunnel up, ping, a TCP transfer both
# ways with the bytes checked (sha256).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

cell() { # AUTH MPPE
	local auth=$1 mppe=$2 name="e2e $1 / $2"
	pptp_server --auth "$auth" --mppe "$mppe" || { t_fail "$name" "server did not start"; return; }
	pptp_client "$CLI" ptun0 --auth "$auth" --mppe "$mppe"
	if ! net_wait_for 15 pptp_up "$CLI" ptun0; then
		t_fail "$name" "tunnel not up: $(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
		net_stop "$CLIENT_PID"; return
	fi
	local ok=1
	ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null || ok=0
	[ $ok = 1 ] && { pptp_transfer "$CLI" 203.0.113.1 1000000 "$SRV" || ok=0; }
	[ $ok = 1 ] && { pptp_transfer "$SRV" 203.0.113.10 1000000 "$CLI" || ok=0; }
	if [ $ok = 1 ]; then t_pass "$name"; else t_fail "$name" "ping or transfer failed"; fi
	net_stop "$CLIENT_PID"
}

for mppe in require-128 require-56 require-40 "require-128,stateful-only" "require-128,mppc" none; do
	cell mschapv2 "$mppe"
done
for mppe in require-128 require-40 none; do
	cell mschapv1 "$mppe"
done
for auth in pap chap-md5 eap-md5; do
	cell "$auth" none
done
net_report
