/* SPDX-License-Identifier: BSD-2-Clause */
/* The server daemon's state, shared by its files:
 *   server.c           main: setup, signals, teardown
 *   server_conn.c      accepting, one control connection's life, its tunnel's events
 *   server_session.c   sessions: addresses, routes, the GRE and TUN demux tables
 *   server_settings.c  options, tunnel settings, the secrets file and its reload
 *   server_control.c   the control socket (status, kick)
 *   server_privsep.c   what it asks the privileged helper (docs/privsep.md) */
#ifndef OPENPPTP_SERVER_INTERNAL_H
#define OPENPPTP_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "config/secrets.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_notify.h"
#include "daemon/daemon_settings.h"
#include "daemon/daemon_signals.h"
#include "daemon/daemon_tun.h"
#include "daemon/daemon_tunnel.h"
#include "privsep/privsep.h"
#include "proto/session/tunnel.h"
#include "server/addr_map.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "server/server.h"
#include "server/source_limit.h"
#include "server/status_stream.h"
#include "sys/loop.h"

#define SERVER_TAG "server"
#define SERVER_CALLS_PER_CONN 4

struct server_conn;

/* One PPP session: a call of a control connection. */
struct server_session {
	bool in_use;
	bool up;
	bool routed;
	struct server_conn *conn;
	struct tunnel_call *call;
	uint16_t local_call_id;
	uint32_t address;       /* tunnel address, host order; 0 until LINK_UP */
	uint64_t up_since;
};

/* One control connection (TCP 1723) and its tunnel engine. */
struct server_conn {
	struct server *server;
	struct server_conn *next;
	struct server_conn **prev_next;
	uint32_t peer;
	uint16_t peer_port;
	uint32_t local;
	char peer_text[24];
	char tag[96];
	struct daemon_tunnel dt;
	struct loop_timer setup_timer;
	struct loop_deferred free_later;
	bool established;       /* a session came up: no longer "negotiating" */
	bool dead;              /* freed at the next deferred round */
	uint32_t pending[SERVER_CALLS_PER_CONN]; /* addresses handed out, not yet up */
	int pending_count;
	struct server_session sessions[SERVER_CALLS_PER_CONN];
};

struct server {
	struct server_config *cfg;
	struct loop *loop;
	struct daemon_tunnel_settings tunnel;
	uint32_t dns[2], nbns[2];
	int listen_fd, control_fd;
	struct loop_fd listen_watch, control_watch;
	struct daemon_gre gre;
	struct daemon_tun tun;
	struct daemon_shutdown shutdown;
	struct privsep_channel privsep;
	bool helper_lost; /* the helper died: exit 1 */
	struct secrets secrets;
	struct ip_pool pool;
	struct call_ids call_ids;
	struct source_limit limits;
	struct addr_map by_address;
	struct server_conn *by_call[65536];
	struct server_conn *conns;
	unsigned connections;
	unsigned negotiating;
	unsigned sessions_up;
	uint64_t started_ms;
	struct log_limit log_limit;
	struct daemon_notify notify;
	struct status_streams status_streams; /* status answers being written */
};

/* server_settings.c */
/* 0: run; 1: --help printed; negative: error printed. */
int server_settings(struct server *s, int argc, char **argv);
int server_load_secrets(struct server *s);
void server_reload(void *ctx);

/* server_conn.c */
void server_accept(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx);
/* Stop signal: close every tunnel in order; false when there is none. */
bool server_close_all(void *ctx, int signo);
/* Teardown: free every connection now. */
void server_free_all(struct server *s);

/* server_session.c */
struct server_session *server_session_of(struct server_conn *c, const struct tunnel_call *call);
void server_session_call_up(struct server_conn *c, const struct tunnel_event *ev);
void server_session_link_up(struct server_conn *c, const struct tunnel_event *ev);
void server_session_release(struct server *s, struct server_conn *c, struct server_session *ss);
uint32_t server_session_assign_address(void *tunnel_ctx, const char *user, uint32_t static_address);
struct daemon_tunnel *server_gre_lookup(void *ctx, uint16_t call_id);
enum daemon_tun_drop server_tun_route(void *ctx, struct pkt *ip, uint64_t now_ms);

/* server_privsep.c */
void server_privsep_config(const struct server *s, struct privsep_config *pc);
bool server_privsep_route(struct server *s, uint32_t addr, bool add);
int server_take_secrets(struct server *s, const char *text, size_t len);
int server_reload_secrets(struct server *s);
void server_helper_lost(void *ctx);
void server_privsep_finish(struct server *s);

/* server_control.c */
void server_control_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx);

#endif
