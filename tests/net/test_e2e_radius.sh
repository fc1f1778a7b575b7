#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Our client through our server authenticated by a real FreeRADIUS 3.2
# (issue 14 §1, §4): PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 with MPPE-128
# keyed from MS-MPPE-Send/Recv-Key (ping through), a reject whose
# Reply-Message reaches the client, Framed-IP-Address, Session-Timeout,
# accounting Start/Stop in FreeRADIUS's detail file, RADIUS down (a clear
# failure within the timeout, a session already up untouched), failover to
# a second server, and --auth-source radius,secrets falling back to the
# secrets file only when no RADIUS server answers.
#
# Namespaces: cli 192.0.2.2 -- srv 192.0.2.1 | 198.51.100.1 -- rad
# 198.51.100.2 (FreeRADIUS; 198.51.100.3 answers nothing: a dead server).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

radius_lab
RAD_IF=$(ip -n "$RAD" -o link show | awk -F': ' '$2 ~ /^v/ {print $2}' | cut -d@ -f1 | head -1)
ip -n "$RAD" addr add 198.51.100.3/24 dev "$RAD_IF"
cat >"$RADDB/users" <<'USERS'
carol	Cleartext-Password := "carol pass"
	Reply-Message = "welcome carol",
	Class = 0x6f70656e70707470

framed	Cleartext-Password := "framed pass"
	Framed-IP-Address = 203.0.113.47,
	MS-Primary-DNS-Server = 203.0.113.99

outside	Cleartext-Password := "outside pass"
	Framed-IP-Address = 198.18.0.9

short	Cleartext-Password := "short pass"
	Session-Timeout = 3,
	Acct-Interim-Interval = 1

rejectme	Auth-Type := Reject
	Reply-Message = "account disabled by the RADIUS admin"
USERS
radius_lab_start
t_pass "freeradius starts unprivileged in its namespace (pid $RADIUS_PID)"
DETAIL=$RADDB/acct/detail

RADIUS_ARGS=(--auth "mschapv2,mschapv1,chap-md5,pap" --mppe allow --radius-secret-file "$NET_TMP/radius-secret"
	--radius-timeout 1 --radius-retries 1 --nas-identifier nas-test)
