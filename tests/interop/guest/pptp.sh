# SPDX-License-Identifier: BSD-2-Clause
# Guest-side library (sourced by agent.sh before every host command).
# Configures and drives the real Linux PPTP stack inside the VM:
# pptpd 1.4.0 + pppd 2.4.9 as server, pptp-linux 1.10.0 + pppd 2.4.9 as client.
#
# Parameters are shell variables set by the host in the command, e.g.
#   I_AUTH=mschapv2 I_ENC=mppe128 server_start
# I_AUTH  pap | chap | mschap | mschapv2 | eap | eaptls (EAP; certificates in
#         /etc/ppp/certs and eaptls-server from the host, I_EXTRA has ca/cert/key/crl)
# I_ENC   none | mppe40 | mppe128 | mppe128-stateful
# I_USER / I_PASS       account (testuser / testpass123); I_SECRET_USER is the
#                       name written into the server's secrets (default I_USER)
# I_SERVER              PPTP server the client dials (192.0.2.10)
# I_LOCAL / I_REMOTE    server tunnel address / pptpd remoteip range
# I_DNS1 / I_DNS2       ms-dns values the server pushes
# I_ECHO                lcp-echo-interval (seconds)
# I_EXTRA               extra pppd option lines (server or client)
# I_SRV_ENC / I_CLI_ENC override I_ENC on one side (negative scenarios)
: "${I_USER:=testuser}" "${I_PASS:=testpass123}" "${I_SERVER:=192.0.2.10}"
: "${I_LOCAL:=203.0.113.1}" "${I_REMOTE:=203.0.113.10-250}"
: "${I_DNS1:=203.0.113.53}" "${I_DNS2:=203.0.113.54}" "${I_ECHO:=2}"
: "${I_AUTH:=mschapv2}" "${I_ENC:=mppe128}" "${I_XFER_BYTES:=524288}"
SLOG=/var/log/pppd-server.log
CLOG=/var/log/pppd-client.log

# pppd option and secrets files treat backslash as an escape character
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g'; }
# pppd options selecting the encryption (same words on both sides)
enc_opts() {
	case "$1" in
	none) echo nomppe ;;
	mppe40) echo require-mppe-40 ;;
	mppe128) echo require-mppe-128 ;;
	mppe128-stateful) printf 'require-mppe-128\nmppe-stateful\n' ;;
	*) echo "unknown encryption $1" >&2; return 2 ;;
	esac
}
# authenticator side: ask for exactly one method
server_auth_opts() {
	echo auth
	case "$1" in
	pap) echo require-pap ;;
	chap) echo require-chap ;;
	mschap) echo require-mschap ;;
	mschapv2) echo require-mschap-v2 ;;
	eap | eaptls) echo require-eap ;;
	*) echo "unknown auth $1" >&2; return 2 ;;
	esac
}
# authenticatee side: refuse every method except the one under test
client_auth_opts() {
	local m
	for m in pap chap mschap mschap-v2 eap; do
		case "$1:$m" in pap:pap | chap:chap | mschap:mschap | mschapv2:mschap-v2 | eap:eap | eaptls:eap) ;;
		*) echo "refuse-$m" ;;
		esac
	done
}
common_opts() {
	cat <<-EOF
	nodefaultroute
	nobsdcomp
	nodeflate
	novj
	novjccomp
	lcp-echo-interval $I_ECHO
	lcp-echo-failure 5
	debug
	EOF
}

# start the sink: every connection to TCP 5001 gets the sha256 of the first
# I_XFER_BYTES bytes it sends (see xfer)
sink_start() {
	echo "$I_XFER_BYTES" > /etc/interop-xfer-bytes
	cat > /usr/bin/interop-sink <<-'EOF'
	#!/bin/sh
	head -c "$(cat /etc/interop-xfer-bytes)" | sha256sum | cut -c1-64
	EOF
	chmod 755 /usr/bin/interop-sink
	pidof nc >/dev/null || { nc -ll -p 5001 -e /usr/bin/interop-sink </dev/null >/dev/null 2>&1 & }
	[ -f /tmp/xfer.bin ] || head -c "$I_XFER_BYTES" /dev/urandom > /tmp/xfer.bin
}

