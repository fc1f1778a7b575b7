#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# --metrics-listen: a server scraped over HTTP in the lab. promtool accepts
# the output; each counter moves when its event happens (a session set up,
# traffic, a failed login, a hang-up, refused connections); the listener
# keeps to its allow list and answers malformed requests with 4xx.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap net_cleanup EXIT
if ! command -v promtool >/dev/null || ! command -v curl >/dev/null; then
	t_fail "tools" "promtool and curl are needed (scripts/deps.sh installs them)"
	net_report
	exit 1
fi
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

URL=http://192.0.2.1:9469/metrics
scrape() { ip netns exec "$SRV" curl -sS --max-time 5 "$URL"; }
# metric SERIES: its value in a fresh scrape ("" when absent).
metric() { scrape | awk -v k="$1" '$1 == k { print $2; exit }'; }
# metric_is SERIES VALUE / metric_at_least SERIES N: predicates for net_wait_for.
metric_is() { [ "$(metric "$1")" = "$2" ]; }
metric_at_least() { local v; v=$(metric "$1"); [ -n "$v" ] && awk -v v="$v" -v n="$2" 'BEGIN { exit !(v >= n) }'; }
expect() { # NAME SERIES VALUE
	if net_wait_for 10 metric_is "$2" "$3"; then t_pass "$1"
	else t_fail "$1" "$2 is '$(metric "$2")', expected $3"; fi
}
promcheck() { # NAME: promtool accepts a fresh scrape
	local out=$NET_TMP/scrape.$RANDOM
	scrape >"$out"
	if [ -s "$out" ] && promtool check metrics <"$out" >"$out.lint" 2>&1; then t_pass "$1"
	else t_fail "$1" "$(head -c 300 "$out.lint")"; fi
}

# Scrapes only from the server's own underlay address: the client's is refused.
pptp_server --metrics-listen 192.0.2.1:9469 --metrics-allow 192.0.2.1/32 --connect-rate 60
net_wait_for 5 metric_is openpptp_build_info'{version="'"$(cat VERSION)"'"}' 1 &&
	t_pass "GET /metrics answers, build_info has the version" ||
	t_fail "first scrape" "$(scrape 2>&1 | head -3)"
promcheck "promtool check metrics: an idle server"
expect "no setups yet" openpptp_session_setups_total 0
hdr=$(ip netns exec "$SRV" curl -sS -D - -o /dev/null --max-time 5 "$URL" | tr -d '\r')
echo "$hdr" | grep -qi '^content-type: text/plain; version=0.0.4' &&
	t_pass "Content-Type is the 0.0.4 text format" || t_fail "content type" "$hdr"
metric_at_least process_open_fds 5 && metric_at_least process_resident_memory_bytes 100000 &&
	metric_at_least process_max_fds 64 &&
	t_pass "process figures read after the privilege drop (open fds, RSS, fd limit)" ||
	t_fail "process figures" "$(scrape | grep '^process_')"

# A session: setups, state, method, MPPE, the setup-time histogram.
pptp_client "$CLI" rtun0
net_wait_for 20 pptp_up "$CLI" rtun0 || t_fail "client up" "$(tail -5 "$CLIENT_LOG")"
expect "a session up: openpptp_session_setups_total 1" openpptp_session_setups_total 1
expect "openpptp_sessions{state=\"up\"} 1" 'openpptp_sessions{state="up"}' 1
expect "by auth method: mschapv2 1" 'openpptp_sessions_by_auth{method="mschapv2"}' 1
expect "by MPPE: 128 stateless 1" 'openpptp_sessions_by_mppe{bits="128",mode="stateless"}' 1
expect "setup time histogram counts it" openpptp_session_setup_seconds_count 1
expect "one control connection" openpptp_control_connections 1

# Traffic: ten pings in, ten replies out.
in0=$(metric 'openpptp_ip_packets_total{direction="in"}')
bytes0=$(metric 'openpptp_ip_bytes_total{direction="out"}')
ip netns exec "$CLI" ping -c 10 -i 0.2 -W 2 -q 203.0.113.1 >/dev/null
if net_wait_for 5 metric_at_least 'openpptp_ip_packets_total{direction="in"}' $((in0 + 10)) &&
	metric_at_least 'openpptp_ip_bytes_total{direction="out"}' $((bytes0 + 10 * 84)); then
	t_pass "ten pings move the packet and byte counters"
