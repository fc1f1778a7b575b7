/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_tun.h"

#include "base/bytes.h"
#include "base/error.h"
#include "daemon/daemon_budget.h"

const char *daemon_tun_drop_name(enum daemon_tun_drop reason)
{
	static const char *const names[DAEMON_TUN_DROP_COUNT] = {
		[DAEMON_TUN_ROUTED] = "routed",         [DAEMON_TUN_DROP_NOT_IPV4] = "not IPv4",
		[DAEMON_TUN_DROP_NO_SESSION] = "no session", [DAEMON_TUN_DROP_NO_MEMORY] = "no memory",
		[DAEMON_TUN_DROP_WRITE] = "write failed",
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

void daemon_tun_read(struct daemon_tun *t, uint64_t now_ms)
{
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
		enum daemon_tun_drop verdict = t->route(t->route_ctx, p, now_ms);
		if (verdict != DAEMON_TUN_ROUTED) {
			t->stats.dropped[verdict < DAEMON_TUN_DROP_COUNT ? verdict : DAEMON_TUN_DROP_NO_SESSION]++;
			pkt_free(p);
		}
	}
}

void daemon_tun_write(struct daemon_tun *t, struct pkt *ip)
{
	if (t->dev.fd >= 0 && tun_write(&t->dev, ip) == 0)
		t->stats.tx_packets++;
	else
		t->stats.dropped[DAEMON_TUN_DROP_WRITE]++;
	pkt_free(ip);
}

void daemon_tun_close(struct daemon_tun *t)
{
	loop_fd_remove(t->loop, &t->watch);
	if (t->dev.fd >= 0)
		tun_close(&t->dev);
}
