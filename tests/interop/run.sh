#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# openpptp interop matrix against the real Linux PPTP stack (pppd 2.4.9,
# pptpd 1.4.0, pptp-linux 1.10.0 in QEMU VMs on Debian's kernel).
#
#   tests/interop/run.sh            (as root; `make interop` calls it)
#
# Prints one line per cell and a closing "N passed, N failed, N skipped" line;
# exit status 0 when nothing failed. See tests/interop/README.md.
#
# Environment:
#   INTEROP_FILTER   extended regex on cell names (e.g. mschapv2, '^ref/', 'extra')
#   INTEROP_JOBS     lanes run in parallel, each with its own namespace + VMs (1)
#   INTEROP_BUDGET   seconds; cells not started within the budget are SKIPPED (0 = none)
#   INTEROP_RETRY    1 = a failed cell runs once more; both tries are reported (0)
#   INTEROP_DOCS     1 = write docs/interop.md (default: 1 when INTEROP_FILTER is empty)
#   INTEROP_OPENPPTP openpptp binary (build/openpptp)
#   INTEROP_SERVER_CMD / INTEROP_CLIENT_CMD / INTEROP_STATUS_CMD  host peer templates
#   INTEROP_CACHE    cache + run directory (/var/cache/openpptp-interop)
#   INTEROP_KEEP     1 = keep the run's namespaces on exit (VMs are always stopped)
set -uo pipefail
{ # the whole script is one compound command: bash parses it before running,
  # so editing this file during a run cannot derail the run
INTEROP_HOME=$(cd "$(dirname "$0")" && pwd)
INTEROP_TOP=$(cd "$INTEROP_HOME/../.." && pwd)
INTEROP_LIB=$INTEROP_HOME/lib
export INTEROP_CACHE=${INTEROP_CACHE:-/var/cache/openpptp-interop}
. "$INTEROP_LIB/vm.sh"
. "$INTEROP_LIB/peers.sh"
. "$INTEROP_LIB/cell.sh"

[ "$(id -u)" = 0 ] || { echo "interop: must run as root (namespaces, taps, qemu)" >&2; exit 2; }
FILTER=${INTEROP_FILTER:-}
JOBS=${INTEROP_JOBS:-1}
BUDGET=${INTEROP_BUDGET:-0}
RETRY=${INTEROP_RETRY:-0}
DOCS=${INTEROP_DOCS:-$([ -z "$FILTER" ] && echo 1 || echo 0)}
T_START=$SECONDS

AUTHS=(pap chap mschap mschapv2 eap eaptls)
ENCS=(none mppe40 mppe128 mppe128-stateful)
# pppd derives MPPE keys only from MS-CHAPv1/v2 and EAP-TLS (built into
# Debian's pppd 2.4.9; its cells run with MPPE-128 only): other auth + MPPE
# is not a cell, it is refused. 40-bit
# MPPE after MS-CHAPv1 needs the LM hash, which pppd does not support
# ("Disabling 40-bit MPPE; MS-CHAP LM not supported").
supported() {
	[ "$1" = eaptls ] && { [ "$2" = mppe128 ]; return; }
	[ "$2" = none ] && return 0
	[ "$1" = mschapv2 ] && return 0
	[ "$1" = mschap ] && [ "$2" != mppe40 ]
}
# Cells that exist but cannot run with pppd on both ends.
ref_skip_reason() { # ENC VARIANT
	case "$1" in mppe128-stateful)
		echo "pppd<->pppd always settles on stateless MPPE (see README quirks)" ;;
	esac
}

# ---- the cell list: NAME SKIND CKIND AUTH ENC VARIANT ----------------------
CELLS=()
for g in ref openpptp-server openpptp-client; do
	case $g in ref) sk=vm ck=vm ;; openpptp-server) sk=host ck=vm ;; openpptp-client) sk=vm ck=host ;; esac
	for a in "${AUTHS[@]}"; do for e in "${ENCS[@]}"; do
		supported "$a" "$e" && CELLS+=("$g/$a/$e $sk $ck $a $e std")
	done; done
	CELLS+=("$g/extra/wrongpass $sk $ck mschapv2 mppe128 wrongpass"
		"$g/extra/mppe-refused $sk $ck mschapv2 mppe128 mppe-refused"
		"$g/extra/stateless-loss $sk $ck mschapv2 mppe128 loss"
		"$g/extra/stateful-loss $sk $ck mschapv2 mppe128-stateful loss"
		"$g/extra/domain-user $sk $ck mschapv2 mppe128 domain"
		"$g/extra/eaptls-revoked $sk $ck eaptls mppe128 eaptls-revoked"
		"$g/extra/eaptls-wrongca $sk $ck eaptls mppe128 eaptls-wrongca")
	[ $ck = vm ] && CELLS+=("$g/extra/two-clients $sk $ck mschapv2 mppe128 two-clients")
