# SPDX-License-Identifier: BSD-2-Clause
# EAP-TLS cells (sourced by lib/cell.sh): a throw-away PKI per cell made
# with certtool (tests/net/eap_tls_pki.sh), the files copied into the VM
# peer, pppd's options for it, and the openpptp options for the host peer.
#
# Names pppd checks: a pppd client matches the server certificate's CN
# against its remotename (pptpd); a pppd server matches the client
# certificate's CN against the EAP Identity (testuser). So the server
# certificate is CN=pptpd (DNS name pptpd, which openpptp checks with
# --eap-tls-server-name), every client certificate CN=testuser.
#
#   eaptls_setup VARIANT   VARIANT std | eaptls-revoked | eaptls-wrongca;
#                          sets XTRA_SRV / XTRA_CLI (pppd lines) and
#                          HOST_SRV_EXTRA / HOST_CLI_EXTRA (openpptp options)
. "$INTEROP_TOP/tests/net/eap_tls_pki.sh"

EAPTLS_VM_DIR=/etc/ppp/certs

eaptls_pki() { # DIR
	local d=$1
	mkdir -p "$d" || return 1
	eap_tls_pki_ca "$d" ca "openpptp interop CA" &&
		eap_tls_pki_ca "$d" ca2 "another interop CA" &&
		eap_tls_pki_leaf "$d" server ca tls_www_server pptpd pptpd &&
		eap_tls_pki_leaf "$d" client ca tls_www_client testuser &&
		eap_tls_pki_leaf "$d" revoked ca tls_www_client testuser &&
		eap_tls_pki_leaf "$d" client2 ca2 tls_www_client testuser || return 1
	printf 'crl_next_update = 1\ncrl_number = 1\n' >"$d/crl.tmpl"
	certtool --generate-crl --load-ca-privkey "$d/ca.key" --load-ca-certificate "$d/ca.crt" \
		--load-certificate "$d/revoked.crt" --template "$d/crl.tmpl" --outfile "$d/crl.pem" >/dev/null 2>&1 || return 1
	chmod 600 "$d"/*.key
}

# Copy the PKI's files into a VM's /etc/ppp/certs (through the command
# channel: they are small), plus pppd's eaptls-server secrets line.
eaptls_vm_install() { # VM DIR
	local vm=$1 d=$2 f cmd="mkdir -p $EAPTLS_VM_DIR && cd $EAPTLS_VM_DIR"
	for f in ca.crt crl.pem server.crt server.key client.crt client.key revoked.crt revoked.key client2.crt client2.key; do
		cmd+=" && printf '%s\\n' $(printf %q "$(cat "$d/$f")") > $f"
	done
	# client server client-cert server-cert ca key addresses ("-": any client
	# certificate the CA signed)
	cmd+=" && chmod 600 *.key && printf '%s\\n' 'testuser pptpd - $EAPTLS_VM_DIR/server.crt $EAPTLS_VM_DIR/ca.crt $EAPTLS_VM_DIR/server.key *' > /etc/ppp/eaptls-server && chmod 600 /etc/ppp/eaptls-server"
	vm_exec "$vm" 30 "$cmd"
}

eaptls_setup() { # VARIANT
	local d=$CELL_DIR/pki cli=client ca=ca
	case "$1" in eaptls-revoked) cli=revoked ;; eaptls-wrongca) cli=client2 ;; esac
	eaptls_pki "$d" || { echo "certtool failed"; return 1; }
	[ "$SKIND" = vm ] && { eaptls_vm_install srv "$d" || return 1; }
	[ "$CKIND" = vm ] && { eaptls_vm_install "$CLI_VM" "$d" || return 1; }
	XTRA_SRV="crl $EAPTLS_VM_DIR/crl.pem"
	XTRA_CLI=$(printf 'ca %s/%s.crt\ncert %s/%s.crt\nkey %s/%s.key' "$EAPTLS_VM_DIR" "$ca" "$EAPTLS_VM_DIR" "$cli" "$EAPTLS_VM_DIR" "$cli")
	HOST_SRV_EXTRA="--eap-tls-cert $d/server.crt --eap-tls-key $d/server.key --eap-tls-ca $d/ca.crt --eap-tls-crl $d/crl.pem"
	HOST_CLI_EXTRA="--eap-tls-cert $d/$cli.crt --eap-tls-key $d/$cli.key --eap-tls-ca $d/$ca.crt --eap-tls-server-name pptpd"
	return 0
}

# A client whose certificate the server must refuse: no tunnel, both sides end.
cell_eaptls_refused() {
	check server-start S_start || return
	! C_up > "$CELL_DIR/c_up.out" 2>&1; check tunnel-refused eq "$?" 0
	check client-down C_wait_down
	collect
	[ "$SKIND" = host ] && check server-msg-host in_file "$CELL_DIR/logs/host-server.log" 'certificate rejected'
	[ "$CKIND" = host ] && check client-msg-host in_file "$CELL_DIR/logs/host-connect.log" 'authentication failed'
	check client-eap-failure vm_in_file "$CELL_DIR/logs/cli-pppd.log" 'rcvd \[EAP Failure'
	check no-ip vm_not_in_file "$CELL_DIR/logs/cli-pppd.log" 'local  IP address'
	check no-ip-server vm_not_in_file "$CELL_DIR/logs/srv-pppd.log" 'local  IP address'
}
