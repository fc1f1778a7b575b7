#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Our RADIUS codec and client engine against a real FreeRADIUS 3.2 (issue
# 14 §4). A raddb is generated in a temporary folder (files + pap + chap +
# mschap, auth and acct listeners) and FreeRADIUS runs in debug mode
# (`freeradius -X -d DIR`) as the unprivileged freerad user in its own
# namespace at 192.0.2.1; tests/net/radius_probe (our codec) asks from
# 192.0.2.2. radclient cross-checks the same users.
#
# The golden case: the RFC 2759 §9.2 MS-CHAPv2 values for user "User"
# (NT-Password 0x44EBBA8D5312B8D611474411F56989AE = NtPasswordHash
# ("clientPass")) must come back with RFC 2759's authenticator response and
# the RFC 3079 §3.5.3 keys, decrypted by our RFC 2548 code byte for byte.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

PROBE=$(dirname "$OPENPPTP")/net-tools/radius_probe
if ! command -v freeradius >/dev/null || ! command -v radclient >/dev/null; then
	t_fail "freeradius" "freeradius/radclient not installed (make deps)"; net_report; exit 1
fi
[ -x "$PROBE" ] || { t_fail "radius_probe" "$PROBE not built"; net_report; exit 1; }

if ! SRV=$(net_ns rsrv) || ! CLI=$(net_ns rcli); then t_fail "lab" "cannot create namespaces"; net_report; exit 1; fi
net_veth "$SRV" 192.0.2.1/24 "$CLI" 192.0.2.2/24 >/dev/null || { t_fail "lab" "veth"; net_report; exit 1; }

