#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench-scale`: a real `openpptp server` in one namespace, `openpptp
# load` in another, SCALE_CLIENTS sessions (default 5,000, MS-CHAPv2 +
# MPPE-128, LCP keepalives on) brought up at SCALE_RATE per second and held
# until SCALE_DURATION s (default 60) from the start. Prints the load
# generator's report, then the server's resident memory and CPU time at 0,
# 1k and 5k sessions up (from /proc), the KiB-per-session slope between
# them, the status answer times and the loop's worst stall while they run,
# the server's CPU share while holding every session idle (SCALE_IDLE s,
# default 60, no request in the window), and with SCALE_RESTART=1 the time
# a server restart takes until every session is back (the load runs with
# --reconnect 30). SCALE_LOAD_OUT keeps the load's output in that file.
#
# Needs root (namespaces, raw sockets). Underlay 192.0.2.0/24; tunnel
# addresses from 198.18.0.0/15 (pool 198.19.0.0/18, the server 198.18.255.1).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILDDIR:-build}
OPENPPTP=$PWD/$BUILD/openpptp
CLIENTS=${SCALE_CLIENTS:-5000}
RATE=${SCALE_RATE:-500}
DURATION=${SCALE_DURATION:-60}
MARKS=${SCALE_MARKS:-"1000 5000"}
IDLE=${SCALE_IDLE:-60}
# SCALE_RESTART=1: after the idle window, restart the server (SIGTERM, 3 s
# grace, then SIGKILL; start again) and time until every session is back
# (the load runs with --reconnect). Needs some 70 s of hold left.
RESTART=${SCALE_RESTART:-0}
[ "$(id -u)" -eq 0 ] || { echo "bench-scale: needs root (namespaces, raw sockets)" >&2; exit 1; }
[ -x "$OPENPPTP" ] || { echo "bench-scale: $OPENPPTP is missing: run make" >&2; exit 1; }
. tests/net/lib.sh
trap 'net_cleanup' EXIT

SRV=$(net_ns srv) && CLI=$(net_ns cli) || exit 1
net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || exit 1
# The generator's namespace: every connection goes from one address to
# one server port, so a connect() searches the ephemeral ports for a free
# 4-tuple. After a server restart the 10,000 closed connections sit in
# TIME_WAIT on this side and 10,000 redials each scanned past them: perf
# showed the generator's loop 68 % inside __inet_hash_connect /
# __inet_check_established, stalled for 10 s at a time, and the restart
# took 80-100 s. Reusing TIME_WAIT ports for new connections (safe with
# TCP timestamps) and the full port range remove that.
ip netns exec "$CLI" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65535" ||
	echo "bench-scale: could not set tcp_tw_reuse in the load namespace" >&2
printf '"load" * "load pass" *\n' >"$NET_TMP/secrets"
printf 'load pass\n' >"$NET_TMP/password"

start_server() {
	net_bg "$SRV" "$NET_TMP/server.log" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 198.18.255.1 \
		--pool 198.19.0.0/18 --secrets "$NET_TMP/secrets" --control-socket "$NET_TMP/ctl" \
		--max-sessions 20000 --max-negotiating 5000 --max-negotiating-per-source 0 --connect-rate 0 --login-failure-rate 0 \
		--log-level warn --foreground
	SPID=$NET_LAST_PID
	net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" ||
		{ echo "bench-scale: the server did not start: $(tail -3 "$NET_TMP/server.log")" >&2; exit 1; }
}
start_server

# One sample: sessions up, RSS (KiB), CPU time (ms, user + system).
# RSS and CPU first: the session count is the server's snapshot, taken
# when the request arrives, while the answer may take a second to read at
# 10,000 sessions on a busy machine (RSS read after it was late by some
# hundreds of sessions during the ramp).
sample() {
	local up rss ticks
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SPID/status")
	ticks=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
	up=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"])' 2>/dev/null || echo -1)
	echo "$up $rss $((ticks * 1000 / $(getconf CLK_TCK)))"
}

read -r _ rss0 cpu0 <<<"$(sample)"
echo "bench-scale: $CLIENTS sessions at $RATE/s, held until ${DURATION}s; server PID $SPID, RSS ${rss0} KiB at 0 sessions"
LOAD_OUT=${SCALE_LOAD_OUT:-$NET_TMP/load.out}
net_bg "$CLI" "$LOAD_OUT" "$OPENPPTP" load 192.0.2.1 --clients "$CLIENTS" --rate "$RATE" \
	--user load --password-file "$NET_TMP/password" --duration "$DURATION" --setup-timeout 60 \
	--reconnect 30
LPID=$NET_LAST_PID

