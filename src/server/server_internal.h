/* SPDX-License-Identifier: BSD-2-Clause */
/* The server daemon's state, shared by its files:
 *   server.c           main: setup, signals, teardown
 *   server_conn.c      accepting, one control connection's life, its tunnel's events
 *   server_session.c   sessions: addresses, routes, the GRE and TUN demux tables
 *   server_settings.c  options, tunnel settings, the secrets file and its reload
 *   server_control.c   the control socket (status, kick)
 *   server_privsep.c   what it asks the privileged helper (docs/privsep.md)
 *   server_metrics.c   the /metrics body (docs/metrics.md) */
#ifndef OPENPPTP_SERVER_INTERNAL_H
#define OPENPPTP_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/log.h"
#include "config/ipv6.h"
#include "config/secrets.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_notify.h"
#include "daemon/daemon_radius.h"
#include "daemon/daemon_settings.h"
#include "daemon/daemon_signals.h"
#include "daemon/daemon_tun.h"
#include "daemon/daemon_tunnel.h"
#include "daemon/metrics_http.h"
#include "privsep/privsep.h"
#include "proto/session/tunnel.h"
#include "server/addr_map.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "server/server_acct.h"
#include "server/server_auth.h"
#include "server/server_dae.h"
#include "server/server_framed.h"
#include "server/server.h"
#include "server/server_metrics.h"
#include "server/server_pools.h"
#include "server/source_limit.h"
#include "server/status_stream.h"
#include "sys/loop.h"
#include "sys/proc_self.h"

#define SERVER_TAG "server"
#define SERVER_CALLS_PER_CONN 4
/* A control connection whose last call ended gets this long to place
 * another (a PNS redials at once) before we stop it (RFC 2637 §3.1.4:
 * either side may send Stop-Control-Connection-Request); an account's
 * connection cannot be held open for ever without a call. */
#define SERVER_IDLE_CONN_GRACE_MS 10000u

/* Descriptors beyond one per session and per negotiating connection
 * (server_fds.c), and how long accepting pauses when they run out. */
#define SERVER_FD_OVERHEAD 64
#define SERVER_ACCEPT_PAUSE_MS 1000u

/* The server's IPV6CP identifier on every session: fe80::1 is on the
 * shared TUN, so the server's own stack can talk to the peers'
 * link-local addresses (each session is its own link, RFC 5072 §4.1
 * needs the two ends to differ, not the sessions). */
#define SERVER_IPV6_IID 1

struct server_conn;
struct control_client;

/* What a session keeps of RADIUS's Access-Accept (radius_grant): the
 * timers and the Class it echoes in accounting. Not the whole grant (616
 * bytes with its messages, used once at the verdict) in every session:
 * issue 13 counts each session's bytes. */
struct server_grant {
	uint32_t session_timeout, idle_timeout, interim_interval; /* seconds; 0: none */
	uint8_t *class_value; /* heap, NULL when none (RFC 2865 §5.25) */
	size_t class_len;
};

/* One PPP session: a call of a control connection. */
struct server_session {
	bool in_use;
	bool up;
	bool routed;
	struct server_conn *conn;
	struct tunnel_call *call;
	uint16_t local_call_id;
	uint32_t address;       /* tunnel address, host order; 0 until LINK_UP */
	uint32_t subnet6;       /* its /64 in --ipv6-pool (ipv6.h); 0 = none yet */
	bool routed6;
	uint64_t peer_iid;      /* IPV6CP: the peer's fe80::iid; 0 = none */
	uint16_t mtu;           /* the link's, from LINK_UP: TUN super-packets are cut to it */
	bool routed_ll;
	uint64_t up_since;
	uint64_t call_up_ms; /* the call was placed: setup time runs from here */
	uint64_t account; /* server_account_key of the login, once up */
	/* AAA (server_auth.c, server_acct.c) */
	char *user;                     /* as authenticated; heap, sized to the name (NULL before) */
	bool by_radius;                 /* RADIUS accepted it: grant below */
	struct server_grant grant;
	char acct_session_id[20];
	bool acct_started;
	uint32_t term_cause;            /* enum server_acct_cause, 0 = not known yet */
	uint32_t dae_wait;              /* the Disconnect-Request waiting for its end (dae_wait.h), 0 = none */
	uint64_t last_interim;
	uint64_t idle_packets, idle_since;
	/* RADIUS Framed-Route prefixes reserved for it (server_framed.c);
	 * routed: the helper was asked to install them. */
	struct ipv4_prefix framed[SERVER_FRAMED_PER_SESSION];
	unsigned framed_count;
	bool framed_routed;
};

