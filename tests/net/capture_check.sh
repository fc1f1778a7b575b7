#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# capture_check.sh FILE.pcap: tshark must decode every packet of a capture of
# ours with no malformed packet and no expert-info error (warnings such as
# TCP retransmissions are reported but allowed). Prints one line; exit 0/1.
#
# TCP 5001 is the tests' sink: it carries random bytes, not a protocol.
# tshark's heuristic dissectors guess at such payload, and Wireshark 4.0's
# Thrift-over-TCP heuristic took one segment of it for a Thrift exception
# and reported "Missing mandatory field" as an expert error (interop cell
# openpptp-server/eap/none, tests/vectors/capture/sink_thrift_lookalike.pcap).
# That port is decoded as plain data so only the layers we write are judged.
# tests/interop/lib/cell.sh decodes it the same way. CAPTURE_DECODE_AS=""
# turns it off (tests/net/test_capture_check.sh uses that).
set -uo pipefail
file=$1
[ -s "$file" ] || { echo "capture_check: $file: empty or missing"; exit 1; }
decode_as=${CAPTURE_DECODE_AS-tcp.port==5001,data}
opts=()
[ -n "$decode_as" ] && opts=(-d "$decode_as")
packets=$(tshark -r "$file" "${opts[@]}" 2>/dev/null | wc -l)
malformed=$(tshark -r "$file" "${opts[@]}" -Y '_ws.malformed' 2>/dev/null | wc -l)
errors=$(tshark -r "$file" "${opts[@]}" -Y '_ws.expert.severity == error' 2>/dev/null | wc -l)
pptp=$(tshark -r "$file" "${opts[@]}" -Y 'pptp' 2>/dev/null | wc -l)
gre=$(tshark -r "$file" "${opts[@]}" -Y 'gre' 2>/dev/null | wc -l)
echo "capture_check: $file: $packets packets ($pptp PPTP control, $gre GRE), $malformed malformed, $errors expert errors"
if [ "$malformed" -ne 0 ] || [ "$errors" -ne 0 ]; then
	tshark -r "$file" "${opts[@]}" -Y '_ws.malformed || _ws.expert.severity == error' 2>/dev/null | head -10
	exit 1
fi
exit 0
