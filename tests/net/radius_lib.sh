#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A FreeRADIUS 3.2 for the namespace tests (source lib.sh first):
# radius_raddb DIR LISTEN_IP CLIENT_IP SECRET writes a raddb with files +
# pap + chap + mschap (MPPE keys) + eap (md5, mschapv2, and what RADIUS_EAP_METHODS adds; a user's
# `EAP-Type := Microsoft-MS-CHAPv2` picks the method), auth and acct listeners on LISTEN_IP and
# a detail file DIR/acct/detail; users come from DIR/users (the caller
# writes it). Debian 12's 3.2.1 predates the BlastRADIUS fixes, so the
# virtual server adds Message-Authenticator to its replies (docs/radius.md).
# radius_start NS DIR LOG: FreeRADIUS as the unprivileged freerad user in
# the foreground (debug mode unless RADIUS_FAST=1); sets RADIUS_PID.
# Optional text spliced into the raddb (empty unless set, so older callers
# see no change): RADIUS_CLIENTS (more client sections), RADIUS_MODULES,
# RADIUS_AUTHORIZE, RADIUS_POST_AUTH, RADIUS_PREACCT, RADIUS_ACCOUNTING
# (radius_sqlippool sets these five), RADIUS_SITE (replaces the virtual
# server).
# radius_lab [TOOL...] and radius_lab_start: the lab most RADIUS tests
# share (source pptp_lib.sh too), below.

# radius_bail CHECK WHY: a failed check the rest of a test cannot go on without.
radius_bail() {
	t_fail "$1" "$2"
	net_report
	exit 1
}

# radius_lab [TOOL...]: freeradius and each TOOL installed, pptp_lab (cli
# 192.0.2.2 -- srv 192.0.2.1), namespace RAD at 198.51.100.2 behind srv's
# 198.51.100.1, a random SECRET also in $NET_TMP/radius-secret, and
# RADDB=$NET_TMP/raddb from radius_raddb (set RADIUS_* before). Any step
# failing ends the test (radius_bail). The caller writes $RADDB/users, then
# runs radius_lab_start.
radius_lab() {
	local tool
	for tool in freeradius "$@"; do
		command -v "$tool" >/dev/null || radius_bail "$tool" "not installed (make deps)"
	done
	pptp_lab || radius_bail "lab" "cannot create namespaces"
	RAD=$(net_ns rad) || radius_bail "lab" "rad namespace"
	net_veth "$SRV" 198.51.100.1/24 "$RAD" 198.51.100.2/24 >/dev/null || radius_bail "lab" "veth"
	SECRET=s3cret-$RANDOM$RANDOM
	printf '%s\n' "$SECRET" >"$NET_TMP/radius-secret"
	RADDB=$NET_TMP/raddb
	radius_raddb "$RADDB" 198.51.100.2 198.51.100.1 "$SECRET"
}

# radius_lab_start: FreeRADIUS on the lab's raddb in RAD, its log
# $NET_TMP/freeradius.log (freerad must reach it); sets RADIUS_PID or ends
# the test.
radius_lab_start() {
	chmod 711 "$NET_TMP"
	radius_start "$RAD" "$RADDB" "$NET_TMP/freeradius.log" ||
		radius_bail "freeradius starts" "$(tail -15 "$NET_TMP/freeradius.log")"
}

