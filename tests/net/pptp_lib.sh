#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# openpptp helpers for the namespace tests and the demo (source lib.sh first).
# Lab: namespace "srv" (192.0.2.1) and "cli" (192.0.2.2) joined by a veth.
# Tunnel: server 203.0.113.1, pool 203.0.113.10-203.0.113.50.

OPENPPTP=${OPENPPTP:-$PWD/build/openpptp}
PPTP_USER=alice
PPTP_PASS='secret pass'

pptp_lab() {
	SRV=$(net_ns srv) || return 1
	CLI=$(net_ns cli) || return 1
	net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || return 1
	printf '"%s" * "%s" *\n' "$PPTP_USER" "$PPTP_PASS" >"$NET_TMP/secrets"
	# bob is stored as an NT hash only (no plaintext), through our own CLI.
	printf 'bobs password\n' | "$OPENPPTP" user add bob --nt-hash --secrets "$NET_TMP/secrets" >/dev/null || return 1
	printf '%s\n' "$PPTP_PASS" >"$NET_TMP/password"
	printf 'wrong\n' >"$NET_TMP/wrong"
	chmod 600 "$NET_TMP/secrets" "$NET_TMP/password" "$NET_TMP/wrong"
}

# pptp_server ARGS...: (re)start the server in $SRV; sets SERVER_PID.
pptp_server() {
	[ -n "${SERVER_PID:-}" ] && net_stop "$SERVER_PID"
	SERVER_LOG=$NET_TMP/server.$RANDOM.log
	net_bg "$SRV" "$SERVER_LOG" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 203.0.113.1 \
		--pool 203.0.113.10-203.0.113.50 --dns 203.0.113.53 --dns 203.0.113.54 --secrets "$NET_TMP/secrets" \
		--control-socket "$NET_TMP/ctl" --foreground "$@"
	SERVER_PID=$NET_LAST_PID
	net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl"
}

# pptp_client NS IFNAME ARGS...: start a client; sets CLIENT_PID and CLIENT_LOG.
pptp_client() {
	local ns=$1 ifname=$2; shift 2
	CLIENT_LOG=$NET_TMP/client.$ifname.$RANDOM.log
	net_bg "$ns" "$CLIENT_LOG" "$OPENPPTP" connect 192.0.2.1 --user "$PPTP_USER" \
		--password-file "$NET_TMP/password" --ifname "$ifname" --foreground "$@"
	CLIENT_PID=$NET_LAST_PID
}

# pptp_client_run NS ARGS...: run a client in the foreground until it exits
# (bounded); prints its exit code. The caller sets CLIENT_LOG (this runs in
# a $(...) subshell, so nothing set here reaches it).
pptp_client_run() {
	local ns=$1; shift
	timeout --kill-after=5 "${CLIENT_RUN_TIMEOUT:-40}" ip netns exec "$ns" "$OPENPPTP" connect 192.0.2.1 \
		--user "$PPTP_USER" --foreground "$@" >"$CLIENT_LOG" 2>&1
	echo $?
}

pptp_listening() { # NS PORT: a TCP socket listens on PORT in NS
	[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ]
}

pptp_down() { # NS IFNAME: the interface is gone or has no tunnel address
	! pptp_up "$@"
}

pptp_up() { # NS IFNAME: the interface has its tunnel address
	ip -n "$1" -4 addr show dev "$2" 2>/dev/null | grep -q 'inet 203.0.113.'
}

# pptp_transfer NS_FROM DST BYTES: send BYTES random bytes over TCP to DST:5001
# (a listener in the other namespace) and compare sha256 on both ends.
pptp_transfer() {
	local from=$1 dst=$2 bytes=$3 to=$4
	head -c "$bytes" /dev/urandom >"$NET_TMP/payload"
	rm -f "$NET_TMP/received"
	ip netns exec "$to" timeout 30 nc -l "$dst" 5001 >"$NET_TMP/received" &
	local lpid=$!
	net_wait_for 5 pptp_listening "$to" 5001
	ip netns exec "$from" timeout 30 nc -N "$dst" 5001 <"$NET_TMP/payload"
	wait "$lpid"
	[ "$(sha256sum <"$NET_TMP/payload")" = "$(sha256sum <"$NET_TMP/received")" ]
}

pptp_sessions() { # number of sessions up on the server
	ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for s in d["list"] if s["state"]=="up"))' 2>/dev/null || echo -1
}

pptp_sessions_are() { # N: exactly N sessions up (a predicate for net_wait_for)
	[ "$(pptp_sessions)" = "$1" ]
}
