#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# EAP through our server (issue 14 §1, §6): EAP-MD5 and EAP-MSCHAPv2
# (and EAP-TLS, our client's certificate against FreeRADIUS's eap tls) passed
# through to a real FreeRADIUS 3.2 (RFC 3579: our server relays EAP-Message
# and State, and knows nothing of the method), EAP-MSCHAPv2 with MPPE-128
# keyed from FreeRADIUS's MS-MPPE-Send/Recv-Key, EAP rejects, EAP refused
# when only the secrets file is left (radius,secrets), and EAP-MSCHAPv2
# checked locally from the secrets file (plaintext and NT hash).
# eapol_test first checks the generated raddb's EAP methods on their own,
# so a failure there is not blamed on openpptp.
#
# Namespaces: cli 192.0.2.2 -- srv 192.0.2.1 | 198.51.100.1 -- rad 198.51.100.2.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

RADDB=$NET_TMP/raddb # radius_lab's, named before: RADIUS_EAP_METHODS holds it
# EAP-TLS in FreeRADIUS: its server certificate and CA from a PKI made now
# (tests/net/eap_tls_pki.sh); fragments well under the PPP MRU.
. tests/net/eap_tls_pki.sh
PKI=$NET_TMP/pki
eap_tls_pki "$PKI" || { t_fail "pki" "certtool failed"; net_report; exit 1; }
RADIUS_EAP_METHODS="		tls-config tls-common {
			private_key_file = $RADDB/certs/server.key
			certificate_file = $RADDB/certs/server.crt
			ca_file = $RADDB/certs/ca.crt
			fragment_size = 1000
			tls_min_version = \"1.2\"
			tls_max_version = \"1.2\"
		}
		tls {
			tls = tls-common
		}"
radius_lab eapol_test
mkdir -p "$RADDB/certs" && cp "$PKI/server.key" "$PKI/server.crt" "$PKI/ca.crt" "$RADDB/certs/"
cat >"$RADDB/users" <<'USERS'
dave	Cleartext-Password := "dave pass", EAP-Type := Microsoft-MS-CHAPv2

alice	EAP-Type := TLS

carol	Cleartext-Password := "carol pass"
USERS
radius_lab_start
t_pass "freeradius starts with eap (md5, mschapv2, tls) in its namespace"

# eapol_test METHOD USER PASSWORD: the raddb's EAP alone, from the NAS's address.
# EAPOL_NO_KEYS=1: the method gives no MPPE keys (EAP-MD5).
eapol_check() {
	local conf=$NET_TMP/eapol.$1.conf
	printf 'network={\n\tkey_mgmt=IEEE8021X\n\teap=%s\n\tidentity="%s"\n\tpassword="%s"\n\teapol_flags=0\n}\n' \
		"$1" "$2" "$3" >"$conf"
	timeout 20 ip netns exec "$SRV" eapol_test -c "$conf" -a 198.51.100.2 -s "$SECRET" -t 10 ${EAPOL_NO_KEYS:+-n} \
		>"$NET_TMP/eapol.$1.log" 2>&1
}
if EAPOL_NO_KEYS=1 eapol_check MD5 carol "carol pass" && grep -q '^SUCCESS' "$NET_TMP/eapol.MD5.log"; then
	t_pass "eapol_test: EAP-MD5 against the generated raddb"
else
	t_fail "eapol_test EAP-MD5" "$(tail -3 "$NET_TMP/eapol.MD5.log" | tr '\n' ' ')"
fi
if eapol_check MSCHAPV2 dave "dave pass" && grep -q '^SUCCESS' "$NET_TMP/eapol.MSCHAPV2.log" &&
	grep -q 'MS-MPPE-Send-Key' "$NET_TMP/eapol.MSCHAPV2.log"; then
	t_pass "eapol_test: EAP-MSCHAPv2 against the generated raddb, MS-MPPE keys in the Accept"
