#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Reply attributes of a real FreeRADIUS 3.2 that shape a session (issue 14
# §1): MS-MPPE-Encryption-Policy/-Types narrow MPPE (RFC 2548 §2.4.4-5:
# Types 2 = the L bit = 40-bit), Framed-MTU caps the session's route MTU,
# Framed-Pool picks from a --named-pool (an unknown one refuses the login
# with the cause in the log), Framed-IP-Netmask and Filter-Id are logged,
# Framed-Route is installed (route, demux, source check) only with
# --framed-route-allow,
# Encryption-Required with PAP (no keys) is refused.
#
# Namespaces: cli 192.0.2.2 -- srv 192.0.2.1 | 198.51.100.1 -- rad 198.51.100.2
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

radius_lab
cat >"$RADDB/users" <<'USERS'
weak	Cleartext-Password := "weak pass"
	MS-MPPE-Encryption-Policy = Encryption-Required,
	MS-MPPE-Encryption-Types = 2,
	Framed-MTU = 1200,
	Framed-Pool = "staff",
	Framed-IP-Netmask = 255.255.255.0,
	Filter-Id = "vpn-users",
	Framed-Route = "198.18.5.0/24 0.0.0.0 1"

papenc	Cleartext-Password := "papenc pass"
	MS-MPPE-Encryption-Policy = Encryption-Required

nopool	Cleartext-Password := "nopool pass"
	Framed-Pool = "nosuch"
