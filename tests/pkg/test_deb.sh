#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make deb builds an installable package: lintian finds no error, and it
# installs into a fresh root made for the test (an overlay over this
# machine's / in a private mount namespace, so dpkg, adduser and the
# maintainer scripts run for real and nothing reaches the machine itself):
# `openpptp version`, the files and their modes, the system user, the man
# pages, systemd-analyze verify on the installed units, the shipped
# configuration parses, a reinstall keeps the secrets, a purge removes them.
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/pkg/lib.sh

# ---- inside the private mount namespace: $0 --inside DEB DIR ----
# DIR: an empty directory of the caller's, to mount the overlay under.
if [ "${1:-}" = --inside ]; then
	deb=$2 t=$3
	trap 'rm -rf "$NET_TMP"' EXIT # the mounts go with the namespace
	mount -t tmpfs -o mode=0755 tmpfs "$t"
	mkdir "$t/lower" "$t/upper" "$t/work" "$t/root"
	mount --bind / "$t/lower"
	mount -t overlay overlay -o "lowerdir=$t/lower,upperdir=$t/upper,workdir=$t/work" "$t/root"
	root=$t/root
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	# No /run/systemd/system: the maintainer scripts see no running systemd
	# and leave the machine's alone.
	mount -t tmpfs tmpfs "$root/run"
	mount -t tmpfs tmpfs "$root/tmp"
	cp "$deb" "$root/tmp/openpptp.deb"
	in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

	# A fresh root: no openpptp yet, whatever this machine has.
	in_root dpkg --purge openpptp >/dev/null 2>&1
	in_root getent passwd openpptp >/dev/null && in_root deluser --system --quiet openpptp >/dev/null 2>&1
	if in_root dpkg -i /tmp/openpptp.deb >"$NET_TMP/install.log" 2>&1; then t_pass "dpkg -i installs it"
	else t_fail "dpkg -i installs it" "$(tail -3 "$NET_TMP/install.log" | tr '\n' ' ')"; net_report; exit 1; fi

	version=$(in_root openpptp version 2>&1 | head -1)
	[[ $version == "openpptp $(cat VERSION) "* ]] && t_pass "openpptp version: $version" ||
		t_fail "openpptp version" "'$version'"

	mode() { # PATH MODE OWNER:GROUP
		local got; got=$(stat -c '%a %U:%G' "$root$1" 2>&1)
		[ "$got" = "$2 $3" ] && t_pass "$1 is $2 $3" || t_fail "$1 is $2 $3" "it is $got"
	}
	mode /usr/sbin/openpptp 755 root:root
	mode /etc/openpptp 750 root:root
	mode /etc/openpptp/client 750 root:root
	mode /etc/openpptp/secrets 600 root:root
	mode /etc/openpptp/openpptp.conf 644 root:root
	mode /lib/systemd/system/openpptp-server.service 644 root:root
	mode /lib/systemd/system/openpptp-client@.service 644 root:root
	mode /usr/share/doc/openpptp/examples/openpptp.conf 644 root:root
	mode /usr/share/bash-completion/completions/openpptp 644 root:root

	IFS=: read -r _ _ uid gid _ home shell <<<"$(in_root getent passwd openpptp)"
	if [ -n "${uid:-}" ] && [ "$uid" -lt 1000 ] && [ "$home" = /nonexistent ] && [[ $shell == */nologin ]] &&
		[ "$(in_root getent group openpptp | cut -d: -f3)" = "$gid" ]; then
		t_pass "postinst made the system user openpptp (uid $uid, no home, no shell)"
	else
		t_fail "system user openpptp" "$(in_root getent passwd openpptp)"
	fi

	missing=()
	for page in openpptp.8 openpptp-server.8 openpptp-connect.8 openpptp-load.8 openpptp.conf.5 openpptp-secrets.5; do
		in_root man -w "${page%.*}" 2>/dev/null | grep -q "/${page}.gz$" || missing+=("$page")
	done
	[ ${#missing[@]} -eq 0 ] && t_pass "man finds the five pages" || t_fail "man finds the five pages" "missing: ${missing[*]}"

	# The installed units, with their real paths and man pages (so the man:
	# links are checked too).
	for unit in openpptp-server.service openpptp-client@.service; do
		out=$(in_root systemd-analyze verify "/lib/systemd/system/$unit" 2>&1); rc=$?
	out=$(verify_own_lines <<<"$out")
		if [ "$rc" = 0 ] && [ -z "$out" ]; then t_pass "systemd-analyze verify installed $unit"
		else t_fail "systemd-analyze verify installed $unit" "exit $rc: $(head -3 <<<"$out" | tr '\n' ' ')"; fi
	done

	# The shipped configuration parses: the server stops only for the two
	# addresses an admin must set, not at a line of the file.
	out=$(in_root openpptp server --config /etc/openpptp/openpptp.conf 2>&1); rc=$?
	if [ "$rc" = 2 ] && ! grep -q 'openpptp.conf:[0-9]' <<<"$out" && grep -q -- '--local-ip' <<<"$out"; then
		t_pass "the shipped openpptp.conf parses (waits for local-ip and pool)"
	else
		t_fail "the shipped openpptp.conf parses" "exit $rc: $out"
	fi
	if in_root openpptp user list --secrets /etc/openpptp/secrets >/dev/null 2>&1; then t_pass "the created secrets file parses"
	else t_fail "the created secrets file parses" "$(in_root openpptp user list --secrets /etc/openpptp/secrets 2>&1)"; fi

	# An admin's user survives a reinstall; the file keeps its mode.
	printf 'pw\n' | in_root openpptp user add alice --nt-hash --secrets /etc/openpptp/secrets >/dev/null 2>&1
	in_root dpkg -i /tmp/openpptp.deb >>"$NET_TMP/install.log" 2>&1
	if in_root openpptp user list --secrets /etc/openpptp/secrets 2>/dev/null | grep -q '^alice '; then
		t_pass "a reinstall keeps the secrets"
	else
		t_fail "a reinstall keeps the secrets" "alice is gone"
	fi
	mode /etc/openpptp/secrets 600 root:root

	if in_root bash -c '. /usr/share/bash-completion/bash_completion; . /usr/share/bash-completion/completions/openpptp; complete -p openpptp' 2>&1 | grep -q '_openpptp'; then
		t_pass "the bash completion loads"
	else
		t_fail "the bash completion loads" ""
	fi

	if in_root dpkg --purge openpptp >>"$NET_TMP/install.log" 2>&1 && [ ! -e "$root/etc/openpptp" ] &&
		[ ! -e "$root/usr/sbin/openpptp" ] && [ ! -e "$root/lib/systemd/system/openpptp-server.service" ]; then
		t_pass "dpkg --purge removes it, /etc/openpptp included"
	else
		t_fail "dpkg --purge" "$(ls -la "$root/etc/openpptp" 2>&1 | head -3 | tr '\n' ' ')"
	fi
	net_report
	exit 0
fi

# ---- outside: build, lint, then install in a namespace of its own ----
trap 'net_cleanup' EXIT
missing=()
for tool in dpkg-buildpackage dh fakeroot lintian unshare; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
	t_skip "Debian package" "missing: ${missing[*]} (scripts/deps.sh installs them)"
	net_report; exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	t_skip "Debian package" "needs root (mount namespace, chroot)"
	net_report; exit 0
fi

if deb=$(scripts/build-deb.sh 2>"$NET_TMP/build.err" | tail -1) && [ -f "$deb" ]; then
	t_pass "make deb: $(basename "$deb"), $(stat -c %s "$deb") bytes, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"
else
	t_fail "make deb" "$(tail -5 "$NET_TMP/build.err" | tr '\n' ' ')"; net_report; exit 1
fi

lintian --fail-on error "${deb%.deb}.changes" >"$NET_TMP/lintian.out" 2>&1; rc=$?
errors=$(grep -c '^E: ' "$NET_TMP/lintian.out"); warnings=$(grep -c '^W: ' "$NET_TMP/lintian.out")
if [ "$rc" = 0 ] && [ "$errors" = 0 ]; then t_pass "lintian: no error ($warnings warnings)"
else t_fail "lintian" "$(grep -E '^(E|W): ' "$NET_TMP/lintian.out" | head -5 | tr '\n' ' ')"; fi

# Mounts only work for a root that is one file system (an overlay does not
# cross the mounts of its lower layer).
for d in /usr /etc /var /lib; do
	if [ "$(stat -c %m "$d")" != / ]; then
		t_skip "install in a fresh root" "$d is a mount of its own"; net_report; exit 0
	fi
done
inner=$NET_TMP/inner.result
mkdir "$NET_TMP/overlay"
NET_RESULT=$inner unshare --mount --propagation private bash "$0" --inside "$PWD/$deb" "$NET_TMP/overlay"
read -r p f s <"$inner" 2>/dev/null || { p=0; f=1; s=0; echo "FAIL the install test reported nothing"; }
NET_PASSED=$((NET_PASSED + p)); NET_FAILED=$((NET_FAILED + f)); NET_SKIPPED=$((NET_SKIPPED + s))
net_report
