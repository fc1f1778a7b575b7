#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# capture_check.sh FILE.pcap: tshark must decode every packet of a capture of
# ours with no malformed packet and no expert-info error (warnings such as
# TCP retransmissions are reported but allowed). Prints one line; exit 0/1.
set -uo pipefail
file=$1
[ -s "$file" ] || { echo "capture_check: $file: empty or missing"; exit 1; }
packets=$(tshark -r "$file" 2>/dev/null | wc -l)
malformed=$(tshark -r "$file" -Y '_ws.malformed' 2>/dev/null | wc -l)
errors=$(tshark -r "$file" -Y '_ws.expert.severity == error' 2>/dev/null | wc -l)
pptp=$(tshark -r "$file" -Y 'pptp' 2>/dev/null | wc -l)
gre=$(tshark -r "$file" -Y 'gre' 2>/dev/null | wc -l)
echo "capture_check: $file: $packets packets ($pptp PPTP control, $gre GRE), $malformed malformed, $errors expert errors"
if [ "$malformed" -ne 0 ] || [ "$errors" -ne 0 ]; then
	tshark -r "$file" -Y '_ws.malformed || _ws.expert.severity == error' 2>/dev/null | head -10
	exit 1
fi
exit 0