USERS
radius_lab_start
pptp_server --auth-source radius --radius-server 198.51.100.2 --radius-secret-file "$NET_TMP/radius-secret" \
	--radius-timeout 1 --auth "mschapv2,pap" --mppe allow --named-pool staff=203.0.113.40-203.0.113.41 ||
	{ t_fail "server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }

# weak: MPPE 40 although both ends allow 128; address from "staff"; route MTU 1200.
printf 'weak pass\n' >"$NET_TMP/rpass"
PPTP_USER=weak pptp_client "$CLI" rad0 --password-file "$NET_TMP/rpass" --auth mschapv2 --mppe allow
pid=$CLIENT_PID
if net_wait_for 15 pptp_up "$CLI" rad0 && ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null; then
	t_pass "Policy/Types/MTU/Pool user: up, ping"
	if grep -q "session up: 203.0.113.4[01], mschapv2, MPPE 40" "$SERVER_LOG"; then
		t_pass "MS-MPPE-Encryption-Types 2 (40-bit only): MPPE 40 though both ends allow 128"
	else
		t_fail "MPPE narrowed to 40" "$(grep 'session up' "$SERVER_LOG")"
	fi
	if ip -n "$CLI" -4 addr show dev rad0 | grep -q "inet 203.0.113.4[01]"; then
		t_pass "Framed-Pool staff: the address is from --named-pool staff"
	else
		t_fail "Framed-Pool" "$(ip -n "$CLI" -4 addr show dev rad0 | grep inet)"
	fi
	if ip -n "$SRV" route show | grep -q "203.0.113.4[01] .*mtu 1200"; then
		t_pass "Framed-MTU 1200: the session's route MTU on the server"
	else
		t_fail "Framed-MTU" "$(ip -n "$SRV" route show | grep 203.0.113.4)"
	fi
	if grep -q 'Filter-Id "vpn-users" (not enforced)' "$SERVER_LOG" &&
		grep -q 'Framed-IP-Netmask 255.255.255.0 ignored' "$SERVER_LOG" &&
		grep -q 'Framed-Route "198.18.5.0/24 0.0.0.0 1" not installed: --framed-route-allow not set' "$SERVER_LOG" &&
		! ip -n "$SRV" route show | grep -q '^198.18.5.0/24'; then
		t_pass "Filter-Id, Framed-IP-Netmask logged; Framed-Route without --framed-route-allow: not installed, the log names the option"
	else
		t_fail "Filter-Id/Netmask logged" "$(grep RADIUS "$SERVER_LOG" | tail -3 | tr '\n' ' ')"
	fi
else
	t_fail "Policy/Types/MTU/Pool user" "not up: $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi
net_stop "$pid"
net_wait_for 5 pptp_sessions_are 0

# Encryption-Required with PAP: no keys, refused at CCP time.
printf 'papenc pass\n' >"$NET_TMP/rpass"
CLIENT_LOG=$NET_TMP/client.papenc.log
rc=$(PPTP_USER=papenc CLIENT_RUN_TIMEOUT=20 pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --auth pap \
	--mppe none --ifname rad1)
if [ "$rc" != 124 ] && [ "$rc" != 0 ] && grep -q "MPPE required, but pap gives no MPPE keys" "$SERVER_LOG"; then
	t_pass "Encryption-Required with PAP: refused (client exit $rc), the server says why"
else
	t_fail "Encryption-Required with PAP" "exit $rc: $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi

# An unknown Framed-Pool: refused, the cause in the server log.
printf 'nopool pass\n' >"$NET_TMP/rpass"
CLIENT_LOG=$NET_TMP/client.nopool.log
rc=$(PPTP_USER=nopool CLIENT_RUN_TIMEOUT=20 pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --ifname rad2)
if [ "$rc" = 6 ] && grep -q 'Framed-Pool "nosuch" is not a --named-pool of this server' "$SERVER_LOG"; then
	t_pass "unknown Framed-Pool: login refused (exit 6) with the cause"
else
	t_fail "unknown Framed-Pool" "exit $rc: $(grep nopool "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
fi
# Issue 14: with --framed-route-allow the same Framed-Route is installed on
# the server's TUN while the session is up, the TUN's packets for the
# prefix reach the session, its replies from inside the prefix pass the
# source check, and the route goes with the session.
pptp_server --auth-source radius --radius-server 198.51.100.2 --radius-secret-file "$NET_TMP/radius-secret" \
	--radius-timeout 1 --auth "mschapv2,pap" --mppe allow --named-pool staff=203.0.113.40-203.0.113.41 \
	--framed-route-allow 198.18.0.0/15 ||
	{ t_fail "server starts with --framed-route-allow" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }
ip -n "$CLI" addr add 198.18.5.1/32 dev lo
printf 'weak pass\n' >"$NET_TMP/rpass"
PPTP_USER=weak pptp_client "$CLI" rad3 --password-file "$NET_TMP/rpass" --auth mschapv2 --mppe allow
pid=$CLIENT_PID
if net_wait_for 15 pptp_up "$CLI" rad3 &&
	net_wait_for 5 sh -c "ip -n '$SRV' route show | grep -q '^198.18.5.0/24 dev'"; then
	t_pass "Framed-Route 198.18.5.0/24 installed on the server's TUN"
	if ip -n "$SRV" route show | grep '^198.18.5.0/24 dev' | grep -q 'mtu 1200'; then
		t_pass "Framed-Route carries the session's route MTU (Framed-MTU 1200)"
	else
		t_fail "Framed-Route MTU" "$(ip -n "$SRV" route show | grep 198.18.5)"
	fi
	if ip netns exec "$SRV" ping -c 2 -i 0.2 -W 2 198.18.5.1 >/dev/null; then
		t_pass "Framed-Route: the server pings 198.18.5.1 behind the session and gets the reply"
	else
		t_fail "Framed-Route ping" "$(grep -i 'route\|source' "$SERVER_LOG" | tail -3 | tr '\n' ' ')"
	fi
else
	t_fail "Framed-Route installed" "$(ip -n "$SRV" route show | tr '\n' ' ') $(grep Framed "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
fi
net_stop "$pid"
net_wait_for 5 pptp_sessions_are 0
if net_wait_for 5 sh -c "! ip -n '$SRV' route show | grep -q '^198.18.5.0/24'"; then
	t_pass "Framed-Route removed when the session ends"
else
	t_fail "Framed-Route removed" "$(ip -n "$SRV" route show | tr '\n' ' ')"
fi

net_stop "$SERVER_PID"
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
