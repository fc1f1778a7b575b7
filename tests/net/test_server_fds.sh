#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 11 item 9: descriptors. The server raises RLIMIT_NOFILE to what its
# limits need or refuses to start with a clear message; when it runs out
# anyway (a limit lowered from outside), accept() does not spin: the loop's
# own iteration count (status) and the log lines stay bounded, and it
# accepts again once descriptors free. A count, not CPU time: a loaded
# machine gives fewer iterations, never more, so the check cannot flake.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }

# --- a hard limit too low, and no CAP_SYS_RESOURCE to raise it: refused ---
no_resource=()
capsh --has-b=cap_sys_resource 2>/dev/null && no_resource=(setpriv --bounding-set -sys_resource)
out=$(ulimit -Sn 256 && ulimit -Hn 256 && timeout 10 ip netns exec "$SRV" "${no_resource[@]}" \
	"$OPENPPTP" server --listen 192.0.2.1 --local-ip 203.0.113.1 --pool 203.0.113.10-203.0.113.50 \
	--secrets "$NET_TMP/secrets" --control-socket "$NET_TMP/ctl0" --foreground 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -q "descriptor limit (RLIMIT_NOFILE soft 256, hard 256) is below the 1264" <<<"$out"; then
	t_pass "too low a hard limit: refuses to start, says why (exit $rc)"
else
	t_fail "too low a hard limit refused" "exit $rc: $(tail -2 <<<"$out" | tr '\n' ' ')"
fi

# --- the soft limit raised at start ---
# prlimit below runs as the server's own (unprivileged) user: that may
# lower its soft limit without CAP_SYS_RESOURCE, sandbox and all.
SERVER_LOG=$NET_TMP/server.fds.log
net_bg "$SRV" "$SERVER_LOG" bash -c 'ulimit -Sn 128 && exec "$@"' sh "$OPENPPTP" server --listen 192.0.2.1 \
	--local-ip 203.0.113.1 --pool 203.0.113.10-203.0.113.50 --secrets "$NET_TMP/secrets" \
	--control-socket "$NET_TMP/ctl" --foreground --connect-rate 0 --max-negotiating-per-source 0
SERVER_PID=$NET_LAST_PID
net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl"
soft=$(awk '/Max open files/ {print $4}' "/proc/$SERVER_PID/limits")
[ "${soft:-0}" -ge 1264 ] && t_pass "soft descriptor limit raised from 128 to $soft" || t_fail "soft limit raised" "$soft"

# --- run out: the limit lowered from outside, 40 TCP connections and 3 on
# the control socket held ---
open_fds() { ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l; }
# The daemon loop's iteration counter, from `status` (served only while
# descriptors are free: read before running out and after recovery).
loop_iterations() {
	ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" |
		sed -n 's/.* of \([0-9]*\) iterations over 10 ms$/\1/p'
}
i0=$(loop_iterations)
base=$(open_fds)
limit=$((base + 4))
hard=$(awk '/Max open files/ {print $5}' "/proc/$SERVER_PID/limits")
srv_uid=$(awk '/^Uid:/ {print $2}' "/proc/$SERVER_PID/status")
srv_gid=$(awk '/^Gid:/ {print $2}' "/proc/$SERVER_PID/status")
as_server() { setpriv --reuid "$srv_uid" --regid "$srv_gid" --clear-groups "$@"; }
as_server prlimit --pid "$SERVER_PID" --nofile="$limit:$hard"
ip netns exec "$CLI" python3 - "$NET_TMP/held" "$NET_TMP/ctl" <<'PY' &
import socket, sys, os, time
held = []
for _ in range(40):
    try:
        held.append(socket.create_connection(("192.0.2.1", 1723), timeout=2))
    except OSError:
        pass
# The control socket too: out of descriptors, it must not spin either.
for _ in range(3):
    try:
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        u.connect(sys.argv[2])
        held.append(u)
    except OSError:
        pass
open(sys.argv[1] + ".tmp", "w").close(); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
for _ in range(600):
    if not os.path.exists(sys.argv[1]):
        break
    time.sleep(0.1)
PY
HOLDER=$!
NET_PIDS+=("$HOLDER")
net_wait_for 10 test -e "$NET_TMP/held"
out_of_fds() { grep -q "out of file descriptors" "$SERVER_LOG"; }
net_wait_for 5 out_of_fds || t_fail "out of descriptors noticed" "$(tail -2 "$SERVER_LOG" | tr '\n' ' ')"
# The backlog stays full for 3 s: the length of the fault, not a wait for
# an event (the checks below count events over it).
l0=$(grep -c . "$SERVER_LOG")
sleep 3
l1=$(grep -c . "$SERVER_LOG")
lines=$(grep -c "out of file descriptors\|accept:" "$SERVER_LOG")
if [ "$lines" -ge 1 ] && [ "$lines" -le 2 ] && [ $((l1 - l0)) -le 3 ]; then
	t_pass "out of descriptors logged $lines time(s), $((l1 - l0)) lines in 3 s"
else
	t_fail "one rate-limited log line" "$lines lines, $((l1 - l0)) in 3 s"
fi
net_running "$SERVER_PID" && t_pass "server alive" || t_fail "server alive"

# --- recovery: the held connections go, the limit comes back ---
rm -f "$NET_TMP/held"
wait "$HOLDER" 2>/dev/null
as_server prlimit --pid "$SERVER_PID" --nofile="1264:$hard"
# A busy loop over the full backlog turns hundreds of thousands of times
# in 3 s; paused, the loop wakes for its timers and the 43 connections'
# comings and goings only: a few hundred at most.
net_wait_for 10 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" >/dev/null
i1=$(loop_iterations)
if [ -n "$i0" ] && [ -n "$i1" ] && [ $((i1 - i0)) -lt 2000 ]; then
	t_pass "no busy loop: $((i1 - i0)) loop iterations over the out-of-descriptors episode (limit 2000)"
else
	t_fail "no busy loop" "loop iterations before '$i0' after '$i1'"
fi
pptp_client "$CLI" ptun0
if net_wait_for 20 pptp_up "$CLI" ptun0 && ip netns exec "$CLI" ping -c 1 -W 2 203.0.113.1 >/dev/null; then
	t_pass "accepting again: a client logs in"
else
	t_fail "recovery" "$(tail -3 "$CLIENT_LOG" | tr '\n' ' ') / $(tail -3 "$SERVER_LOG" | tr '\n' ' ')"
fi
net_stop "$CLIENT_PID"
net_report
