#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Privilege separation, end to end (docs/privsep.md): the server with its
# default user and with --user nobody, then the client; each time the main
# process is checked in /proc (unprivileged uid, no capability in any set,
# NO_NEW_PRIVS, seccomp filter), and everything that needs root goes
# through the helper: routes added and removed, SIGHUP re-reading a 0600
# root-owned secrets file, kick, the control socket removed at a clean
# stop; for the client the pinned server route, --route/--default-route,
# --dns and the --up/--down hooks, undone at exit and after a crash.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
CLI2=$(net_ns cli2)
net_veth "$SRV" 198.51.100.1/24 "$CLI2" 198.51.100.2/24 >/dev/null
ip -n "$CLI2" route add 192.0.2.0/24 via 198.51.100.1
ZERO=0000000000000000
if getent passwd openpptp >/dev/null; then DEFAULT_USER=openpptp; else DEFAULT_USER=nobody; fi

status_field() { # PID FIELD: the first value of a /proc/PID/status line
	awk -v f="$2:" '$1 == f {print $2; exit}' "/proc/$1/status" 2>/dev/null
}

# check_main_process NAME PID USER: unprivileged uid (all four), no
# capabilities in any set, NO_NEW_PRIVS, seccomp in filter mode.
check_main_process() {
	local name=$1 pid=$2 user=$3 uid bad=""
	uid=$(id -u "$user")
	read -r _ r e s f < <(grep '^Uid:' "/proc/$pid/status")
	[ "$r $e $s $f" = "$uid $uid $uid $uid" ] || bad="$bad Uid=$r/$e/$s/$f"
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_field "$pid" $set)" = $ZERO ] || bad="$bad $set=$(status_field "$pid" $set)"
	done
	[ "$(status_field "$pid" NoNewPrivs)" = 1 ] || bad="$bad NoNewPrivs=$(status_field "$pid" NoNewPrivs)"
	[ "$(status_field "$pid" Seccomp)" = 2 ] || bad="$bad Seccomp=$(status_field "$pid" Seccomp)"
	if [ -z "$bad" ]; then t_pass "$name: main process uid $uid ($user), no capabilities, NoNewPrivs, seccomp"
	else t_fail "$name: main process unprivileged" "$bad"; fi
}

helper_of() { # PID: the privileged helper (its child named openpptp-priv)
	local c
	for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = openpptp-priv ] && { echo "$c"; return 0; }
	done
	return 1
}

pinned_routes() { ip -n "$SRV" -4 route show dev pptp0 | grep -c '^203\.0\.113\.'; }
routes_are() { [ "$(pinned_routes)" = "$1" ]; }

