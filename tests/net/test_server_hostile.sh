#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Hostile input to a running server while a real session is up: the server
# logs, keeps serving that session, and its memory stays bounded. Then a
# capture of a whole session must decode in tshark without a malformed
# packet or an expert-info error.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

pptp_server --max-negotiating 50 --connect-rate 100000 --setup-timeout 5
pptp_client "$CLI" ptun0 --password-file "$NET_TMP/password"
net_wait_for 15 pptp_up "$CLI" ptun0 || t_fail "victim session up"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# The server runs under `ip netns exec`, which execs it: same PID.
rss_before=$(rss)

ip netns exec "$CLI" python3 - "$NET_TMP" <<'PY' &
import os, socket, struct, sys, time
target = ("192.0.2.1", 1723)
def send(data, wait=0.2):
    try:
        s = socket.create_connection(target, timeout=2)
        s.sendall(data)
        time.sleep(wait)
        s.close()
    except OSError:
        pass
magic = 0x1A2B3C4D
sccrq = struct.pack("!HHIHHHHIIHH64s64s", 156, 1, magic, 1, 0, 0x0100, 0, 1, 1, 0, 1, b"x", b"y")
send(os.urandom(4096))                                   # garbage
send(sccrq[:40])                                         # truncated
send(struct.pack("!HHI", 60000, 1, magic) + b"A" * 200)  # length field lies (huge)
send(struct.pack("!HHI", 4, 1, magic))                   # length below the header
send(sccrq[:2] + b"\x00\x02" + sccrq[4:])                # wrong message type
bad = bytearray(sccrq); bad[4:8] = b"\xde\xad\xbe\xef"
send(bytes(bad))                                         # bad magic cookie
send(sccrq + sccrq)                                      # SCCRQ twice
# GRE with foreign call IDs and garbage.
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
for cid in range(1, 300):
    gre = struct.pack("!BBHHHI", 0x30, 0x01, 0x880B, 4, cid, cid) + b"\xff\x03\xc0\x21"
    raw.sendto(gre, ("192.0.2.1", 0))
for _ in range(100):
    raw.sendto(os.urandom(32), ("192.0.2.1", 0))
# A flood of half-open control connections that never speak.
held = []
for _ in range(200):
    try:
        held.append(socket.create_connection(target, timeout=1))
    except OSError:
        pass
time.sleep(2)
for s in held:
    s.close()
PY
HOSTILE=$!
wait "$HOSTILE"
# The server has closed what the flood opened: only the victim's connection is left.
control_connections() {
	ip netns exec "$SRV" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["control_connections"])' 2>/dev/null
}
connections_are() { [ "$(control_connections)" = "$1" ]; }
net_wait_for 15 connections_are 1 || t_fail "flood connections closed" "$(control_connections) left"
kill -0 "$SERVER_PID" 2>/dev/null && t_pass "server alive after hostile input" || t_fail "server alive after hostile input"
ip netns exec "$CLI" ping -c 3 -i 0.2 -W 2 203.0.113.1 >/dev/null && t_pass "victim session still passes traffic" || t_fail "victim session still passes traffic"
pptp_transfer "$CLI" 203.0.113.1 300000 "$SRV" && t_pass "victim TCP transfer intact" || t_fail "victim TCP transfer intact"
rss_after=$(rss)
if [ -n "$rss_before" ] && [ -n "$rss_after" ] && [ "$rss_after" -lt $((rss_before + 20000)) ]; then
	t_pass "memory bounded: RSS ${rss_before} -> ${rss_after} kB"
else
	t_fail "memory bounded" "RSS ${rss_before} -> ${rss_after} kB"
fi
status=$(ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl")
echo "$status" | grep -q "GRE dropped: [1-9][0-9]* foreign" && t_pass "foreign GRE dropped and counted" || t_fail "foreign GRE counted" "$(echo "$status" | tail -1)"
lines=$(grep -c . "$SERVER_LOG")
[ "$lines" -lt 400 ] && t_pass "hostile input logged, rate-limited ($lines log lines)" || t_fail "log rate limit" "$lines lines"

net_stop "$CLIENT_PID"

# A whole session of ours, from SCCRQ to Stop-Control-Connection-Reply.
ip netns exec "$SRV" tcpdump -i any -U -s 0 -w "$NET_TMP/session.pcap" 'tcp port 1723 or ip proto 47' >"$NET_TMP/tcpdump.log" 2>&1 &
DUMP=$!
NET_PIDS+=("$DUMP")
net_wait_for 10 grep -q "listening on" "$NET_TMP/tcpdump.log" || t_fail "tcpdump started" "$(cat "$NET_TMP/tcpdump.log")"
pptp_client "$CLI" ptun1 --password-file "$NET_TMP/password"
net_wait_for 15 pptp_up "$CLI" ptun1 && pptp_transfer "$CLI" 203.0.113.1 200000 "$SRV" >/dev/null
ip netns exec "$CLI" ping -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null
net_stop "$CLIENT_PID"
# The server has seen the end (its side of the TCP closed): all of it is captured.
net_wait_for 10 connections_are 0 || t_fail "session closed on the server" "$(control_connections) left"
kill -INT "$DUMP" 2>/dev/null; wait "$DUMP" 2>/dev/null
if tests/net/capture_check.sh "$NET_TMP/session.pcap"; then t_pass "tshark: capture clean"; else t_fail "tshark: capture clean"; fi
net_report