else t_fail "traffic counters" "$(scrape | grep '^openpptp_ip_')"; fi
promcheck "promtool check metrics: a server with a session"

# A wrong password: an auth failure and a setup failure with its cause.
CLIENT_LOG=$NET_TMP/wrong.log
CLIENT_RUN_TIMEOUT=30 pptp_client_run "$CLI" --password-file "$NET_TMP/wrong" --ifname rtun1 >/dev/null
expect "wrong password: openpptp_auth_failures_total 1" openpptp_auth_failures_total 1
expect "setup failure cause auth-failed 1" 'openpptp_session_setup_failures_total{cause="auth-failed"}' 1

# Hang-up: the session ends, its bytes stay in the totals.
in1=$(metric 'openpptp_ip_packets_total{direction="in"}')
net_stop "$CLIENT_PID"
expect "hang-up: openpptp_sessions_ended_total 1" openpptp_sessions_ended_total 1
expect "no session up after the hang-up" 'openpptp_sessions{state="up"}' 0
metric_at_least 'openpptp_ip_packets_total{direction="in"}' "$in1" &&
	t_pass "the ended session's packets stay counted" ||
	t_fail "totals went backwards" "$in1 -> $(metric 'openpptp_ip_packets_total{direction="in"}')"

# Connect-rate refusals: bursts of bare TCP connects from the client.
for _ in $(seq 1 30); do ip netns exec "$CLI" nc -z -w 1 192.0.2.1 1723; done
metric_at_least 'openpptp_refused_total{reason="connect_rate"}' 1 &&
	t_pass "connect-rate refusals counted" || t_fail "connect_rate" "$(scrape | grep refused_total)"
metric_at_least openpptp_control_connections_accepted_total 3 &&
	t_pass "accepted control connections counted" ||
	t_fail "accepted" "$(metric openpptp_control_connections_accepted_total)"
promcheck "promtool check metrics: after failures and refusals"

# The listener: allow list, status codes, bounded heads, HEAD.
code() { ip netns exec "$SRV" curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
if ip netns exec "$CLI" curl -s --max-time 5 -o /dev/null "$URL"; then t_fail "allow list" "the client's address was served"
elif net_wait_for 5 metric_at_least 'openpptp_metrics_refused_total{reason="not_allowed"}' 1; then
	t_pass "a source outside --metrics-allow is closed and counted"
else t_fail "allow list" "$(scrape | grep metrics_refused)"; fi
[ "$(code http://192.0.2.1:9469/other)" = 404 ] && t_pass "other paths: 404" || t_fail "404" "$(code http://192.0.2.1:9469/other)"
[ "$(code -X POST "$URL")" = 405 ] && t_pass "POST: 405" || t_fail "405" "$(code -X POST "$URL")"
[ "$(code -H "X-Pad: $(head -c 5000 /dev/zero | tr '\0' a)" "$URL")" = 431 ] &&
	t_pass "a head over 4 KiB: 431" || t_fail "431" "got $(code -H "X-Pad: $(head -c 5000 /dev/zero | tr '\0' a)" "$URL")"
head_len=$(ip netns exec "$SRV" curl -sS -I --max-time 5 "$URL" | wc -c)
[ "$head_len" -gt 0 ] && [ "$head_len" -lt 300 ] && t_pass "HEAD: headers only" || t_fail "HEAD" "$head_len bytes"
# A client that sends nothing is closed after the read timeout (5 s).
t0=$SECONDS
ip netns exec "$SRV" timeout 15 python3 -c '
import socket; s = socket.create_connection(("192.0.2.1", 9469)); s.settimeout(14)
assert s.recv(100) == b""' && [ $((SECONDS - t0)) -le 10 ] &&
	t_pass "an idle scraper is closed by the read timeout" || t_fail "read timeout" "$((SECONDS - t0)) s"
metric_at_least 'openpptp_metrics_refused_total{reason="timeout"}' 1 &&
	t_pass "timeouts counted" || t_fail "timeout count" "$(scrape | grep metrics_refused)"
net_running "$SERVER_PID" && t_pass "the server survived every request" || t_fail "server" "$(tail -5 "$SERVER_LOG")"
if grep -q 'system call .* denied' "$SERVER_LOG"; then t_fail "seccomp" "$(grep denied "$SERVER_LOG")"
else t_pass "no system call denied by the sandbox"; fi
net_report