else
	t_fail "eapol_test EAP-MSCHAPv2" "$(tail -3 "$NET_TMP/eapol.MSCHAPV2.log" | tr '\n' ' ')"
fi
echo "    figure: FreeRADIUS's EAP-MSCHAPv2 Accept: MS-MPPE-Send-Key of $(grep -m1 'MS-MPPE-Send-Key' "$NET_TMP/eapol.MSCHAPV2.log" | sed 's/.*len=\([0-9]*\).*/\1/') bytes"

pptp_server --auth eap --auth-source radius --radius-server 198.51.100.2 --radius-secret-file "$NET_TMP/radius-secret" \
	--radius-timeout 1 --radius-retries 1 --mppe allow ||
	{ t_fail "server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }

# eap_case NAME USER PASSWORD MPPE WANT_MPPE WANT_AUTH: up, ping, the server's
# line (the method status names, not LCP's eap-md5), down.
eap_case() {
	local name=$1 user=$2 pass=$3 mppe=$4 want=$5 auth=$6
	printf '%s\n' "$pass" >"$NET_TMP/rpass"
	PPTP_USER=$user pptp_client "$CLI" eap0 --password-file "$NET_TMP/rpass" --auth eap --mppe "$mppe"
	local pid=$CLIENT_PID ok=1 why=""
	if ! net_wait_for 15 pptp_up "$CLI" eap0; then ok=0; why="not up: $(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi
	if [ $ok = 1 ] && ! ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null; then ok=0; why="no ping"; fi
	if [ $ok = 1 ] && ! grep -q "session up: .*, $auth, MPPE $want" "$SERVER_LOG"; then
		ok=0; why="server log: $(grep 'session up' "$SERVER_LOG" | tail -1)"
	fi
	if [ $ok = 1 ] && ! ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" |
		grep -q "\"auth\":\"$auth\""; then
		ok=0; why="status --json: $(ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" | tail -1)"
	fi
	net_stop "$pid"
	net_wait_for 5 pptp_sessions_are 0
	if [ $ok = 1 ]; then t_pass "$name"; else t_fail "$name" "$why"; fi
}

# rad_log_since N: FreeRADIUS's log after its line N (eapol_test ran both methods already).
rad_log_since() { tail -n +"$(($1 + 1))" "$NET_TMP/freeradius.log"; }
mark=$(wc -l <"$NET_TMP/freeradius.log")
eap_case "EAP-MD5 through RADIUS: up, ping, status says eap-radius" carol "carol pass" none none eap-radius
if rad_log_since "$mark" | grep -q 'eap_md5'; then t_pass "FreeRADIUS ran EAP-MD5 for carol"
else t_fail "FreeRADIUS ran EAP-MD5" "no eap_md5 in its log"; fi
mark=$(wc -l <"$NET_TMP/freeradius.log")
eap_case "EAP-MSCHAPv2 through RADIUS, MPPE-128 from MS-MPPE-Send/Recv-Key: up, ping, eap-radius" dave "dave pass" require-128 128 eap-radius
if rad_log_since "$mark" | grep -q 'eap_mschapv2' && ! rad_log_since "$mark" | grep -q 'eap_md5'; then
	t_pass "FreeRADIUS ran EAP-MSCHAPv2 (and not EAP-MD5) for dave"
else
	t_fail "FreeRADIUS ran EAP-MSCHAPv2" "$(rad_log_since "$mark" | grep -oE 'eap_(md5|mschapv2)' | sort | uniq -c | tr '\n' ' ')"
fi

# EAP-TLS passed through (RFC 3579 carries any method): our client's
# certificate against FreeRADIUS's EAP-TLS, MPPE-128 from the 32-byte
# MS-MPPE keys FreeRADIUS derives from the TLS exporter (RFC 5216 §2.3).
mark=$(wc -l <"$NET_TMP/freeradius.log")
srv_mark=$(wc -l <"$SERVER_LOG")
PPTP_USER=alice pptp_client "$CLI" eap4 --auth eap-tls --mppe require-128 --eap-tls-cert "$PKI/alice.crt" \
	--eap-tls-key "$PKI/alice.key" --eap-tls-ca "$PKI/ca.crt" --eap-tls-server-name vpn.example.test