server_round() { # LABEL USER ARGS...: one full round of the server checks
	local label=$1 user=$2; shift 2
	chown root:root "$NET_TMP/secrets"; chmod 0600 "$NET_TMP/secrets"
	if ! pptp_server "$@"; then t_fail "$label: server starts" "$(tail -3 "$SERVER_LOG" | tr '\n' ' ')"; return; fi
	check_main_process "$label" "$SERVER_PID" "$user"
	local helper; helper=$(helper_of "$SERVER_PID")
	# The server's helper runs no program: CAP_NET_ADMIN and CAP_DAC_READ_SEARCH.
	if [ -n "$helper" ] && [ "$(status_field "$helper" CapEff)" = 0000000000001004 ] &&
		[ "$(status_field "$helper" CapBnd)" = 0000000000001004 ] && [ "$(status_field "$helper" Uid)" = 0 ]; then
		t_pass "$label: helper $helper keeps root with CAP_NET_ADMIN + CAP_DAC_READ_SEARCH only"
	else
		t_fail "$label: helper capabilities" "helper '$helper' CapEff=$(status_field "${helper:-0}" CapEff)"
	fi
	# 50 in a normal build; sanitizer builds allow their runtime's calls too.
	local n; n=$(sed -n 's/.*seccomp: \([0-9]*\) system calls allowed.*/\1/p' "$SERVER_LOG")
	[ -n "$n" ] && t_pass "$label: seccomp filter with $n system calls" || t_fail "$label: seccomp line" "$(grep seccomp "$SERVER_LOG")"

	pptp_client "$CLI" ptunA; local a=$CLIENT_PID
	pptp_client "$CLI" ptunB; local b=$CLIENT_PID
	net_bg "$CLI2" "$NET_TMP/c2.$label.log" "$OPENPPTP" connect 192.0.2.1 --user "$PPTP_USER" \
		--password-file "$NET_TMP/password" --ifname ptunC --foreground
	local c=$NET_LAST_PID
	if net_wait_for 20 pptp_up "$CLI" ptunA && net_wait_for 10 pptp_up "$CLI" ptunB && net_wait_for 10 pptp_up "$CLI2" ptunC; then
		local ok=1
		for dev in ptunA ptunB; do ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 -I "$dev" 203.0.113.1 >/dev/null || ok=0; done
		ip netns exec "$CLI2" ping -c 3 -i 0.2 -W 2 -I ptunC 203.0.113.1 >/dev/null || ok=0
		[ $ok = 1 ] && t_pass "$label: 3 sessions up, ping through each" || t_fail "$label: ping through each session"
		net_wait_for 5 routes_are 3 && t_pass "$label: 3 host routes on pptp0 (added by the helper)" ||
			t_fail "$label: routes added" "$(ip -n "$SRV" -4 route show dev pptp0 | tr '\n' ' ')"
	else
		t_fail "$label: 3 sessions up" "$(grep -E 'error|warn' "$SERVER_LOG" | tail -3 | tr '\n' ' ')"
	fi

	# kick one session by address: its route goes, the others stay.
	local addr_c; addr_c=$(ip -n "$CLI2" -4 -o addr show dev ptunC | awk '{print $4}' | cut -d/ -f1)
	ip netns exec "$SRV" "$OPENPPTP" kick "$addr_c" --control-socket "$NET_TMP/ctl" >/dev/null
	if net_wait_for 10 pptp_sessions_are 2 && net_wait_for 5 routes_are 2 &&
		! ip -n "$SRV" -4 route show dev pptp0 | grep -q "^$addr_c "; then
		t_pass "$label: kick $addr_c: session and its route removed"
	else
		t_fail "$label: kick" "sessions $(pptp_sessions), routes $(pinned_routes)"
	fi
	net_stop "$c"

	# SIGHUP re-reads the 0600 root-owned file through the helper: bob,
	# deleted from it, is refused after the reload.
	printf 'bobs password\n' >"$NET_TMP/bobpw"
	CLIENT_LOG=$NET_TMP/bob1.$label.log
	local rc; rc=$(PPTP_USER=bob CLIENT_RUN_TIMEOUT=8 pptp_client_run "$CLI" --password-file "$NET_TMP/bobpw" --ifname ptunD)
	[ "$rc" = 124 ] && grep -q "tunnel up" "$CLIENT_LOG" && t_pass "$label: bob logs in before the reload" ||
		t_fail "$label: bob before reload" "exit $rc"
	"$OPENPPTP" user del bob --secrets "$NET_TMP/secrets" >/dev/null
	chown root:root "$NET_TMP/secrets"; chmod 0600 "$NET_TMP/secrets"
	local before; before=$(grep -c "loaded .* secrets" "$SERVER_LOG")
	kill -HUP "$SERVER_PID"
	if net_wait_for 5 bash -c "[ \$(grep -c 'loaded 1 secrets' '$SERVER_LOG') -ge 1 ] && [ \$(grep -c 'loaded .* secrets' '$SERVER_LOG') -gt $before ]"; then
		t_pass "$label: SIGHUP re-reads the 0600 root-owned secrets file"
	else
		t_fail "$label: SIGHUP reload" "$(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
	fi
	CLIENT_LOG=$NET_TMP/bob2.$label.log
	rc=$(PPTP_USER=bob CLIENT_RUN_TIMEOUT=20 pptp_client_run "$CLI" --password-file "$NET_TMP/bobpw" --ifname ptunD)
	[ "$rc" = 6 ] && t_pass "$label: bob, deleted, is refused after the reload" || t_fail "$label: deleted user refused" "exit $rc"
	printf 'bobs password\n' | "$OPENPPTP" user add bob --nt-hash --secrets "$NET_TMP/secrets" >/dev/null

	# Sessions down: every route removed.
	net_stop "$a"; net_stop "$b"
	if net_wait_for 10 pptp_sessions_are 0 && net_wait_for 5 routes_are 0; then
		t_pass "$label: sessions down, routes removed"
	else
		t_fail "$label: routes removed" "sessions $(pptp_sessions), routes $(pinned_routes)"
	fi

	# Clean stop: exit 0, control socket gone, helper gone.
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"; rc=$?
	if [ "$rc" = 0 ] && [ ! -e "$NET_TMP/ctl" ] && ! kill -0 "$helper" 2>/dev/null; then
		t_pass "$label: clean stop (exit 0, control socket unlinked, helper gone)"
	else
		t_fail "$label: clean stop" "exit $rc, socket $(ls "$NET_TMP/ctl" 2>&1), helper $(kill -0 "$helper" 2>&1 && echo alive)"
	fi
	SERVER_PID=
}

server_round "server (default user)" "$DEFAULT_USER"
server_round "server --user nobody" nobody --user nobody

# A helper that dies takes the main process down with it, cleanly.
pptp_server
helper=$(helper_of "$SERVER_PID")
kill -KILL "$helper"
if net_wait_for 5 bash -c "! kill -0 $SERVER_PID 2>/dev/null"; then
	wait "$SERVER_PID"; rc=$?
	grep -q "privileged helper lost" "$SERVER_LOG" && [ "$rc" = 1 ] &&
		t_pass "server: helper killed, main process logs it and exits 1" ||
		t_fail "server: helper killed" "exit $rc: $(tail -2 "$SERVER_LOG" | tr '\n' ' ')"
