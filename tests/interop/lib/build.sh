#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Build the interop VM kernel + initramfs (idempotent, cached by input hash).
#
#   lib/build.sh          install host packages if missing (scripts/deps.sh with
#                         DEPS_EXTRA=interop), apt-get download + dpkg -x the
#                         Debian kernel and pptpd, (re)build the initramfs, probe KVM
#   INTEROP_CACHE=/dir    cache/output directory (default /var/cache/openpptp-interop)
#   INTEROP_KPKG=pkg       kernel package (default: what linux-image-amd64
#                         depends on, with "-unsigned" appended)
#   INTEROP_FORCE=1        rebuild the initramfs even if inputs are unchanged
#   INTEROP_NO_PROBE=1     skip the KVM probe (accel file then says tcg)
#
# Outputs in $INTEROP_CACHE: vmlinuz, initramfs.cpio.gz, kver, accel (kvm|tcg)
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)          # tests/interop
TOP=$(cd "$HERE/../.." && pwd)                    # repository root
CACHE=${INTEROP_CACHE:-/var/cache/openpptp-interop}
mkdir -p "$CACHE/debs"
say() { echo "[build] $*" >&2; }

# ---- 1. host packages --------------------------------------------------------
# qemu + tools run on the host; ppp/pptp-linux/iperf3/iproute2/tcpdump are
# installed so that their binaries and shared libraries (same Debian release as
# the guest userland) can be copied into the initramfs. pptpd/bcrelay are NOT
# installed on the host (their maintainer scripts would start a host daemon);
# they are only downloaded and unpacked with dpkg -x.
DEPS_EXTRA=interop "$TOP/scripts/deps.sh" >&2

# ---- 2. kernel + pptpd packages (download + dpkg -x, never installed) -------
if [ -z "${INTEROP_KPKG:-}" ]; then
	if [ -f "$CACHE/kpkg" ]; then
		INTEROP_KPKG=$(cat "$CACHE/kpkg")
	else
		dep=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
		if [ -z "$dep" ]; then apt-get update -qq; dep=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); fi
		[ -n "$dep" ] || { say "cannot resolve linux-image-amd64"; exit 1; }
		INTEROP_KPKG="${dep}-unsigned"
	fi
