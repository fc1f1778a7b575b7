#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot one interop VM (Debian kernel + initramfs from build.sh).
#
#   run-vm.sh NAME IP/PREFIX [NETNS [SCRIPT]]
#
#   NAME      short name (hostname, run directory, tap "iv-NAME")
#   IP/PREFIX address of the guest's eth0, e.g. 192.0.2.10/24
#   NETNS     network namespace holding bridge br0 (created with lab.sh up if
#             missing; default opptp-lab). "none" = no network device.
#   SCRIPT    optional scenario run instead of the agent (guest/agent.sh),
#             which executes commands the host drops into RUNDIR/out/ctl/
#
# Blocks until the guest powers off (or the timeout hits) and exits with the
# scenario's exit code (124 = timeout, 125 = the guest died without its exit marker).
#
# Environment:
#   INTEROP_CACHE   kernel/initramfs dir (default /var/cache/openpptp-interop)
#   INTEROP_RUNDIR  per-run directory (default $INTEROP_CACHE/runs/NAME): console.log,
#                   out/ (9p share on /out in the guest), initrd.cpio.gz, qemu.out, wall_s
#   INTEROP_TIMEOUT seconds before the guest powers itself off (default 900); the
#                   host kills qemu (by PID) 30 s after that
#   INTEROP_ACCEL   kvm|tcg (default: build.sh's probe result in $INTEROP_CACHE/accel)
#   INTEROP_MEM     guest memory in MiB (default 256)
#   INTEROP_FILES   directory whose contents are added to the guest root
#   INTEROP_APPEND  extra kernel command line
#   PEER_*          exported into the guest (/etc/interop-env)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n '2,27p' "$0" >&2; exit 2; }
NAME=$1 IP=$2 NS=${3:-opptp-lab} SCRIPT=${4:-}
CACHE=${INTEROP_CACHE:-/var/cache/openpptp-interop}
RUNDIR=${INTEROP_RUNDIR:-$CACHE/runs/$NAME}
TIMEOUT=${INTEROP_TIMEOUT:-900}
MEM=${INTEROP_MEM:-256}
ACCEL=${INTEROP_ACCEL:-$(cat "$CACHE/accel" 2>/dev/null || echo tcg)}
BR=${INTEROP_BRIDGE:-br0}
TAP="iv-$NAME"; TAP=${TAP:0:15}

[ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/initramfs.cpio.gz" ] ||
	{ echo "run-vm: $CACHE has no kernel/initramfs; run build.sh first" >&2; exit 2; }
[ -z "$SCRIPT" ] || [ -f "$SCRIPT" ] || { echo "run-vm: no such script $SCRIPT" >&2; exit 2; }
case "$NAME" in *[!A-Za-z0-9_-]*|"") echo "run-vm: bad NAME" >&2; exit 2;; esac

rm -rf "$RUNDIR"; mkdir -p "$RUNDIR/out/ctl" "$RUNDIR/extra/etc"
say() { echo "[run-vm $NAME] $*" >&2; }

