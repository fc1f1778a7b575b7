#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Dynamic Authorization (RFC 5176, issue 14 §2) with FreeRADIUS's radclient
# as the DAE client: Disconnect-Request by Acct-Session-Id (ACK, the
# client goes, accounting Stop says Admin-Reset), by an unknown session
# (NAK 503), with a wrong NAS-Identifier (NAK 403), CoA-Request setting
# Session-Timeout (ACK, the session ends), and a request from an address
# not in --dae-client (dropped: no answer, logged).
#
# Namespaces: cli 192.0.2.2 -- srv 192.0.2.1 | 198.51.100.1 -- rad 198.51.100.2
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

radius_lab radclient
printf 'carol\tCleartext-Password := "carol pass"\n' >"$RADDB/users"
radius_lab_start
DETAIL=$RADDB/acct/detail
pptp_server --auth-source radius --radius-server 198.51.100.2 --radius-acct-server 198.51.100.2 \
	--radius-secret-file "$NET_TMP/radius-secret" --radius-timeout 1 --nas-identifier nas-dae \
	--dae-listen 0.0.0.0 --dae-client 198.51.100.2 ||
	{ t_fail "server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }
grep -q "Dynamic Authorization on 0.0.0.0:3799" "$SERVER_LOG" && t_pass "DAE listener on UDP 3799" ||
	t_fail "DAE listener" "$(grep -i dae "$SERVER_LOG")"

printf 'carol pass\n' >"$NET_TMP/rpass"
up() { # start carol's session; sets CLIENT_PID
	PPTP_USER=carol pptp_client "$CLI" dae0 --password-file "$NET_TMP/rpass"
	net_wait_for 15 pptp_up "$CLI" dae0
}
# dae NS CODE ATTRS...: radclient's output (one try, 2 s).
dae() {
	local ns=$1 code=$2; shift 2
	printf '%s\n' "$@" | ip netns exec "$ns" timeout 10 radclient -x -r 1 -t 2 "$DAE_TO:3799" "$code" "$SECRET" 2>&1
}
DAE_TO=198.51.100.1

up || t_fail "session up" "$(tail -3 "$CLIENT_LOG")"
id=$(grep -o 'Acct-Session-Id = "[0-9A-F]*"' "$DETAIL" | grep -v '00000000"' | tail -1 | cut -d'"' -f2)
shown=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["list"][0]["acct_session_id"])' 2>/dev/null)
[ -n "$id" ] && [ "$shown" = "$id" ] && t_pass "openpptp status --json shows the Acct-Session-Id accounting sent ($id)" ||
	t_fail "status shows Acct-Session-Id" "status '$shown', accounting '$id'"
out=$(dae "$RAD" disconnect "Acct-Session-Id = \"0000000000000000\"")
grep -q "Received Disconnect-NAK" <<<"$out" && grep -q "Error-Cause = Session-Context-Not-Found" <<<"$out" &&
	t_pass "Disconnect for an unknown session: NAK 503" || t_fail "unknown session" "$(tr '\n' ' ' <<<"$out")"
out=$(dae "$RAD" disconnect "Acct-Session-Id = \"$id\"" 'NAS-Identifier = "someone-else"')
grep -q "Received Disconnect-NAK" <<<"$out" && grep -q "Error-Cause = NAS-Identification-Mismatch" <<<"$out" &&
	t_pass "Disconnect naming another NAS: NAK 403" || t_fail "NAS mismatch" "$(tr '\n' ' ' <<<"$out")"
out=$(dae "$RAD" disconnect "Acct-Session-Id = \"$id\"" 'Filter-Id = "x"')
grep -q "Error-Cause = Unsupported-Attribute" <<<"$out" && t_pass "Disconnect with an attribute we do not support: NAK 401" ||
	t_fail "unsupported attribute" "$(tr '\n' ' ' <<<"$out")"
# From an address not in --dae-client (the client's namespace): no answer.
DAE_TO=192.0.2.1
out=$(dae "$CLI" disconnect "Acct-Session-Id = \"$id\"")
DAE_TO=198.51.100.1
if ! grep -q "Received" <<<"$out" && grep -q "request from 192.0.2.2, not a --dae-client: dropped" "$SERVER_LOG" &&
	net_running "$CLIENT_PID"; then
	t_pass "Disconnect from an address not allowed: dropped, logged, session untouched"
else
	t_fail "not allowed source" "$(tr '\n' ' ' <<<"$out")"
fi
out=$(dae "$RAD" disconnect "Acct-Session-Id = \"$id\"" 'NAS-Identifier = "nas-dae"')
# The ACK comes once the session is down (RFC 5176 §3): no session left
# the moment radclient has it, and the server sent it after the link went
# down (an ACK at kick time would come before that line).
if grep -q "Received Disconnect-ACK" <<<"$out" && pptp_sessions_are 0 &&
	grep -A100 'link down (local-close): Disconnected by the administrator' "$SERVER_LOG" |
	grep -q 'Disconnect-Request from 198.51.100.2: ACK'; then
	t_pass "Disconnect-ACK only once the session is down (sent after its link went down)"
else
	t_fail "Disconnect-ACK after the session is down" "$(tr '\n' ' ' <<<"$out")"
fi
if net_wait_for 10 net_exited "$CLIENT_PID" && net_wait_for 5 grep -q 'Acct-Terminate-Cause = Admin-Reset' "$DETAIL"; then
	t_pass "Disconnect-Request by Acct-Session-Id: ACK, the session ends, Stop says Admin-Reset"
else
	t_fail "Disconnect" "$(tr '\n' ' ' <<<"$out") $(tail -2 "$CLIENT_LOG")"
fi
net_stop "$CLIENT_PID"

# CoA: Session-Timeout 2 for carol's new session, by User-Name.
up || t_fail "second session up" "$(tail -3 "$CLIENT_LOG")"
out=$(dae "$RAD" coa 'User-Name = "carol"' 'Session-Timeout = 2')
if grep -q "Received CoA-ACK" <<<"$out" && net_wait_for 10 net_exited "$CLIENT_PID" &&
	grep -q "CoA-Request from RADIUS: session .* now Session-Timeout 2" "$SERVER_LOG"; then
	t_pass "CoA-Request Session-Timeout 2 by User-Name: ACK, the session ends"
else
	t_fail "CoA" "$(tr '\n' ' ' <<<"$out")"
fi
net_stop "$CLIENT_PID"
net_stop "$SERVER_PID"
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
