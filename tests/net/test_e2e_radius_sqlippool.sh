#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Scale-out (issue 14 §3): two openpptp servers share ONE FreeRADIUS whose
# sqlippool hands out Framed-IP-Address from one SQLite pool, and whose sql
# module checks passwords from radcheck and writes both servers'
# accounting into one radacct table; its virtual server is the one
# docs/deployment.md shows (read from the page), on SQLite. Clients
# on both servers come up with distinct addresses (status of both servers
# and the radippool table agree), every record carries its own server's
# NAS-IP-Address and NAS-Identifier, Acct-Session-Ids are unique across
# servers, a full pool is a clean refusal, a Disconnect-Request sent to
# each server ends that session only, its Stop releases the lease, and a
# server's Accounting-On after a crash clears its leases and no others.
#
# Namespaces:      cliA 192.0.2.2  -- srvA 192.0.2.1   | 198.51.100.1  -- rad 198.51.100.2
#                  cliB 192.0.2.18 -- srvB 192.0.2.17  | 198.51.100.17 -- rad 198.51.100.18
# FreeRADIUS listens on 198.51.100.2; srvB routes there through .18, and
# rad reaches srvA's DAE listener on 192.0.2.1 through .1. srvA runs
# docs/deployment.md's vpn1 INI file (listen and nas-ip-address 192.0.2.1);
# srvB listens on every address and names itself by its source toward
# RADIUS.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/pptp_lib.sh
. tests/net/radius_lib.sh
trap net_cleanup EXIT

bail() { t_fail "$1" "$2"; net_report; exit 1; }
for tool in freeradius radclient sqlite3; do
	command -v "$tool" >/dev/null || bail "$tool" "not installed (make deps)"
done
[ -e /usr/lib/freeradius/rlm_sql_sqlite.so ] && [ -e /usr/lib/freeradius/rlm_sqlippool.so ] ||
	bail "rlm_sql_sqlite" "FreeRADIUS's sql/sqlippool modules missing"
CLIA=$(net_ns clia) && CLIB=$(net_ns clib) && SRVA=$(net_ns srva) && SRVB=$(net_ns srvb) && RAD=$(net_ns rad) ||
	bail "lab" "namespaces"
{ net_veth "$CLIA" 192.0.2.2/28 "$SRVA" 192.0.2.1/28 && net_veth "$CLIB" 192.0.2.18/28 "$SRVB" 192.0.2.17/28 &&
	net_veth "$SRVA" 198.51.100.1/28 "$RAD" 198.51.100.2/28 &&
	net_veth "$SRVB" 198.51.100.17/28 "$RAD" 198.51.100.18/28; } >/dev/null || bail "lab" "veth"
ip -n "$SRVB" route add 198.51.100.0/28 via 198.51.100.18 &&
	ip -n "$RAD" route add 192.0.2.0/28 via 198.51.100.1 || bail "lab" "routes"

SECRET=s3cret-$RANDOM$RANDOM
printf '%s\n' "$SECRET" >"$NET_TMP/radius-secret"
RADDB=$NET_TMP/raddb
POOL=(203.0.113.100 203.0.113.101 203.0.113.102 203.0.113.103 203.0.113.104 203.0.113.105)
mkdir -p "$RADDB"
radius_sqlippool "$RADDB" pptp "${POOL[@]}" || bail "sqlite" "cannot create the pool database"
# The site's eap is radius_lib.sh's own (md5 and mschapv2: no certificates
# to make; no login here uses EAP).
RADIUS_CLIENTS="client nas-b {
	ipaddr = 198.51.100.17
	secret = $SECRET
	require_message_authenticator = yes
}"
# The virtual server is docs/deployment.md's own, taken from the page.
site=$(awk '/^### sites-available\/openpptp/ {f = 1} f && /^```/ {if (b) exit; b = 1; next} b' docs/deployment.md)
[ -n "$site" ] || bail "deployment.md" "no sites-available/openpptp block"
RADIUS_SITE="policy {
	\$INCLUDE $RADDB/policy.d/accounting
}
$site"
radius_raddb "$RADDB" 198.51.100.2 198.51.100.1 "$SECRET"
: >"$RADDB/users"
# Users in radcheck, as deployed: plain passwords, and hal as an NT hash
# (what `openpptp user add --nt-hash` computes).
USERS=(ann ben cat dan eve fay gil hal)
for u in "${USERS[@]:0:7}"; do
	sql_seed="${sql_seed:-}INSERT INTO radcheck (username, attribute, op, value) VALUES ('$u', 'Cleartext-Password', ':=', '$u pass');"
