/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_tun.h"

#include "base/bytes.h"
#include "base/error.h"
#include "daemon/daemon_budget.h"
#include "proto/ip/ip_gso.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One read with offloads on: the virtio-net header and an IP packet of at
 * most 64 KiB (the IPv4 total length field; the TUN's gso_max_size). */
#define TUN_SUPER_MAX (VNET_HDR_LEN + 65535)

const char *daemon_tun_drop_name(enum daemon_tun_drop reason)
{
	static const char *const names[DAEMON_TUN_DROP_COUNT] = {
		[DAEMON_TUN_ROUTED] = "routed",         [DAEMON_TUN_DROP_NOT_IPV4] = "not IPv4",
		[DAEMON_TUN_DROP_NO_SESSION] = "no session", [DAEMON_TUN_DROP_NO_MEMORY] = "no memory",
		[DAEMON_TUN_DROP_WRITE] = "write failed", [DAEMON_TUN_DROP_OFFLOAD] = "offload",
	};
	return (unsigned)reason < DAEMON_TUN_DROP_COUNT ? names[reason] : "?";
}

static void tun_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	(void)loop;
	(void)w;
	(void)events;
	daemon_tun_read(ctx, sys_now_ms());
}

void daemon_tun_init(struct daemon_tun *t, struct loop *loop, daemon_tun_route_fn route, void *route_ctx)
{
	*t = (struct daemon_tun){ .loop = loop, .route = route, .route_ctx = route_ctx };
	t->dev.fd = -1;
	loop_fd_init(&t->watch);
}

int daemon_tun_attach(struct daemon_tun *t)
{
	if (t->dev.fd < 0)
		return ERR_STATE;
	if (t->dev.vnet_hdr && !t->super && !(t->super = malloc(TUN_SUPER_MAX)))
		return ERR_NOMEM;
	if (t->dev.vnet_hdr && !t->gro_buf) {
		if (!(t->gro_buf = malloc(TUN_SUPER_MAX)))
			return ERR_NOMEM;
		ip_gro_init(&t->gro, t->gro_buf, TUN_SUPER_MAX);
	}
	return loop_fd_add(t->loop, &t->watch, t->dev.fd, LOOP_READ, tun_readable, t);
}

bool daemon_tun_ipv4_destination(const struct pkt *ip, uint32_t *dst)
{
	const uint8_t *h = pkt_data(ip);
	if (ip->len < 20 || (h[0] >> 4) != 4) /* RFC 791 §3.1: version 4, 20-byte minimum header */
		return false;
	*dst = load_be32(h + 16);
	return true;
}

bool daemon_tun_ipv6_destination(const struct pkt *ip, const uint8_t **dst)
{
	const uint8_t *h = pkt_data(ip);
	if (ip->len < 40 || (h[0] >> 4) != 6) /* RFC 8200 §3: version 6, 40-byte header */
		return false;
	*dst = h + 24;
	return true;
}

static void route_one(struct daemon_tun *t, struct pkt *p, uint64_t now_ms)
{
	enum daemon_tun_drop verdict = t->route(t->route_ctx, p, now_ms);
	if (verdict != DAEMON_TUN_ROUTED) {
		t->stats.dropped[verdict < DAEMON_TUN_DROP_COUNT ? verdict : DAEMON_TUN_DROP_NO_SESSION]++;
		pkt_free(p);
	}
}

static struct pkt *packet_new(struct daemon_tun *t)
{
	struct pkt *p = t->alloc ? t->alloc() : pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		t->stats.dropped[DAEMON_TUN_DROP_NO_MEMORY]++;
	return p;
}

/* A super-packet: each segment into its own buffer, routed in order. A
 * segment that does not fit a buffer (an MTU above PKT_SIZE) is an
 * offload drop, as is a super-packet ip_gso refuses. */
static void segment(struct daemon_tun *t, const struct vnet_hdr *h, const uint8_t *ip, size_t len, uint64_t now_ms)
{
	struct ip_gso g;
	size_t mtu = t->segment_mtu ? t->segment_mtu(t->route_ctx, ip, len) : t->mtu;
	if (ip_gso_begin(&g, h, ip, len, mtu) < 0) {
		t->stats.rx_packets++;
		t->stats.dropped[DAEMON_TUN_DROP_OFFLOAD]++;
		return;
	}
	t->stats.gso_reads++;
	for (;;) {
		struct pkt *p = packet_new(t);
		if (!p) {
			t->stats.rx_packets++;
			if (ip_gso_next(&g, t->scratch, sizeof(t->scratch)) <= 0)
				return;
			continue;
		}
		int n = ip_gso_next(&g, pkt_data(p), pkt_tailroom(p));
		if (n <= 0) {
			if (n < 0)
				t->stats.dropped[DAEMON_TUN_DROP_OFFLOAD]++;
			pkt_free(p);
			return;
		}
		p->len = (size_t)n;
		t->stats.rx_packets++;
		t->stats.gso_segments++;
		route_one(t, p, now_ms);
	}
}

/* Offloads on: one read into t->super; a plain packet (its partial
 * checksum finished, virtio v1.1 §5.1.6.2) is copied into a buffer, a
 * super-packet segmented. Returns false when the TUN is drained. */
