#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# EAP-TLS (RFC 5216) between our client and our server, with MPPE-128
# keyed from TLS: traffic flows (ping, a checksummed transfer) with TLS
# 1.2 and with TLS 1.3 (RFC 9190); a revoked client certificate, a client
# of another CA, a certificate that does not name the EAP Identity, a
# client that does not trust the server's CA and a wrong server name each
# fail cleanly (exit 6, the reason in the log).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/eap_tls_pki.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
PKI=$NET_TMP/pki
eap_tls_pki "$PKI" || { t_fail "pki" "certtool failed"; net_report; exit 1; }

srv_tls() { # extra server args...
	pptp_server --auth eap-tls --mppe require-128 --eap-tls-cert "$PKI/server.crt" --eap-tls-key "$PKI/server.key" \
		--eap-tls-ca "$PKI/ca.crt" --eap-tls-crl "$PKI/crl.pem" "$@"
}
# cli_args NAME [CA] [SERVER-NAME]: the client's EAP-TLS options for NAME's certificate
cli_args() {
	CLI_ARGS=(--auth eap-tls --mppe require-128 --eap-tls-cert "$PKI/$1.crt" --eap-tls-key "$PKI/$1.key"
		--eap-tls-ca "$PKI/${2:-ca}.crt" --eap-tls-server-name "${3:-vpn.example.test}")
}

# up_and_traffic NAME TLSVERSION client-args...: tunnel up, ping, transfer, MPPE-128
up_and_traffic() {
	local name=$1 version=$2; shift 2
	pptp_client "$CLI" ptls0 "$@"
	if ! net_wait_for 20 pptp_up "$CLI" ptls0; then
		t_fail "$name: tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ') / $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
		net_stop "$CLIENT_PID"
		return
	fi
	t_pass "$name: tunnel up"
	t_check "$name: ping through the tunnel" ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 -q 203.0.113.1
	t_check "$name: 1 MB transfer, checksums equal" pptp_transfer "$CLI" 203.0.113.1 1000000 "$SRV"
	if grep -q "EAP-TLS: peer authenticated (TLS $version" "$SERVER_LOG" &&
		grep -q "EAP-TLS: server authenticated (TLS $version" "$CLIENT_LOG"; then
		t_pass "$name: both ends ran TLS $version"
	else
		t_fail "$name: TLS version" "$(grep -h EAP-TLS "$SERVER_LOG" "$CLIENT_LOG" | tr '\n' ' ')"
	fi
	if grep -q "user alice\] session up: .*, eap-tls, MPPE 128" "$SERVER_LOG"; then
		t_pass "$name: MPPE-128 keyed from TLS, the login named eap-tls"
	else
		t_fail "$name: MPPE-128, eap-tls" "$(grep -hiE 'mppe|session up' "$CLIENT_LOG" "$SERVER_LOG" | tail -3 | tr '\n' ' ')"
	fi
	if ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" | grep -qE '^alice .* eap-tls +128'; then
		t_pass "$name: status shows eap-tls"
	else
		t_fail "$name: status shows eap-tls" "$(ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" | tail -1)"
	fi
	net_stop "$CLIENT_PID"
	net_wait_for 10 pptp_sessions_are 0
}

# expect_fail NAME SERVER_PATTERN CLIENT_PATTERN client-args...: exit 6, the reasons logged
expect_fail() {
	local name=$1 spat=$2 cpat=$3; shift 3
	CLIENT_LOG=$NET_TMP/client.run.$RANDOM.log
	local rc; rc=$(CLIENT_RUN_TIMEOUT=30 pptp_client_run "$CLI" "$@")
	if [ "$rc" = 6 ] && grep -q -- "$cpat" "$CLIENT_LOG" && net_wait_for 5 grep -q -- "$spat" "$SERVER_LOG"; then
		t_pass "$name (exit $rc)"
	else
		t_fail "$name" "exit $rc, client: $(grep -iE 'EAP|fail' "$CLIENT_LOG" | tail -2 | tr '\n' ' ') server: $(grep -iE 'EAP|fail' "$SERVER_LOG" | tail -2 | tr '\n' ' ')"
	fi
}

srv_tls
cli_args alice
up_and_traffic "TLS 1.2" 1.2 "${CLI_ARGS[@]}"

# Each refusal against a fresh server, so its log holds only that reason.
srv_tls
cli_args mallory
expect_fail "revoked client certificate refused" "certificate rejected: .*revoked" "authentication failed" "${CLI_ARGS[@]}"
# GnuTLS's client sends no certificate the server's CA list does not name.
srv_tls
cli_args eve
expect_fail "client of another CA refused" "No certificate was found\|certificate rejected" "authentication failed" "${CLI_ARGS[@]}"
srv_tls
cli_args alice
PPTP_USER=bob expect_fail "certificate of another user refused" "does not name the EAP Identity" "authentication failed" "${CLI_ARGS[@]}"
srv_tls
cli_args alice ca2
expect_fail "client not trusting the server's CA gives up" "rejected: TLS handshake" "server certificate rejected: .*issuer is unknown" "${CLI_ARGS[@]}"
srv_tls
cli_args alice ca wrong.example.test
expect_fail "wrong server name refused" "rejected: TLS handshake" "server certificate rejected: .*name in the certificate does not match" "${CLI_ARGS[@]}"

srv_tls --eap-tls-max-version 1.3
cli_args alice
up_and_traffic "TLS 1.3" 1.3 "${CLI_ARGS[@]}" --eap-tls-max-version 1.3

net_report