# Sample twice a second until every session is up, recording the first
# sample at or above each mark. Then, with all up: the loop's worst stall
# while `status` and `status --json` run (a first request starts the
# window, a last one reads it), and the idle CPU over SCALE_IDLE seconds
# from /proc alone, with no control request in the window (each costs the
# server tens of ms at 10,000 sessions and would be measured as "idle").
declare -A at_mark
status_ms="" status_table_ms="" status_bytes="" stall_us="" stalls_over="" idle="" restart=""
sample_t0=$(date +%s)
json_field() {
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d" + sys.argv[1]))' "$1" 2>/dev/null || echo -1
}
timed_ms() {
	local t1 t2
	t1=$(date +%s%N)
	"$@" >"$NET_TMP/timed.out"
	t2=$(date +%s%N)
	echo $(((t2 - t1) / 1000000))
}
ctl() { ip netns exec "$SRV" "$OPENPPTP" status "$@" --control-socket "$NET_TMP/ctl"; }
while kill -0 "$LPID" 2>/dev/null; do
	s=$(sample)
	read -r up _ _ <<<"$s"
	for m in $MARKS; do
		[ -z "${at_mark[$m]:-}" ] && [ "$up" -ge "$m" ] && at_mark[$m]="$s"
	done
	if [ "$up" -ge "$CLIENTS" ]; then
		sleep 2 # let the last setups' work settle before the stall window
		# Three windows, each: status, then status --json, then a request
		# that reads the worst stall since the one before them. The stall
		# is wall time, so time the server spent runnable but waiting for
		# a CPU counts: /proc/PID/schedstat's run delay over the window
		# says how much of it that was (this machine is shared).
		ctl --json >/dev/null
		for _ in 1 2 3; do
			d1=$(awk '{print $2}' "/proc/$SPID/schedstat")
			status_table_ms="$status_table_ms $(timed_ms ctl)"
			status_ms="$status_ms $(timed_ms ctl --json)"
			status_bytes=$(wc -c <"$NET_TMP/timed.out")
			ctl --json >"$NET_TMP/stall.json"
			d2=$(awk '{print $2}' "/proc/$SPID/schedstat")
			stall_us="$stall_us $(json_field '["loop"]["recent_worst_stall_us"]' <"$NET_TMP/stall.json")"
			wait_us="${wait_us:-} $(((d2 - d1) / 1000))"
		done
		stalls_over=$(json_field '["loop"]["stalls_over_10ms"]' <"$NET_TMP/stall.json")
		# Idle window: /proc only, ending 3 s before the hold does.
		left=$((sample_t0 + DURATION - 3 - $(date +%s)))
		win=$IDLE
		[ "$left" -lt "$win" ] && win=$left
		if [ "$win" -ge 5 ]; then
			c1=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
			t1=$(date +%s%N)
			sleep "$win"
			c2=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
			t2=$(date +%s%N)
			idle="$(((c2 - c1) * 1000 / $(getconf CLK_TCK))) $(((t2 - t1) / 1000000))"
		fi
		left=$((sample_t0 + DURATION - 5 - $(date +%s)))
		if [ "$RESTART" = 1 ] && [ "$left" -ge 70 ]; then
			rs0=$(date +%s%N)
			net_stop "$SPID"
			rs1=$(date +%s%N)
			start_server
			rs2=$(date +%s%N)
			back=""
			while [ "$(($(date +%s) - rs2 / 1000000000))" -lt "$((left - 10))" ]; do
				up=$(ctl --json 2>/dev/null | json_field '["sessions"]')
				[ "$up" -ge "$CLIENTS" ] && { back=$(date +%s%N); break; }
				sleep 0.5
			done
			if [ -n "$back" ]; then
				restart="all $CLIENTS back $(((back - rs0) / 1000000)) ms after the stop began ($(((back - rs2) / 1000000)) ms after the new server answered; stopping took $(((rs1 - rs0) / 1000000)) ms)"
			else
				restart="NOT all back: $up of $CLIENTS, $(($(date +%s) - rs0 / 1000000000)) s after the stop began"
			fi
		elif [ "$RESTART" = 1 ]; then
			restart="skipped: only ${left}s of hold left (raise SCALE_DURATION)"
		fi
		break
	fi
	sleep 0.5
done
wait "$LPID"
echo "---- openpptp load report ----"
grep -av ' s  up ' "$LOAD_OUT" | grep -v 'tunnel closed: \|dropped (peer: Server shutting down)' || true
echo "---- server (PID $SPID) ----"
printf '%-10s %10s %12s\n' sessions "RSS KiB" "CPU ms"
printf '%-10s %10s %12s\n' 0 "$rss0" "$cpu0"
prev_up=0 prev_rss=$rss0
for m in $MARKS; do
	if [ -n "${at_mark[$m]:-}" ]; then
		read -r up rss cpu <<<"${at_mark[$m]}"
		printf '%-10s %10s %12s   slope since %s: %s KiB/session\n' "$up" "$rss" "$cpu" "$prev_up" \
			"$(awk -v a="$rss" -v b="$prev_rss" -v n="$up" -v p="$prev_up" 'BEGIN { printf "%.2f", (a - b) / (n - p) }')"
		prev_up=$up prev_rss=$rss
	else
		printf '%-10s never reached\n' "$m"
	fi
done
if [ -n "$status_ms" ]; then
	echo "status at $CLIENTS sessions, three times: table${status_table_ms} ms, --json${status_ms} ms wall (ip netns exec included), $status_bytes bytes"
	echo "loop's worst stall in each window:${stall_us} us; the server's wait for a CPU in each:${wait_us} us (iterations over 10 ms since start: $stalls_over)"
fi
if [ -n "$idle" ]; then
	read -r c w <<<"$idle"
	echo "idle hold of $CLIENTS sessions: $c ms CPU in $w ms = $(awk -v c="$c" -v w="$w" 'BEGIN { printf "%.2f", 100 * c / w }')% of a core (/proc/$SPID/stat, no requests in the window)"
fi
[ -n "$restart" ] && echo "server restart under $CLIENTS sessions (--reconnect 30): $restart"
exit 0
