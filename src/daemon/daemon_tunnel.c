/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_tunnel.h"

#include "base/error.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_tun.h"

/* ---- the engine's callbacks (ctx = dt) ---- */

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct daemon_tunnel *dt = ctx;
	/* A failure makes ctrl LOST; the settle after this call reports it. */
	(void)daemon_ctrl_write(&dt->ctrl, bytes, len);
}

static void on_gre_output(void *ctx, uint32_t peer, struct pkt *gre_packet)
{
	struct daemon_tunnel *dt = ctx;
	daemon_gre_send(dt->gre, gre_packet, peer);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip_packet)
{
	struct daemon_tunnel *dt = ctx;
	(void)call;
	daemon_tun_write(dt->tun, ip_packet);
}

/* ---- the control connection ---- */

static void on_ctrl_input(void *ctx, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	struct daemon_tunnel *dt = ctx;
	if (daemon_tunnel_is_running(dt))
		tunnel_tcp_input(dt->tunnel, bytes, len, now_ms);
}

static void on_ctrl_after(void *ctx, uint64_t now_ms)
{
	daemon_tunnel_settle(ctx, now_ms);
}

static const struct daemon_ctrl_ops ctrl_ops = {
	.input = on_ctrl_input,
	.after = on_ctrl_after,
};

static void on_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)loop;
	(void)t;
	daemon_tunnel_on_timeout(ctx, sys_now_ms());
}

/* ---- life ---- */

void daemon_tunnel_init(struct daemon_tunnel *dt, struct loop *loop, struct daemon_gre *gre, struct daemon_tun *tun,
			daemon_tunnel_event_fn on_event_fn, void *owner, const char *tag)
{
	*dt = (struct daemon_tunnel){ .state = DAEMON_TUNNEL_NONE, .loop = loop, .gre = gre, .tun = tun,
				      .on_event = on_event_fn, .owner = owner };
	daemon_ctrl_init(&dt->ctrl, loop, &ctrl_ops, dt, tag);
	loop_timer_init(&dt->timer, on_timer, dt);
}

int daemon_tunnel_open(struct daemon_tunnel *dt, struct tunnel_config *tc, uint64_t now_ms)
{
	if (dt->state != DAEMON_TUNNEL_NONE)
		return ERR_STATE;
	tc->ctx = dt;
	tc->tcp_output = on_tcp_output;
	tc->gre_output = on_gre_output;
	tc->tun_output = on_tun_output;
	dt->tunnel = tunnel_new(tc, now_ms);
	if (!dt->tunnel)
		return ERR_NOMEM;
	dt->state = DAEMON_TUNNEL_RUNNING;
	daemon_tunnel_settle(dt, now_ms);
	return 0;
}

int daemon_tunnel_attach_tcp(struct daemon_tunnel *dt, int fd)
{
	return daemon_ctrl_attach(&dt->ctrl, fd);
}

void daemon_tunnel_destroy(struct daemon_tunnel *dt)
{
	loop_timer_cancel(dt->loop, &dt->timer);
	daemon_ctrl_close(&dt->ctrl);
	tunnel_free(dt->tunnel);
	dt->tunnel = NULL;
	dt->state = DAEMON_TUNNEL_NONE;
}

uint32_t daemon_tunnel_peer(const struct daemon_tunnel *dt)
{
	return dt->tunnel ? tunnel_peer_ipv4(dt->tunnel) : 0;
}

/* ---- the drain point ---- */

static void dispatch(struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	if (ev->type == TUNNEL_EVENT_CLOSED) {
		/* The engine is finished (CLOSED is its last event): no reads, no
		 * timer, nothing enters it any more. */
		dt->state = DAEMON_TUNNEL_CLOSED;
		daemon_ctrl_stop(&dt->ctrl);
		loop_timer_cancel(dt->loop, &dt->timer);
	}
	dt->on_event(dt->owner, dt, ev);
}

void daemon_tunnel_settle(struct daemon_tunnel *dt, uint64_t now_ms)
{
	/* To a fixed point: the owner's handler may call the engine again
	 * (queueing more events), and a control connection lost while the
	 * engine ran (its output sink only records that) is reported now,
	 * after the call, never from inside the engine. */
	struct tunnel_event ev;
	while (daemon_tunnel_is_running(dt)) {
		if (tunnel_next_event(dt->tunnel, &ev))
			dispatch(dt, &ev);
		else if (daemon_ctrl_take_loss(&dt->ctrl))
			tunnel_tcp_closed(dt->tunnel, now_ms);
		else
			break;
	}
	if (daemon_tunnel_is_running(dt)) {
		/* Most packets leave the next deadline where it was: skip the
		 * heap walk (a tenth of an idle 10,000-session server's CPU). */
		uint64_t next = tunnel_next_deadline(dt->tunnel);
		if (next != dt->timer.deadline)
			(void)loop_timer_set(dt->loop, &dt->timer, next);
	}
}

/* ---- ways in ---- */

void daemon_tunnel_start(struct daemon_tunnel *dt, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	(void)tunnel_start(dt->tunnel, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_gre_input(struct daemon_tunnel *dt, const struct gre_header *h, struct pkt *payload,
			     uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt)) {
		pkt_free(payload);
		return;
	}
	tunnel_gre_input(dt->tunnel, h, payload, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_send_ip(struct daemon_tunnel *dt, struct tunnel_call *call, struct pkt *ip, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt)) {
		pkt_free(ip);
		return;
	}
	(void)tunnel_send_ip(dt->tunnel, call, ip, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_on_timeout(struct daemon_tunnel *dt, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	tunnel_on_timeout(dt->tunnel, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_close(struct daemon_tunnel *dt, const char *reason, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	tunnel_close(dt->tunnel, reason, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_call_close(struct daemon_tunnel *dt, struct tunnel_call *call, const char *reason,
			      uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	tunnel_call_close(dt->tunnel, call, reason, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_verify_done(struct daemon_tunnel *dt, uint16_t local_call_id, const struct auth_verdict *v,
			       const struct ppp_link_grant *g, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	tunnel_verify_done(dt->tunnel, local_call_id, v, g, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}

void daemon_tunnel_tcp_lost(struct daemon_tunnel *dt, uint64_t now_ms)
{
	if (!daemon_tunnel_is_running(dt))
		return;
	daemon_ctrl_stop(&dt->ctrl);
	tunnel_tcp_closed(dt->tunnel, now_ms);
	daemon_tunnel_settle(dt, now_ms);
}
