/* SPDX-License-Identifier: BSD-2-Clause */
/* One connection attempt of the client (src/client/client.c), and what it
 * reports: the exit code for a cause, and the log lines a user reads
 * (client_report.c). */
#ifndef OPENPPTP_CLIENT_SESSION_H
#define OPENPPTP_CLIENT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "client/client_settings.h"
#include "client/client_system.h"
#include "config/ipv4.h"
#include "daemon/daemon_budget.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_signals.h"
#include "daemon/daemon_tun.h"
#include "daemon/daemon_tunnel.h"
#include "proto/session/tunnel.h"
#include "sys/gre_socket.h"
#include "sys/loop.h"
#include "sys/tcp.h"

#define CLIENT_TAG "client"

enum client_phase {
	CLIENT_CONNECTING = 0,  /* TCP connect in progress */
	CLIENT_RUNNING,         /* the tunnel engine runs */
	CLIENT_FINISHED,        /* the exit code is known; the loop stops, then teardown */
};

struct client_session {
	const struct client_config *cfg;
	const struct client_settings *settings;
	struct loop *loop;
	enum client_phase phase;
	uint32_t server;
	uint32_t local;
	int tcp_fd;                     /* until the tunnel takes it */
	struct loop_fd connect_watch;
	struct loop_timer connect_timer;
	struct daemon_gre gre;
	struct daemon_tun tun;
	struct daemon_tunnel dt;
	struct daemon_shutdown shutdown;
	struct log_limit log_limit;
	struct tunnel_call *call;       /* while the link is up */
	struct ppp_link_event link;     /* as LINK_UP reported it */
	uint32_t mtu;
	struct privsep_channel *privsep;
	struct client_system system;
	bool link_was_up;               /* the host was changed: undo it */
	int exit_code;
	uint64_t up_since;
};

int client_exit_code_for(const struct tunnel_event *ev);
void client_log_link_up(const struct client_config *cfg, const char *ifname, uint32_t mtu,
			const struct ppp_link_event *l);
/* "authentication failed for user ...: ..." with MS-CHAP's E= code in words (pure). */
size_t client_auth_failed_text(char *out, size_t size, const char *user, const char *why);
/* The "tunnel up" line (pure, for the tests). */
size_t client_link_up_text(char *out, size_t size, const char *ifname, uint32_t mtu, const struct ppp_link_event *l,
			   bool dns_applied);
void client_log_closed(const struct client_config *cfg, const struct client_settings *settings,
		       const struct tunnel_event *ev, int code);
/* At the end of an attempt: what was dropped, if anything. */
void client_log_drops(const struct daemon_gre_stats *gre, const struct daemon_tun_stats *tun);

#endif
