/* The server daemon's state, shared by server.c and server_control.c. */
#ifndef OPENPPTP_SERVER_INTERNAL_H
#define OPENPPTP_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "config/secrets.h"
#include "proto/gre/gre_header.h"
#include "proto/session/tunnel.h"
#include "server/addr_map.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "server/server.h"
#include "server/source_limit.h"
#include "sys/loop.h"
#include "sys/netlink.h"
#include "sys/tcp.h"
#include "sys/tun.h"

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
	int fd;
	uint32_t peer;
	uint16_t peer_port;
	uint32_t local;
	char peer_text[24];
	char tag[96];
	struct loop_fd watch;
	struct loop_timer timer;
	struct loop_timer setup_timer;
	struct loop_deferred free_later;
	struct tcp_out out;
	struct tunnel *tunnel;
	bool established;       /* a session came up: no longer "negotiating" */
	bool dead;              /* freed at the next deferred round */
	bool tcp_overflow;      /* the output buffer overflowed: the connection is lost */
	uint32_t pending[SERVER_CALLS_PER_CONN]; /* addresses handed out, not yet up */
	int pending_count;
	struct server_session sessions[SERVER_CALLS_PER_CONN];
};

struct server_stats {
	uint64_t gre_foreign;   /* unknown call ID or wrong source address */
	uint64_t gre_malformed;
	uint64_t tun_no_session;
	struct gre_error_counters gre_errors;
};

struct server {
	struct server_config *cfg;
	struct loop *loop;
	unsigned auth;
	struct ppp_mppe_policy mppe;
	uint32_t dns[2], nbns[2];
	int listen_fd, gre_fd, control_fd;
	struct loop_fd listen_watch, gre_watch, tun_watch, control_watch;
	struct loop_timer stop_timer;
	struct tun tun;
	bool tun_open;
	struct netlink nl;
	bool nl_open;
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
	bool stopping;
	uint64_t started_ms;
	struct log_limit log_limit;
	struct server_stats stats;
};

int server_load_secrets(struct server *s);
/* After every tunnel_* call on c->tunnel: drain its events, re-arm. */
void server_conn_after_tunnel(struct server_conn *c);
void server_control_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx);

#endif
