#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Shared helpers for the network-namespace tests and the demo.
#
# Every namespace, process and file a test makes is recorded and removed by
# net_cleanup (run from an EXIT trap), and only processes started here are
# ended, by PID. Addresses: underlay 192.0.2.0/24 and 198.51.100.0/24,
# tunnel 203.0.113.0/24, pools of thousands 198.18.0.0/15 — documentation
# ranges only, inside our own namespaces.

NET_TAG=${NET_TAG:-op$$}
NET_NAMESPACES=()
NET_PIDS=()
NET_TMP=$(mktemp -d /tmp/openpptp-net.XXXXXX)
NET_PASSED=0
NET_FAILED=0
NET_SKIPPED=0

net_cleanup() {
	local pid ns
	for pid in "${NET_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${NET_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	NET_PIDS=()
	# By name, not only by the list: net_ns usually runs in $(...), whose
	# additions to NET_NAMESPACES never reach this shell.
	for ns in "${NET_NAMESPACES[@]}" $(ip netns list 2>/dev/null | awk -v p="$NET_TAG-" 'index($1, p) == 1 {print $1}'); do
		ip netns del "$ns" 2>/dev/null
	done
	NET_NAMESPACES=()
	[ -n "${NET_KEEP_TMP:-}" ] || rm -rf "$NET_TMP"
}

# net_ns NAME: create namespace $NET_TAG-NAME with lo up; prints its name.
net_ns() {
	local ns="$NET_TAG-$1"
	ip netns add "$ns" || return 1
	NET_NAMESPACES+=("$ns")
	ip -n "$ns" link set lo up
	echo "$ns"
}

# net_veth NS_A ADDR_A/PFX NS_B ADDR_B/PFX: a veth pair between two namespaces.
net_veth() {
	local a=$1 addr_a=$2 b=$3 addr_b=$4
	local ia="v${#NET_NAMESPACES[@]}a$RANDOM" ib
	ia=${ia:0:14}; ib=${ia%a*}b${ia##*a}; ib=${ib:0:15}
	ip link add "$ia" netns "$a" type veth peer name "$ib" netns "$b" || return 1
	ip -n "$a" addr add "$addr_a" dev "$ia"
	ip -n "$b" addr add "$addr_b" dev "$ib"
	ip -n "$a" link set "$ia" up
	ip -n "$b" link set "$ib" up
	echo "$ia $ib"
}

# net_bg NS LOG CMD...: start CMD in NS in the background, record its PID
# in NET_PIDS (for cleanup) and NET_LAST_PID. Never call it inside $(...):
# the process would belong to the subshell and escape the cleanup.
net_bg() {
	local ns=$1 log=$2; shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	NET_LAST_PID=$!
	NET_PIDS+=("$NET_LAST_PID")
}

# net_running PID: the process exists and has not exited. kill -0 is not
# enough: a child of ours that exited stays a zombie (kill -0 succeeds)
# until we wait for it.
net_running() {
	local stat
	stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ $stat != Z* ]]
}
net_exited() { ! net_running "$1"; }

# net_stop PID: end one process we started (TERM, then KILL after 3 s).
net_stop() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 15); do
		net_running "$pid" || break
		sleep 0.2
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# net_wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
net_wait_for() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ "$SECONDS" -le "$end" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

t_pass() { NET_PASSED=$((NET_PASSED + 1)); printf 'ok   %s\n' "$1"; }
t_fail() { NET_FAILED=$((NET_FAILED + 1)); printf 'FAIL %s: %s\n' "$1" "${2:-}"; }
# A skip is counted as a skip (never a pass) and named in $NET_SKIP_LOG, so
# scripts/summary.sh can fail CI for one that machine could have run.
t_skip() {
	NET_SKIPPED=$((NET_SKIPPED + 1)); printf 'skip %s: %s\n' "$1" "${2:-}"
	[ -n "${NET_SKIP_LOG:-}" ] && printf '%s:%s: %s\n' "$(basename "$0" .sh)" "$1" "${2:-}" >>"$NET_SKIP_LOG"
	return 0
}

# t_check NAME CMD...: pass if CMD succeeds.
t_check() {
	local name=$1; shift
	if "$@"; then t_pass "$name"; else t_fail "$name" "command failed: $*"; fi
}

# Write "passed failed" for run.sh to add up.
net_report() {
	echo "$NET_PASSED $NET_FAILED $NET_SKIPPED" >"${NET_RESULT:-/dev/null}"
}
