#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A throw-away PKI for the EAP-TLS tests, made at test time with certtool
# (gnutls-bin): never committed, valid from yesterday for three days.
#   ca.crt            the CA both ends trust
#   server.crt/.key   CN and DNS name vpn.example.test, TLS server purpose
#   alice.crt/.key    client certificate (TLS client purpose)
#   mallory.crt/.key  client certificate of the same CA, revoked in crl.pem
#   ca2.crt           a second, unrelated CA; eve.crt/.key signed by it
# eap_tls_pki DIR: make them in DIR; fails if certtool does.

# Valid from a day ago to two days ahead: a VM peer whose clock lags the
# host's by a little must not see a certificate that is not valid yet.
eap_tls_pki_validity() {
	printf 'activation_date = "%s"\nexpiration_date = "%s"\n' "$(date -u -d '-1 day' '+%Y-%m-%d %H:%M:%S')" \
		"$(date -u -d '+2 days' '+%Y-%m-%d %H:%M:%S')"
}

eap_tls_pki_key() { # FILE
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$1" >/dev/null 2>&1
}

eap_tls_pki_ca() { # DIR NAME CN
	local d=$1 n=$2 cn=$3
	{
		printf 'cn = "%s"\nca\ncert_signing_key\ncrl_signing_key\n' "$cn"
		eap_tls_pki_validity
	} >"$d/$n.tmpl"
	eap_tls_pki_key "$d/$n.key" &&
		certtool --generate-self-signed --load-privkey "$d/$n.key" --template "$d/$n.tmpl" \
			--outfile "$d/$n.crt" >/dev/null 2>&1
}

eap_tls_pki_leaf() { # DIR NAME CA PURPOSE CN [DNS]
	local d=$1 n=$2 ca=$3 purpose=$4 cn=$5 dns=${6:-}
	{
		printf 'cn = "%s"\n%s\nsigning_key\nencryption_key\n' "$cn" "$purpose"
		eap_tls_pki_validity
		[ -n "$dns" ] && printf 'dns_name = "%s"\n' "$dns"
	} >"$d/$n.tmpl"
	eap_tls_pki_key "$d/$n.key" &&
		certtool --generate-certificate --load-privkey "$d/$n.key" --load-ca-certificate "$d/$ca.crt" \
			--load-ca-privkey "$d/$ca.key" --template "$d/$n.tmpl" --outfile "$d/$n.crt" >/dev/null 2>&1
}

eap_tls_pki() { # DIR
	local d=$1
	mkdir -p "$d" || return 1
	eap_tls_pki_ca "$d" ca "openpptp test CA" &&
		eap_tls_pki_ca "$d" ca2 "another test CA" &&
		eap_tls_pki_leaf "$d" server ca tls_www_server vpn.example.test vpn.example.test &&
		eap_tls_pki_leaf "$d" alice ca tls_www_client alice &&
		eap_tls_pki_leaf "$d" mallory ca tls_www_client mallory &&
		eap_tls_pki_leaf "$d" eve ca2 tls_www_client eve || return 1
	printf 'crl_next_update = 1\ncrl_number = 1\n' >"$d/crl.tmpl"
	certtool --generate-crl --load-ca-privkey "$d/ca.key" --load-ca-certificate "$d/ca.crt" \
		--load-certificate "$d/mallory.crt" --template "$d/crl.tmpl" --outfile "$d/crl.pem" >/dev/null 2>&1 || return 1
	chmod 600 "$d"/*.key
}