else
	t_fail "server: helper killed" "the main process is still running"
fi
SERVER_PID=

# --no-privsep: the debugging mode says so, and still works.
pptp_server --no-privsep
grep -q -- "--no-privsep" "$SERVER_LOG" && [ "$(status_field "$SERVER_PID" Seccomp)" = 0 ] &&
	t_pass "--no-privsep warns and runs as root without seccomp" || t_fail "--no-privsep"

# ---- the client ----
printf 'nameserver 192.0.2.53\n' >"$NET_TMP/resolv.conf"
cp "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig"
for hook in up down; do
	printf '#!/bin/sh\nenv | sort >%s/%s.env\nid -u >>%s/%s.env\n' "$NET_TMP" $hook "$NET_TMP" $hook >"$NET_TMP/$hook.sh"
	chmod 0755 "$NET_TMP/$hook.sh"
done

client_round() { # LABEL USER ARGS...
	local label=$1 user=$2; shift 2
	rm -f "$NET_TMP/up.env" "$NET_TMP/down.env"
	pptp_client "$CLI" ptunX --route 198.18.0.0/24 --default-route --dns --resolv-conf "$NET_TMP/resolv.conf" \
		--up "$NET_TMP/up.sh" --down "$NET_TMP/down.sh" "$@"
	local pid=$CLIENT_PID
	if ! net_wait_for 20 pptp_up "$CLI" ptunX || ! net_wait_for 10 test -s "$NET_TMP/up.env"; then
		t_fail "$label: tunnel up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
		net_stop "$pid"
		return
	fi
	check_main_process "$label" "$pid" "$user"
	ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null && t_pass "$label: ping through the tunnel" ||
		t_fail "$label: ping"
	local r; r=$(ip -n "$CLI" -4 route show)
	if grep -q '^198.18.0.0/24 dev ptunX' <<<"$r" && grep -q '^0.0.0.0/1 dev ptunX' <<<"$r" &&
		grep -q '^128.0.0.0/1 dev ptunX' <<<"$r" && grep -q '^192.0.2.1 dev' <<<"$r"; then
		t_pass "$label: --route, --default-route and the pinned server route"
	else
		t_fail "$label: routes" "$(tr '\n' ';' <<<"$r")"
	fi
	grep -q 'nameserver 203.0.113.53' "$NET_TMP/resolv.conf" && grep -q 'nameserver 203.0.113.54' "$NET_TMP/resolv.conf" &&
		t_pass "$label: --dns wrote the pushed servers" || t_fail "$label: --dns" "$(cat "$NET_TMP/resolv.conf")"
	local env=$NET_TMP/up.env
	if grep -q '^IFNAME=ptunX$' "$env" && grep -q '^IPLOCAL=203.0.113.' "$env" && grep -q '^IPREMOTE=203.0.113.1$' "$env" &&
		grep -q '^DNS1=203.0.113.53$' "$env" && grep -q '^PEERNAME=192.0.2.1$' "$env" && [ "$(tail -1 "$env")" = 0 ]; then
		t_pass "$label: --up ran as root with pppd's environment"
	else
		t_fail "$label: --up" "$(tr '\n' ' ' <"$env")"
	fi
	net_stop "$pid"
	if [ -s "$NET_TMP/down.env" ] && cmp -s "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig" &&
		! ip -n "$CLI" -4 route show | grep -qE '^192.0.2.1 |ptunX'; then
		t_pass "$label: stop: --down ran, resolv.conf restored, routes gone"
	else
		t_fail "$label: stop undoes everything" "down.env $(wc -c <"$NET_TMP/down.env" 2>&1), $(ip -n "$CLI" -4 route show | tr '\n' ';')"
	fi
}

client_round "client (default user)" "$DEFAULT_USER"
client_round "client --privsep-user nobody" nobody --privsep-user nobody

# The client's main process dies without a word: its helper still runs
# --down, restores resolv.conf and removes the pinned route.
rm -f "$NET_TMP/down.env"
pptp_client "$CLI" ptunX --dns --resolv-conf "$NET_TMP/resolv.conf" --down "$NET_TMP/down.sh"
if net_wait_for 20 pptp_up "$CLI" ptunX && net_wait_for 5 grep -q 203.0.113.53 "$NET_TMP/resolv.conf"; then
	kill -KILL "$CLIENT_PID"
	if net_wait_for 10 test -s "$NET_TMP/down.env" && net_wait_for 5 cmp -s "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig" &&
		! ip -n "$CLI" -4 route show | grep -q '^192.0.2.1 '; then
		t_pass "client SIGKILLed: its helper ran --down, restored DNS, unpinned the server"
	else
		t_fail "client SIGKILLed: helper cleans up" "$(cat "$NET_TMP/resolv.conf" | tr '\n' ' ')"
	fi
else
	t_fail "client for the SIGKILL case up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_report
