#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A FreeRADIUS 3.2 for the namespace tests (source lib.sh first):
# radius_raddb DIR LISTEN_IP CLIENT_IP SECRET writes a raddb with files +
# pap + chap + mschap (MPPE keys) + eap (md5, mschapv2; a user's
# `EAP-Type := Microsoft-MS-CHAPv2` picks the method), auth and acct listeners on LISTEN_IP and
# a detail file DIR/acct/detail; users come from DIR/users (the caller
# writes it). Debian 12's 3.2.1 predates the BlastRADIUS fixes, so the
# virtual server adds Message-Authenticator to its replies (docs/radius.md).
# radius_start NS DIR LOG: FreeRADIUS as the unprivileged freerad user in
# the foreground (debug mode unless RADIUS_FAST=1); sets RADIUS_PID.

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
	}
	detail {
		filename = $dir/acct/detail
		permissions = 0644
	}
	always ok {
		rcode = ok
	}
}
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
	}
	accounting {
		detail
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
