#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench-scale`: a real `openpptp server` in one namespace, `openpptp
# load` in another, SCALE_CLIENTS sessions (default 5,000, MS-CHAPv2 +
# MPPE-128, LCP keepalives on) brought up at SCALE_RATE per second and held
# until SCALE_DURATION s (default 60) from the start. Prints the load
# generator's report, then the server's resident memory and CPU time at 0,
# 1k and 5k sessions up (from /proc), the KiB-per-session slope between
# them, and the server's CPU share while holding every session idle.
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
[ "$(id -u)" -eq 0 ] || { echo "bench-scale: needs root (namespaces, raw sockets)" >&2; exit 1; }
[ -x "$OPENPPTP" ] || { echo "bench-scale: $OPENPPTP is missing: run make" >&2; exit 1; }
. tests/net/lib.sh
trap 'net_cleanup' EXIT

SRV=$(net_ns srv) && CLI=$(net_ns cli) || exit 1
net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || exit 1
printf '"load" * "load pass" *\n' >"$NET_TMP/secrets"
printf 'load pass\n' >"$NET_TMP/password"

net_bg "$SRV" "$NET_TMP/server.log" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 198.18.255.1 \
	--pool 198.19.0.0/18 --secrets "$NET_TMP/secrets" --control-socket "$NET_TMP/ctl" \
	--max-sessions 20000 --max-negotiating 5000 --max-negotiating-per-source 0 --connect-rate 0 --login-failure-rate 0 \
	--log-level warn --foreground
SPID=$NET_LAST_PID
net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" ||
	{ echo "bench-scale: the server did not start: $(tail -3 "$NET_TMP/server.log")" >&2; exit 1; }

# One sample: sessions up, RSS (KiB), CPU time (ms, user + system).
sample() {
	local up rss ticks
	up=$(ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"])' 2>/dev/null || echo -1)
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SPID/status")
	ticks=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
	echo "$up $rss $((ticks * 1000 / $(getconf CLK_TCK)))"
}

read -r _ rss0 cpu0 <<<"$(sample)"
echo "bench-scale: $CLIENTS sessions at $RATE/s, held until ${DURATION}s; server PID $SPID, RSS ${rss0} KiB at 0 sessions"
net_bg "$CLI" "$NET_TMP/load.out" "$OPENPPTP" load 192.0.2.1 --clients "$CLIENTS" --rate "$RATE" \
	--user load --password-file "$NET_TMP/password" --duration "$DURATION" --setup-timeout 60
LPID=$NET_LAST_PID

# Sample twice a second; record the first sample at or above each mark, and
# the last sample with every session up (the idle hold).
declare -A at_mark
full_first="" full_last="" status_ms="" status_bytes=""
while kill -0 "$LPID" 2>/dev/null; do
	s=$(sample)
	read -r up _ _ <<<"$s"
	for m in $MARKS; do
		[ -z "${at_mark[$m]:-}" ] && [ "$up" -ge "$m" ] && at_mark[$m]="$s"
	done
	if [ "$up" -ge "$CLIENTS" ]; then
		if [ -z "$full_first" ]; then
			full_first="$s $(date +%s%N)"
			t1=$(date +%s%N)
			ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" >"$NET_TMP/status.json"
			t2=$(date +%s%N)
			status_ms=$(((t2 - t1) / 1000000))
			status_bytes=$(wc -c <"$NET_TMP/status.json")
			full_first="$(sample) $(date +%s%N)"
		fi
		full_last="$s $(date +%s%N)"
	fi
	sleep 0.5
done
wait "$LPID"
echo "---- openpptp load report ----"
cat "$NET_TMP/load.out" | grep -v ' s  up ' || true
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
if [ -n "$full_first" ] && [ -n "$full_last" ]; then
	read -r _ _ c1 t1 <<<"$full_first"
	read -r _ _ c2 t2 <<<"$full_last"
	wall=$(((t2 - t1) / 1000000))
	echo "status --json at $CLIENTS sessions: ${status_ms} ms wall (ip netns exec included), $status_bytes bytes"
	[ "$wall" -gt 0 ] && echo "idle hold of $CLIENTS sessions: $((c2 - c1)) ms CPU in $wall ms = $(awk -v c=$((c2 - c1)) -v w=$wall 'BEGIN { printf "%.2f", 100 * c / w }')% of a core"
fi
