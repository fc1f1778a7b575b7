#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The cost of a Prometheus scrape at METRICS_CLIENTS sessions (default
# 1,000): a real server with --metrics-listen in one namespace, `openpptp
# load` in another holding the sessions; once all are up, METRICS_SCRAPES
# (default 200) scrapes one after another with curl. Prints the wall time
# per scrape (curl's time_total: connect, request, body) as p50/p99/max,
# the server's own render time (openpptp_metrics_render_seconds) and the
# body size. Needs root. Underlay 192.0.2.0/24; tunnel 198.18.0.0/15.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILDDIR:-build}
OPENPPTP=$PWD/$BUILD/openpptp
CLIENTS=${METRICS_CLIENTS:-1000}
SCRAPES=${METRICS_SCRAPES:-200}
[ "$(id -u)" -eq 0 ] || { echo "metrics_scrape: needs root" >&2; exit 1; }
. tests/net/lib.sh
trap 'net_cleanup' EXIT

SRV=$(net_ns srv) && CLI=$(net_ns cli) || exit 1
net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || exit 1
printf '"load" * "load pass" *\n' >"$NET_TMP/secrets"
printf 'load pass\n' >"$NET_TMP/password"
net_bg "$SRV" "$NET_TMP/server.log" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 198.18.255.1 \
	--pool 198.19.0.0/18 --secrets "$NET_TMP/secrets" --control-socket "$NET_TMP/ctl" \
	--max-sessions 20000 --max-negotiating 5000 --connect-rate 0 --login-failure-rate 0 \
	--metrics-listen 192.0.2.1:9469 --metrics-allow 192.0.2.1/32 --log-level warn --foreground
net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" ||
	{ echo "metrics_scrape: the server did not start: $(tail -3 "$NET_TMP/server.log")" >&2; exit 1; }
URL=http://192.0.2.1:9469/metrics
up() { ip netns exec "$SRV" curl -s --max-time 5 "$URL" | awk '$1 == "openpptp_sessions{state=\"up\"}" { print $2 }'; }
all_up() { [ "$(up)" = "$CLIENTS" ]; }

net_bg "$CLI" "$NET_TMP/load.out" "$OPENPPTP" load 192.0.2.1 --clients "$CLIENTS" --rate 250 \
	--user load --password-file "$NET_TMP/password" --duration 120 --setup-timeout 60
net_wait_for 90 all_up || { echo "metrics_scrape: only $(up) of $CLIENTS sessions came up" >&2; exit 1; }

times=$NET_TMP/times
for _ in $(seq 1 "$SCRAPES"); do
	ip netns exec "$SRV" curl -s -o "$NET_TMP/body" -w '%{time_total}\n' --max-time 5 "$URL"
done >"$times"
render=$(awk '$1 == "openpptp_metrics_render_seconds" { print $2 }' "$NET_TMP/body")
echo "sessions up: $(up)  body: $(wc -c <"$NET_TMP/body") bytes, $(grep -vc '^#' "$NET_TMP/body") samples"
sort -n "$times" | awk -v r="$render" '{ t[NR] = $1 } END {
	printf "scrape wall time over %d scrapes (curl time_total): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
		NR, t[int(NR * 0.5 + 0.5)] * 1000, t[int(NR * 0.99 + 0.5)] * 1000, t[NR] * 1000
	printf "server render time (last scrape): %.3f ms\n", r * 1000 }'