done
SELECTED=()
for c in "${CELLS[@]}"; do
	[ -z "$FILTER" ] || grep -qE -- "$FILTER" <<<"${c%% *}" || continue
	SELECTED+=("$c")
done
[ ${#SELECTED[@]} -gt 0 ] || { echo "interop: no cell matches INTEROP_FILTER='$FILTER'"; echo "0 passed, 0 failed, 0 skipped"; exit 1; }

# ---- build (packages, kernel, initramfs; cached) ----------------------------
if ! "$INTEROP_LIB/build.sh" > "$INTEROP_CACHE.build.log" 2>&1; then
	tail -20 "$INTEROP_CACHE.build.log"; echo "interop: build failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
RUN_DIR=$INTEROP_CACHE/runs/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN_DIR"; ln -sfn "$RUN_DIR" "$INTEROP_CACHE/runs/latest"
RESULTS=$RUN_DIR/results.tsv; : > "$RESULTS"
echo "interop: ${#SELECTED[@]} cells, $JOBS lane(s), accel $(cat "$INTEROP_CACHE/accel"), kernel $(cat "$INTEROP_CACHE/kver"), logs in $RUN_DIR"

# host peer availability, decided once
declare -A HOST_SKIP=()
for verb in server connect; do
	r=$(host_available $verb) || HOST_SKIP[$verb]=$r
done

# ---- one lane: own namespace, VMs booted on first use and reused ------------
LANE_PIDS=()
run_lane() { # LANE_NO CELL...
	local lane=$1; shift
	LANE_NS=opptp-l$lane-$$
	LANE_DIR=$RUN_DIR/lane$lane
	mkdir -p "$LANE_DIR"
	"$INTEROP_LIB/lab.sh" up "$LANE_NS" || { echo "lab up failed"; return 1; }
	trap 'lane_cleanup' EXIT
	trap 'LANE_ABORT=1; exit 130' INT TERM
	local c name sk ck a e v skip
	for c in "$@"; do
		read -r name sk ck a e v <<<"$c"
		skip=
		[ $sk = host ] && skip=${HOST_SKIP[server]:-}
		[ $ck = host ] && skip=${HOST_SKIP[connect]:-}
		[ $sk = vm ] && [ $ck = vm ] && skip=$(ref_skip_reason "$e" "$v")
		if [ -z "$skip" ] && [ "$BUDGET" -gt 0 ] && ((SECONDS - T_START > BUDGET)); then skip="time budget ${BUDGET}s used up"; fi
		if [ -n "$skip" ]; then
			printf 'SKIP %-40s %s\n' "$name" "$skip"
			printf '%s\tSKIP\t0\t%s\n' "$name" "$skip" >> "$RESULTS"
			continue
		fi
		local need=()
		[ $sk = vm ] && need+=(srv)
		[ $ck = vm ] && need+=(cli)
		[ "$v" = two-clients ] && need+=(cli2)
		# Under TCG an idle VM still burns about half a core: power off the
		# ones this cell does not use (cells come grouped, so a VM is booted
		# again at most once per group), leaving the cores to the cell.
		local n
		for n in "${!VM_PID[@]}"; do
			[[ " ${need[*]} " == *" $n "* ]] || vm_poweroff "$n" 10
		done
		if ! ensure_vms "${need[@]}"; then
			printf 'FAIL %-40s %s\n' "$name" "VM boot failed"
			printf '%s\tFAIL\t0\t%s\n' "$name" "VM boot failed" >> "$RESULTS"
			continue
		fi
		RUN_DIR=$RUN_DIR run_cell "${name//\//_}" "$sk" "$ck" "$a" "$e" "$v"
		if [ "$CELL_RESULT" = FAIL ] && [ "$RETRY" -gt 0 ]; then
			# One more try on a fresh VM state; the first failure stays in the
			# report, so a flaky cell is visible, not hidden.
			local first="$CELL_REASON" firstdir="$RUN_DIR/cells/${name//\//_}" vm
			mv "$firstdir" "$firstdir.try1"
			# The guests' consoles (their syslog too) as the failure left
			# them: vm_health may reboot a guest and start its console anew.
			for vm in "${need[@]}"; do
				cp "$LANE_DIR/vm-$vm/console.log" "$firstdir.try1/console-$vm.log" 2>/dev/null || true
			done
			vm_health "${need[@]}"; ensure_vms "${need[@]}"
			RUN_DIR=$RUN_DIR run_cell "${name//\//_}" "$sk" "$ck" "$a" "$e" "$v"
			CELL_REASON="retried; try 1: $first${CELL_REASON:+; try 2: $CELL_REASON}"
		fi
		printf '%s %-40s %3ss %s\n' "$CELL_RESULT" "$name" "$CELL_SECS" "$CELL_REASON"
		printf '%s\t%s\t%s\t%s\n' "$name" "$CELL_RESULT" "$CELL_SECS" "$CELL_REASON" >> "$RESULTS"
		# a VM whose agent stopped answering is rebooted for the next cell
		[ "$CELL_RESULT" = FAIL ] && vm_health "${need[@]}"
	done
}
vm_ip() { case $1 in srv) echo 192.0.2.10/24 ;; cli) echo 192.0.2.11/24 ;; cli2) echo 192.0.2.12/24 ;; esac; }
ensure_vms() {
	local n booted=()
	for n in "$@"; do
		[ -n "${VM_PID[$n]:-}" ] && kill -0 "${VM_PID[$n]}" 2>/dev/null && continue
		vm_boot "$n" "$(vm_ip "$n")" "$LANE_NS" "$LANE_DIR/vm-$n"
		booted+=("$n")
	done
	for n in "${booted[@]}"; do vm_wait_ready "$n" 180 || return 1; done
	return 0
}
vm_health() {
	local n
	for n in "$@"; do
		vm_exec "$n" 20 true >/dev/null 2>&1 || { vm_poweroff "$n"; }
	done
}
lane_cleanup() {
	local n
	# host peers of an interrupted cell (openpptp, the TCP sink)
	declare -F S_stop >/dev/null && S_stop >/dev/null 2>&1
	declare -F C_stop >/dev/null && C_stop >/dev/null 2>&1
	for n in "${!VM_PID[@]}"; do vm_poweroff "$n" "$([ "${LANE_ABORT:-0}" = 1 ] && echo 2 || echo 30)"; done
	[ -n "${CAP_PID:-}" ] && kill -TERM "$CAP_PID" 2>/dev/null
	[ "${INTEROP_KEEP:-0}" = 1 ] || "$INTEROP_LIB/lab.sh" down "$LANE_NS"
}

