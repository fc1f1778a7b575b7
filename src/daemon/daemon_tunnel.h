/* SPDX-License-Identifier: BSD-2-Clause */
/* One tunnel engine (src/proto/session/tunnel.h) wired to its control
 * connection (daemon_ctrl), the daemon's GRE socket (daemon_gre) and TUN
 * (daemon_tun), and its timer: the glue the server runs once per control
 * connection and the client once per attempt.
 *
 * Every way into the engine from the loop (control bytes, GRE, an IP
 * packet, the timer, a close asked for by an operator or a signal) goes
 * through a daemon_tunnel_* function below, and each ends in
 * daemon_tunnel_settle, the single drain point: the engine's queued events
 * (tunnel_next_event) handed to the owner's ONE event function, a lost
 * control connection reported to the engine once, the timer re-armed at
 * the engine's next deadline. Inside the owner's event function, call the
 * engine (tunnel_*) directly: the settle that is running drains what that
 * queues.
 *
 *   NONE --open--> RUNNING --TUNNEL_EVENT_CLOSED--> CLOSED --destroy--> NONE */
#ifndef OPENPPTP_DAEMON_DAEMON_TUNNEL_H
#define OPENPPTP_DAEMON_DAEMON_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/daemon_ctrl.h"
#include "proto/session/tunnel.h"
#include "sys/loop.h"

struct daemon_gre;
struct daemon_tun;
struct daemon_tunnel;

enum daemon_tunnel_state {
	DAEMON_TUNNEL_NONE = 0,   /* no engine */
	DAEMON_TUNNEL_RUNNING,
	DAEMON_TUNNEL_CLOSED,     /* TUNNEL_EVENT_CLOSED seen: nothing enters the engine any more */
};

/* The owner's one place for its tunnel's events. It may end the tunnel's
 * life on CLOSED (the last event; defer the free: daemon_tunnel_destroy
 * after the current callback) and may call tunnel_* on dt->tunnel for
 * anything else. A call pointer in an event is valid until CALL_DOWN. */
typedef void (*daemon_tunnel_event_fn)(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev);

struct daemon_tunnel {
	enum daemon_tunnel_state state;
	struct tunnel *tunnel;
	struct loop *loop;
	struct daemon_ctrl ctrl;
	struct loop_timer timer;
	struct daemon_gre *gre;
	struct daemon_tun *tun;
	daemon_tunnel_event_fn on_event;
	void *owner;
};

void daemon_tunnel_init(struct daemon_tunnel *dt, struct loop *loop, struct daemon_gre *gre, struct daemon_tun *tun,
			daemon_tunnel_event_fn on_event, void *owner, const char *tag);
/* Create the engine from tc; the I/O callbacks and ctx of tc are set here (tc->ctx becomes dt: the owner's own callbacks in tc, e.g.
 * lookup_secret, get dt and find their state with daemon_tunnel_owner). */
int daemon_tunnel_open(struct daemon_tunnel *dt, struct tunnel_config *tc, uint64_t now_ms);
/* The control connection's fd (connected, nonblocking): read from now on. */
int daemon_tunnel_attach_tcp(struct daemon_tunnel *dt, int fd);
/* Unwatch, cancel the timer, flush and close TCP, free the engine. Never
 * from inside the engine (an event function): defer it. */
void daemon_tunnel_destroy(struct daemon_tunnel *dt);

static inline bool daemon_tunnel_is_running(const struct daemon_tunnel *dt)
{
	return dt->state == DAEMON_TUNNEL_RUNNING;
}
static inline void *daemon_tunnel_owner(void *tunnel_ctx)
{
	return ((struct daemon_tunnel *)tunnel_ctx)->owner;
}
uint32_t daemon_tunnel_peer(const struct daemon_tunnel *dt);

/* Ways into a running engine; each settles. Packets are always taken. */
void daemon_tunnel_start(struct daemon_tunnel *dt, uint64_t now_ms);
void daemon_tunnel_gre_input(struct daemon_tunnel *dt, const struct gre_header *h, struct pkt *payload,
			     uint64_t now_ms);
void daemon_tunnel_send_ip(struct daemon_tunnel *dt, struct tunnel_call *call, struct pkt *ip, uint64_t now_ms);
void daemon_tunnel_on_timeout(struct daemon_tunnel *dt, uint64_t now_ms);
void daemon_tunnel_close(struct daemon_tunnel *dt, const char *reason, uint64_t now_ms);
void daemon_tunnel_call_close(struct daemon_tunnel *dt, struct tunnel_call *call, const char *reason,
			      uint64_t now_ms);
/* The verdict on a call's credentials (tunnel_verify_done). */
void daemon_tunnel_verify_done(struct daemon_tunnel *dt, uint16_t local_call_id, const struct auth_verdict *v,
			       const struct ppp_link_grant *g, uint64_t now_ms);
/* Drop the control connection as if the peer had (a setup that took too long). */
void daemon_tunnel_tcp_lost(struct daemon_tunnel *dt, uint64_t now_ms);

/* The single drain point (see above). */
void daemon_tunnel_settle(struct daemon_tunnel *dt, uint64_t now_ms);

#endif
