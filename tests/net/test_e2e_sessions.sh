#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Several sessions at once, clients that vanish, a server that restarts.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
# A third namespace with its own address: the other two clients share one.
CLI2=$(net_ns cli2)
net_veth "$SRV" 198.51.100.1/24 "$CLI2" 198.51.100.2/24 >/dev/null

pptp_server --pptp-echo-interval 2 --lcp-echo-interval 1 --lcp-echo-failures 2
# Two clients in the same namespace: same source address, different call IDs.
pptp_client "$CLI" ptunA --password-file "$NET_TMP/password"; A=$CLIENT_PID
pptp_client "$CLI" ptunB --password-file "$NET_TMP/password"; B=$CLIENT_PID
ip -n "$CLI2" route add 192.0.2.0/24 via 198.51.100.1
net_bg "$CLI2" "$NET_TMP/c2.log" "$OPENPPTP" connect 192.0.2.1 --user "$PPTP_USER" \
	--password-file "$NET_TMP/password" --ifname ptunC --foreground
C=$NET_LAST_PID
if net_wait_for 20 pptp_up "$CLI" ptunA && net_wait_for 10 pptp_up "$CLI" ptunB && net_wait_for 10 pptp_up "$CLI2" ptunC; then
	t_pass "three clients up, two behind one source address"
	a=$(ip -n "$CLI" -4 -o addr show dev ptunA | awk '{print $4}')
	b=$(ip -n "$CLI" -4 -o addr show dev ptunB | awk '{print $4}')
	c=$(ip -n "$CLI2" -4 -o addr show dev ptunC | awk '{print $4}')
	if [ "$a" != "$b" ] && [ "$b" != "$c" ] && [ "$a" != "$c" ]; then t_pass "distinct addresses $a $b $c"; else t_fail "distinct addresses" "$a $b $c"; fi
	ok=1
	for dev in ptunA ptunB; do ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 -I "$dev" 203.0.113.1 >/dev/null || ok=0; done
	ip netns exec "$CLI2" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null || ok=0
	if [ $ok = 1 ]; then t_pass "all three pass traffic"; else t_fail "all three pass traffic"; fi
	[ "$(pptp_sessions)" = 3 ] && t_pass "status lists 3 sessions" || t_fail "status lists 3 sessions" "$(pptp_sessions)"
else
	t_fail "three clients up" "$(cat "$NET_TMP"/client.*.log "$NET_TMP/c2.log" | grep -E 'error|warn' | tail -3 | tr '\n' ' ')"
fi

# SIGKILL: no goodbye at all; the server notices through its keepalives.
kill -KILL "$A"
wait "$A" 2>/dev/null
t0=$SECONDS
if net_wait_for 15 pptp_sessions_are 2; then
	t_pass "SIGKILLed client freed after $((SECONDS - t0)) s"
else
	t_fail "SIGKILLed client freed" "sessions: $(pptp_sessions)"
fi
ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 -I ptunB 203.0.113.1 >/dev/null && t_pass "other sessions unaffected" || t_fail "other sessions unaffected"

# A host that vanishes without a FIN (cable pulled): only keepalives notice.
ip netns exec "$SRV" nft -f - <<'NFT'
table inet vanish {
	chain in {
		type filter hook input priority 0;
		ip saddr 198.51.100.2 drop
	}
}
NFT
kill -KILL "$C"; wait "$C" 2>/dev/null
t0=$SECONDS
if net_wait_for 20 pptp_sessions_are 1; then
	t_pass "silently vanished client freed by keepalive after $((SECONDS - t0)) s"
else
	t_fail "vanished client freed by keepalive" "sessions: $(pptp_sessions)"
fi
ip netns exec "$SRV" nft delete table inet vanish
net_stop "$B"

# --persist: the server goes away and comes back.
pptp_client "$CLI" ptunP --password-file "$NET_TMP/password" --persist --max-backoff 2
P=$CLIENT_PID
if net_wait_for 15 pptp_up "$CLI" ptunP; then
	net_stop "$SERVER_PID"; SERVER_PID=
	# The client has noticed (its tunnel is down) before the server returns.
	net_wait_for 15 pptp_down "$CLI" ptunP || t_fail "--persist client notices the server left"
	pptp_server
	t0=$SECONDS
	if net_wait_for 20 pptp_up "$CLI" ptunP && ip netns exec "$CLI" ping -c 1 -W 2 203.0.113.1 >/dev/null; then
		t_pass "--persist client back $((SECONDS - t0)) s after the server returned"
	else
		t_fail "--persist reconnect" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
	fi
else
	t_fail "--persist client up"
fi
# SIGTERM alone must end it, with exit 0 (CLIENT_EXIT_OK). Before, net_stop
# sent KILL after 3 s and then reaped it, so "not running" always held.
kill -TERM "$P" 2>/dev/null
if net_wait_for 5 net_exited "$P"; then
	wait "$P"; rc=$?
	if [ "$rc" -eq 0 ]; then
		t_pass "--persist client stops on SIGTERM (exit 0)"
	else
		t_fail "--persist client stops on SIGTERM" "exit status $rc"
	fi
else
	t_fail "--persist client stops on SIGTERM" "still running 5 s after SIGTERM"
	net_stop "$P"
fi
net_report