done
nt=$(printf 'hal pass\n' | "$OPENPPTP" user add hal --nt-hash --secrets "$NET_TMP/nt" >/dev/null && awk '{print $3}' "$NET_TMP/nt")
sqlite3 "$RADDB/radius.db" "${sql_seed}INSERT INTO radcheck (username, attribute, op, value) VALUES ('hal', 'NT-Password', ':=', '0x${nt#nthash:}');" ||
	bail "radcheck" "cannot add the users"
: >"$NET_TMP/secrets"; chmod 600 "$NET_TMP/secrets"
chmod 711 "$NET_TMP"
radius_start "$RAD" "$RADDB" "$NET_TMP/freeradius.log" || bail "freeradius starts" "$(tail -15 "$NET_TMP/freeradius.log")"
t_pass "one FreeRADIUS with docs/deployment.md's virtual server, sql + sqlippool on SQLite, pool of ${#POOL[@]}"
DB=$RADDB/radius.db
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }

# server NAME NS ARGS...: (re)start a server; sets PID_<NAME>, LOG_<NAME>.
server() {
	local name=$1 ns=$2; shift 2
	local pidvar=PID_$name
	[ -n "${!pidvar:-}" ] && net_stop "${!pidvar}"
	local log=$NET_TMP/server.$name.$RANDOM.log
	net_bg "$ns" "$log" "$OPENPPTP" server --secrets "$NET_TMP/secrets" --control-socket "$NET_TMP/ctl.$name" \
		--foreground "$@"
	printf -v "PID_$name" '%s' "$NET_LAST_PID"
	printf -v "LOG_$name" '%s' "$log"
	net_wait_for 5 ip netns exec "$ns" "$OPENPPTP" status --control-socket "$NET_TMP/ctl.$name"
}
status() { # NAME: "address acct_session_id user" per session up
	local ns=$SRVA; [ "$1" = B ] && ns=$SRVB
	ip netns exec "$ns" "$OPENPPTP" status --json --control-socket "$NET_TMP/ctl.$1" 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin)["list"]:
    if s["state"] == "up":
        print(s["tunnel_address"], s["acct_session_id"], s["user"])'
}
up_count() { [ "$(status "$1" | wc -l)" = "$2" ]; }
# Server A: docs/deployment.md's INI file for vpn1, as printed (only the
# secret's path changed). Server B: the same on the command line, listening
# on every address, with a smaller --pool.
awk '/^## The openpptp servers/ {f = 1} f && /^```/ {if (b) exit; b = 1; next} b' docs/deployment.md |
	sed "s|/etc/openpptp/radius-secret|$NET_TMP/radius-secret|" >"$NET_TMP/vpn1.conf"
grep -q '^nas-identifier = vpn1$' "$NET_TMP/vpn1.conf" || bail "deployment.md" "no INI file for vpn1"
server A "$SRVA" --config "$NET_TMP/vpn1.conf" || bail "server A starts" "$(tail -5 "$LOG_A")"
B_ARGS=(--local-ip 203.0.113.1 --pool 203.0.113.100-203.0.113.120 --auth-source radius
	--radius-server 198.51.100.2 --radius-acct-server 198.51.100.2 --radius-secret-file "$NET_TMP/radius-secret"
	--radius-timeout 1 --nas-identifier vpn2 --dae-listen 0.0.0.0 --dae-client 198.51.100.18)
