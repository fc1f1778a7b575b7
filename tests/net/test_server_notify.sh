#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The server under a Type=notify unit, without systemd: a datagram socket
# bound by this script stands in for the manager's $NOTIFY_SOCKET and
# records what the server sends: READY=1 once listening, STATUS= as sessions
# come and go, RELOADING=1/READY=1 around SIGHUP, WATCHDOG=1 at half of
# $WATCHDOG_USEC, STOPPING=1 at the end.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap net_cleanup EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

NOTES=$NET_TMP/notes
: >"$NOTES"
# One line per datagram, its newlines shown as '|'. Bounded: 120 s at most.
net_bg "$SRV" "$NET_TMP/manager.log" timeout 120 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(4096).decode().replace("\n", "|") + "\n")
' "$NET_TMP/notify" "$NOTES"
net_wait_for 5 test -S "$NET_TMP/notify" || t_fail "manager socket" "not bound"

count() { grep -c -- "$1" "$NOTES"; }
at_least() { [ "$(count "$1")" -ge "$2" ]; } # PATTERN N

export NOTIFY_SOCKET=$NET_TMP/notify WATCHDOG_USEC=1000000
pptp_server
unset NOTIFY_SOCKET WATCHDOG_USEC

if net_wait_for 5 at_least '^READY=1|STATUS=0 sessions up$' 1; then t_pass "READY=1 once listening, with a status"
else t_fail "READY=1" "$(cat "$NOTES" | tr '\n' ' ')"; fi
if net_wait_for 5 at_least '^WATCHDOG=1$' 3; then t_pass "WATCHDOG=1 every half WATCHDOG_USEC"
else t_fail "WATCHDOG=1" "$(count WATCHDOG) pings"; fi

pptp_client "$CLI" rtun0
if net_wait_for 15 at_least '^STATUS=1 session up$' 1; then t_pass "STATUS= when a session comes up"
else t_fail "STATUS= up" "$(grep -v WATCHDOG "$NOTES" | tr '\n' ' ')"; fi

kill -HUP "$SERVER_PID"
if net_wait_for 5 at_least '^READY=1|STATUS=1 session up$' 1 &&
	grep -v WATCHDOG "$NOTES" | grep -A1 '^RELOADING=1|MONOTONIC_USEC=[0-9]\+$' | grep -q '^READY=1'; then
	t_pass "SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1"
else t_fail "SIGHUP" "$(grep -v WATCHDOG "$NOTES" | tr '\n' ' ')"; fi

net_stop "$CLIENT_PID"
if net_wait_for 15 at_least '^STATUS=0 sessions up$' 1; then t_pass "STATUS= when the session goes"
else t_fail "STATUS= down" "$(grep -v WATCHDOG "$NOTES" | tr '\n' ' ')"; fi

net_stop "$SERVER_PID"
if net_wait_for 5 at_least '^STOPPING=1$' 1; then t_pass "STOPPING=1 at exit"
else t_fail "STOPPING=1" "$(tail -3 "$NOTES" | tr '\n' ' ')"; fi
net_report
