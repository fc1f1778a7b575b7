#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages openpptp needs to build and test, only those
# missing. As root it runs apt-get; otherwise it prints the exact command and
# fails, so a build never half-works for lack of a package.
set -euo pipefail

# Build: compiler, pkg-config, nettle (MD4/MD5/SHA-1/DES/ARCFOUR),
# libseccomp (the unprivileged main process's system-call allow-list).
# Test: cmocka (unit tests), clang + its runtime (libFuzzer, sanitizers),
# tshark (capture decoding), iproute2/nftables/iperf3/tcpdump (namespace tests).
# Packaging (tests/pkg): mandoc (man page lint and rendering), bash-completion,
# systemd (systemd-analyze verify/security on the units, offline),
# debhelper/dpkg-dev/fakeroot/lintian (make deb and its checks), man-db,
# clang-format (make format-check, in make lint).
# Metrics (tests/net/test_server_metrics.sh): prometheus (promtool check
# metrics / check rules; its daemon is never started), curl (the scrapes).
# RADIUS (tests/net/test_radius_freeradius.sh): freeradius (run unprivileged
# in a namespace from a generated raddb), freeradius-utils (radclient),
# eapoltest (eapol_test: checks the raddb's EAP methods without openpptp).
# EAP-TLS: libgnutls28-dev (the TLS engine), gnutls-bin (certtool makes the
# test PKI at test time).
# sqlite3 (the sqlippool test's pool and radacct table; FreeRADIUS's own
# rlm_sql_sqlite comes with the freeradius package).
PACKAGES=(
	build-essential pkg-config nettle-dev libseccomp-dev libcmocka-dev
	clang libclang-rt-14-dev
	tshark tcpdump iproute2 nftables iperf3 procps psmisc python3 iputils-ping netcat-openbsd
	mandoc bash-completion systemd debhelper dpkg-dev fakeroot lintian man-db clang-format
	freeradius freeradius-utils eapoltest sqlite3 prometheus curl
	libgnutls28-dev gnutls-bin
)
# Extra sets, selected by the caller (e.g. DEPS_EXTRA=interop).
if [[ " ${DEPS_EXTRA:-} " == *" bench "* ]]; then
	PACKAGES+=(valgrind)   # callgrind instruction counts in make bench
fi
# bench/e2e.sh: the tunnels openpptp is measured against, openssl for
# OpenVPN's throw-away certificates, perf for the profile (BENCH_PERF=1).
if [[ " ${DEPS_EXTRA:-} " == *" bench-e2e "* ]]; then
	PACKAGES+=(iperf3 openvpn wireguard-go wireguard-tools openssl linux-perf)
fi
if [[ " ${DEPS_EXTRA:-} " == *" interop "* ]]; then
	PACKAGES+=(qemu-system-x86 seabios ipxe-qemu busybox-static ppp pptp-linux
		cpio kmod libwrap0 libnsl2 bash)
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/openpptp-deps.log 2>&1; then
	apt-get update -qq >>/tmp/openpptp-deps.log 2>&1
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/openpptp-deps.log 2>&1 || {
		tail -20 /tmp/openpptp-deps.log >&2; exit 1; }
fi