server B "$SRVB" "${B_ARGS[@]}" || bail "server B starts" "$(tail -5 "$LOG_B")"
NAS_A=192.0.2.1 NAS_B=198.51.100.17
if grep -q 'we are NAS-IP-Address 192.0.2.1, NAS-Identifier "vpn1"' "$LOG_A" &&
	grep -q 'we are NAS-IP-Address 198.51.100.17, NAS-Identifier "vpn2"' "$LOG_B"; then
	t_pass "NAS-IP-Address: A's from --nas-ip-address, B's its source toward RADIUS (B listens on 0.0.0.0)"
else
	t_fail "NAS-IP-Address chosen" "$(grep -h 'we are' "$LOG_A" "$LOG_B" | tr '\n' ' ')"
fi

declare -A CPID CLOG
# client USER NS SERVER IFNAME: start one client.
client() {
	local user=$1 ns=$2 srv=$3 ifname=$4
	printf '%s pass\n' "$user" >"$NET_TMP/pass.$user"
	CLOG[$user]=$NET_TMP/client.$user.log
	net_bg "$ns" "${CLOG[$user]}" "$OPENPPTP" connect "$srv" --user "$user" --password-file "$NET_TMP/pass.$user" \
		--ifname "$ifname" --foreground
	CPID[$user]=$NET_LAST_PID
}
client ann "$CLIA" 192.0.2.1 pa0; client ben "$CLIA" 192.0.2.1 pa1; client cat "$CLIA" 192.0.2.1 pa2
client dan "$CLIB" 192.0.2.17 pb0; client eve "$CLIB" 192.0.2.17 pb1; client fay "$CLIB" 192.0.2.17 pb2
if net_wait_for 30 up_count A 3 && net_wait_for 30 up_count B 3; then
	t_pass "3 clients up on server A, 3 on server B"
else
	t_fail "six sessions up" "A: $(status A | wc -l), B: $(status B | wc -l); $(grep -h 'no tunnel address\|refused' "$LOG_A" "$LOG_B" | head -3)"
fi

# Distinct addresses, all from the shared pool, and the table agrees.
addrs=$( (status A; status B) | awk '{print $1}' | sort)
leases() { sql "SELECT framedipaddress, nasipaddress FROM radippool WHERE expiry_time > datetime('now') ORDER BY 1"; }
want_leases=$( (status A | awk -v n=$NAS_A '{print $1 "|" n}'; status B | awk -v n=$NAS_B '{print $1 "|" n}') | sort)
if [ "$(wc -l <<<"$addrs")" = 6 ] && [ "$(uniq <<<"$addrs" | wc -l)" = 6 ] &&
	[ -z "$(comm -23 <(echo "$addrs") <(printf '%s\n' "${POOL[@]}" | sort))" ]; then
	t_pass "six distinct addresses across the two servers, all from the sqlippool pool"
else
	t_fail "distinct addresses" "$(tr '\n' ' ' <<<"$addrs")"
fi
if [ "$(leases)" = "$want_leases" ]; then
	t_pass "radippool holds exactly these leases, each under its own server's NAS-IP-Address"
else
	t_fail "radippool leases" "table: $(leases | tr '\n' ' ') servers: $(tr '\n' ' ' <<<"$want_leases")"
fi

# Accounting of both in one radacct table, each with its own NAS-IP-Address.
open_by_nas() { sql "SELECT nasipaddress, count(*) FROM radacct WHERE acctstoptime IS NULL GROUP BY 1 ORDER BY 1"; }
want_open="$NAS_A|3
$NAS_B|3"
open_is_want() { [ "$(open_by_nas)" = "$want_open" ]; }
if net_wait_for 10 open_is_want; then
	t_pass "accounting Start of both servers in one radacct table, 3 per NAS-IP-Address"
else
	t_fail "radacct Start records" "$(open_by_nas | tr '\n' ' ')"
fi
ids=$( (status A; status B) | awk '{print $2}' | sort)
db_ids=$(sql "SELECT acctsessionid FROM radacct WHERE acctstoptime IS NULL ORDER BY 1")
if [ "$(uniq <<<"$ids" | wc -l)" = 6 ] && [ "$ids" = "$db_ids" ]; then
	t_pass "Acct-Session-Id unique across the two servers (status and radacct agree)"