radius_raddb() {
	local dir=$1 listen=$2 client=$3 secret=$4
	mkdir -p "$dir/log" "$dir/run" "$dir/acct"
	cp /etc/freeradius/3.0/dictionary "$dir/dictionary"
	cat >"$dir/radiusd.conf" <<EOF2
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $dir/log
raddbdir = $dir
radacctdir = $dir/acct
name = freeradius
confdir = $dir
modconfdir = $dir/mods-config
run_dir = $dir/run
db_dir = $dir
libdir = /usr/lib/freeradius
pidfile = $dir/run/radiusd.pid
max_request_time = 10
cleanup_delay = 2
max_requests = 1024
hostname_lookups = no
log {
	destination = stdout
	auth = yes
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
client openpptp {
	ipaddr = $client
	secret = $secret
	require_message_authenticator = yes
}
client relay {
	ipaddr = ${listen%.*}.3
	secret = $secret
	require_message_authenticator = yes
}
${RADIUS_CLIENTS:-}
thread pool {
	start_servers = 2
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 4
	max_requests_per_server = 0
}
modules {
	pap {
		normalise = yes
	}
	chap {
	}
	mschap {
		use_mppe = yes
		require_encryption = no
		require_strong = no
	}
	files {
		filename = $dir/users
	}
	eap {
		default_eap_type = md5
		timer_expire = 60
		ignore_unknown_eap_types = no
		max_sessions = 64
		md5 {
		}
		mschapv2 {
			send_error = yes
		}
${RADIUS_EAP_METHODS:-}
	}
	detail {
		filename = $dir/acct/detail
		permissions = 0644
	}
	always ok {
		rcode = ok
	}
${RADIUS_MODULES:-}
}
EOF2
	# RADIUS_SITE: a whole virtual server (and any top-level text such as
	# a policy section) in place of "default" below.
	if [ -n "${RADIUS_SITE:-}" ]; then
		printf '%s\n' "$RADIUS_SITE" >>"$dir/radiusd.conf"
		return 0
	fi
	cat >>"$dir/radiusd.conf" <<EOF2
server default {
	listen {
		type = auth
		ipaddr = $listen
		port = 1812
	}
	listen {
		type = acct
		ipaddr = $listen
		port = 1813
	}
	authorize {
		files
		eap
${RADIUS_AUTHORIZE:-}
		chap
		mschap
		pap
		Autz-Type Status-Server {
			ok
			update reply {
				Message-Authenticator := 0x00
			}
		}
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		Auth-Type EAP {
			eap
		}
	}
	post-auth {
${RADIUS_POST_AUTH:-}
		update reply {
			Message-Authenticator := 0x00
		}
		Post-Auth-Type REJECT {
			update reply {
				Message-Authenticator := 0x00
			}
		}
	}
	preacct {
		ok
${RADIUS_PREACCT:-}
	}
	accounting {
		detail
${RADIUS_ACCOUNTING:-}
	}
}
EOF2
}

radius_start() {
	local ns=$1 dir=$2 log=$3
	chown -R freerad:freerad "$dir"
	# RADIUS_FAST=1: threads and no debug output (load figures); else -X.
	local mode=(-X)
	[ -n "${RADIUS_FAST:-}" ] && mode=(-f -l stdout)
	net_bg "$ns" "$log" setpriv --reuid=freerad --regid=freerad --init-groups --inh-caps=-all \
		freeradius "${mode[@]}" -d "$dir"
	# shellcheck disable=SC2034 # the tests read it
	RADIUS_PID=$NET_LAST_PID
	net_wait_for 20 grep -q "Ready to process requests" "$log"
}

# radius_sqlippool DIR POOL ADDRESS...: before radius_raddb (it sets the
# hooks). One SQLite database DIR/radius.db with FreeRADIUS's own radacct
# and radippool schemas and pool POOL holding ADDRESS...; modules sql
# (accounting into radacct) and sqlippool (Framed-IP-Address from POOL at
# post-auth, released by the accounting Stop, a NAS's leases cleared by its
# Accounting-On/-Off), plus what docs/deployment.md's virtual server uses
# (preprocess, policy.d/accounting for acct_unique; not eap, which needs
# an Auth-Type EAP in the virtual server). No address in the reply is an Access-Reject: an Accept
# without one would make the server take one from its own --pool, which
# the other servers do not see. The queries are Debian's, copied (never
# edited in /etc); 3.2.1's ippool/sqlite allocate_find lacks an AND, fixed
# in the copy.
radius_sqlippool() {
	local dir=$1 pool=$2; shift 2
	local src=/etc/freeradius/3.0/mods-config/sql i=0 a
	mkdir -p "$dir/mods-config/sql/main/sqlite" "$dir/mods-config/sql/ippool/sqlite"
	cp "$src/main/sqlite/queries.conf" "$dir/mods-config/sql/main/sqlite/queries.conf"
	sed 's/^\([[:space:]]*\)expiry_time < datetime/\1AND expiry_time < datetime/' \
		"$src/ippool/sqlite/queries.conf" >"$dir/mods-config/sql/ippool/sqlite/queries.conf"
	{
		cat "$src/main/sqlite/schema.sql" "$src/ippool/sqlite/schema.sql"
		for a in "$@"; do
			i=$((i + 1))
			printf "INSERT INTO radippool (id, pool_name, framedipaddress, expiry_time) VALUES (%d, '%s', '%s', '2000-01-01 00:00:00');\n" \
				"$i" "$pool" "$a"
		done
	} | sqlite3 "$dir/radius.db" || return 1
	: >"$dir/hints"; : >"$dir/huntgroups"
	mkdir -p "$dir/policy.d"
	cp /etc/freeradius/3.0/policy.d/accounting "$dir/policy.d/accounting"
	RADIUS_MODULES="
	expr {
	}
	preprocess {
		huntgroups = $dir/huntgroups
		hints = $dir/hints
	}
	always reject {
		rcode = reject
	}
	sql {
		dialect = \"sqlite\"
		driver = \"rlm_sql_sqlite\"
		sqlite {
			filename = \"$dir/radius.db\"
			busy_timeout = 2000
		}
		radius_db = \"radius\"
		acct_table1 = \"radacct\"
		acct_table2 = \"radacct\"
		postauth_table = \"radpostauth\"
		authcheck_table = \"radcheck\"
		groupcheck_table = \"radgroupcheck\"
		authreply_table = \"radreply\"
		groupreply_table = \"radgroupreply\"
		usergroup_table = \"radusergroup\"
		client_table = \"nas\"
		group_attribute = \"SQL-Group\"
		delete_stale_sessions = yes
		pool {
			start = 1
			min = 1
			max = 4
			spare = 1
			uses = 0
			lifetime = 0
			idle_timeout = 60
		}
		\$INCLUDE \${modconfdir}/\${.:name}/main/\${dialect}/queries.conf
	}
	sqlippool {
		sql_module_instance = \"sql\"
		dialect = \"sqlite\"
		ippool_table = \"radippool\"
		pool_name = \"Pool-Name\"
		lease_duration = 3600
		attribute_name = Framed-IP-Address
		req_attribute_name = Framed-IP-Address
		pool_key = \"%{NAS-Port}\"
		\$INCLUDE \${modconfdir}/sql/ippool/\${dialect}/queries.conf
	}"
	RADIUS_AUTHORIZE="
		update control {
			&Pool-Name := \"$pool\"
		}"
	RADIUS_POST_AUTH="
		sqlippool
		if (!&reply:Framed-IP-Address) {
			update reply {
				Message-Authenticator := 0x00
				Reply-Message := \"no address left in the pool\"
			}
			reject
		}"
	RADIUS_PREACCT="
		update request {
			&Acct-Unique-Session-Id := \"%{md5:%{User-Name},%{Acct-Session-Id},%{NAS-IP-Address},%{NAS-Identifier},%{NAS-Port}}\"
		}"
	RADIUS_ACCOUNTING="
		sqlippool
		sql"
}
