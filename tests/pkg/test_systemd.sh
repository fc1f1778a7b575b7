#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The systemd units in contrib/systemd: systemd-analyze verify passes with
# no message at all (it exits 0 on unknown keys, so its output counts too),
# the server unit's exposure score is at most 2.5, and the hardening the
# server needs is there. Offline: systemd need not be PID 1. The installed
# units (real paths, man pages present) are verified again by test_deb.sh.
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/pkg/lib.sh
trap 'net_cleanup' EXIT
BUILDDIR=${BUILDDIR:-build}
OPENPPTP=${OPENPPTP:-$PWD/$BUILDDIR/openpptp}
server=contrib/systemd/openpptp-server.service
client=contrib/systemd/openpptp-client@.service

if ! command -v systemd-analyze >/dev/null; then
	t_skip "systemd units" "systemd-analyze is not installed (scripts/deps.sh installs systemd)"
	net_report; exit 0
fi

# The binary is not in /usr/sbin here: verify copies that run the one built.
for unit in "$server" "$client"; do
	copy=$NET_TMP/$(basename "$unit")
	sed "s|/usr/sbin/openpptp|$OPENPPTP|g" "$unit" >"$copy"
	out=$(cd "$NET_TMP" && systemd-analyze verify --man=no "$copy" 2>&1); rc=$?
	out=$(verify_own_lines <<<"$out")
	if [ "$rc" = 0 ] && [ -z "$out" ]; then t_pass "systemd-analyze verify $(basename "$unit")"
	else t_fail "systemd-analyze verify $(basename "$unit")" "exit $rc: $(head -3 <<<"$out" | tr '\n' ' ')"; fi
done

out=$(systemd-analyze security --offline=true --threshold=25 "$server" 2>&1); rc=$?
score=$(grep -oE 'Overall exposure level for [^:]+: [0-9.]+' <<<"$out" | awk '{print $NF}')
if [ "$rc" = 0 ] && [ -n "$score" ]; then t_pass "systemd-analyze security $(basename "$server"): $score (at most 2.5)"
else t_fail "systemd-analyze security $(basename "$server")" "score ${score:-?}, exit $rc"; fi

# What the server needs and nothing more (issue 15 §2); a unit that loses a
# line fails here rather than in production.
want_server=(
	'Type=notify'
	'ExecReload=/bin/kill -HUP $MAINPID'
	'RuntimeDirectory=openpptp'
	'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_SETPCAP'
	'AmbientCapabilities='
	'NoNewPrivileges=yes'
	'DeviceAllow=/dev/net/tun rw'
	'DevicePolicy=closed'
	'ProtectSystem=strict'
	'ProtectHome=yes'
	'PrivateTmp=yes'
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK'
	'SystemCallFilter=@system-service'
)
missing=()
for line in "${want_server[@]}"; do grep -qxF -- "$line" "$server" || missing+=("$line"); done
[ ${#missing[@]} -eq 0 ] && t_pass "the server unit has its hardening" ||
	t_fail "the server unit has its hardening" "missing: ${missing[*]}"
if grep -qx 'ExecStart=/usr/sbin/openpptp connect --profile %i --persist --foreground' "$client"; then
	t_pass "the client unit reads the profile %i (/etc/openpptp/client/%i.conf) with --persist"
else
	t_fail "the client unit command" "$(grep ExecStart "$client")"
fi
net_report
