#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench-e2e` (and the second half of `make bench`): iperf3 through real
# tunnels between two network namespaces, openpptp against OpenVPN 2.6 and
# wireguard-go on the same veth, all at tunnel MTU 1396 (issue 12 §5).
#
# Links: raw veth; OpenVPN AES-256-GCM and no cipher (UDP, TUN, p2p TLS
# mode, DCO off); wireguard-go (userspace); "naive", a TUN <-> raw-GRE
# forwarder with PPTP's framing, no crypto, one packet per syscall
# (bench/naive_gre_fwd.c, the issue's reference for openpptp with no MPPE);
# openpptp with no MPPE, MPPE-128 stateful, MPPE-128 stateless, MPPE-128 + MPPC.
# Loads: 1 TCP stream, 4 TCP streams, UDP at full rate with the largest
# unfragmented payload and with 64 bytes (delivered packets/s, loss), ping
# RTT. Tunnel CPU: utime+stime of every tunnel process (both ends, from
# /proc/PID/stat) over the 1-stream TCP load, per GB received.
#
# Each link is set up once and runs ROUNDS rounds of every load; the report
# (bench/e2e_report.py) gives median/min/max, the ratios against OpenVPN and
# wireguard-go, JSON in bench/results/, and a closing summary line. The
# machine is usually shared: absolute figures move, the ratios of one run are
# what to compare.
#
# Environment: BUILDDIR (build) or OPENPPTP (a binary), ROUNDS (3), SECONDS_PER_LOAD (10),
# LINKS (space-separated subset of the names below), BENCH_PERF=1 to record a
# perf profile of each openpptp end during its 1-stream TCP load.
# Root only (namespaces); addresses 192.0.2.0/24 underlay, 203.0.113.0/24
# tunnels, inside our own namespaces; every process started here is ended by
# PID and every namespace removed on exit.
set -u
cd "$(dirname "$0")/.." || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "bench-e2e: needs root (network namespaces); run 'sudo make bench-e2e'" >&2
	exit 1
fi
DEPS_EXTRA=bench-e2e scripts/deps.sh || exit 1

BUILD=${BUILDDIR:-build}
# OPENPPTP: another build to measure (a "before" binary for a comparison)
OPENPPTP=${OPENPPTP:-$PWD/$BUILD/openpptp}
[ -x "$OPENPPTP" ] || { echo "bench-e2e: $OPENPPTP is missing: run 'make' first" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}
# Not SECONDS: bash's own counter (make bench-e2e SECONDS=N passes it on).
LOAD_S=${SECONDS_PER_LOAD:-10}
ALL_LINKS="raw ovpn-gcm ovpn-none wg naive pptp-none pptp-stateful pptp-stateless pptp-mppc"
# Also: pptp-none-nooffload, pptp-stateful-nooffload (--tun-offload off: the
# before of issue 12 §4's TUN offloads, in the same run).
LINKS=${LINKS:-$ALL_LINKS}
# The "naive" link's forwarder: make bench-e2e builds it, and so does this
# script when run by hand (one small file; make does nothing if it is fresh).
NAIVE_FWD=$PWD/$BUILD/bench-e2e/naive_gre_fwd
if [[ " $LINKS " == *" naive "* ]] && ! make --no-print-directory -s BUILDDIR="$BUILD" "$BUILD/bench-e2e/naive_gre_fwd"; then
	echo "bench-e2e: cannot build $NAIVE_FWD" >&2
	exit 1
fi
MTU=1396
PERF=${BENCH_PERF:-0}

# shellcheck disable=SC2034 # read by tests/net/lib.sh
NET_TAG=bench$$
. tests/net/lib.sh
# Our own directory name: a run lasts half an hour, and other test runs on
# a shared machine may sweep /tmp/openpptp-net.* behind us.
rmdir "$NET_TMP"
NET_TMP=$(mktemp -d /tmp/openpptp-bench-e2e.XXXXXX)
KEY=$NET_TMP
RAW=$NET_TMP/raw.tsv
: >"$RAW"
RESULTS=bench/results
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
trap 'net_cleanup' EXIT
trap 'exit 130' INT TERM

if ! SRV=$(net_ns srv) || ! CLI=$(net_ns cli); then
	echo "bench-e2e: cannot create namespaces" >&2
	exit 1