tls_pid=$CLIENT_PID
if net_wait_for 20 pptp_up "$CLI" eap4 && ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null &&
	tail -n +"$((srv_mark + 1))" "$SERVER_LOG" | grep -q "session up: .*, eap-radius, MPPE 128" && rad_log_since "$mark" | grep -q 'eap_tls'; then
	t_pass "EAP-TLS through RADIUS (FreeRADIUS's eap tls), MPPE-128 from its 32-byte keys: up, ping"
else
	t_fail "EAP-TLS through RADIUS" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ') / $(rad_log_since "$mark" | grep -iE 'tls.*(error|fail)' | head -2 | tr '\n' ' ')"
fi
net_stop "$tls_pid"
net_wait_for 5 pptp_sessions_are 0

# Rejects: a wrong password in each method ends the call (exit 6), and
# the server says RADIUS refused.
printf 'wrong\n' >"$NET_TMP/rpass"
for user in carol dave; do
	CLIENT_LOG=$NET_TMP/client.reject.$user.log
	rc=$(PPTP_USER=$user pptp_client_run "$CLI" --password-file "$NET_TMP/rpass" --auth eap --ifname eap1)
	if [ "$rc" = 6 ] && grep -q "RADIUS refused \"$user\"" "$SERVER_LOG"; then
		t_pass "EAP through RADIUS, wrong password for $user: Access-Reject, EAP-Failure, client exit 6"
	else
		t_fail "EAP reject for $user" "exit $rc: $(grep -iE 'refused|fail' "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
	fi
done

# radius,secrets with no RADIUS server answering: the secrets file cannot
# take over an EAP method half-way, so EAP is refused, and the log says why.
pptp_server --auth eap --auth-source radius,secrets --radius-server 198.51.100.9 \
	--radius-secret-file "$NET_TMP/radius-secret" --radius-timeout 1 --radius-retries 1 --mppe allow ||
	{ t_fail "fallback server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }
CLIENT_LOG=$NET_TMP/client.fallback.log
rc=$(pptp_client_run "$CLI" --password-file "$NET_TMP/password" --auth eap --mppe none --ifname eap3)
if [ "$rc" = 6 ] && grep -q "EAP needs a RADIUS server" "$SERVER_LOG"; then
	t_pass "radius,secrets, RADIUS silent: EAP refused (exit 6), the server says why"
else
	t_fail "radius,secrets EAP without RADIUS" "exit $rc: $(grep -iE 'refused|RADIUS' "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
fi

# Locally from the secrets file: the server offers EAP-MSCHAPv2 to a link
# that wants MPPE; alice has a plaintext secret, bob an NT hash.
pptp_server --auth eap --mppe require-128 || { t_fail "local server starts" "$(tail -5 "$SERVER_LOG")"; net_report; exit 1; }
eap_case "EAP-MSCHAPv2 from the secrets file, MPPE-128: up, ping, status says eap-mschapv2" "$PPTP_USER" "$PPTP_PASS" require-128 128 eap-mschapv2
eap_case "EAP-MSCHAPv2 with an NT-hash secret, MPPE-128: up, ping, eap-mschapv2" bob "bobs password" require-128 128 eap-mschapv2
CLIENT_LOG=$NET_TMP/client.local.reject.log
rc=$(pptp_client_run "$CLI" --password-file "$NET_TMP/wrong" --auth eap --mppe require-128 --ifname eap2)
if [ "$rc" = 6 ]; then t_pass "EAP-MSCHAPv2 from the secrets file, wrong password: client exit 6"
else t_fail "local EAP-MSCHAPv2 reject" "exit $rc: $(tail -2 "$CLIENT_LOG" | tr '\n' ' ')"; fi

net_stop "$SERVER_PID"
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
