#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Guest agent: the scenario every interop VM runs (/init starts it as
# /scenario.sh). The host drives the VM through the 9p share mounted on /out:
#
#   host writes  /out/ctl/N.cmd   (bash snippet; /usr/lib/interop/pptp.sh is sourced first;
#                                  an optional first line "#timeout=SECS" limits its run time)
#   agent writes /out/ctl/N.out   (stdout+stderr), then /out/ctl/N.rc (exit status)
#   host creates /out/ctl/poweroff -> the agent returns and /init powers off
#
# Commands run one at a time, in order; long-running daemons must background
# themselves (the library functions do). See tests/interop/README.md.
mkdir -p /out/ctl
echo "INTEROP-AGENT ready"
: > /out/ctl/ready
while [ ! -e /out/ctl/poweroff ]; do
	for f in /out/ctl/*.cmd; do
		[ -e "$f" ] || continue
		b=${f%.cmd}
		[ -e "$b.rc" ] && continue
		echo "INTEROP-AGENT run ${b##*/}: $(head -c 200 "$f" | tr '\n' ' ')"
		# the host's time limit for this command (first line "#timeout=SECS"):
		# a stuck command must not wedge the agent for the next ones
		t=$(sed -n '1s/^#timeout=\([0-9]*\)$/\1/p' "$f")
		timeout -s KILL "${t:-600}" bash -c '. /usr/lib/interop/pptp.sh; . "$1"' agent "$f" > "$b.out" 2>&1 </dev/null
		echo $? > "$b.rc.tmp"
		mv "$b.rc.tmp" "$b.rc"
		echo "INTEROP-AGENT done ${b##*/} rc=$(cat "$b.rc")"
	done
	sleep 0.1
done
echo "INTEROP-AGENT poweroff requested"
cp /var/log/*.log /out/ 2>/dev/null
exit 0
