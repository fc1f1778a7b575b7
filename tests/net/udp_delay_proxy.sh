#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A UDP relay that holds every datagram DELAY_MS in each direction: a slow
# RADIUS server for the load test where netem is not available.
# udp_delay_proxy.sh LISTEN_ADDR PORT UPSTREAM_ADDR UPSTREAM_PORT DELAY_MS
exec python3 - "$@" <<'PY'
import heapq
import select
import socket
import sys
import time

listen, port, up_addr, up_port, delay_ms = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind((listen, port))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
back.bind((listen, 0))
client = None   # the one NAS we relay for (the last sender)
due = []        # (time, seq, socket, data, destination)
seq = 0
print("relaying", flush=True)
while True:
    timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
    ready, _, _ = select.select([front, back], [], [], timeout)
    now = time.monotonic()
    for s in ready:
        data, src = s.recvfrom(4096)
        if s is front:
            client = src
            heapq.heappush(due, (now + delay_ms / 1000, seq, back, data, (up_addr, up_port)))
        elif client:
            heapq.heappush(due, (now + delay_ms / 1000, seq, front, data, client))
        seq += 1
    while due and due[0][0] <= time.monotonic():
        _, _, s, data, dst = heapq.heappop(due)
        s.sendto(data, dst)
PY