fi
net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || exit 1
net_bg "$SRV" "$NET_TMP/iperf3-server.log" iperf3 -s -B 0.0.0.0 -p 5201
IPERF_PID=$NET_LAST_PID
net_wait_for 5 ip netns exec "$SRV" sh -c 'ss -ltn | grep -q :5201' || { echo "bench-e2e: iperf3 -s did not start" >&2; exit 1; }

# --- tunnel processes and their CPU time ---------------------------------
TUN_PIDS=()
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RAW"; } # link load round metric value

descendants() { # PID...: the PIDs and all their descendants
	local p kids
	for p in "$@"; do
		echo "$p"
		mapfile -t kids < <(ps -o pid= --ppid "$p" 2>/dev/null | tr -d ' ')
		[ ${#kids[@]} -gt 0 ] && descendants "${kids[@]}"
	done
}
cpu_ticks() { # PID...: utime + stime summed (clock ticks)
	local p t=0 f
	for p in "$@"; do
		f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null) || continue
		# after "pid (comm)": state is field 1, utime field 12, stime field 13
		t=$((t + $(awk '{print $12 + $13}' <<<"$f")))
	done
	echo "$t"
}

stop_tunnel() {
	local p
	for p in "${TUN_PIDS[@]}"; do net_stop "$p"; done
	TUN_PIDS=()
}

# --- links: each sets DST (the far end's tunnel address) and TUN_PIDS ----
link_raw() { DST=192.0.2.1; UDP_BIG=1472; }

ovpn_certs() {
	[ -f "$KEY/ca.crt" ] && return 0
	local d=$KEY
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench-ca \
		-keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null || return 1
	for who in server client; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$who" \
			-keyout "$d/$who.key" -out "$d/$who.csr" 2>/dev/null || return 1
		openssl x509 -req -in "$d/$who.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
			-out "$d/$who.crt" 2>/dev/null || return 1
	done
}
ovpn_up() { ip -n "$1" -4 addr show dev "$2" 2>/dev/null | grep -q 'inet 203.0.113.'; }
link_ovpn() { # CIPHER (AES-256-GCM or none)
	ovpn_certs || return 1
	local c=(--data-ciphers "$1" --cipher "$1")
	# with no cipher OpenVPN cuts reneg-bytes to 64 MB (its SWEET32 rule): a TLS
	# renegotiation every second at full rate, which is not the data path.
	[ "$1" = none ] && c+=(--auth none --allow-compression no --reneg-bytes 0)
	local common=(--dev-type tun --proto udp --tun-mtu "$MTU" --disable-dco --verb 3 --ping 10
		--ca "$KEY/ca.crt" --dh none "${c[@]}")
	net_bg "$SRV" "$NET_TMP/ovpn-srv.log" openvpn --dev ovpns --lport 1194 --tls-server \
		--cert "$KEY/server.crt" --key "$KEY/server.key" --ifconfig 203.0.113.65 203.0.113.66 "${common[@]}"
	TUN_PIDS+=("$NET_LAST_PID")
	net_bg "$CLI" "$NET_TMP/ovpn-cli.log" openvpn --dev ovpnc --remote 192.0.2.1 1194 --nobind --tls-client \
		--cert "$KEY/client.crt" --key "$KEY/client.key" --ifconfig 203.0.113.66 203.0.113.65 "${common[@]}"
	TUN_PIDS+=("$NET_LAST_PID")
	net_wait_for 20 grep -q 'Initialization Sequence Completed' "$NET_TMP/ovpn-cli.log" || return 1
	net_wait_for 5 ip netns exec "$CLI" ping -c 1 -W 1 203.0.113.65 || return 1
	DST=203.0.113.65
}

link_wg() {
	local ns end
	(umask 077 && wg genkey >"$KEY/wg-srv.key" && wg genkey >"$KEY/wg-cli.key") || return 1
	for end in srv cli; do
		if [ $end = srv ]; then ns=$SRV; else ns=$CLI; fi
		net_bg "$ns" "$NET_TMP/wg-$end.log" env LOG_LEVEL=error wireguard-go -f "wg$end"
		TUN_PIDS+=("$NET_LAST_PID")
		net_wait_for 5 ip -n "$ns" link show "wg$end" || return 1
	done
	wg pubkey <"$KEY/wg-srv.key" >"$KEY/wg-srv.pub" && wg pubkey <"$KEY/wg-cli.key" >"$KEY/wg-cli.pub" || return 1
	ip netns exec "$SRV" wg set wgsrv private-key "$KEY/wg-srv.key" listen-port 51820 \
		peer "$(cat "$KEY/wg-cli.pub")" allowed-ips 203.0.113.130/32 || return 1
	ip netns exec "$CLI" wg set wgcli private-key "$KEY/wg-cli.key" \
		peer "$(cat "$KEY/wg-srv.pub")" allowed-ips 203.0.113.128/25 endpoint 192.0.2.1:51820 || return 1
	ip -n "$SRV" addr add 203.0.113.129/25 dev wgsrv && ip -n "$CLI" addr add 203.0.113.130/25 dev wgcli
	ip -n "$SRV" link set wgsrv mtu "$MTU" up && ip -n "$CLI" link set wgcli mtu "$MTU" up
	net_wait_for 10 ip netns exec "$CLI" ping -c 1 -W 1 203.0.113.129 || return 1
	DST=203.0.113.129
}

# One forwarder per namespace, GRE between the underlay addresses, call IDs
# 1 (server end) and 2 (client end), 203.0.113.97 <-> .98 inside.
link_naive() {
	[ -x "$NAIVE_FWD" ] || { echo "bench-e2e: $NAIVE_FWD is missing: run 'make bench-e2e'" >&2; return 1; }
	net_bg "$SRV" "$NET_TMP/naive-srv.log" "$NAIVE_FWD" naive0 192.0.2.1 192.0.2.2 2 1
	TUN_PIDS+=("$NET_LAST_PID")
	net_bg "$CLI" "$NET_TMP/naive-cli.log" "$NAIVE_FWD" naive0 192.0.2.2 192.0.2.1 1 2
	TUN_PIDS+=("$NET_LAST_PID")
	net_wait_for 5 ip -n "$SRV" link show naive0 || return 1
	net_wait_for 5 ip -n "$CLI" link show naive0 || return 1
	ip -n "$SRV" addr add 203.0.113.97 peer 203.0.113.98 dev naive0 || return 1
	ip -n "$CLI" addr add 203.0.113.98 peer 203.0.113.97 dev naive0 || return 1
	ip -n "$SRV" link set naive0 mtu "$MTU" up && ip -n "$CLI" link set naive0 mtu "$MTU" up || return 1
	net_wait_for 10 ip netns exec "$CLI" ping -c 1 -W 1 203.0.113.97 || return 1
	DST=203.0.113.97
}

link_pptp() { # MPPE-MODE [OPTION...]
	local mppe=$1; shift
	printf '"bench" * "bench pass" *\n' >"$KEY/secrets"
	printf 'bench pass\n' >"$KEY/password"
	net_bg "$SRV" "$NET_TMP/pptp-srv.log" "$OPENPPTP" server --listen 192.0.2.1 --local-ip 203.0.113.1 \
		--pool 203.0.113.10-203.0.113.50 --secrets "$KEY/secrets" --control-socket "$NET_TMP/ctl" \
		--foreground --mtu "$MTU" --mppe "$mppe" "$@"
	TUN_PIDS+=("$NET_LAST_PID")
	net_wait_for 5 ip netns exec "$SRV" "$OPENPPTP" status --control-socket "$NET_TMP/ctl" || return 1
	net_bg "$CLI" "$NET_TMP/pptp-cli.log" "$OPENPPTP" connect 192.0.2.1 --user bench \
		--password-file "$KEY/password" --ifname pptp0 --foreground --mtu "$MTU" --mppe "$mppe" "$@"
	TUN_PIDS+=("$NET_LAST_PID")
	net_wait_for 20 ip netns exec "$CLI" ping -c 1 -W 1 203.0.113.1 || return 1
	DST=203.0.113.1
}

link_setup() {
	DST=
	UDP_BIG=$((MTU - 28))
	case $1 in
	raw) link_raw ;;
	ovpn-gcm) link_ovpn AES-256-GCM ;;
	ovpn-none) link_ovpn none ;;
	wg) link_wg ;;
	naive) link_naive ;;
	pptp-none) link_pptp none ;;
	pptp-stateful) link_pptp require-128,stateful-only ;;
	pptp-stateless) link_pptp require-128 ;;
	pptp-mppc) link_pptp require-128,stateful-only,mppc ;;
	pptp-none-nooffload) link_pptp none --tun-offload off ;;
	pptp-stateful-nooffload) link_pptp require-128,stateful-only --tun-offload off ;;
	*) echo "bench-e2e: unknown link $1" >&2; return 1 ;;
	esac
}

