# SPDX-License-Identifier: BSD-2-Clause
# Host-side control of interop VMs (sourced by run.sh / cell.sh).
#
#   vm_boot NAME IP/PFX NETNS DIR   start a VM in the background (agent scenario)
#   vm_wait_ready NAME [SECS]       wait until its agent listens
#   vm_exec NAME SECS CMD...        run CMD (bash, guest/pptp.sh sourced) in the
#                                   guest; prints its output, returns its status
#                                   (124 when SECS pass without an answer)
#   vm_poweroff NAME                ask the agent to power off, wait for qemu
#
# Only processes started here are ended, by PID (run-vm.sh ends its own qemu).
INTEROP_LIB=${INTEROP_LIB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
declare -gA VM_DIR=() VM_PID=()

vm_boot() {
	local name=$1 ip=$2 ns=$3 dir=$4
	VM_DIR[$name]=$dir
	# run-vm.sh clears DIR too, but in the background: a VM booted again
	# (lanes power idle ones off) must not look ready by its last life's file.
	rm -rf "$dir/out/ctl"
	INTEROP_RUNDIR=$dir "$INTEROP_LIB/run-vm.sh" "$name" "$ip" "$ns" >"$dir.run.log" 2>&1 &
	VM_PID[$name]=$!
}
vm_wait_ready() {
	local name=$1 end=$((SECONDS + ${2:-120}))
	while ((SECONDS < end)); do
		[ -e "${VM_DIR[$name]}/out/ctl/ready" ] && return 0
		kill -0 "${VM_PID[$name]}" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
vm_exec() {
	local name=$1 secs=$2; shift 2
	local dir=${VM_DIR[$name]}/out/ctl n end
	# names sort in time order (the agent runs them in glob order); no counter,
	# because vm_exec often runs in a $(...) subshell
	n=$(date +%s%N)-$BASHPID
	printf '#timeout=%s\n%s\n' "$secs" "$*" > "$dir/$n.tmp"
	mv "$dir/$n.tmp" "$dir/$n.cmd"
	end=$((SECONDS + secs + 10))   # the agent kills the command after secs
	while [ ! -e "$dir/$n.rc" ]; do
		if ((SECONDS >= end)) || ! kill -0 "${VM_PID[$name]}" 2>/dev/null; then
			echo "vm_exec $name: no answer to command $n within ${secs}s"
			return 124
		fi
		sleep 0.1
	done
	cat "$dir/$n.out"
	return "$(cat "$dir/$n.rc")"
}
vm_poweroff() { # NAME [SECS to wait for a clean power-off, default 30]
	local name=$1 p=${VM_PID[$1]:-}
	[ -n "$p" ] || return 0
	: > "${VM_DIR[$name]}/out/ctl/poweroff"
	local end=$((SECONDS + ${2:-30}))
	while kill -0 "$p" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
	kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	unset "VM_PID[$name]"
	return 0
}
