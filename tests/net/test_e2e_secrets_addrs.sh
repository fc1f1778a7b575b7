#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The chap-secrets address field, end to end (issue 11 item 1): `-` refuses
# the login with the cause in the server log; a user limited to a range gets
# an address inside it, or is refused when the range is outside the pool;
# a list hands out its addresses in order.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
cat >>"$NET_TMP/secrets" <<'SECRETS'
disabled * "secret pass" -
ranger   * "secret pass" 203.0.113.40-45
outside  * "secret pass" 203.0.113.200-210
lister   * "secret pass" 203.0.113.33 203.0.113.0/24 !203.0.113.10-20
SECRETS
pptp_server

expect() { # NAME CODE PATTERN -- client args...
	local name=$1 code=$2 pattern=$3; shift 4
	CLIENT_LOG=$NET_TMP/client.run.$RANDOM.log
	local rc; rc=$(pptp_client_run "$CLI" "$@")
	if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$CLIENT_LOG"; then
		t_pass "$name (exit $rc)"
	else
		t_fail "$name" "exit $rc (want $code), log: $(grep -E 'error|warning|tunnel up' "$CLIENT_LOG" | tail -2 | tr '\n' ' ')"
	fi
}

PPTP_USER=disabled expect "'-' user is refused" 6 "authentication failed" -- --password-file "$NET_TMP/password"
if grep -q 'login refused for "disabled": line .* allows no address' "$SERVER_LOG"; then t_pass "'-': the server log names the cause"
else t_fail "'-' cause" "$(tail -3 "$SERVER_LOG" | tr '\n' ' ')"; fi

PPTP_USER=ranger CLIENT_RUN_TIMEOUT=8 expect "range user gets an address in its range" 124 "203.0.113.4[0-5]" -- --password-file "$NET_TMP/password"
PPTP_USER=outside expect "range outside the pool: refused" 8 "the server closed the session" -- --password-file "$NET_TMP/password"
if grep -q 'no tunnel address for "outside": none free among those line' "$SERVER_LOG"; then t_pass "range outside the pool: the server log names the cause"
else t_fail "outside cause" "$(tail -3 "$SERVER_LOG" | tr '\n' ' ')"; fi
PPTP_USER=lister CLIENT_RUN_TIMEOUT=8 expect "list: the static address first" 124 "203.0.113.33" -- --password-file "$NET_TMP/password"
PPTP_USER=alice CLIENT_RUN_TIMEOUT=8 expect "'*' user still gets a pool address" 124 "203.0.113.1[0-9]" -- --password-file "$NET_TMP/password"
net_report