else
	t_fail "Acct-Session-Id unique" "status: $(tr '\n' ' ' <<<"$ids") radacct: $(tr '\n' ' ' <<<"$db_ids")"
fi
if grep -q 'NAS-Identifier = "vpn1"' "$RADDB/acct/detail" && grep -q 'NAS-Identifier = "vpn2"' "$RADDB/acct/detail"; then
	t_pass "the detail file names both servers (NAS-Identifier vpn1, vpn2)"
else
	t_fail "NAS-Identifier in accounting" "$(grep -c NAS-Identifier "$RADDB/acct/detail")"
fi

# The pool is full: a seventh login is refused, nothing given twice.
printf 'gil pass\n' >"$NET_TMP/pass.gil"
rc=$(timeout --kill-after=5 30 ip netns exec "$CLIA" "$OPENPPTP" connect 192.0.2.1 --user gil \
	--password-file "$NET_TMP/pass.gil" --ifname pa9 --foreground >"$NET_TMP/client.gil.log" 2>&1; echo $?)
if [ "$rc" = 6 ] && grep -q "no address left in the pool" "$NET_TMP/client.gil.log" && up_count A 3; then
	t_pass "pool exhausted: the seventh login is refused with RADIUS's Reply-Message"
else
	t_fail "pool exhausted" "exit $rc: $(tail -2 "$NET_TMP/client.gil.log" | tr '\n' ' ')"
fi

# dae NS TO CODE ATTRS...: radclient's output.
dae() {
	local ns=$1 to=$2 code=$3; shift 3
	printf '%s\n' "$@" | ip netns exec "$ns" timeout 10 radclient -x -r 1 -t 2 "$to:3799" "$code" "$SECRET" 2>&1
}
read -r a_addr a_id a_user < <(status A | head -1)
read -r b_addr b_id b_user < <(status B | sed -n 2p)
# A's session named to B: B has no such session.
out=$(dae "$RAD" 198.51.100.17 disconnect "Acct-Session-Id = \"$a_id\"")
grep -q "Error-Cause = Session-Context-Not-Found" <<<"$out" && up_count A 3 &&
	t_pass "Disconnect for server A's session sent to server B: NAK 503, nothing ends" ||
	t_fail "Disconnect to the wrong server" "$(tr '\n' ' ' <<<"$out")"
released() { [ "$(sql "SELECT count(*) FROM radippool WHERE framedipaddress = '$1' AND expiry_time < datetime('now')")" = 1 ]; }
stopped() { [ "$(sql "SELECT acctterminatecause FROM radacct WHERE acctsessionid = '$1' AND acctstoptime IS NOT NULL")" = Admin-Reset ]; }
# disconnect_case NAME NS TO USER ADDRESS ID OTHER_SERVER ATTR...
disconnect_case() {
	local name=$1 ns=$2 to=$3 user=$4 addr=$5 id=$6; shift 6
	local out why=""
	out=$(dae "$ns" "$to" disconnect "$@")
	grep -q "Received Disconnect-ACK" <<<"$out" || why="no ACK: $(tr '\n' ' ' <<<"$out")"
	[ -z "$why" ] && ! net_wait_for 10 net_exited "${CPID[$user]}" && why="$user's client still runs"
	[ -z "$why" ] && ! net_wait_for 10 stopped "$id" && why="no Stop Admin-Reset for $id in radacct"
	[ -z "$why" ] && ! net_wait_for 10 released "$addr" && why="lease of $addr not released"
	if [ -z "$why" ]; then t_pass "$name"; else t_fail "$name" "$why"; fi
}
disconnect_case "Disconnect-Request by Acct-Session-Id to server A: ACK, $a_user's session ends, Stop Admin-Reset, $a_addr released" \
	"$RAD" 192.0.2.1 "$a_user" "$a_addr" "$a_id" "Acct-Session-Id = \"$a_id\""