static bool read_offloaded(struct daemon_tun *t, uint64_t now_ms)
{
	ssize_t n;
	do
		n = read(t->dev.fd, t->super, TUN_SUPER_MAX);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return false;
	struct vnet_hdr h;
	if ((size_t)n < VNET_HDR_LEN) {
		t->stats.rx_packets++;
		t->stats.dropped[DAEMON_TUN_DROP_OFFLOAD]++;
		return true;
	}
	vnet_hdr_decode(t->super, &h);
	uint8_t *ip = t->super + VNET_HDR_LEN;
	size_t len = (size_t)n - VNET_HDR_LEN;
	if ((h.gso_type & (unsigned)~VNET_HDR_GSO_ECN) != VNET_HDR_GSO_NONE) {
		segment(t, &h, ip, len, now_ms);
		return true;
	}
	t->stats.rx_packets++;
	if (vnet_finish_checksum(ip, len, &h) < 0) {
		t->stats.dropped[DAEMON_TUN_DROP_OFFLOAD]++;
		return true;
	}
	struct pkt *p = packet_new(t);
	if (!p)
		return true;
	if (len > pkt_tailroom(p)) {
		t->stats.dropped[DAEMON_TUN_DROP_OFFLOAD]++;
		pkt_free(p);
		return true;
	}
	memcpy(pkt_data(p), ip, len);
	p->len = len;
	route_one(t, p, now_ms);
	return true;
}

void daemon_tun_read(struct daemon_tun *t, uint64_t now_ms)
{
	if (t->dev.vnet_hdr && t->super) {
		/* The budget counts packets, not reads: a read may be 45 of them,
		 * and the GRE side (the ACKs) must get its turn. */
		uint64_t start = t->stats.rx_packets;
		while (t->stats.rx_packets - start < DAEMON_TUN_READS_PER_ROUND && t->dev.fd >= 0)
			if (!read_offloaded(t, now_ms))
				return;
		return;
	}
	for (int i = 0; i < DAEMON_TUN_READS_PER_ROUND && t->dev.fd >= 0; i++) {
		struct pkt *p = t->alloc ? t->alloc() : pkt_new(PKT_SIZE, PKT_HEADROOM);
		if (!p) {
			/* Read it anyway, so the TUN drains and the drop is counted. */
			struct pkt scratch;
			pkt_init(&scratch, t->scratch, sizeof(t->scratch), PKT_HEADROOM);
			if (tun_read(&t->dev, &scratch) <= 0)
				return;
			t->stats.rx_packets++;
			t->stats.dropped[DAEMON_TUN_DROP_NO_MEMORY]++;
			continue;
		}
		if (tun_read(&t->dev, p) <= 0) {
			pkt_free(p);
			return;
		}
		t->stats.rx_packets++;
		route_one(t, p, now_ms);
	}
}

/* Write what ip_gro holds: one write, counted per segment. */
static void gro_write(struct daemon_tun *t)
{
	unsigned segments = t->gro.segments;
	size_t n = ip_gro_finish(&t->gro);
	if (n == 0)
		return;
	ssize_t w;
	do
		w = t->dev.fd >= 0 ? write(t->dev.fd, t->gro_buf, n) : -1;
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		t->stats.dropped[DAEMON_TUN_DROP_WRITE] += segments;
		return;
	}
	t->stats.tx_packets += segments;
	if (segments > 1) {
		t->stats.gro_writes++;
		t->stats.gro_segments += segments;
	}
}

static void gro_deferred(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	(void)loop;
	(void)d;
	gro_write(ctx);
}

/* Offloads on: merge ip into the pending super-packet, or write that and
 * start a new one; false when ip is no TCP segment to merge (the pending
 * one is written first, so the order on the TUN stays the order given). */
static bool gro_take(struct daemon_tun *t, struct pkt *ip)
{
	if (ip_gro_add(&t->gro, pkt_data(ip), ip->len))
		goto taken;
	gro_write(t);
	if (!ip_gro_add(&t->gro, pkt_data(ip), ip->len))
		return false;
taken:
	pkt_free(ip);
	if (t->loop)
		loop_defer(t->loop, &t->gro_flush, gro_deferred, t);
	else
		gro_write(t);
	return true;
}

void daemon_tun_write(struct daemon_tun *t, struct pkt *ip)
{
	if (t->gro_buf && t->dev.fd >= 0 && gro_take(t, ip))
		return;
	if (t->dev.fd >= 0 && tun_write(&t->dev, ip) == 0)
		t->stats.tx_packets++;
	else
		t->stats.dropped[DAEMON_TUN_DROP_WRITE]++;
	pkt_free(ip);
}

void daemon_tun_close(struct daemon_tun *t)
{
	if (t->gro_buf) {
		gro_write(t);
		if (t->loop)
			loop_defer_cancel(t->loop, &t->gro_flush);
	}
	loop_fd_remove(t->loop, &t->watch);
	if (t->dev.fd >= 0)
		tun_close(&t->dev);
	free(t->super);
	t->super = NULL;
	free(t->gro_buf);
	t->gro_buf = NULL;
}
