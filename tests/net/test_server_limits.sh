#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 11 items 7 and 8 on a running server: one source cannot hold the
# negotiating slots (--max-negotiating-per-source), and a control
# connection whose call ended is stopped after its grace instead of being
# kept open for ever.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
CLI2=$(net_ns cli2)
net_veth "$SRV" 198.51.100.1/24 "$CLI2" 198.51.100.2/24 >/dev/null
ip -n "$CLI2" route add 192.0.2.0/24 via 198.51.100.1

status_field() { # FIELD: one number of `status --json`
	ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" 2>/dev/null || echo -1
}
connections_are() { [ "$(status_field control_connections)" = "$1" ]; }
log_has() { grep -q -- "$1" "$SERVER_LOG"; }

# No PPTP keepalive during the test (interval 3600 s): only the fix under
# test can end the idle connection.
pptp_server --max-negotiating-per-source 5 --connect-rate 100000 --setup-timeout 60 --pptp-echo-interval 3600

# --- item 7: 30 silent connections from one source; 5 are kept ---
ip netns exec "$CLI" python3 - "$NET_TMP/held" <<'PY' &
import socket, sys, os, time
held = []
for _ in range(30):
    try:
        held.append(socket.create_connection(("192.0.2.1", 1723), timeout=2))
    except OSError:
        pass
open(sys.argv[1] + ".tmp", "w").close(); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
# Hold them until the test has looked (the file goes), at most 60 s.
for _ in range(600):
    if not os.path.exists(sys.argv[1]):
        break
    time.sleep(0.1)
PY
HOLDER=$!
NET_PIDS+=("$HOLDER")
net_wait_for 10 test -e "$NET_TMP/held"
if net_wait_for 10 log_has "too many connections negotiating from this address" && net_wait_for 5 connections_are 5; then
	t_pass "one source holds at most 5 negotiating connections"
else
	t_fail "per-source negotiating cap" "control connections: $(status_field control_connections)"
fi
# Another source still gets in while the first holds its 5.
net_bg "$CLI2" "$NET_TMP/c2.log" "$OPENPPTP" connect 192.0.2.1 --user "$PPTP_USER" \
	--password-file "$NET_TMP/password" --ifname ptunC --foreground
C=$NET_LAST_PID
if net_wait_for 20 pptp_up "$CLI2" ptunC; then t_pass "another source logs in meanwhile"
else t_fail "another source logs in" "$(tail -3 "$NET_TMP/c2.log" | tr '\n' ' ')"; fi
net_stop "$C"
rm -f "$NET_TMP/held"
wait "$HOLDER" 2>/dev/null
net_wait_for 10 connections_are 0 || t_fail "held connections gone" "$(status_field control_connections)"

# --- item 8: a client that keeps its control connection after its call ---
# A stopped client answers nothing: after `kick` its call ends on the
# server, and only the idle-connection grace can close the connection.
pptp_client "$CLI" ptun0
P=$CLIENT_PID
if net_wait_for 20 pptp_up "$CLI" ptun0; then
	kill -STOP "$P"
	ip netns exec "$SRV" "$OPENPPTP" kick "$PPTP_USER" --control-socket "$NET_TMP/ctl" >/dev/null
	t0=$SECONDS
	if net_wait_for 20 pptp_sessions_are 0 && net_wait_for 40 connections_are 0; then
		t_pass "control connection without a call stopped after $((SECONDS - t0)) s"
	else
		t_fail "idle control connection stopped" "connections: $(status_field control_connections)"
	fi
	log_has "no call left: stopping the control connection" && t_pass "the stop is logged" || t_fail "stop logged"
	[ "$(status_field sessions)" = 0 ] && t_pass "no session counted" || t_fail "no session counted" "$(status_field sessions)"
	kill -CONT "$P"
else
	t_fail "client up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_stop "$P"
net_report