disconnect_case "Disconnect-Request by Framed-IP-Address to server B: ACK, $b_user's session ends, Stop Admin-Reset, $b_addr released" \
	"$RAD" 198.51.100.17 "$b_user" "$b_addr" "$b_id" "Framed-IP-Address = $b_addr" 'NAS-Identifier = "vpn2"'
left=$( (status A; status B) | wc -l)
others=0
for u in "${USERS[@]:0:6}"; do
	[ "$u" = "$a_user" ] || [ "$u" = "$b_user" ] || net_running "${CPID[$u]}" || others=$((others + 1))
done
[ "$left" = 4 ] && [ "$others" = 0 ] && [ "$(sql "SELECT count(*) FROM radippool WHERE expiry_time > datetime('now')")" = 4 ] &&
	t_pass "only those two ended: four sessions and four leases left" ||
	t_fail "other sessions untouched" "$left sessions, $others other clients gone"

# The released addresses are given again, on the other server.
client gil "$CLIB" 192.0.2.17 pb3; client hal "$CLIB" 192.0.2.17 pb4
if net_wait_for 30 up_count B 4 && [ "$( (status A; status B) | awk '{print $1}' | sort | uniq -d)" = "" ] &&
	[ "$( (status A; status B) | wc -l)" = 6 ]; then
	t_pass "the released addresses serve two new clients on server B (hal's password an NT hash in radcheck), still none twice"
else
	t_fail "released addresses reused" "$( (status A; status B) | tr '\n' ' ')"
fi

# Server A crashes (no Stop, no Accounting-Off): its leases stay until it
# comes back; its Accounting-On clears them, and server B's are untouched.
net_stop_kill() { kill -KILL "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
net_stop_kill "$PID_A"; PID_A=
for u in ann ben cat; do net_stop "${CPID[$u]}"; done
nas_leases() { sql "SELECT count(*) FROM radippool WHERE nasipaddress = '$1' AND expiry_time > datetime('now')"; }
nas_leases_are() { [ "$(nas_leases "$1")" = "$2" ]; } # NAS N (a predicate for net_wait_for)
nas_stops_are() { # NAS CAUSE N
	[ "$(sql "SELECT count(*) FROM radacct WHERE nasipaddress = '$1' AND acctterminatecause = '$2'")" = "$3" ]
}
[ "$(nas_leases $NAS_A)" = 2 ] || t_fail "leases of the crashed server" "$(nas_leases $NAS_A) left, want 2"
server A "$SRVA" --config "$NET_TMP/vpn1.conf" || t_fail "server A restarts" "$(tail -5 "$LOG_A")"
if net_wait_for 10 nas_leases_are $NAS_A 0 && nas_leases_are $NAS_B 4 && up_count B 4; then
	t_pass "server A's Accounting-On after a crash clears its leases only (B keeps 4 sessions and leases)"
else
	t_fail "Accounting-On clears this NAS's leases" "A: $(nas_leases $NAS_A), B: $(nas_leases $NAS_B)"
fi

# Server B stops cleanly: Stop for each session (NAS-Request), then
# Accounting-Off; every lease of B is released.
net_stop "$PID_B"; PID_B=
if net_wait_for 10 nas_leases_are $NAS_B 0 && net_wait_for 10 nas_stops_are $NAS_B NAS-Request 4; then
	t_pass "server B stops: four Stops (NAS-Request) and Accounting-Off, its leases released"
else
	t_fail "server B stop" "leases $(nas_leases $NAS_B), $(sql "SELECT acctterminatecause, count(*) FROM radacct WHERE nasipaddress = '$NAS_B' GROUP BY 1" | tr '\n' ' ')"
fi
for u in "${USERS[@]}"; do [ -n "${CPID[$u]:-}" ] && net_stop "${CPID[$u]}"; done
[ -n "$PID_A" ] && net_stop "$PID_A"
net_stop "$RADIUS_PID"
net_report
[ "$NET_FAILED" -eq 0 ]