/* A tunnel address handed out to a login whose IPCP has not finished. */
struct server_pending {
	uint32_t address;
	uint64_t account; /* server_account_key */
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
	struct loop_timer idle_timer; /* armed while the connection has no call */
	struct loop_deferred free_later;
	bool established;       /* a session came up: no longer "negotiating" */
	bool dead;              /* freed at the next deferred round */
	bool login_charged;     /* a login attempt took a token (source_limit_begin_login) */
	struct server_pending pending[SERVER_CALLS_PER_CONN]; /* addresses handed out, not yet up */
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
	struct server_named_pools named_pools; /* --named-pool, inside pool */
	struct server_framed_routes framed;    /* --framed-route-allow and the routes installed */
	struct call_ids call_ids;
	struct source_limit limits;
	struct addr_map by_address;
	/* --ipv6-pool: IPv6 destination -> its /64's subnet ID -> session */
	bool ipv6;
	struct ipv6_prefix pool6;
	uint8_t dns6[2][16];
	uint8_t dns6_count;
	struct addr_map by_subnet6;
	struct addr_map by_iid;  /* fe80::<peer identifier> -> session (key: server_iid_key) */
	struct server_conn *by_call[65536];
	struct server_conn *conns;
	unsigned connections;
	unsigned negotiating;
	unsigned sessions_up;
	unsigned pending_addresses; /* of every connection: admitted, IPCP not done */
	uint64_t started_ms;
	struct log_limit log_limit;
	struct daemon_notify notify;
	/* --metrics-listen (server_metrics.c, docs/metrics.md) */
	struct server_counters counters;
	bool metrics_on;
	uint32_t metrics_address;
	uint16_t metrics_port;
	struct metrics_allow metrics_allow[METRICS_ALLOW_MAX];
	size_t metrics_allow_count;
	struct metrics_http metrics;
	struct proc_self proc;
	struct control_client *control_clients; /* server_control_io.c */
	unsigned control_client_count;
	bool control_gid_known;
	gid_t control_gid; /* members of the socket file's group may use it */
	int fd_reserve;    /* closed to accept when out of descriptors */
	bool accept_paused;
	struct loop_timer accept_timer;
	struct log_limit fd_log_limit;
	struct daemon_radius radius;
	struct server_auth auth;
	struct server_acct acct;
	struct loop_timer acct_timer;
	struct server_dae dae;
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
/* A call ended: its session and, for a call that never came up, the
 * address handed out to it go back. */
void server_session_call_down(struct server_conn *c, const struct tunnel_event *ev);
/* Every address handed out on this connection and not yet up goes back. */
void server_session_drop_pending(struct server_conn *c);
/* An account's key: a 64-bit hash of the login without its "DOMAIN\\"
 * (names are what authenticated users sent; 8 bytes a session instead of
 * 256 for the name). */
uint64_t server_account_key(const char *user);
/* Sessions (up or admitted) of this account, across the server. */
unsigned server_account_sessions(const struct server *s, uint64_t account);
uint32_t server_session_assign_address(void *tunnel_ctx, const char *user, uint32_t static_address);
bool server_session_assign_prefix6(void *tunnel_ctx, uint32_t peer_address, uint8_t prefix[8]);
void server_session_ipv6_up(struct server_conn *c, const struct tunnel_event *ev);
uint32_t server_iid_key(uint64_t iid);
struct daemon_tunnel *server_gre_lookup(void *ctx, uint16_t call_id);
enum daemon_tun_drop server_tun_route(void *ctx, struct pkt *ip, uint64_t now_ms);
/* A super-packet's session MTU (daemon_tun_mtu_fn): its segments' bound. */
size_t server_tun_segment_mtu(void *ctx, const uint8_t *ip, size_t len);

/* server_fds.c */
/* RLIMIT_NOFILE to what the limits need; an error (logged) if it cannot. */
int server_fds_raise_limit(const struct server *s);
void server_fds_init(struct server *s);
void server_fds_reserve(struct server *s); /* after the listening socket */
void server_fds_close(struct server *s);
/* accept() on listening_fd ran out of descriptors: refuse one waiting
 * connection there, pause accepting on both listening sockets. */
void server_fds_exhausted(struct server *s, int listening_fd);
struct server_session *server_session_by_call_id(struct server_conn *c, uint16_t local_call_id);
/* Keep what the session needs of an Access-Accept (struct server_grant). */
void server_session_grant(struct server_session *ss, const struct radius_grant *g);

/* server_radius.c: settings and setup of the RADIUS client */
int server_radius_settings(struct server *s);
int server_radius_open(struct server *s);
void server_radius_close(struct server *s);
int server_parse_addr_port(const char *text, uint16_t default_port, uint32_t *addr, uint16_t *port, bool any_ok);
int server_read_secret_file(const char *path, uint8_t *out, size_t cap, size_t *len);
/* server_grant.h's pick over --named-pool (ctx: the server). */
int server_pool_pick(void *ctx, const char *name, uint32_t *addr);

/* server_acct.c */
void server_acct_init(struct server *s, uint32_t boot_id);
/* The once-a-second walk (held records, Session-/Idle-Timeout, interims):
 * only when RADIUS or DAE can give it work; a server on its secrets file
 * alone does not scan its sessions every second (issue 13: idle CPU). */
void server_acct_arm(struct server *s);
void server_acct_session_id(struct server *s, struct server_session *ss);
void server_acct_start(struct server *s, struct server_session *ss);
void server_acct_stop(struct server *s, struct server_session *ss);
void server_acct_on(struct server *s);
void server_acct_off(struct server *s);
/* The Acct-Terminate-Cause of a link's end. */
uint32_t server_acct_cause(enum ppp_link_cause cause, bool stopping);
void server_acct_reply(struct server *s, uint64_t handle);
void server_acct_failed(struct server *s, uint64_t handle);
void server_radius_nas_info(const struct server *s, const struct server_conn *c, const struct server_session *ss,
			    struct radius_nas_info *nas);

/* server_privsep.c */
void server_privsep_config(const struct server *s, struct privsep_config *pc);
bool server_privsep_route(struct server *s, uint32_t addr, uint16_t mtu, bool add);
bool server_privsep_prefix_route(struct server *s, const struct ipv4_prefix *p, uint16_t mtu, bool add);
/* server_session_framed.c: RADIUS Framed-Route of one session. */
struct radius_grant;
struct ppp_link_grant;
void server_framed_grant(struct server *s, struct server_session *ss, const struct radius_grant *g, const char *tag,
			 struct ppp_link_grant *lg);
void server_framed_route_all(struct server *s, struct server_session *ss, bool add);
void server_framed_release(struct server *s, struct server_session *ss);
bool server_privsep_route6(struct server *s, const uint8_t prefix[16], uint8_t len, bool add);
int server_take_secrets(struct server *s, const char *text, size_t len);
int server_reload_secrets(struct server *s);
void server_helper_lost(void *ctx);
void server_privsep_finish(struct server *s);

/* server_control.c: the answer to one request line (malloc'd), or NULL. */
char *server_control_answer(struct server *s, const char *request, size_t *len);
/* `status` and `status json`: answered on fd (taken) by status_stream. */
void server_status_answer(struct server *s, int fd, bool json);
/* server_control_io.c */
void server_control_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx);
void server_control_close_all(struct server *s);

#endif
