#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Helpers for the load tests (source lib.sh first): namespace "srv"
# (192.0.2.1) and "cli" (192.0.2.2); tunnel 203.0.113.1, a pool of 241.

OPENPPTP=${OPENPPTP:-$PWD/build/openpptp}

load_lab() {
	SRV=$(net_ns srv) || return 1
	CLI=$(net_ns cli) || return 1
	local ifs
	ifs=$(net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24) || return 1
	# shellcheck disable=SC2034 # the tests add addresses to it
	CLI_IF=${ifs#* }
}

# load_server ARGS...: (re)start the server in $SRV; sets SERVER_PID, SERVER_LOG.
load_server() {
	[ -n "${SERVER_PID:-}" ] && net_stop "$SERVER_PID"
	SERVER_LOG=$NET_TMP/server.$RANDOM.log
	net_bg "$SRV" "$SERVER_LOG" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 203.0.113.1 \
		--pool 203.0.113.10-203.0.113.250 --secrets "$NET_TMP/secrets" --max-negotiating 1000 --max-negotiating-per-source 0 \
		--control-socket "$NET_TMP/ctl" --foreground "$@"
	SERVER_PID=$NET_LAST_PID
	net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl"
}

load_status() {
	ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null
}

load_server_idle() { # no session and no control connection
	load_status | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["sessions"]==0 and d["control_connections"]==0 and not d["list"] else 1)'
}

load_server_fds() {
	ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l
}