SECRET=s3cret-$RANDOM$RANDOM
RADDB=$NET_TMP/raddb
printf '%s\n' "$SECRET" >"$NET_TMP/secret"
printf 'wrong-%s\n' "$SECRET" >"$NET_TMP/wrong-secret"
# The raddb every RADIUS test shares (radius_lib.sh): files + pap + chap +
# mschap with MPPE keys, auth/acct on 192.0.2.1, Message-Authenticator
# added to the replies as Debian's 3.2.1 needs (checked below).
radius_raddb "$RADDB" 192.0.2.1 192.0.2.2 "$SECRET"
# A second virtual server on port 1814 that answers as a stock 3.2.1
# does: no Message-Authenticator in its replies.
cat >>"$RADDB/radiusd.conf" <<EOF
server stock {
	listen {
		type = auth
		ipaddr = 192.0.2.1
		port = 1814
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
}
EOF
cat >"$RADDB/users" <<'EOF'
User	NT-Password := 0x44EBBA8D5312B8D611474411F56989AE
	Framed-IP-Address = 203.0.113.7

testuser	Cleartext-Password := "testpass"
	Reply-Message = "hello testuser",
	Session-Timeout = 3600

rejectme	Auth-Type := Reject
	Reply-Message = "go away rejectme"
EOF
chmod 711 "$NET_TMP" # freerad may pass through to its raddb, not list or read the rest
if ! radius_start "$SRV" "$RADDB" "$NET_TMP/freeradius.log"; then
	t_fail "freeradius starts" "$(tail -15 "$NET_TMP/freeradius.log")"; net_report; exit 1
fi
t_pass "freeradius 3.2 starts unprivileged from a generated raddb (pid $RADIUS_PID)"

probe() { ip netns exec "$CLI" timeout 10 "$PROBE" "$@" 2>&1; }
# expect NAME OUTPUT LINE...: every LINE appears in OUTPUT exactly.
expect() {
	local name=$1 out=$2 line; shift 2
	for line in "$@"; do
		if ! grep -qxF -- "$line" <<<"$out"; then
			t_fail "$name" "missing '$line' in: $(tr '\n' '|' <<<"$out")"; return 1
		fi
	done
	t_pass "$name"
}

out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" mschapv2)
expect "MS-CHAPv2 RFC 2759 §9.2: Access-Accept, MS-CHAP2-Success, RFC 3079 §3.5.3 keys decoded exactly" "$out" \
	"code Access-Accept" \
	"ms-chap2-success S=407A5589115FD0D6209F510FE9C04566932CDA56" \
	"mppe-send-key 8b7cdc149b993a1ba118cb153f56dccb" \
	"mppe-recv-key d5f0e9521e3ea9589645e86051c82226"
printf '    %s\n' "${out//$'\n'/$'\n    '}"

# MS-CHAPv1 (RFC 2548 §2.4.1): NT-Key is the NT hash's hash, RFC 3079
# §2.5.3's PasswordHashHash for "clientPass". FreeRADIUS 3.2.1 sends a zero
# LM-Key for an NT response (and even with an LM-Password configured).
out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" mschapv1)
expect "MS-CHAPv1: Access-Accept, MS-CHAP-MPPE-Keys decoded (RFC 3079 §2.5.3 PasswordHashHash)" "$out" \
	"code Access-Accept" \
	"ms-chap-mppe-keys-lm 0000000000000000" \
	"ms-chap-mppe-keys-nt 41c00c584bd2d91c4017a2a12fa59f3f"
printf '    %s\n' "${out//$'\n'/$'\n    '}"

out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" pap testuser testpass)
expect "PAP accept with Reply-Message" "$out" "code Access-Accept" "reply-message hello testuser"
out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" pap testuser wrongpass)
expect "PAP wrong password: Access-Reject" "$out" "code Access-Reject"
out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" pap rejectme whatever)
expect "PAP reject with Reply-Message" "$out" "code Access-Reject" "reply-message go away rejectme"
out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" chap testuser testpass)
expect "CHAP-MD5 accept" "$out" "code Access-Accept" "reply-message hello testuser"
out=$(probe 192.0.2.1 1812 "$NET_TMP/secret" status)
expect "Status-Server answered and verified (RFC 5997)" "$out" "code Access-Accept"
out=$(probe 192.0.2.1 1813 "$NET_TMP/secret" acct)
expect "Accounting-Request Start answered" "$out" "code Accounting-Response"
if grep -q 'Acct-Session-Id = "probe-0001"' "$RADDB/acct/detail" 2>/dev/null; then
	t_pass "accounting Start in FreeRADIUS's detail file"
else
	t_fail "accounting Start in FreeRADIUS's detail file" "not found"
fi

# Replies signed with a secret other than ours: every one dropped, never acted on.
out=$(probe -w "wrong-$SECRET" 192.0.2.1 1812 "$NET_TMP/secret" pap testuser testpass)
rc=$?
if [ "$rc" -eq 1 ] && grep -qx "dropped bad authenticator" <<<"$out" && grep -qx "failed" <<<"$out" &&
	! grep -q "^code" <<<"$out"; then
	t_pass "wrong secret: replies dropped (bad authenticator), request failed"
else
	t_fail "wrong secret: replies dropped" "rc=$rc $(tr '\n' '|' <<<"$out")"
fi

# A stock 3.2.1 reply (right authenticator, no Message-Authenticator):
# dropped, never acted on (BlastRADIUS, CVE-2024-3596).
out=$(probe 192.0.2.1 1814 "$NET_TMP/secret" pap testuser testpass)
rc=$?
if [ "$rc" -eq 1 ] && grep -qx "dropped no Message-Authenticator" <<<"$out" && ! grep -q "^code" <<<"$out"; then
	t_pass "reply without Message-Authenticator (stock FreeRADIUS 3.2.1): dropped"
else
	t_fail "reply without Message-Authenticator dropped" "rc=$rc $(tr '\n' '|' <<<"$out")"
fi

# radclient as a cross-check of the same raddb (and that our users file means what we think).
rc_out=$(printf 'User-Name = "testuser"\nUser-Password = "testpass"\nMessage-Authenticator = 0x00\n' |
	ip netns exec "$CLI" timeout 10 radclient -x -S "$NET_TMP/secret" 192.0.2.1:1812 auth 2>&1)
if grep -q "Received Access-Accept" <<<"$rc_out" && grep -q 'Reply-Message = "hello testuser"' <<<"$rc_out"; then
	t_pass "radclient cross-check: PAP accept"
else
	t_fail "radclient cross-check" "$(tr '\n' '|' <<<"$rc_out")"
fi

if grep -q "Invalid Message-Authenticator\|Dropping packet without response" "$NET_TMP/freeradius.log"; then
	echo "    note: FreeRADIUS dropped something: $(grep -m2 "Invalid Message-Authenticator\|Dropping packet" "$NET_TMP/freeradius.log" | tr '\n' '|')"
fi
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
