#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# --persist gives up: after --maxfail attempts in a row that never bring the
# link up, and at once when the server refuses the password (unless
# --persist-on-auth-failure).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

# run NAME CODE ATTEMPTS PATTERN -- client args...: exit code, how many
# attempts (lines matching ATTEMPT_LINE) and the closing line.
run() {
	local name=$1 code=$2 attempts=$3 pattern=$4; shift 5
	CLIENT_LOG=$NET_TMP/client.persist.$RANDOM.log
	local rc; rc=$(CLIENT_RUN_TIMEOUT=30 pptp_client_run "$CLI" --persist --max-backoff 1 "$@")
	local n; n=$(grep -c -- "$ATTEMPT_LINE" "$CLIENT_LOG")
	if [ "$rc" = "$code" ] && [ "$n" = "$attempts" ] && grep -q -- "$pattern" "$CLIENT_LOG"; then
		t_pass "$name (exit $rc, $n attempts)"
	else
		t_fail "$name" "exit $rc (want $code), $n attempts (want $attempts): $(grep -E 'error|reconnect' "$CLIENT_LOG" | tail -3 | tr '\n' ' ')"
	fi
}

# Nothing listens on 1723: refused at once, three times.
ATTEMPT_LINE="cannot reach 192.0.2.1"
run "--maxfail 3: three refused connections, then it gives up" 3 3 "giving up after 3 failed attempts in a row (--maxfail 3)" \
	-- --password-file "$NET_TMP/password" --maxfail 3
if grep -q "failed attempt 2 of at most 3" "$CLIENT_LOG"; then t_pass "each retry says how many attempts are left"
else t_fail "retry line" "$(grep reconnect "$CLIENT_LOG" | tr '\n' ' ')"; fi

pptp_server
ATTEMPT_LINE="\[client\] authentication failed"
run "wrong password with --persist: stops at once" 6 1 "not reconnecting: the server refused the user name or password" \
	-- --password-file "$NET_TMP/wrong"
run "--persist-on-auth-failure: retries, until --maxfail" 6 2 "giving up after 2 failed attempts" \
	-- --password-file "$NET_TMP/wrong" --persist-on-auth-failure --maxfail 2
net_report
