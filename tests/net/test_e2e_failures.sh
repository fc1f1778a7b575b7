#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Each way a connection can fail gives its own exit code and a message that
# names the cause (docs: openpptp connect --help).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

expect() { # NAME CODE PATTERN -- client args...
	local name=$1 code=$2 pattern=$3; shift 4
	CLIENT_LOG=$NET_TMP/client.run.$RANDOM.log
	local rc; rc=$(pptp_client_run "$CLI" "$@")
	if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$CLIENT_LOG"; then
		t_pass "$name (exit $rc)"
	else
		t_fail "$name" "exit $rc (want $code), log: $(grep -E 'error|warning' "$CLIENT_LOG" | tail -2 | tr '\n' ' ')"
	fi
}

# Nothing listens on 1723 yet.
CLIENT_RUN_TIMEOUT=20 expect "nothing listening on 1723" 3 "TCP port 1723" -- --password-file "$NET_TMP/password" --connect-timeout 3

pptp_server
expect "wrong password" 6 "authentication failed" -- --password-file "$NET_TMP/wrong"
PPTP_USER=mallory expect "unknown user" 6 "authentication failed" -- --password-file "$NET_TMP/password"
printf 'bobs password\n' >"$NET_TMP/bobpw"
PPTP_USER=bob CLIENT_RUN_TIMEOUT=8 expect "NT-hash-only user logs in" 124 "tunnel up" -- --password-file "$NET_TMP/bobpw"

# SIGHUP reloads the secrets: a user added while the server runs is unknown
# until then, and logs in after it.
printf 'carols password\n' >"$NET_TMP/carolpw"
printf 'carols password\n' | "$OPENPPTP" user add carol --nt-hash --secrets "$NET_TMP/secrets" >/dev/null
PPTP_USER=carol expect "user added, no reload yet: unknown" 6 "authentication failed" -- --password-file "$NET_TMP/carolpw"
kill -HUP "$SERVER_PID"
if net_wait_for 5 grep -q "loaded 3 secrets" "$SERVER_LOG"; then t_pass "SIGHUP reloads the secrets file"
else t_fail "SIGHUP reload" "$(tail -2 "$SERVER_LOG" | tr '\n' ' ')"; fi
PPTP_USER=carol CLIENT_RUN_TIMEOUT=8 expect "user added, after SIGHUP: logs in" 124 "tunnel up" -- --password-file "$NET_TMP/carolpw"

pptp_server --auth mschapv2 --mppe none
expect "MPPE refused" 7 "MPPE required but peer refused" -- --password-file "$NET_TMP/password" --mppe require-128

pptp_server --auth pap --mppe none
expect "no common auth method" 6 "authentication failed" -- --password-file "$NET_TMP/password" --mppe none

# GRE blocked: TCP 1723 works, IP protocol 47 is dropped on the way back.
pptp_server
ip netns exec "$CLI" nft -f - <<'NFT'
table inet opblock {
	chain in {
		type filter hook input priority 0;
		ip protocol gre drop
	}
}
NFT
CLIENT_RUN_TIMEOUT=40 expect "GRE blocked" 5 "IP protocol 47" -- --password-file "$NET_TMP/password"
ip netns exec "$CLI" nft delete table inet opblock

# Server leaves: the client says so.
pptp_client "$CLI" ptun0 --password-file "$NET_TMP/password"
if net_wait_for 15 pptp_up "$CLI" ptun0; then
	net_stop "$SERVER_PID"; SERVER_PID=
	net_wait_for 10 net_exited "$CLIENT_PID"
	wait "$CLIENT_PID"; rc=$?
	if [ "$rc" = 8 ] && grep -q "closed the session" "$CLIENT_LOG"; then t_pass "server stops: client exits 8"
	else t_fail "server stops" "client exit $rc"; fi
else
	t_fail "server stops" "tunnel not up"
fi
# Secrets hygiene: a file others may read is named at start; an empty
# secret refuses the login (before, anyone who knew the name got in).
printf '"eve" * "" *\n' >>"$NET_TMP/secrets"
printf '\n' >"$NET_TMP/empty"; chmod 600 "$NET_TMP/empty"
chmod 644 "$NET_TMP/secrets"
pptp_server
if grep -q "secrets file .* can be read or written by others than its owner (mode 0644)" "$SERVER_LOG"; then
	t_pass "a world-readable secrets file is warned about"
else t_fail "secrets mode warning" "$(head -3 "$SERVER_LOG" | tr '\n' ' ')"; fi
grep -q "line [0-9]*: empty secret: logins with it are refused" "$SERVER_LOG" && t_pass "an empty secret is warned about at load" || t_fail "empty secret warned at load"
PPTP_USER=eve CLIENT_RUN_TIMEOUT=12 expect "an empty secret refuses the login" 6 "authentication failed" -- --password-file "$NET_TMP/empty"
chmod 600 "$NET_TMP/secrets"
chmod 644 "$NET_TMP/password"
CLIENT_RUN_TIMEOUT=8 expect "a world-readable password file is warned about" 124 "can be read or written by others" -- --password-file "$NET_TMP/password"
chmod 600 "$NET_TMP/password"

# A server whose tunnel address is its own underlay address (192.0.2.1):
# the client's point-to-point route would carry the GRE into the tunnel.
pptp_server --local-ip 192.0.2.1
expect "server's own underlay address as tunnel address refused" 4 "its own address on the network" -- --password-file "$NET_TMP/password"
net_report
