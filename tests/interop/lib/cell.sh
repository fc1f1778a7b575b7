# SPDX-License-Identifier: BSD-2-Clause
# One matrix cell (sourced by run.sh after lib/vm.sh and lib/peers.sh).
#
#   run_cell NAME SKIND CKIND AUTH ENC VARIANT
#     SKIND/CKIND  vm | host   (who plays server / client)
#     VARIANT      std | wrongpass | mppe-refused | loss | two-clients | domain
#                  | eaptls-revoked | eaptls-wrongca (lib/eaptls.sh)
#
# Prints nothing; sets CELL_RESULT (PASS|FAIL) and CELL_REASON (first failed
# check). Everything else goes to $CELL_DIR/cell.log.

CLI_EXPECT=203.0.113.10   # first pool address
SRV_LOCAL=203.0.113.1
POOL=203.0.113.10-203.0.113.250
DNS1=203.0.113.53 DNS2=203.0.113.54

clog() { echo "$(date +%T) $*" >> "$CELL_DIR/cell.log"; }
# check NAME CMD... : run CMD, log its output, record the first failure
check() {
	local name=$1 out rc; shift
	# Run in this shell, not in $(...): a host peer's verbs set variables
	# (HOST_SRV_PID, HOST_CLI_PID) that later verbs need.
	"$@" >"$CELL_DIR/.check.out" 2>&1; rc=$?
	out=$(cat "$CELL_DIR/.check.out"); rm -f "$CELL_DIR/.check.out"
	{ echo "== $name: $*"; [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/   /'; echo "   -> rc=$rc"; } >> "$CELL_DIR/cell.log"
	if [ $rc = 0 ]; then CELL_OK+=("$name"); return 0; fi
	CELL_BAD+=("$name")
	[ -n "$CELL_REASON" ] || CELL_REASON="$name: $(printf '%s' "$out" | tail -n1 | cut -c1-120)"
	return 1
}
eq() { [ "$1" = "$2" ] || { echo "got '$1', want '$2'"; return 1; }; }
has() { grep -qF -- "$2" <<<"$1" || { echo "missing '$2'"; return 1; }; }
in_file() { # FILE REGEX...: every REGEX occurs in FILE
	local f=$1 r; shift
	for r in "$@"; do grep -aqE -- "$r" "$f" || { echo "${f##*/}: no line matching '$r'"; return 1; }; done
}
not_in_file() { # FILE REGEX
	if grep -aE -- "$2" "$1"; then echo "${1##*/}: unexpected match for '$2'"; return 1; fi; return 0
}
# log lines that look like trouble, minus the known-benign ones (lib/log-allow.txt)
log_errors() { # FILE...
	grep -ahiE 'error|fail|warn|segfault|refused|unsupported|denied|illegal|bad |invalid|timeout|no response' "$@" 2>/dev/null |
		grep -avEf "$INTEROP_LIB/log-allow.txt" | grep -av '^--- ' || true
}
logs_clean() {
	local e; e=$(log_errors "$@")
	[ -z "$e" ] || { printf '%s\n' "$e" | head -5; return 1; }
}
capture_start() {
	ip netns exec "$LANE_NS" tcpdump -i br0 -n -s 0 -U -w "$CELL_DIR/capture.pcap" 'not arp' 2>"$CELL_DIR/tcpdump.err" &
	CAP_PID=$!
	local i; for i in $(seq 1 30); do grep -q listening "$CELL_DIR/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
}
capture_stop() {
	sleep 0.5
	kill -TERM "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null
}
# TCP 5001 (the sink) carries random bytes: decode them as data, or a
# heuristic dissector may take a segment for its protocol and report an
# expert error on payload we did not frame (Thrift did, in CI on 2026-12-06;
# see tests/net/capture_check.sh, which decodes it the same way).
CAPTURE_DECODE_AS=(-d 'tcp.port==5001,data')
capture_clean() { # zero malformed packets, zero expert errors; PPTP/GRE present
	local f=$CELL_DIR/capture.pcap n m e
	n=$(tshark -r "$f" "${CAPTURE_DECODE_AS[@]}" -Y 'pptp' 2>/dev/null | wc -l)
	m=$(tshark -r "$f" "${CAPTURE_DECODE_AS[@]}" -Y '_ws.malformed' 2>/dev/null | tee "$CELL_DIR/malformed.txt" | wc -l)
	e=$(tshark -r "$f" "${CAPTURE_DECODE_AS[@]}" -Y '_ws.expert.severity == error' 2>/dev/null | tee "$CELL_DIR/expert-errors.txt" | wc -l)
	echo "$(tshark -r "$f" "${CAPTURE_DECODE_AS[@]}" 2>/dev/null | wc -l) packets, $n PPTP control, $m malformed, $e expert errors"
	[ "$n" -gt 0 ] && [ "$m" = 0 ] && [ "$e" = 0 ]
}
capture_has() { # FILTER MIN: at least MIN packets match
	local n; n=$(tshark -r "$CELL_DIR/capture.pcap" "${CAPTURE_DECODE_AS[@]}" -Y "$1" 2>/dev/null | wc -l)
	echo "$n packets match '$1'"; [ "$n" -ge "$2" ]
}
# checks on a VM's log; a host peer's side has no pppd log (pass)
vm_in_file() { [ -e "$1" ] || { echo "${1##*/}: not a VM side"; return 0; }; in_file "$@"; }
vm_not_in_file() { [ -e "$1" ] || { echo "${1##*/}: not a VM side"; return 0; }; not_in_file "$@"; }
vm_logs() { ls "$CELL_DIR"/logs/*.log 2>/dev/null | grep -v host-; }
# expected pppd log lines for AUTH / ENC (VM side)
auth_lcp_re() {
	case "$1" in pap) echo '<auth pap>' ;; chap) echo '<auth chap MD5>' ;; mschap) echo '<auth chap MS>' ;;
	mschapv2) echo '<auth chap MS-v2>' ;; eap | eaptls) echo '<auth eap>' ;; esac
}
auth_ok_re() { # the authenticator's success packet, sent (server) or received (client)
	case "$1" in pap) echo '(sent|rcvd) \[PAP AuthAck' ;; eap | eaptls) echo '(sent|rcvd) \[EAP Success' ;;
	*) echo '(sent|rcvd) \[CHAP Success' ;; esac
}
mppe_re() {
	case "$1" in mppe40) echo 'MPPE 40-bit stateless compression enabled' ;;
	mppe128) echo 'MPPE 128-bit stateless compression enabled' ;;
	mppe128-stateful) echo 'MPPE 128-bit stateful compression enabled' ;; esac
}
# LCP echo answered both ways, seen from one pppd log
echo_both_ways() {
	in_file "$1" 'sent \[LCP EchoReq' 'rcvd \[LCP EchoRep' 'rcvd \[LCP EchoReq' 'sent \[LCP EchoRep'
}
collect() { # once per cell: the guest logs are truncated after each copy
	[ "$COLLECTED" = 1 ] && return 0
	COLLECTED=1
	mkdir -p "$CELL_DIR/logs"
	S_collect "$CELL_DIR/logs" >/dev/null 2>&1
	C_collect "$CELL_DIR/logs" >/dev/null 2>&1
	return 0
}

run_cell() {
	local name=$1 skind=$2 ckind=$3; AUTH=$4 ENC=$5; local variant=$6
	CELL_DIR=$RUN_DIR/cells/$name
	rm -rf "$CELL_DIR"; mkdir -p "$CELL_DIR"
	CELL_OK=() CELL_BAD=() CELL_REASON= COLLECTED=0
	USER_NAME=${INTEROP_USER:-testuser} PASSWORD=${INTEROP_PASS:-testpass123}
	SECRET_USER= SRV_ENC= CLI_ENC= XTRA_SRV= XTRA_CLI= HOST_ENC= CLI_VM=cli
	HOST_SRV_PID= HOST_CLI_PID= HOST_SINK_PID= HOST_SRV_EXTRA= HOST_CLI_EXTRA=
	SKIND=$skind CKIND=$ckind
	use_peers "$skind" "$ckind"
	clog "cell $name: server=$skind client=$ckind auth=$AUTH enc=$ENC variant=$variant"
	local t0=$SECONDS
	capture_start
	[ "$AUTH" = eaptls ] && { check eaptls-setup eaptls_setup "$variant" || variant=none; }
	case "$variant" in
	std | domain | loss) cell_std "$variant" ;;
	eaptls-revoked | eaptls-wrongca) cell_eaptls_refused ;;
	none) ;;
	wrongpass) cell_wrongpass ;;
	mppe-refused) cell_mppe_refused ;;
	two-clients) cell_two_clients ;;
	*) check variant false ;;
	esac
	S_stop >/dev/null 2>&1; C_stop >/dev/null 2>&1
	collect
	capture_stop
	check capture-clean capture_clean
	CELL_SECS=$((SECONDS - t0))
	if [ ${#CELL_BAD[@]} = 0 ]; then CELL_RESULT=PASS; else CELL_RESULT=FAIL; fi
	clog "result $CELL_RESULT in ${CELL_SECS}s; ok: ${CELL_OK[*]}; failed: ${CELL_BAD[*]}"
}

# The standard cell: two sessions, the first hung up by the client, the
# second by the server, with every data-plane check in the first.
cell_std() {
	local variant=$1
	if [ "$variant" = domain ]; then
		USER_NAME='EXAMPLE\testuser'; SECRET_USER='EXAMPLE\testuser'
	fi
	if [ "$variant" = loss ]; then
		check nft-loss hx nft -f - <<-EOF
		table bridge interop_loss {
			chain forward_loss { type filter hook forward priority 0; ip protocol gre numgen inc mod ${INTEROP_LOSS_EVERY:-50} == 0 counter drop; }
		}
		table inet interop_loss {
			chain input_loss { type filter hook input priority 0; ip protocol gre numgen inc mod ${INTEROP_LOSS_EVERY:-50} == 0 counter drop; }
			chain output_loss { type filter hook output priority 0; ip protocol gre numgen inc mod ${INTEROP_LOSS_EVERY:-50} == 0 counter drop; }
		}
		EOF
	fi
	check server-start S_start || return
	local tup=$SECONDS
	check tunnel-up C_up || { collect; return; }
	tup=$SECONDS
	local ca sa
	ca=$(C_if_addrs | tail -n1); sa=$(S_if_addrs | tail -n1)
	check client-addrs eq "$ca" "$CLI_EXPECT $SRV_LOCAL"
	check server-addrs eq "$sa" "$SRV_LOCAL $CLI_EXPECT"
	local dns; dns=$(C_dns)
	check dns-received has "$dns" "nameserver $DNS1"
	check dns-received-2 has "$dns" "nameserver $DNS2"
	check ping-c2s C_exec "ping -c 3 -W 5 $SRV_LOCAL"
	check ping-s2c S_exec "ping -c 3 -W 5 $CLI_EXPECT"
	check tcp-c2s C_exec "xfer $SRV_LOCAL"
	check tcp-s2c S_exec "xfer $CLI_EXPECT"
	if [ "$variant" = loss ]; then
		check tcp-c2s-again C_exec "xfer $SRV_LOCAL"
		# "Still usable", not "nothing lost": in stateful MPPE a lost packet
		# stalls that direction until a Reset-Request round trip, and pppd
		# resends its Reset-Request only after a 1 s timer when one of a
		# pair was lost, so three pings a second apart can all fall in one
		# stall (seen once in openpptp-client/extra/stateful-loss).
		check ping-after-loss C_exec "ping -c 6 -W 5 $SRV_LOCAL"
		check nft-dropped bash -c "ip netns exec $LANE_NS nft list ruleset | grep -E 'counter packets [1-9]'"
		hx nft delete table bridge interop_loss 2>/dev/null; hx nft delete table inet interop_loss 2>/dev/null
	fi
	# LCP echo (interval 2 s): give both sides time for a few rounds, on an
	# idle link too (openpptp, like pppd's lcp-echo-adaptive, sends no echo
	# while traffic flows).
	local tidle=$SECONDS
	while ((SECONDS - tup < 7 || SECONDS - tidle < 5)); do sleep 1; done
	check teardown-client C_hangup
	check teardown-client-seen S_wait_down
	# second session, hung up by the server
	[ "$skind" = host ] && host_S_restart_if_needed >/dev/null 2>&1
	if check tunnel-up-2 C_up; then
		check ping-2 C_exec "ping -c 2 -W 5 $SRV_LOCAL"
		check teardown-server S_hangup
		check teardown-server-seen C_wait_down
	fi
	collect
	local f
	for f in $(vm_logs); do
		case "$f" in *-pppd.log) ;; *) continue ;; esac
		check "auth-${f##*/}" in_file "$f" "$(auth_lcp_re "$AUTH")" "$(auth_ok_re "$AUTH")"
		if [ "$ENC" = none ]; then
			check "nomppe-${f##*/}" not_in_file "$f" 'MPPE .* compression enabled'
		else
			check "mppe-${f##*/}" in_file "$f" "$(mppe_re "$ENC")"
		fi
		check "lcp-echo-${f##*/}" echo_both_ways "$f"
	done
	[ "$variant" = loss ] && [ "$ENC" = mppe128-stateful ] && check ccp-resetreq bash -c "grep -ahE 'CCP ResetReq|CCP ResetAck' $CELL_DIR/logs/*-pppd.log | head -3 | grep ."
	# pppd on SIGTERM signals its process group: pptp-linux dies at once and
	# sends Call-Clear-Request + FIN, so the server sees no LCP TermReq from a
	# client hang-up (see README, quirks); a server hang-up is an LCP TermReq.
	[ -e "$CELL_DIR/logs/cli-pppd.log" ] && check teardown-client-log in_file "$CELL_DIR/logs/cli-pppd.log" 'Terminating on signal 15'
	[ -e "$CELL_DIR/logs/srv-pppd.log" ] && check teardown-server-log in_file "$CELL_DIR/logs/srv-pppd.log" 'sent \[LCP TermReq'
	[ -e "$CELL_DIR/logs/cli-pppd.log" ] && check teardown-server-seen-log in_file "$CELL_DIR/logs/cli-pppd.log" 'LCP terminated by peer'
	check teardown-pptp-ccr capture_has 'pptp.control_message_type == 12' 1
	check logs-clean logs_clean "$CELL_DIR"/logs/*.log
}

# wrong password: no tunnel, the authenticator says so, both sides end cleanly
cell_wrongpass() {
	check server-start S_start || return
	PASSWORD=wrong-password
	! C_up > "$CELL_DIR/c_up.out" 2>&1; check tunnel-refused eq "$?" 0
	check client-down C_wait_down
	PASSWORD=${INTEROP_PASS:-testpass123}
	collect
	case "$AUTH" in
	mschapv2 | mschap) check client-msg vm_in_file "$CELL_DIR/logs/cli-pppd.log" 'rcvd \[CHAP Failure id=0x[0-9a-f]+ "E=691' 'MS-CHAP authentication failed' ;;
	*) check client-msg vm_in_file "$CELL_DIR/logs/cli-pppd.log" 'authentication failed' ;;
	esac
	check server-msg vm_in_file "$CELL_DIR/logs/srv-pppd.log" "Peer $USER_NAME failed (CHAP|PAP|EAP) authentication"
	check client-terminated vm_in_file "$CELL_DIR/logs/cli-pppd.log" 'rcvd \[LCP TermReq id=0x[0-9a-f]+ "Authentication failed"'
	check no-ip vm_not_in_file "$CELL_DIR/logs/cli-pppd.log" 'local  IP address'
}
# MPPE required by the server, refused by the client
cell_mppe_refused() {
	CLI_ENC=none
	[ "$ckind" = host ] && HOST_ENC=none
	check server-start S_start || return
	! C_up > "$CELL_DIR/c_up.out" 2>&1; check tunnel-refused eq "$?" 0
	check client-down C_wait_down
	collect
	# pppd with nomppe ConfRejs the MPPE option; openpptp with --mppe none
	# runs no CCP and Protocol-Rejects it (RFC 1661 §5.7): pppd words each
	# case its own way.
	check server-msg vm_in_file "$CELL_DIR/logs/srv-pppd.log" \
		'rcvd \[CCP ConfRej id=0x[0-9a-f]+ <mppe |Protocol-Reject for .Compression Control Protocol' \
		'MPPE required but peer (refused|negotiation failed)'
	[ "$ckind" = host ] && check client-msg-host in_file "$CELL_DIR/logs/host-connect.log" \
		'the server requires MPPE and --mppe none refuses it'
	check client-msg vm_in_file "$CELL_DIR/logs/cli-pppd.log" 'rcvd \[LCP TermReq id=0x[0-9a-f]+ "MPPE required but peer refused"'
	check no-ip vm_not_in_file "$CELL_DIR/logs/cli-pppd.log" 'local  IP address'
	check no-data vm_not_in_file "$CELL_DIR/logs/srv-pppd.log" 'local  IP address'
}
# two VM clients at once against one server
cell_two_clients() {
	check server-start S_start || return
	check tunnel-up-1 C_up || return
	CLI_VM=cli2
	check tunnel-up-2 C_up || { CLI_VM=cli; return; }
	check client2-addrs eq "$(C_if_addrs | tail -n1)" "203.0.113.11 $SRV_LOCAL"
	check ping-2 C_exec "ping -c 3 -W 5 $SRV_LOCAL"
	check tcp-2 C_exec "xfer $SRV_LOCAL"
	CLI_VM=cli
	check client1-addrs eq "$(C_if_addrs | tail -n1)" "$CLI_EXPECT $SRV_LOCAL"
	check ping-1 C_exec "ping -c 3 -W 5 $SRV_LOCAL"
	check tcp-1 C_exec "xfer $SRV_LOCAL"
	check server-pings-both S_exec "ping -c 2 -W 5 $CLI_EXPECT && ping -c 2 -W 5 203.0.113.11"
	check hangup-1 C_hangup
	CLI_VM=cli2
	check client2-still-up C_exec "ping -c 2 -W 5 $SRV_LOCAL"
	check hangup-2 C_hangup
	check server-all-down S_wait_down
	mkdir -p "$CELL_DIR/logs"; C_collect "$CELL_DIR/logs" >/dev/null 2>&1
	CLI_VM=cli
	collect
	check logs-clean logs_clean $(vm_logs)
}

. "$INTEROP_LIB/eaptls.sh"
