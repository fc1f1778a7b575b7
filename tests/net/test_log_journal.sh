#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The server's log lines under journald, without journald: in a private
# mount namespace a tmpfs hides the machine's /run/systemd (nothing reaches
# the real journal). With stderr as the "journal stream" ($JOURNAL_STREAM =
# its device:inode) and no journal socket, lines carry <N> priority
# prefixes; with a socket bound at journald's path (by this script), the
# server sends native entries with PRIORITY= and MESSAGE=.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap net_cleanup EXIT

# Exits at once: the secrets file is missing (an error line) -- before any TUN or socket.
server_args=(server --local-ip 203.0.113.1 --pool 203.0.113.10-203.0.113.20 --secrets "$NET_TMP/missing"
	--control-socket "$NET_TMP/ctl")
export OPENPPTP NET_TMP
timeout 30 unshare --mount --propagation private bash -c '
	mount -t tmpfs none /run/systemd || exit 9
	: >"$NET_TMP/stream.log"
	exec 3>>"$NET_TMP/stream.log"
	JOURNAL_STREAM=$(stat -c "%d:%i" "$NET_TMP/stream.log") "$OPENPPTP" "$@" 2>&3
	mkdir -p /run/systemd/journal
	timeout 20 python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/run/systemd/journal/socket\")
open(sys.argv[1] + \".ready\", \"w\").close()
s.settimeout(10)
out = open(sys.argv[1], \"w\")
while True:
    d = s.recv(65536).decode()
    out.write(d + \"--\n\")
    out.flush()
    if \"MESSAGE=[server] stopped\" in d:
        break
" "$NET_TMP/entries" &
	for _ in $(seq 50); do [ -e "$NET_TMP/entries.ready" ] && break; sleep 0.1; done
	"$OPENPPTP" "$@" --log-target journal 2>"$NET_TMP/journal-stderr.log"
	wait
' bash "${server_args[@]}"
rc=$?
[ "$rc" -eq 9 ] && t_fail "private /run/systemd" "cannot mount a tmpfs"

if grep -q '^<3>\[server\] cannot read secrets file' "$NET_TMP/stream.log" &&
	grep -q '^<6>\[server\] stopped$' "$NET_TMP/stream.log" && ! grep -q '^openpptp:' "$NET_TMP/stream.log"; then
	t_pass "JOURNAL_STREAM is stderr: every line has its priority prefix"
else t_fail "priority prefixes" "$(tr '\n' ' ' <"$NET_TMP/stream.log")"; fi

if grep -q '^PRIORITY=3$' "$NET_TMP/entries" 2>/dev/null && grep -q '^SYSLOG_IDENTIFIER=openpptp$' "$NET_TMP/entries" &&
	grep -q '^MESSAGE=\[server\] cannot read secrets file' "$NET_TMP/entries"; then
	t_pass "--log-target journal: native entries to journald's socket"
else t_fail "native entries" "$(tr '\n' ' ' <"$NET_TMP/entries" 2>/dev/null)"; fi
if [ ! -s "$NET_TMP/journal-stderr.log" ]; then t_pass "nothing on stderr while the journal takes the lines"
else t_fail "stderr quiet" "$(head -3 "$NET_TMP/journal-stderr.log")"; fi
net_report
