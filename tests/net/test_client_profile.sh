#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Client profiles: `openpptp profile add` writes PROFILE-DIR/NAME.conf
# (mode 0600; the password as its NT hash when only MS-CHAP is allowed),
# and `openpptp connect --profile NAME` brings the tunnel up from it.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/pptp_lib.sh
trap 'net_cleanup' EXIT
pptp_lab || { t_fail "lab" "cannot create namespaces"; net_report; exit 1; }
pptp_server
DIR=$NET_TMP/profiles

"$OPENPPTP" profile add office --profile-dir "$DIR" --server 192.0.2.1 --user "$PPTP_USER" \
	--password-file "$NET_TMP/password" --ifname rtun0 >/dev/null
f=$DIR/office.conf
if [ "$(stat -c %a "$f" 2>/dev/null)" = 600 ] && grep -q '^password-nt-hash = "[0-9a-f]\{32\}"$' "$f" &&
	! grep -q "$PPTP_PASS" "$f"; then t_pass "profile add: mode 0600, NT hash, no password in the file"
else t_fail "profile add" "$(stat -c %a "$f" 2>&1) $(tr '\n' ' ' <"$f" 2>/dev/null)"; fi

# connect_profile NAME CODE PATTERN ARGS...
connect_profile() {
	local name=$1 code=$2 pattern=$3; shift 3
	CLIENT_LOG=$NET_TMP/client.profile.$RANDOM.log
	timeout --kill-after=5 8 ip netns exec "$CLI" "$OPENPPTP" connect --profile-dir "$DIR" --foreground "$@" \
		>"$CLIENT_LOG" 2>&1
	local rc=$?
	if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$CLIENT_LOG"; then t_pass "$name (exit $rc)"
	else t_fail "$name" "exit $rc (want $code): $(tail -3 "$CLIENT_LOG" | tr '\n' ' ')"; fi
}
# Up, then stopped by timeout (124).
connect_profile "connect --profile: tunnel up with the NT hash" 124 "tunnel up: rtun0" --profile office

"$OPENPPTP" profile add plain --profile-dir "$DIR" --server 192.0.2.1 --user "$PPTP_USER" --auth mschapv2,pap \
	--password-file "$NET_TMP/password" --ifname rtun1 >/dev/null
if grep -q "^password = \"$PPTP_PASS\"$" "$DIR/plain.conf"; then t_pass "--auth beyond MS-CHAP: the password as given"
else t_fail "plain password" "$(tr '\n' ' ' <"$DIR/plain.conf")"; fi
connect_profile "connect --profile with a plaintext password" 124 "tunnel up: rtun1" --profile plain
connect_profile "the command line wins over the profile" 124 "tunnel up: rtun2" --profile office --ifname rtun2

connect_profile "a missing profile is a usage error" 2 "no profile nosuch" --profile nosuch
connect_profile "--profile and --config together are refused" 2 "not both" --profile office --config "$f"
if "$OPENPPTP" profile list --profile-dir "$DIR" | grep -q "^office .*server 192.0.2.1 .*user $PPTP_USER$"; then
	t_pass "profile list shows server and user"
else t_fail "profile list" "$("$OPENPPTP" profile list --profile-dir "$DIR" | tr '\n' ' ')"; fi
"$OPENPPTP" profile del plain --profile-dir "$DIR" >/dev/null
if [ ! -e "$DIR/plain.conf" ] && [ -e "$f" ]; then t_pass "profile del removes only its file"
else t_fail "profile del" "$(ls "$DIR")"; fi
net_report
