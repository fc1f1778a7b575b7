# SPDX-License-Identifier: BSD-2-Clause
# Shared by the package tests.

# systemd-analyze verify loads every unit the host has installed and also
# reports their problems (Debian 12's freeradius.service uses MemoryLimit=,
# for one): keep only what concerns our units, so another package's unit
# can neither fail nor hide our check. A line about another unit starts
# with that unit's path.
verify_own_lines() {
	awk -F: '$1 ~ /^\// && $1 !~ /openpptp/ { next } { print }'
}