pptp_server --auth-source radius --radius-server 198.51.100.2 --radius-acct-server 198.51.100.2 "${RADIUS_ARGS[@]}" ||
	{ t_fail "server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }

# session_case NAME USER PASSWORD AUTH MPPE WANT_MPPE [ADDRESS]: up, ping, down.
session_case() {
	local name=$1 user=$2 pass=$3 auth=$4 mppe=$5 want=$6 addr=${7:-}
	printf '%s\n' "$pass" >"$NET_TMP/rpass"
	PPTP_USER=$user pptp_client "$CLI" rad0 --password-file "$NET_TMP/rpass" --auth "$auth" --mppe "$mppe"
	local pid=$CLIENT_PID ok=1 why=""
	if ! net_wait_for 15 pptp_up "$CLI" rad0; then ok=0; why="not up: $(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi
	if [ $ok = 1 ] && ! ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null; then ok=0; why="no ping"; fi
	if [ $ok = 1 ] && ! grep -q "session up: .*, $auth, MPPE $want" "$SERVER_LOG"; then
		ok=0; why="server log: $(grep 'session up' "$SERVER_LOG" | tail -1)"
	fi
	if [ $ok = 1 ] && [ -n "$addr" ] && ! ip -n "$CLI" -4 addr show dev rad0 | grep -q "inet $addr"; then
		ok=0; why="address: $(ip -n "$CLI" -4 addr show dev rad0 | grep inet)"
	fi
	net_stop "$pid"
	net_wait_for 5 pptp_sessions_are 0
	if [ $ok = 1 ]; then t_pass "$name"; else t_fail "$name" "$why"; fi
}

session_case "PAP through RADIUS: up, ping" carol "carol pass" pap none none
session_case "CHAP-MD5 through RADIUS: up, ping" carol "carol pass" chap-md5 none none
session_case "MS-CHAPv1 through RADIUS, MPPE-128 from MS-CHAP-MPPE-Keys: up, ping" carol "carol pass" mschapv1 require-128 128
session_case "MS-CHAPv2 through RADIUS, MPPE-128 from MS-MPPE-Send/Recv-Key: up, ping" carol "carol pass" mschapv2 require-128 128
session_case "Framed-IP-Address 203.0.113.47 given to the client" framed "framed pass" mschapv2 require-128 128 203.0.113.47

if grep -q "server offers DNS 203.0.113.99 203.0.113.54" "$CLIENT_LOG"; then
	t_pass "MS-Primary-DNS-Server from RADIUS pushed over IPCP (the secondary stays --dns)"
else
	t_fail "MS-Primary-DNS-Server pushed" "$(grep 'tunnel up' "$CLIENT_LOG")"
fi
printf 'outside pass\n' >"$NET_TMP/rpass"
CLIENT_LOG=$NET_TMP/client.outside.log
rc=$(PPTP_USER=outside pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --ifname rad5)
if [ "$rc" = 8 ] && grep -q 'no tunnel address for "outside" (RADIUS 198.18.0.9)' "$SERVER_LOG"; then
	t_pass "Framed-IP-Address outside --pool: refused, the server log says why"
else
	t_fail "Framed-IP-Address outside the pool" "exit $rc: $(grep outside "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
fi

# Accounting: the Stop of carol's sessions, with counters and the cause.
if net_wait_for 5 grep -q 'Acct-Status-Type = Stop' "$DETAIL" &&
	grep -q 'Acct-Status-Type = Start' "$DETAIL" && grep -q 'Acct-Terminate-Cause = User-Request' "$DETAIL" &&
	grep -q 'Acct-Input-Octets = [1-9]' "$DETAIL" && grep -q 'NAS-Identifier = "nas-test"' "$DETAIL" &&
	grep -q 'Class = 0x6f70656e70707470' "$DETAIL" && grep -q 'Tunnel-Type:0 = PPTP' "$DETAIL"; then
	t_pass "accounting Start/Stop in the detail file (octets, User-Request, Class echoed, NAS-Identifier, Tunnel-Type)"
else
	t_fail "accounting in the detail file" "$(grep -c Acct-Status-Type "$DETAIL" 2>/dev/null) records"
fi
if grep -q 'Acct-Status-Type = Accounting-On' "$DETAIL"; then t_pass "Accounting-On at start"
else t_fail "Accounting-On at start" "not in the detail file"; fi
ids=$(grep -o 'Acct-Session-Id = "[0-9A-F]*"' "$DETAIL" | grep -v '00000000"' | sort | uniq -c | awk '$1 != 2' | wc -l)
if [ "$ids" = 0 ]; then t_pass "Acct-Session-Id: one per session (its Start and Stop), unique"
else t_fail "Acct-Session-Id unique" "$ids ids not seen exactly twice"; fi

# A reject: the client fails (exit 6) and shows RADIUS's Reply-Message.
printf 'x\n' >"$NET_TMP/rpass"
CLIENT_LOG=$NET_TMP/client.reject.log
rc=$(PPTP_USER=rejectme pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --auth mschapv2)
if [ "$rc" = 6 ] && grep -q "account disabled by the RADIUS admin" "$CLIENT_LOG"; then
	t_pass "Access-Reject: client exit 6 with the Reply-Message"
else
	t_fail "Access-Reject" "exit $rc: $(grep -iE 'fail|error' "$CLIENT_LOG" | tail -2 | tr '\n' ' ')"
fi

# Session-Timeout 3: the server ends it, and says why in accounting.
printf 'short pass\n' >"$NET_TMP/rpass"
PPTP_USER=short pptp_client "$CLI" rad0 --password-file "$NET_TMP/rpass"
short_pid=$CLIENT_PID
if net_wait_for 15 pptp_up "$CLI" rad0 && net_wait_for 10 net_exited "$short_pid" &&
	net_wait_for 5 grep -q 'Acct-Terminate-Cause = Session-Timeout' "$DETAIL"; then
	t_pass "Session-Timeout 3: the session ends, Stop says Session-Timeout"
	if grep -q 'Acct-Status-Type = Interim-Update' "$DETAIL"; then
		t_pass "Acct-Interim-Interval 1 from the reply: Interim-Update records"
	else
		t_fail "Interim-Update" "none in the detail file"
	fi
else
	t_fail "Session-Timeout" "$(grep -i timeout "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
fi
net_stop "$short_pid"

# RADIUS down: a session already up stays up; a new login fails clearly
# within the timeout (1 s x 2 tries), the server keeps running.
printf 'carol pass\n' >"$NET_TMP/rpass"
PPTP_USER=carol pptp_client "$CLI" rad0 --password-file "$NET_TMP/rpass"
keep_pid=$CLIENT_PID
net_wait_for 15 pptp_up "$CLI" rad0 || t_fail "session before RADIUS goes down" "not up"
stops_before=$(grep -c 'Acct-Status-Type = Stop' "$DETAIL")
net_stop "$RADIUS_PID"
CLIENT_LOG=$NET_TMP/client.down.log
start=$(date +%s%N)
rc=$(PPTP_USER=carol pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --ifname rad1)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" = 6 ] && grep -q "no RADIUS server answered" "$SERVER_LOG"; then
	t_pass "RADIUS down: login refused (exit 6) in $ms ms, the server says why"
else
	t_fail "RADIUS down" "exit $rc after $ms ms: $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi
if net_running "$keep_pid" && ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null; then
	t_pass "RADIUS down: the session already up is untouched"
else
	t_fail "RADIUS down: other session" "lost"
fi
net_stop "$keep_pid"
echo "    figure: login refused $ms ms after the client started with RADIUS down (timeout 1 s, 1 retry)"

# Back up; failover: the first server (198.51.100.3) never answers.
if ! radius_start "$RAD" "$RADDB" "$NET_TMP/freeradius2.log"; then
	t_fail "freeradius restarts" "$(tail -5 "$NET_TMP/freeradius2.log")"
fi
# The Stop of the session that ended while RADIUS was down was kept: the
# server probes the dead server back (Status-Server) and sends it.
stops_now() { [ "$(grep -c 'Acct-Status-Type = Stop' "$DETAIL")" -gt "$stops_before" ]; }
if net_wait_for 20 stops_now; then
	t_pass "RADIUS restart loses no Stop: the one held while it was down arrives"
else
	t_fail "held Stop after the restart" "$(grep -iE 'accounting|answers again' "$SERVER_LOG" | tail -3 | tr '\n' ' ')"
fi
pptp_server --auth-source radius --radius-server 198.51.100.3 --radius-server 198.51.100.2 "${RADIUS_ARGS[@]}"
if grep -q 'Acct-Status-Type = Accounting-Off' "$DETAIL"; then t_pass "Accounting-Off when the server stops"
else t_fail "Accounting-Off" "not in the detail file"; fi
CLIENT_LOG=$NET_TMP/client.failover.log
rc=$(PPTP_USER=carol CLIENT_RUN_TIMEOUT=12 pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --ifname rad2)
if [ "$rc" = 124 ] && grep -q "tunnel up" "$CLIENT_LOG" && grep -q "server 1 stopped answering" "$SERVER_LOG"; then
	t_pass "failover: first server dead, the second one authenticates"
else
	t_fail "failover" "exit $rc: $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi

# radius,secrets: with no RADIUS server answering, alice from the secrets file.
pptp_server --auth-source radius,secrets --radius-server 198.51.100.3 "${RADIUS_ARGS[@]}"
CLIENT_LOG=$NET_TMP/client.fallback.log
rc=$(CLIENT_RUN_TIMEOUT=12 pptp_client_run "$CLI" --password-file "$NET_TMP/password" --ifname rad3)
if [ "$rc" = 124 ] && grep -q "tunnel up" "$CLIENT_LOG" && grep -q "asking the secrets file" "$SERVER_LOG"; then
	t_pass "radius,secrets: no RADIUS answer, the secrets file lets alice in"
else
	t_fail "radius,secrets fallback" "exit $rc: $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi
# ... but a RADIUS reject is final: no fallback for carol's wrong password.
pptp_server --auth-source radius,secrets --radius-server 198.51.100.2 "${RADIUS_ARGS[@]}"
printf '"carol" * "carol pass" *\n' >>"$NET_TMP/secrets"
printf 'wrong\n' >"$NET_TMP/rpass"
CLIENT_LOG=$NET_TMP/client.nofallback.log
rc=$(PPTP_USER=carol pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --ifname rad4)
if [ "$rc" = 6 ] && ! grep -q "asking the secrets file" "$SERVER_LOG"; then
	t_pass "radius,secrets: a RADIUS reject is final (no fallback)"
else
	t_fail "radius,secrets reject" "exit $rc"
fi
net_stop "$SERVER_PID"
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