# ---- per-run initramfs: base archive + a second cpio with scenario/env/files ----
[ -z "$SCRIPT" ] || install -m 0755 "$SCRIPT" "$RUNDIR/extra/scenario.sh"
{ env | grep -E '^PEER_[A-Za-z0-9_]*=' || true; } | while IFS= read -r kv; do
	printf "export %s='%s'\n" "${kv%%=*}" "$(printf %s "${kv#*=}" | sed "s/'/'\\\\''/g")"
done > "$RUNDIR/extra/etc/interop-env"
if [ -n "${INTEROP_FILES:-}" ]; then cp -a "$INTEROP_FILES/." "$RUNDIR/extra/"; fi
(cd "$RUNDIR/extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$RUNDIR/extra.cpio.gz"
cat "$CACHE/initramfs.cpio.gz" "$RUNDIR/extra.cpio.gz" > "$RUNDIR/initrd.cpio.gz"

# ---- network: tap inside the namespace, enslaved to the bridge ---------------
net=()
if [ "$NS" != none ]; then
	"$HERE/lab.sh" up "$NS"
	ip -n "$NS" link del "$TAP" 2>/dev/null || true
	ip -n "$NS" tuntap add dev "$TAP" mode tap
	ip -n "$NS" link set "$TAP" master "$BR"
	ip -n "$NS" link set "$TAP" up
	# deterministic MAC from the IPv4 address: 52:54:<a>:<b>:<c>:<d>
	MAC=$(echo "${IP%/*}" | awk -F. '{printf "52:54:%02x:%02x:%02x:%02x", $1, $2, $3, $4}')
	net=(-netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no"
		-device "virtio-net-pci,netdev=n0,mac=$MAC,romfile=")
fi

case "$ACCEL" in
kvm) accel=(-accel kvm -cpu "host,-arch-capabilities") ;;
*)   accel=(-accel tcg -cpu max) ;;
esac
APPEND="console=ttyS0 panic=-1 loglevel=4 interop.name=$NAME interop.ip=$IP interop.timeout=$TIMEOUT ${INTEROP_APPEND:-}"
qemu=(qemu-system-x86_64 "${accel[@]}" -m "$MEM" -smp 1
	-nodefaults -no-user-config -nographic -monitor none -no-reboot
	-serial "file:$RUNDIR/console.log"
	-kernel "$CACHE/vmlinuz" -initrd "$RUNDIR/initrd.cpio.gz" -append "$APPEND"
	"${net[@]}"
	-device virtio-rng-pci
	-virtfs "local,path=$RUNDIR/out,mount_tag=peerout,security_model=none,id=peerout")
printf '%q ' "${qemu[@]}" > "$RUNDIR/qemu.cmdline"; echo >> "$RUNDIR/qemu.cmdline"

QPID=
cleanup() {
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill -TERM "$QPID" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QPID" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$QPID" 2>/dev/null || true
	fi
	if [ "$NS" != none ]; then ip -n "$NS" link del "$TAP" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s.%N)
if [ "$NS" != none ]; then
	ip netns exec "$NS" "${qemu[@]}" </dev/null >"$RUNDIR/qemu.out" 2>&1 &
else
	"${qemu[@]}" </dev/null >"$RUNDIR/qemu.out" 2>&1 &
fi
QPID=$!           # ip netns exec execs qemu, so this is qemu's PID
echo "$QPID" > "$RUNDIR/qemu.pid"
say "started qemu pid $QPID ($ACCEL), console $RUNDIR/console.log"
deadline=$((SECONDS + TIMEOUT + 30))
timed_out=0
while kill -0 "$QPID" 2>/dev/null; do
	if ((SECONDS >= deadline)); then
		say "host timeout, killing qemu pid $QPID"
		timed_out=1
		kill -TERM "$QPID" 2>/dev/null || true; sleep 2; kill -KILL "$QPID" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
wait "$QPID" 2>/dev/null || true
QPID=
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
echo "$wall" > "$RUNDIR/wall_s"

exitline=$(grep -a "INTEROP-EXIT name=$NAME " "$RUNDIR/console.log" 2>/dev/null | tail -n1 || true)
if [ -n "$exitline" ]; then
	rc=$(echo "$exitline" | sed -n 's/.* rc=\([0-9]*\).*/\1/p')
	say "guest exited: ${exitline#INTEROP-EXIT } (wall ${wall}s)"
	if grep -aq 'guest timeout' "$RUNDIR/console.log"; then rc=124; fi
	exit "${rc:-125}"
fi
if grep -aq 'guest timeout' "$RUNDIR/console.log" 2>/dev/null || [ $timed_out = 1 ]; then
	say "timeout after ${wall}s"; exit 124
fi
say "guest died without exit marker after ${wall}s; qemu: $(tail -c 300 "$RUNDIR/qemu.out" | tr '\n' ' ')"
exit 125
