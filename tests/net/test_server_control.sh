#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The control socket (issue 11, Low): clients that send nothing do not hold
# up the loop (it was served synchronously, 2 s a syscall), only root or
# the socket's group is served (SO_PEERCRED), and the socket is 0600.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
pptp_server
CTL=$NET_TMP/ctl

mode=$(stat -c %a "$CTL")
[ "$mode" = 600 ] && t_pass "control socket is 0600" || t_fail "control socket mode" "$mode"

# Four silent clients, then a real request: answered at once.
python3 - "$CTL" "$NET_TMP/silent" <<'PY' &
import socket, sys, os, time
held = []
for _ in range(4):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    held.append(s)
open(sys.argv[2] + ".tmp", "w").close(); os.rename(sys.argv[2] + ".tmp", sys.argv[2])
for _ in range(100):
    if not os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
PY
SILENT=$!
NET_PIDS+=("$SILENT")
net_wait_for 5 test -e "$NET_TMP/silent"
# The silent clients hold their connections 10 s, a blocking server would
# answer only after them: an answer within the 5 s bound is the event.
out=$(ip netns exec "$SRV" timeout 5 "$OPENPPTP" status --control-socket "$CTL" 2>&1)
if grep -q "control connections" <<<"$out"; then
	t_pass "status answered while 4 clients send nothing"
else
	t_fail "status not held up by silent clients" "$(head -1 <<<"$out")"
fi
rm -f "$NET_TMP/silent"
wait "$SILENT" 2>/dev/null

# Another user, with the file's mode loosened: still refused by SO_PEERCRED.
chmod 666 "$CTL"
chmod 755 "$NET_TMP"
answer=$(setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 - "$CTL" <<'PY' 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
data = b""
try:
    s.sendall(b"status\n")  # a refused peer may already be closed: EPIPE
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
print(len(data))
PY
)
chmod 600 "$CTL"
if [ "$answer" = 0 ] && grep -q "control socket: uid 65534 is neither root nor in the socket's group: refused" "$SERVER_LOG"; then
	t_pass "another user is refused (SO_PEERCRED), and it is logged"
else
	t_fail "SO_PEERCRED" "answer bytes: $answer"
fi
net_report