fi
echo "$INTEROP_KPKG" > "$CACHE/kpkg"
fetch_deb() { # pkg -> path of .deb in $CACHE/debs
	local f
	f=$(ls "$CACHE/debs/${1}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		(cd "$CACHE/debs" && apt-get download "$1" >&2 2>/dev/null) ||
			{ apt-get update -qq; (cd "$CACHE/debs" && apt-get download "$1" >&2); }
		f=$(ls "$CACHE/debs/${1}_"*.deb | head -n1)
	fi
	echo "$f"
}
KDEB=$(fetch_deb "$INTEROP_KPKG")
PPTPD_DEB=$(fetch_deb pptpd)
BCRELAY_DEB=$(fetch_deb bcrelay)

KX=$CACHE/kernel
if [ ! -f "$KX/.done-$(basename "$KDEB")" ]; then
	say "extracting $(basename "$KDEB")"
	rm -rf "$KX"; mkdir -p "$KX"
	dpkg -x "$KDEB" "$KX"
	KVER=$(ls "$KX/lib/modules" | head -n1)
	depmod -b "$KX" "$KVER"        # the .deb has no modules.dep; generate it
	touch "$KX/.done-$(basename "$KDEB")"
fi
KVER=$(ls "$KX/lib/modules" | head -n1)
echo "$KVER" > "$CACHE/kver"
cp -f "$KX/boot/vmlinuz-$KVER" "$CACHE/vmlinuz"

PX=$CACHE/pptpd-pkg
if [ ! -f "$PX/.done-$(basename "$PPTPD_DEB")-$(basename "$BCRELAY_DEB")" ]; then
	rm -rf "$PX"; mkdir -p "$PX"
	dpkg -x "$PPTPD_DEB" "$PX"
	dpkg -x "$BCRELAY_DEB" "$PX"
	touch "$PX/.done-$(basename "$PPTPD_DEB")-$(basename "$BCRELAY_DEB")"
fi

# ---- 3. initramfs --------------------------------------------------------------
MODULES=(ppp_generic slhc ppp_async ppp_synctty ppp_deflate bsd_comp ppp_mppe
	pppox gre pptp tun virtio_pci virtio_net virtio-rng 9pnet_virtio 9p)

stamp=$( {
	echo "$KDEB $PPTPD_DEB $BCRELAY_DEB ${MODULES[*]}"
	cat "$0" "$HERE"/guest/*
	dpkg-query -W ppp pptp-linux iperf3 iproute2 tcpdump busybox-static libc6 libssl3
} | sha256sum | cut -c1-16)
if [ "${INTEROP_FORCE:-0}" != 1 ] && [ -f "$CACHE/initramfs.cpio.gz" ] &&
	[ "$(cat "$CACHE/initramfs.stamp" 2>/dev/null)" = "$stamp" ]; then
	say "initramfs up to date ($stamp)"
else
	say "building initramfs"
	R=$CACHE/rootfs
	rm -rf "$R"
	mkdir -p "$R"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,etc/ppp,proc,sys,dev,tmp,run,root,var/log,out,mnt}
	ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
	ln -s ../run "$R/var/run"; ln -s ../run/lock "$R/var/lock"

	# copy FILE (host path) to the same path inside the rootfs, under /usr
	# (the guest is merged-/usr like the host); symlinks are dereferenced.
	put() {
		local src=$1 dst=${2:-$1}
		case "$dst" in /bin/*|/sbin/*|/lib/*|/lib64/*) dst=/usr$dst ;; esac
		mkdir -p "$R$(dirname "$dst")"
		cp -L "$src" "$R$dst"
	}
	declare -A seen=()
	put_libs() { # copy shared libraries an ELF file needs (via ldd)
		local lib
		for lib in $(LD_LIBRARY_PATH="$PX/usr/lib/pptpd" ldd "$1" 2>/dev/null |
			awk '/=> \// {print $3} /^[ \t]*\/[^ ]+ \(/ {print $1}'); do
			[ -n "${seen[$lib]:-}" ] && continue
			seen[$lib]=1
			put "$lib"
		done
	}
	put_bin() { put "$1" "${2:-$1}"; put_libs "$1"; }

	# busybox (static): symlink every applet that has no real binary
	put /bin/busybox /usr/bin/busybox
	# real binaries
	put_bin /bin/bash /usr/bin/bash   # scenarios run under bash (see README: busybox sh prefers its applets)
	put_bin /usr/sbin/pppd
	put_bin /usr/sbin/pptp
	put_bin /usr/bin/iperf3
	put_bin /bin/ip /usr/bin/ip           # pptp runs /bin/ip route ...
	ln -s ../bin/ip "$R/usr/sbin/ip"
	put_bin /usr/bin/tcpdump
	put_bin /usr/sbin/pppstats 2>/dev/null || true
	put_bin "$PX/usr/sbin/pptpd" /usr/sbin/pptpd
	put_bin "$PX/usr/sbin/pptpctrl" /usr/sbin/pptpctrl
	put_bin "$PX/usr/sbin/bcrelay" /usr/sbin/bcrelay
	put_bin "$PX/usr/lib/pptpd/pptpd-logwtmp.so" /usr/lib/pptpd/pptpd-logwtmp.so
	for f in /usr/lib/pppd/*/*.so; do put_bin "$f"; done
	for a in $(/bin/busybox --list); do
		[ -e "$R/usr/bin/$a" ] || [ -e "$R/usr/sbin/$a" ] || ln -s busybox "$R/usr/bin/$a"
	done
	# dynamic loader cache so the loader finds everything in the initramfs
	printf '/usr/lib/x86_64-linux-gnu\n/usr/lib\n' > "$R/etc/ld.so.conf"
	ldconfig -r "$R"

	# kernel modules (+ their dependencies from modules.dep)
	MD=$KX/lib/modules/$KVER
	mkdir -p "$R/lib/modules/$KVER"
	: > "$R/lib/modules/$KVER/modules.dep"
	: > "$R/etc/interop-modules"
	declare -A mseen=()
	for m in "${MODULES[@]}"; do
		n=${m//-/_}
		line=$(awk -F: -v n="$n" '{b=$1; sub(/.*\//,"",b); sub(/\.ko.*/,"",b); gsub(/-/,"_",b); if (b==n) {print; exit}}' "$MD/modules.dep")
		if [ -z "$line" ]; then
			grep -q "/$m.ko" "$MD/modules.builtin" && { say "module $m is built in"; continue; }
			say "module $m not found"; exit 1
		fi
		echo "$m" >> "$R/etc/interop-modules"
		for f in ${line%%:*} ${line#*:}; do
			[ -n "${mseen[$f]:-}" ] && continue
			mseen[$f]=1
			mkdir -p "$R/lib/modules/$KVER/$(dirname "$f")"
			cp "$MD/$f" "$R/lib/modules/$KVER/$f"
			grep "^$f:" "$MD/modules.dep" >> "$R/lib/modules/$KVER/modules.dep"
		done
	done
	cp "$MD/modules.builtin" "$R/lib/modules/$KVER/"

	# /etc
	cat > "$R/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	tcpdump:x:104:108::/nonexistent:/usr/sbin/nologin
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	cat > "$R/etc/group" <<-'EOF'
	root:x:0:
	tty:x:5:
	dip:x:30:
	tcpdump:x:108:
	nogroup:x:65534:
	EOF
	echo 'root::19000:0:99999:7:::' > "$R/etc/shadow"
	printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\nservices: files\nprotocols: files\n' > "$R/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
	cp /etc/services /etc/protocols "$R/etc/"
	# minimal pppd defaults; scenarios write their own option files
	printf '# openpptp interop: intentionally minimal, see scenarios\n' > "$R/etc/ppp/options"
	: > "$R/etc/ppp/chap-secrets"; : > "$R/etc/ppp/pap-secrets"
	chmod 600 "$R/etc/ppp/chap-secrets" "$R/etc/ppp/pap-secrets"
	mkdir -p "$R/etc/ppp/peers"
	install -m 0755 "$HERE/guest/init" "$R/init"
	mkdir -p "$R/usr/lib/interop"
	for f in "$HERE"/guest/*.sh; do install -m 0755 "$f" "$R/usr/lib/interop/"; done

	(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
		gzip -6 > "$CACHE/initramfs.cpio.gz.tmp"
	mv "$CACHE/initramfs.cpio.gz.tmp" "$CACHE/initramfs.cpio.gz"
	echo "$stamp" > "$CACHE/initramfs.stamp"
	say "initramfs: $(du -h "$CACHE/initramfs.cpio.gz" | cut -f1) ($stamp)"
fi

# ---- 4. accelerator probe (once per cache) -------------------------------------
if [ ! -s "$CACHE/accel" ]; then
	if [ "${INTEROP_NO_PROBE:-0}" = 1 ] || [ ! -w /dev/kvm ]; then
		echo tcg > "$CACHE/accel"
	else
		say "probing KVM (boot the guest with -accel kvm, 20s limit)"
		P=$(mktemp -d)
		mkdir -p "$P/r"; printf 'echo probe-ok\n' > "$P/r/scenario.sh"
		(cd "$P/r" && echo scenario.sh | cpio -o -H newc --quiet -R 0:0 | gzip) > "$P/s.cpio.gz"
		cat "$CACHE/initramfs.cpio.gz" "$P/s.cpio.gz" > "$P/i.cpio.gz"
		t0=$(date +%s.%N)
		timeout -k 5 20 qemu-system-x86_64 -accel kvm -cpu host,-arch-capabilities -m 256M -smp 1 \
			-nodefaults -no-user-config -display none -no-reboot \
			-serial "file:$P/console.log" -kernel "$CACHE/vmlinuz" -initrd "$P/i.cpio.gz" \
			-append "console=ttyS0 panic=-1 loglevel=4 interop.name=probe interop.timeout=15" \
			>"$P/qemu.out" 2>&1 || true
		t1=$(date +%s.%N)
		if grep -q 'INTEROP-EXIT name=probe rc=0' "$P/console.log" 2>/dev/null; then
			echo kvm > "$CACHE/accel"
			say "KVM works (probe boot+poweroff $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s)"
		else
			echo tcg > "$CACHE/accel"
			say "KVM unusable (no INTEROP-EXIT from a -accel kvm boot within 20 s), using TCG." \
				"qemu said: $(head -c 300 "$P/qemu.out" | tr '\n' ' ')"
			cp "$P/qemu.out" "$CACHE/kvm-probe.qemu.out" 2>/dev/null || true
			cp "$P/console.log" "$CACHE/kvm-probe.console.log" 2>/dev/null || true
		fi
		rm -rf "$P"
	fi
fi
say "kernel $KVER ($INTEROP_KPKG), accel $(cat "$CACHE/accel"), outputs in $CACHE"
