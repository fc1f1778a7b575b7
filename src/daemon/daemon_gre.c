/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_gre.h"

#include <unistd.h>

#include "base/error.h"
#include "config/ipv4.h"
#include "daemon/daemon_budget.h"
#include "daemon/daemon_tunnel.h"
#include "proto/gre/gre_ipv4.h"
#include "sys/gre_socket.h"

const char *daemon_gre_drop_name(enum daemon_gre_drop reason)
{
	static const char *const names[DAEMON_GRE_DROP_COUNT] = {
		[DAEMON_GRE_DROP_UNREADABLE] = "unreadable",     [DAEMON_GRE_DROP_NO_MEMORY] = "no memory",
		[DAEMON_GRE_DROP_MALFORMED] = "malformed",       [DAEMON_GRE_DROP_NO_CALL] = "no such call",
		[DAEMON_GRE_DROP_WRONG_PEER] = "not that call's peer",
	};
	return (unsigned)reason < DAEMON_GRE_DROP_COUNT ? names[reason] : "?";
}

static void gre_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	(void)loop;
	(void)w;
	(void)events;
	daemon_gre_receive(ctx, sys_now_ms());
}

void daemon_gre_init(struct daemon_gre *g, struct loop *loop, daemon_gre_lookup_fn lookup, void *lookup_ctx,
		     const char *tag, enum log_level drop_log_level, struct log_limit *log_limit)
{
	*g = (struct daemon_gre){ .fd = -1, .loop = loop, .tag = tag, .drop_log_level = drop_log_level,
				  .log_limit = log_limit, .lookup = lookup, .lookup_ctx = lookup_ctx };
	loop_fd_init(&g->watch);
}

int daemon_gre_attach(struct daemon_gre *g, int fd)
{
	int rc = loop_fd_add(g->loop, &g->watch, fd, LOOP_READ, gre_readable, g);
	if (rc == 0)
		g->fd = fd;
	return rc;
}

