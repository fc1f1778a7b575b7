# SPDX-License-Identifier: BSD-2-Clause
# Peer drivers (sourced by lib/cell.sh). A cell has a server side and a
# client side; each is either a VM running the real Linux stack ("vm") or a
# command run on the host inside the lab namespace ("host": openpptp, from a
# command template). Every driver implements the same verbs:
#
#   server: S_start  S_addr  S_if_addrs  S_exec CMD  S_hangup  S_wait_down  S_stop  S_collect DIR
#   client: C_up     C_if_addrs  C_dns   C_exec CMD  C_hangup  C_wait_down  C_stop  C_collect DIR
#
# Variables: LANE_NS (namespace), AUTH, ENC, USER_NAME, PASSWORD, DNS1/DNS2,
# SRV_LOCAL (203.0.113.1), POOL, XTRA_SRV/XTRA_CLI (extra pppd lines, VM only),
# SRV_ENC/CLI_ENC (override ENC on one side), CELL_DIR.

HOST_IP=192.0.2.1      # the lab bridge address: where a host-side peer lives
SRV_VM_IP=192.0.2.10
OPENPPTP=${INTEROP_OPENPPTP:-$INTEROP_TOP/build/openpptp}
# Command templates for the host peer. {placeholders} are replaced by
# host_template(); see tests/interop/README.md ("Plugging in openpptp").
INTEROP_SERVER_CMD=${INTEROP_SERVER_CMD:-'{openpptp} server --listen {listen} --local-ip {local_ip} --pool {pool} --dns {dns1} --dns {dns2} --secrets {secrets} --auth {auth} --mppe {mppe} --lcp-echo-interval 2 --foreground'}
INTEROP_CLIENT_CMD=${INTEROP_CLIENT_CMD:-'{openpptp} connect {server} --user {user} --password-file {password_file} --auth {auth} --mppe {mppe} --dns --resolv-conf {resolv_conf} --lcp-echo-interval 2 --foreground'}
INTEROP_STATUS_CMD=${INTEROP_STATUS_CMD:-'{openpptp} status'}

