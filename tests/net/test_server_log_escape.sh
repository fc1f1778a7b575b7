#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 11 (low): a user name is the peer's choice. The server's own log
# lines about a login it refuses at the lookup (src/server/server_conn.c)
# show the name escaped: a newline in it must not forge a log line,
# control bytes and invalid UTF-8 must not reach the log. A wildcard line
# `* * "any" -` matches any name and allows no address: each login with the
# hostile name is refused with "login refused for NAME"; five of them
# spend the source's burst (source_limit: 5), and the sixth is refused
# for the failure rate ("too many failed logins ... refusing NAME").
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

# One failure a minute: the burst (5) hardly refills during the test.
printf '* * "any" -\n' >>"$NET_TMP/secrets"
pptp_server --login-failure-rate 1
HOSTILE=$'EVIL\nforged line\x01\xff"q\\mallory'
# As text_escape (src/base/text_escape.h) writes it.
SHOWN='EVIL\x0aforged line\x01\xff"q\x5cmallory'
refused_line() { grep -qF "too many failed logins from this address: refusing \"$SHOWN\"" "$SERVER_LOG"; }
policy_line() { grep -qF "login refused for \"$SHOWN\": line " "$SERVER_LOG"; }

# The sixth is refused; up to two more in case a token came back meanwhile
# (one a minute) on a slow machine.
for i in 1 2 3 4 5 6 7 8; do
	CLIENT_LOG=$NET_TMP/client.hostile.$i.log
	rc=$(PPTP_USER=$HOSTILE CLIENT_RUN_TIMEOUT=20 pptp_client_run "$CLI" --password-file "$NET_TMP/wrong")
	[ "$rc" = 6 ] || t_fail "login $i with the hostile name fails" "exit $rc (want 6)"
	[ "$i" -ge 6 ] && refused_line && break
done
if policy_line; then
	t_pass "the refusal by the secrets file shows the name escaped"
else
	t_fail "the refusal by the secrets file shows the name escaped" \
		"$(grep -a -A1 'login refused for' "$SERVER_LOG" | head -2 | cat -v | tr '\n' '|')"
fi
if net_wait_for 5 refused_line; then
	t_pass "the refusal for the failure rate shows the name escaped"
else
	t_fail "the refusal for the failure rate shows the name escaped" \
		"$(grep -a -A1 'too many failed logins' "$SERVER_LOG" | head -2 | cat -v | tr '\n' '|')"
fi
# Every line is the server's: it starts with "openpptp: " and holds
# printable ASCII only (tab aside).
forged=$(grep -avc '^openpptp: ' "$SERVER_LOG")
raw=$(LC_ALL=C grep -ac $'[^\t -~]' "$SERVER_LOG")
lines=$(wc -l <"$SERVER_LOG")
if [ "$forged" = 0 ] && [ "$raw" = 0 ]; then
	t_pass "no forged line, no raw control byte ($lines lines)"
else
	t_fail "no forged line, no raw control byte" \
		"$lines lines: $forged not the server's, $raw with a raw byte: $(grep -avn '^openpptp: ' "$SERVER_LOG" | head -2 | cat -v | tr '\n' '|')"
fi
net_report