void daemon_gre_close(struct daemon_gre *g)
{
	daemon_gre_flush(g);
	loop_fd_remove(g->loop, &g->watch);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

int daemon_gre_detach(struct daemon_gre *g)
{
	daemon_gre_flush(g);
	loop_fd_remove(g->loop, &g->watch);
	int fd = g->fd;
	g->fd = -1;
	return fd;
}

static void gre_drop(struct daemon_gre *g, struct pkt *p, enum daemon_gre_drop reason, uint32_t src,
		     uint16_t call_id, int error, uint64_t now_ms)
{
	g->stats.dropped[reason]++;
	char from[IPV4_STR_MAX];
	switch (reason) {
	case DAEMON_GRE_DROP_MALFORMED:
		gre_error_count(&g->stats.malformed, error);
		log_limited(g->log_limit, now_ms, g->drop_log_level, g->tag, "dropped GRE from %s: %s",
			    ipv4_format(src, from), error_name(error));
		break;
	case DAEMON_GRE_DROP_NO_CALL:
	case DAEMON_GRE_DROP_WRONG_PEER:
		log_limited(g->log_limit, now_ms, g->drop_log_level, g->tag, "dropped GRE for call %u from %s: %s",
			    call_id, ipv4_format(src, from), daemon_gre_drop_name(reason));
		break;
	case DAEMON_GRE_DROP_UNREADABLE:
	case DAEMON_GRE_DROP_NO_MEMORY:
		log_limited(g->log_limit, now_ms, g->drop_log_level, g->tag, "dropped GRE: %s",
			    daemon_gre_drop_name(reason));
		break;
	case DAEMON_GRE_DROP_COUNT:
		break;
	}
	pkt_free(p);
}

/* One datagram: IPv4 (RFC 791) and GRE (RFC 2637 §4.1) headers checked and
 * stripped, then the call ID names the tunnel, whose peer must be the
 * source: a call ID alone is guessable (16 bits). */
static void gre_dispatch_one(struct daemon_gre *g, struct pkt *p, uint32_t src, uint64_t now_ms)
{
	g->stats.rx_datagrams++;
	if (p->len == 0) {
		gre_drop(g, p, DAEMON_GRE_DROP_UNREADABLE, src, 0, 0, now_ms);
		return;
	}
	struct gre_ipv4 ip;
	struct gre_header h;
	int rc = gre_ipv4_strip(p, &ip);
	if (rc >= 0)
		rc = gre_header_strip(p, &h);
	if (rc < 0) {
		gre_drop(g, p, DAEMON_GRE_DROP_MALFORMED, src, 0, rc, now_ms);
		return;
	}
	struct daemon_tunnel *dt = g->lookup(g->lookup_ctx, h.call_id);
	if (!dt || !daemon_tunnel_is_running(dt)) {
		gre_drop(g, p, DAEMON_GRE_DROP_NO_CALL, src, h.call_id, 0, now_ms);
		return;
	}
	if (daemon_tunnel_peer(dt) != src) {
		gre_drop(g, p, DAEMON_GRE_DROP_WRONG_PEER, src, h.call_id, 0, now_ms);
		return;
	}
	if (!tunnel_call_find(dt->tunnel, h.call_id)) {
		gre_drop(g, p, DAEMON_GRE_DROP_NO_CALL, src, h.call_id, 0, now_ms);
		return;
	}
	g->stats.rx_delivered++;
	daemon_tunnel_gre_input(dt, &h, p, now_ms);
}

void daemon_gre_dispatch(struct daemon_gre *g, struct pkt *const pkts[], const uint32_t src[], size_t n,
			 uint64_t now_ms)
{
	for (size_t i = 0; i < n; i++)
		gre_dispatch_one(g, pkts[i], src[i], now_ms);
}

void daemon_gre_receive(struct daemon_gre *g, uint64_t now_ms)
{
	struct pkt *slots[DAEMON_GRE_BATCH] = { 0 };
	struct pkt scratch[DAEMON_GRE_BATCH];
	for (int round = 0; round < DAEMON_GRE_ROUNDS; round++) {
		/* Slots left from the last round are reused; a slot without a
		 * buffer reads into scratch (every scratch slot shares g->scratch:
		 * its bytes are never looked at). */
		struct pkt *batch[DAEMON_GRE_BATCH];
		for (int i = 0; i < DAEMON_GRE_BATCH; i++) {
			if (!slots[i])
				slots[i] = g->alloc ? g->alloc() : pkt_new(PKT_SIZE, PKT_HEADROOM);
			if (slots[i]) {
				batch[i] = slots[i];
			} else {
				pkt_init(&scratch[i], g->scratch, sizeof(g->scratch), PKT_HEADROOM);
				batch[i] = &scratch[i];
			}
		}
		uint32_t src[DAEMON_GRE_BATCH];
		uint32_t drops = 0;
		bool have_drops = false;
		int n = gre_socket_recv_batch_drops(g->fd, batch, src, DAEMON_GRE_BATCH, &drops, &have_drops);
		if (have_drops)
			g->stats.socket_drops = drops; /* the kernel's running count */
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			if (!slots[i]) {
				g->stats.rx_datagrams++;
				gre_drop(g, NULL, DAEMON_GRE_DROP_NO_MEMORY, src[i], 0, 0, now_ms);
				continue;
			}
			struct pkt *p = slots[i];
			slots[i] = NULL;
			gre_dispatch_one(g, p, src[i], now_ms);
		}
		if (n < DAEMON_GRE_BATCH)
			break;
	}
	for (int i = 0; i < DAEMON_GRE_BATCH; i++)
		pkt_free(slots[i]);
}

void daemon_gre_flush(struct daemon_gre *g)
{
	if (g->loop)
		loop_defer_cancel(g->loop, &g->tx_flush);
	size_t n = g->txq_len;
	if (n == 0)
		return;
	g->txq_len = 0;
	/* sendmmsg stops at the first packet it cannot send: past one the
	 * kernel refuses alone (no route to that peer), carry on with the
	 * rest; when it would block, the rest is dropped as a sendto's was. */
	size_t done = 0;
	while (done < n && g->fd >= 0) {
		int rc = gre_socket_send_batch(g->fd, g->txq + done, g->txq_peer + done, n - done);
		if (rc == ERR_AGAIN)
			break;
		if (rc > 0) {
			g->stats.tx_packets += (uint64_t)rc;
			done += (size_t)rc;
		} else {
			g->stats.tx_failed++;
			done++;
		}
	}
	g->stats.tx_failed += n - done;
	for (size_t i = 0; i < n; i++)
		pkt_free(g->txq[i]);
}

static void gre_tx_deferred(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	(void)loop;
	(void)d;
	daemon_gre_flush(ctx);
}

void daemon_gre_send(struct daemon_gre *g, struct pkt *p, uint32_t peer)
{
	if (g->fd < 0) { /* no socket (closed, or a test's harness): nothing to wait for */
		g->stats.tx_failed++;
		pkt_free(p);
		return;
	}
	g->txq[g->txq_len] = p;
	g->txq_peer[g->txq_len] = peer;
	if (++g->txq_len == DAEMON_GRE_TX_BATCH || !g->loop)
		daemon_gre_flush(g);
	else
		loop_defer(g->loop, &g->tx_flush, gre_tx_deferred, g);
}