# --- loads --------------------------------------------------------------
iperf() { # LOG ARGS...: one bounded iperf3 client run in the client namespace, JSON to LOG
	local log=$1; shift
	timeout --kill-after=5 $((LOAD_S + 20)) ip netns exec "$CLI" iperf3 -c "$DST" -p 5201 -t "$LOAD_S" -J "$@" >"$log" 2>"$log.err"
}

run_round() { # LINK ROUND
	local link=$1 r=$2 log t0 t1 pids=() perfpids=()
	[ ${#TUN_PIDS[@]} -gt 0 ] && mapfile -t pids < <(descendants "${TUN_PIDS[@]}")
	log=$NET_TMP/$link.$r
	# 1 TCP stream, with the tunnel's CPU time
	t0=$(cpu_ticks "${pids[@]}")
	if [ "$PERF" = 1 ] && [ "$r" = 1 ] && [[ $link == pptp-* ]]; then
		for p in "${TUN_PIDS[@]}"; do
			perf record -g -o "$RESULTS/perf-$link-$p.data" -p "$p" -- sleep "$LOAD_S" >/dev/null 2>&1 &
			perfpids+=($!)
		done
	fi
	iperf "$log.tcp1"; record "$link" tcp1 "$r" json "$log.tcp1"
	for p in "${perfpids[@]}"; do wait "$p"; done
	t1=$(cpu_ticks "${pids[@]}")
	[ ${#pids[@]} -gt 0 ] && record "$link" tcp1 "$r" cpu_ticks $((t1 - t0))
	iperf "$log.tcp4" -P 4; record "$link" tcp4 "$r" json "$log.tcp4"
	iperf "$log.udpbig" -u -b 0 -l "$UDP_BIG"; record "$link" udp_big "$r" json "$log.udpbig"
	iperf "$log.udp64" -u -b 0 -l 64; record "$link" udp64 "$r" json "$log.udp64"
	ip netns exec "$CLI" ping -q -c 20 -i 0.05 -W 1 "$DST" >"$log.ping" 2>&1; record "$link" ping "$r" text "$log.ping"
}

echo "bench-e2e: links: $LINKS; $ROUNDS round(s) x $LOAD_S s per load; logs in $NET_TMP"
for link in $LINKS; do
	printf 'bench-e2e: %-15s ' "$link"
	if ! link_setup "$link"; then
		echo "setup FAILED"
		record "$link" setup 0 failed -
		tail -n 5 "$NET_TMP"/*"${link%%-*}"*.log 2>/dev/null | sed 's/^/    /' >&2
		stop_tunnel
		continue
	fi
	for r in $(seq 1 "$ROUNDS"); do
		run_round "$link" "$r"
		printf '.'
	done
	echo " done"
	stop_tunnel
done
net_stop "$IPERF_PID"

load=$(cut -d' ' -f1 /proc/loadavg)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && rev="$rev+changes"
[ "$OPENPPTP" != "$PWD/$BUILD/openpptp" ] && rev="$rev, openpptp from $OPENPPTP"
if ! python3 bench/e2e_report.py --raw "$RAW" --json "$RESULTS/e2e-$STAMP.json" --clk-tck "$(getconf CLK_TCK)" \
	--rounds "$ROUNDS" --seconds "$LOAD_S" --mtu "$MTU" --load "$load" --rev "$rev" --cpus "$(nproc)"; then
	# shellcheck disable=SC2034 # read by net_cleanup (tests/net/lib.sh)
	NET_KEEP_TMP=1 # the raw figures stay for a second look
	echo "bench-e2e: the report failed; raw figures kept in $NET_TMP (python3 bench/e2e_report.py --raw $RAW ...)" >&2
	exit 1
fi