server_start() {
	server_stop
	sink_start
	{
		echo "name pptpd"
		server_auth_opts "$I_AUTH"
		enc_opts "${I_SRV_ENC:-$I_ENC}"
		echo "ms-dns $I_DNS1"
		echo "ms-dns $I_DNS2"
		common_opts
		echo nologfd
		echo "logfile $SLOG"
		[ -n "${I_EXTRA:-}" ] && printf '%s\n' "$I_EXTRA"
	} > /etc/ppp/pptpd-options
	# pptpd caps connections at 100 by default and warns when remoteip is larger
	printf 'option /etc/ppp/pptpd-options\nlocalip %s\nremoteip %s\nconnections 241\n' "$I_LOCAL" "$I_REMOTE" > /etc/pptpd.conf
	# client server secret addresses (EAP-MD5 and all CHAPs read chap-secrets)
	printf '"%s" pptpd "%s" *\n' "$(esc "${I_SECRET_USER:-$I_USER}")" "$(esc "$I_PASS")" > /etc/ppp/chap-secrets
	# pppd's EAP server starts EAP-TLS only for a peer without an MD5 secret
	[ "$I_AUTH" = eaptls ] && : > /etc/ppp/chap-secrets
	cp /etc/ppp/chap-secrets /etc/ppp/pap-secrets
	chmod 600 /etc/ppp/chap-secrets /etc/ppp/pap-secrets
	: > $SLOG
	echo "--- /etc/ppp/pptpd-options"; cat /etc/ppp/pptpd-options
	pptpd -f -c /etc/pptpd.conf </dev/null >/var/log/pptpd.out 2>&1 &
	local i
	for i in $(seq 1 50); do
		netstat -ltn 2>/dev/null | grep -q ':1723 ' && return 0
		sleep 0.1
	done
	echo "pptpd not listening"; return 1
}
server_stop() {
	local p
	for p in $(pidof pptpd) $(pidof pptpctrl) $(pidof pppd); do kill "$p" 2>/dev/null; done
	for p in $(seq 1 30); do pidof pptpd pptpctrl pppd >/dev/null || return 0; sleep 0.1; done
	for p in $(pidof pptpd) $(pidof pptpctrl) $(pidof pppd); do kill -9 "$p" 2>/dev/null; done
	return 0
}
# the server's ppp interface of the (single) current session
server_if() { ls /sys/class/net | grep '^ppp' | head -n1; }

client_config() {
	{
		echo "pty \"pptp $I_SERVER --nolaunchpppd\""
		echo "name \"$(esc "$I_USER")\""
		echo "password \"$(esc "$I_PASS")\""
		echo "remotename pptpd"
		echo noauth
		client_auth_opts "$I_AUTH"
		enc_opts "${I_CLI_ENC:-$I_ENC}"
		echo usepeerdns
		common_opts
		echo "maxfail 1"
		echo "unit 0"
		echo "logfile $CLOG"
		[ -n "${I_EXTRA:-}" ] && printf '%s\n' "$I_EXTRA"
	} > /etc/ppp/peers/lab
}
# start the client and wait (up to $1 s, default 40) for ppp0 to get its address
client_up() {
	local t=${1:-40} i
	sink_start
	client_config
	rm -f /etc/ppp/resolv.conf
	echo "--- /etc/ppp/peers/lab"; sed 's/^password .*/password ********/' /etc/ppp/peers/lab
	pppd call lab nodetach </dev/null >/tmp/pppd-client.out 2>&1 &
	echo $! > /run/client-pppd.pid
	for i in $(seq 1 $((t * 10))); do
		ip -4 addr show dev ppp0 2>/dev/null | grep -q 'inet ' && { sleep 0.3; return 0; }
		kill -0 "$(cat /run/client-pppd.pid)" 2>/dev/null || { echo "pppd exited"; cat /tmp/pppd-client.out; return 1; }
		sleep 0.1
	done
	echo "timeout waiting for ppp0"; return 1
}
# wait until the client pppd has exited (up to $1 s)
client_wait_down() {
	local t=${1:-20} i p
	p=$(cat /run/client-pppd.pid 2>/dev/null) || return 0
	for i in $(seq 1 $((t * 10))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	echo "client pppd $p still running"; return 1
}
client_hangup() {
	local p
	p=$(cat /run/client-pppd.pid 2>/dev/null) && kill "$p" 2>/dev/null
	client_wait_down 20
}
# "A.B.C.D P.Q.R.S": local and peer address of a ppp interface
if_addrs() {
	ip -4 -o addr show dev "$1" | sed -n 's/.* inet \([0-9.]*\) peer \([0-9.]*\).*/\1 \2/p'
}
# wait until no ppp interface is left (server side after a hang-up)
wait_no_ppp() {
	local t=${1:-20} i
	for i in $(seq 1 $((t * 10))); do [ -z "$(server_if)" ] && return 0; sleep 0.1; done
	echo "still have $(server_if)"; return 1
}
# send I_XFER_BYTES random bytes to the sink at $1 and compare the sha256
xfer() {
	local want got
	want=$(sha256sum /tmp/xfer.bin | cut -c1-64)
	exec 3<>"/dev/tcp/$1/5001" || return 1
	cat /tmp/xfer.bin >&3
	read -r -t 60 got <&3
	exec 3>&-
	echo "sent $(stat -c %s /tmp/xfer.bin) bytes sha256 $want, sink says ${got:-nothing}"
	[ "$got" = "$want" ]
}