# deal cells to lanes round-robin (each lane keeps its VMs across its cells)
declare -a LANE_CELLS
for i in "${!SELECTED[@]}"; do
	l=$((i % JOBS))
	LANE_CELLS[$l]+="${SELECTED[$i]}"$'\n'
done
cleanup_main() {
	local p
	for p in "${LANE_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${LANE_PIDS[@]}"; do wait "$p" 2>/dev/null; done
}
trap cleanup_main EXIT
trap 'exit 130' INT TERM
for ((l = 0; l < JOBS; l++)); do
	[ -n "${LANE_CELLS[$l]:-}" ] || continue
	mapfile -t lc < <(printf '%s' "${LANE_CELLS[$l]}")
	( run_lane "$l" "${lc[@]}" ) &
	LANE_PIDS+=($!)
done
for p in "${LANE_PIDS[@]}"; do wait "$p"; done
LANE_PIDS=()

WALL=$((SECONDS - T_START))
pass=$(awk -F'\t' '$2=="PASS"' "$RESULTS" | wc -l)
fail=$(awk -F'\t' '$2=="FAIL"' "$RESULTS" | wc -l)
skip=$(awk -F'\t' '$2=="SKIP"' "$RESULTS" | wc -l)
missing=$((${#SELECTED[@]} - pass - fail - skip))
[ $missing -gt 0 ] && { echo "interop: $missing cells produced no result (lane died)"; fail=$((fail + missing)); }
echo "$WALL" > "$RUN_DIR/wall_s"
echo "interop: wall time ${WALL}s, logs in $RUN_DIR"
[ "$DOCS" = 1 ] && "$INTEROP_LIB/report.sh" "$RESULTS" "$WALL" "$JOBS" > "$INTEROP_TOP/docs/interop.md"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
exit $?
}
