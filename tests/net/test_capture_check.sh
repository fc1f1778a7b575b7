#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The capture check (tests/net/capture_check.sh, and the interop cells'
# capture-clean) judges the layers we write, not random bytes in the tests'
# sink stream. The vector holds three frames of a real interop capture (CI,
# 2026-12-06, cell openpptp-server/eap/none): a TCP segment to the sink on
# port 5001 whose random payload tshark 4.0's Thrift heuristic decodes as a
# Thrift exception with an expert error. Needs no namespace.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
vector=tests/vectors/capture/sink_thrift_lookalike.pcap

# The vector still bites: undecoded, tshark reports the expert error. If a
# newer tshark stops guessing, this says so instead of passing silently.
if out=$(CAPTURE_DECODE_AS="" tests/net/capture_check.sh "$vector"); then
	t_fail "the check without the sink decode fails on the vector" "$out"
else
	t_pass "the check without the sink decode fails on the vector"
fi
# The sink decoded as data: the same capture is clean, and GRE is still decoded.
if out=$(tests/net/capture_check.sh "$vector"); then
	t_pass "the check passes the sink's random payload"
else
	t_fail "the check passes the sink's random payload" "$out"
fi
case $out in
*" 3 GRE)"*) t_pass "the vector's 3 frames are decoded as GRE" ;;
*) t_fail "the vector's 3 frames are decoded as GRE" "$out" ;;
esac
# The interop cells decode the sink the same way.
if grep -q "tcp.port==5001,data" tests/interop/lib/cell.sh; then
	t_pass "interop capture-clean decodes the sink as data"
else
	t_fail "interop capture-clean decodes the sink as data"
fi
net_report
