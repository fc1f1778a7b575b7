#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The client's host changes: --up/--down hooks with pppd's environment,
# run without blocking the tunnel (an --up hook that waits keeps waiting
# while traffic passes), --dns into a resolv.conf restored on exit, and a
# --down hook that hangs ended by a second signal.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

mkfifo "$NET_TMP/up.go" "$NET_TMP/down.go"
cat >"$NET_TMP/up.sh" <<HOOK
#!/bin/sh
env >"$NET_TMP/up.env"
read go <"$NET_TMP/up.go"
touch "$NET_TMP/up.done"
HOOK
cat >"$NET_TMP/down.sh" <<HOOK
#!/bin/sh
env >"$NET_TMP/down.env"
[ -e "$NET_TMP/down.hang" ] && read go <"$NET_TMP/down.go"
exit 0
HOOK
chmod +x "$NET_TMP/up.sh" "$NET_TMP/down.sh"
printf 'nameserver 192.0.2.53\n' >"$NET_TMP/resolv.conf"
cp "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig"

pptp_server
hooks=(--up "$NET_TMP/up.sh" --down "$NET_TMP/down.sh" --dns --resolv-conf "$NET_TMP/resolv.conf")
pptp_client "$CLI" ptun0 "${hooks[@]}"
if net_wait_for 15 test -e "$NET_TMP/up.env"; then
	# The --up hook now waits on its FIFO: the tunnel must work meanwhile.
	if ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null && [ ! -e "$NET_TMP/up.done" ]; then
		t_pass "traffic passes while the --up hook runs"
	else
		t_fail "traffic passes while the --up hook runs" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
	fi
	env_ok=1
	for want in IFNAME=ptun0 IPREMOTE=203.0.113.1 DNS1=203.0.113.53 DNS2=203.0.113.54 PEERNAME=192.0.2.1; do
		grep -qx "$want" "$NET_TMP/up.env" || env_ok=0
	done
	grep -q '^IPLOCAL=203\.0\.113\.' "$NET_TMP/up.env" || env_ok=0
	[ $env_ok = 1 ] && t_pass "--up hook has pppd's environment" || t_fail "--up hook environment" "$(tr '\n' ' ' <"$NET_TMP/up.env")"
	echo go >"$NET_TMP/up.go"
	net_wait_for 5 test -e "$NET_TMP/up.done" && t_pass "--up hook finishes" || t_fail "--up hook finishes"
	grep -qx 'nameserver 203.0.113.53' "$NET_TMP/resolv.conf" && t_pass "--dns writes the pushed servers" ||
		t_fail "--dns writes the pushed servers" "$(tr '\n' ' ' <"$NET_TMP/resolv.conf")"
else
	t_fail "--up hook runs" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
kill -TERM "$CLIENT_PID"
wait "$CLIENT_PID"
rc=$?
[ $rc = 0 ] && t_pass "client exits 0 on SIGTERM" || t_fail "client exits 0 on SIGTERM" "exit $rc"
grep -qx 'IFNAME=ptun0' "$NET_TMP/down.env" 2>/dev/null && t_pass "--down hook runs on exit" || t_fail "--down hook runs on exit"
cmp -s "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig" && t_pass "resolv.conf restored" || t_fail "resolv.conf restored"

# A --down hook that hangs: a second signal ends the wait (the hook is killed).
rm -f "$NET_TMP/down.env" "$NET_TMP/up.done" "$NET_TMP/up.env"
touch "$NET_TMP/down.hang"
pptp_client "$CLI" ptun0 "${hooks[@]}"
if net_wait_for 15 test -e "$NET_TMP/up.env" && net_wait_for 15 pptp_up "$CLI" ptun0; then
	echo go >"$NET_TMP/up.go"
	net_wait_for 5 test -e "$NET_TMP/up.done"
	kill -TERM "$CLIENT_PID"
	if net_wait_for 15 test -e "$NET_TMP/down.env"; then
		# Longer than the stop grace (10 s): the hook is not the close, it
		# runs to its own timeout (30 s) unless a second signal comes.
		sleep 11
		if net_running "$CLIENT_PID" && ! grep -q 'did not close\|stopped: killed' "$CLIENT_LOG"; then
			t_pass "client waits for its --down hook past the stop grace"
		else
			t_fail "client waits for its --down hook past the stop grace" "$(tail -2 "$CLIENT_LOG" | tr '\n' ' ')"
		fi
		t0=$SECONDS
		kill -TERM "$CLIENT_PID"
		net_wait_for 5 net_exited "$CLIENT_PID"
		wait "$CLIENT_PID"
		if [ $((SECONDS - t0)) -le 5 ] && grep -q -- '--down .* stopped: killed' "$CLIENT_LOG"; then
			t_pass "a second signal kills a hanging --down hook"
		else
			t_fail "a second signal kills a hanging --down hook" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
		fi
		cmp -s "$NET_TMP/resolv.conf" "$NET_TMP/resolv.orig" && t_pass "resolv.conf restored after the killed hook" ||
			t_fail "resolv.conf restored after the killed hook"
	else
		t_fail "--down hook starts" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
	fi
else
	t_fail "second client up" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"
fi
net_report