# matrix names -> openpptp CLI words
host_auth_word() { case "$1" in chap) echo chap-md5 ;; eap) echo eap-md5 ;; eaptls) echo eap-tls ;; *) echo "$1" ;; esac; }
host_mppe_word() {
	case "$1" in
	none) echo none ;; mppe40) echo require-40 ;; mppe128) echo require-128 ;;
	mppe128-stateful) echo "require-128,stateful-only" ;;
	esac
}
host_template() { # TEMPLATE -> command line with placeholders filled in
	# replacements quoted: bash 5.2 would eat the backslash of DOMAIN\user
	local t=$1
	t=${t//\{openpptp\}/"$OPENPPTP"}
	t=${t//\{listen\}/"$HOST_IP"}
	t=${t//\{local_ip\}/"$SRV_LOCAL"}
	t=${t//\{pool\}/"$POOL"}
	t=${t//\{dns1\}/"$DNS1"}
	t=${t//\{dns2\}/"$DNS2"}
	t=${t//\{secrets\}/"$CELL_DIR/host/chap-secrets"}
	t=${t//\{server\}/"$SRV_VM_IP"}
	t=${t//\{user\}/"$(printf %q "$USER_NAME")"}
	t=${t//\{password_file\}/"$CELL_DIR/host/password"}
	t=${t//\{resolv_conf\}/"$CELL_DIR/host/resolv.conf"}
	t=${t//\{auth\}/"$(host_auth_word "$AUTH")"}
	t=${t//\{mppe\}/"$(host_mppe_word "${HOST_ENC:-$ENC}")"}
	printf '%s' "$t"
}
# Is the host peer available? Prints the reason when it is not.
host_available() { # server|connect
	[ -x "$OPENPPTP" ] || { echo "$OPENPPTP not built"; return 1; }
	"$OPENPPTP" "$1" --help >/dev/null 2>&1 || { echo "'openpptp $1 --help' not available (rc=$?)"; return 1; }
}
hx() { ip netns exec "$LANE_NS" "$@"; }
# host-side helpers, same contract as the guest's (guest/pptp.sh)
HOST_FUNCS='
xfer() { local want got; want=$(sha256sum "$XFER_FILE" | cut -c1-64)
	exec 3<>"/dev/tcp/$1/5001" || return 1; cat "$XFER_FILE" >&3; read -r -t 60 got <&3; exec 3>&-
	echo "sent $(stat -c %s "$XFER_FILE") bytes sha256 $want, sink says ${got:-nothing}"; [ "$got" = "$want" ]; }
'
host_exec() { hx env XFER_FILE="$CELL_DIR/host/xfer.bin" bash -c "$HOST_FUNCS $*"; }
host_sink_start() {
	mkdir -p "$CELL_DIR/host"
	head -c 524288 /dev/urandom > "$CELL_DIR/host/xfer.bin"
	printf '#!/bin/sh\nhead -c 524288 | sha256sum | cut -c1-64\n' > "$CELL_DIR/host/sink"
	chmod 755 "$CELL_DIR/host/sink"
	ip netns exec "$LANE_NS" busybox nc -ll -p 5001 -e "$CELL_DIR/host/sink" </dev/null >/dev/null 2>&1 &
	HOST_SINK_PID=$!
}
host_sink_stop() { [ -n "${HOST_SINK_PID:-}" ] && kill "$HOST_SINK_PID" 2>/dev/null; wait "${HOST_SINK_PID:-}" 2>/dev/null; HOST_SINK_PID=; }
# an address from 203.0.113.0/24 on some interface of the namespace other than br0
host_tunnel_if() { hx ip -4 -o addr show | awk '$2 != "br0" && $4 ~ /^203\.0\.113\./ {print $2; exit}'; }
host_wait_pid_exit() { # PID SECS
	local end=$((SECONDS + $2))
	while kill -0 "$1" 2>/dev/null; do ((SECONDS < end)) || return 1; sleep 0.2; done
	return 0
}

vmvars() { # the I_* assignments for the guest library
	printf "I_AUTH=%q I_ENC=%q I_USER=%q I_PASS=%q I_DNS1=%q I_DNS2=%q I_LOCAL=%q I_SERVER=%q " \
		"$AUTH" "$ENC" "$USER_NAME" "$PASSWORD" "$DNS1" "$DNS2" "$SRV_LOCAL" "$(S_addr)"
	[ -n "${SECRET_USER:-}" ] && printf 'I_SECRET_USER=%q ' "$SECRET_USER"
	[ -n "${SRV_ENC:-}" ] && printf 'I_SRV_ENC=%q ' "$SRV_ENC"
	[ -n "${CLI_ENC:-}" ] && printf 'I_CLI_ENC=%q ' "$CLI_ENC"
	return 0
}

# ------------------------------------------------------------ server = VM
vm_S_start() { vm_exec srv 60 "$(vmvars) I_EXTRA=$(printf %q "${XTRA_SRV:-}") server_start"; }
vm_S_addr() { echo "$SRV_VM_IP"; }
vm_S_if_addrs() { vm_exec srv 10 'if_addrs "$(server_if)"'; }
vm_S_exec() { vm_exec srv 90 "$*"; }
vm_S_hangup() { vm_exec srv 10 'for p in $(pidof pppd); do kill $p; done'; }
vm_S_wait_down() { vm_exec srv 30 wait_no_ppp; }
vm_S_stop() { vm_exec srv 30 server_stop; }
vm_S_collect() { vm_exec srv 20 'cat /var/log/pppd-server.log' > "$1/srv-pppd.log"
	vm_exec srv 20 'cat /var/log/messages' > "$1/srv-messages.log"
	vm_exec srv 20 ': > /var/log/pppd-server.log; : > /var/log/messages' >/dev/null; }

# ------------------------------------------------------------ client = VM
CLI_VM=cli
vm_C_up() { vm_exec "$CLI_VM" 60 "$(vmvars) I_EXTRA=$(printf %q "${XTRA_CLI:-}") client_up 45"; }
vm_C_if_addrs() { vm_exec "$CLI_VM" 10 'if_addrs ppp0'; }
# pppd writes /etc/ppp/resolv.conf from its ip-up, a moment after the
# address appears: give it a few seconds.
vm_C_dns() { vm_exec "$CLI_VM" 15 'for i in 1 2 3 4 5 6 7 8 9 10; do grep -q nameserver /etc/ppp/resolv.conf 2>/dev/null && break; sleep 0.5; done; cat /etc/ppp/resolv.conf'; }
vm_C_exec() { vm_exec "$CLI_VM" 90 "$*"; }
vm_C_hangup() { vm_exec "$CLI_VM" 30 client_hangup; }
vm_C_wait_down() { vm_exec "$CLI_VM" 30 'client_wait_down 25'; }
vm_C_stop() { vm_exec "$CLI_VM" 30 'client_hangup >/dev/null 2>&1; true'; }
vm_C_collect() { vm_exec "$CLI_VM" 20 'cat /var/log/pppd-client.log' > "$1/$CLI_VM-pppd.log"
	vm_exec "$CLI_VM" 20 'cat /var/log/messages' > "$1/$CLI_VM-messages.log"
	vm_exec "$CLI_VM" 20 ': > /var/log/pppd-client.log; : > /var/log/messages' >/dev/null; }

# ------------------------------------------------------------ server = host (openpptp)
host_S_start() {
	mkdir -p "$CELL_DIR/host"
	# chap-secrets format: client server secret addresses; a backslash is
	# an escape there, as in pppd's (EXAMPLE\\testuser)
	local u=${SECRET_USER:-$USER_NAME}
	printf '"%s" * "%s" *\n' "${u//\\/\\\\}" "$PASSWORD" > "$CELL_DIR/host/chap-secrets"
	chmod 600 "$CELL_DIR/host/chap-secrets"
	host_sink_start
	local cmd; cmd="$(host_template "$INTEROP_SERVER_CMD") ${HOST_SRV_EXTRA:-}"
	echo "$cmd" > "$CELL_DIR/host/server.cmdline"
	ip netns exec "$LANE_NS" bash -c "exec $cmd" </dev/null >"$CELL_DIR/host/server.log" 2>&1 &
	HOST_SRV_PID=$!
	local i
	for i in $(seq 1 50); do
		hx ss -ltn 2>/dev/null | grep -q "$HOST_IP:1723 " && return 0
		kill -0 "$HOST_SRV_PID" 2>/dev/null || { echo "server exited"; tail -5 "$CELL_DIR/host/server.log"; return 1; }
		sleep 0.1
	done
	echo "no listener on $HOST_IP:1723"; return 1
}
host_S_addr() { echo "$HOST_IP"; }
host_S_if_addrs() { # "local peer" of the client just connected (route to it)
	local ifc peer
	peer=$(vm_C_if_addrs | awk '{print $1}')
	ifc=$(hx ip -4 route get "$peer" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
	hx ip -4 -o addr show dev "$ifc" | awk -v p="$peer" '{split($4, a, "/"); print a[1], p; exit}'
}
host_S_exec() { host_exec "$@"; }
host_S_hangup() { kill -TERM "$HOST_SRV_PID"; }   # contract: SIGTERM ends every session cleanly
host_S_wait_down() { # the client's tunnel address leaves `openpptp status` (or the server exited)
	local end=$((SECONDS + 20))
	while kill -0 "$HOST_SRV_PID" 2>/dev/null; do
		hx bash -c "$(host_template "$INTEROP_STATUS_CMD")" 2>&1 | grep -qF "$CLI_EXPECT" || return 0
		((SECONDS < end)) || { echo "$CLI_EXPECT still in openpptp status"; return 1; }
		sleep 0.5
	done
	return 0
}
host_S_stop() {
	kill -0 "${HOST_SRV_PID:-0}" 2>/dev/null && { kill -TERM "$HOST_SRV_PID"; host_wait_pid_exit "$HOST_SRV_PID" 10 || kill -KILL "$HOST_SRV_PID"; }
	wait "${HOST_SRV_PID:-}" 2>/dev/null; host_sink_stop; return 0
}
host_S_restart_if_needed() { kill -0 "${HOST_SRV_PID:-0}" 2>/dev/null || host_S_start; }
host_S_collect() { cp "$CELL_DIR/host/server.log" "$1/host-server.log" 2>/dev/null; return 0; }

# ------------------------------------------------------------ client = host (openpptp)
host_C_up() {
	mkdir -p "$CELL_DIR/host"
	printf '%s\n' "$PASSWORD" > "$CELL_DIR/host/password"; chmod 600 "$CELL_DIR/host/password"
	echo "# the host's resolver, before the tunnel" > "$CELL_DIR/host/resolv.conf"
	[ -n "${HOST_SINK_PID:-}" ] || host_sink_start
	local cmd; cmd="$(host_template "$INTEROP_CLIENT_CMD") ${HOST_CLI_EXTRA:-}"
	echo "$cmd" > "$CELL_DIR/host/connect.cmdline"
	ip netns exec "$LANE_NS" bash -c "exec $cmd" </dev/null >>"$CELL_DIR/host/connect.log" 2>&1 &
	HOST_CLI_PID=$!
	local i
	for i in $(seq 1 450); do
		[ -n "$(host_tunnel_if)" ] && { sleep 0.3; return 0; }
		kill -0 "$HOST_CLI_PID" 2>/dev/null || { echo "openpptp connect exited"; tail -5 "$CELL_DIR/host/connect.log"; return 1; }
		sleep 0.1
	done
	echo "no 203.0.113.x address in $LANE_NS within 45 s"; return 1
}
host_C_if_addrs() { # "local peer"
	local ifc; ifc=$(host_tunnel_if)
	hx ip -4 -o addr show dev "$ifc" | awk '{split($4, a, "/"); l=a[1]; p=""; for (i=1;i<NF;i++) if ($i=="peer") {split($(i+1), b, "/"); p=b[1]} print l, p; exit}'
}
# connect --dns writes what IPCP pushed into its --resolv-conf (a cell file
# here, never the host's /etc/resolv.conf): the counterpart of pppd's
# usepeerdns and /etc/ppp/resolv.conf.
host_C_dns() { cat "$CELL_DIR/host/resolv.conf"; }
host_C_exec() { host_exec "$@"; }
host_C_hangup() { kill -TERM "$HOST_CLI_PID"; host_C_wait_down; }
host_C_wait_down() { host_wait_pid_exit "$HOST_CLI_PID" 25 || { echo "openpptp connect still running"; return 1; }; wait "$HOST_CLI_PID" 2>/dev/null; return 0; }
host_C_stop() {
	kill -0 "${HOST_CLI_PID:-0}" 2>/dev/null && { kill -TERM "$HOST_CLI_PID"; host_wait_pid_exit "$HOST_CLI_PID" 10 || kill -KILL "$HOST_CLI_PID"; }
	wait "${HOST_CLI_PID:-}" 2>/dev/null; host_sink_stop; return 0
}
host_C_collect() { cp "$CELL_DIR/host/connect.log" "$1/host-connect.log" 2>/dev/null; return 0; }

# bind S_* / C_* to a driver: use_peers SERVER_KIND CLIENT_KIND (vm|host)
use_peers() {
	local v
	for v in start addr if_addrs exec hangup wait_down stop collect; do
		eval "S_$v() { $1_S_$v \"\$@\"; }"
	done
	for v in up if_addrs dns exec hangup wait_down stop collect; do
		eval "C_$v() { $2_C_$v \"\$@\"; }"
	done
}
