/* SPDX-License-Identifier: BSD-2-Clause */
/* A server-side daemon core with one control connection and one
 * established call, for the daemon unit tests and the GRE fuzz harness.
 *
 * The control connection is a socketpair whose far end plays the client:
 * pptp-linux's captured Start-Control-Connection-Request and
 * Outgoing-Call-Request go in, so the PAC engine answers and the call is
 * up with our call ID DH_CALL_ID from peer DH_PEER. The GRE socket is -1
 * (what the engine sends is refused and counted as tx_failed); the TUN is
 * a datagram socketpair. Time is virtual (h->now). */
#ifndef OPENPPTP_TEST_DAEMON_HARNESS_H
#define OPENPPTP_TEST_DAEMON_HARNESS_H

#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/bytes.h"
#include "base/pkt.h"
#include "daemon/daemon_budget.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_settings.h"
#include "daemon/daemon_tun.h"
#include "daemon/daemon_tunnel.h"
#include "proto/gre/gre_header.h"
#include "sys/loop.h"
#include "fuzz_rng.h"

#define DH_LOCAL 0xC0000201u   /* 192.0.2.1 */
#define DH_PEER 0xC0000202u    /* 192.0.2.2 */
#define DH_OTHER 0xC6336407u   /* 198.51.100.7 */
#define DH_CALL_ID 0x1234u

struct daemon_harness {
	struct loop loop;
	struct log_limit limit;
	struct daemon_gre gre;
	struct daemon_tun tun;
	struct daemon_tunnel dt;
	int tcp_peer;              /* the client's end of the control connection */
	int tun_peer;              /* the host's end of the TUN stand-in */
	uint64_t rnd;
	uint64_t now;
	unsigned events[TUNNEL_EVENT_CLOSED + 1];
	struct tunnel_call *call;
	bool lookup_none;          /* the lookup finds no tunnel at all */
};

static inline void dh_random_fill(void *ctx, void *buf, size_t len)
{
	struct daemon_harness *h = ctx;
	fuzz_rng_fill(&h->rnd, buf, len);
}

static inline struct daemon_tunnel *dh_lookup(void *ctx, uint16_t call_id)
{
	struct daemon_harness *h = ctx;
	(void)call_id;
	return h->lookup_none ? NULL : &h->dt;
}

static inline enum daemon_tun_drop dh_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	struct daemon_harness *h = ctx;
	if (!h->call || !daemon_tunnel_is_running(&h->dt))
		return DAEMON_TUN_DROP_NO_SESSION;
	daemon_tunnel_send_ip(&h->dt, h->call, ip, now_ms);
	return DAEMON_TUN_ROUTED;
}

static inline void dh_event(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	struct daemon_harness *h = owner;
	(void)dt;
	h->events[ev->type]++;
	if (ev->type == TUNNEL_EVENT_CALL_UP)
		h->call = ev->call;
	if (ev->type == TUNNEL_EVENT_CALL_DOWN && ev->call == h->call)
		h->call = NULL;
}

static inline int dh_call_id_alloc(void *ctx, uint16_t *id)
{
	(void)ctx;
	*id = DH_CALL_ID;
	return 0;
}

static inline void dh_call_id_free(void *ctx, uint16_t id)
{
	(void)ctx;
	(void)id;
}

/* Read and drop what the PAC wrote to the client's end. */
static inline size_t dh_drain_tcp(struct daemon_harness *h)
{
	uint8_t buf[4096];
	size_t total = 0;
	ssize_t n;
	while ((n = read(h->tcp_peer, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	return total;
}

/* Bytes from the client, pumped through the control connection. */
static inline void dh_client_sends(struct daemon_harness *h, const uint8_t *bytes, size_t len)
{
	if (write(h->tcp_peer, bytes, len) != (ssize_t)len)
		return;
	daemon_ctrl_pump(&h->dt.ctrl, LOOP_READ, h->now);
	daemon_tunnel_settle(&h->dt, h->now);
}

/* 0, or -1 when the system gave no socketpair or epoll. */
static inline int dh_open(struct daemon_harness *h, bool with_call)
{
	memset(h, 0, sizeof(*h));
	h->rnd = 0x9E3779B97F4A7C15ull;
	h->now = 1000;
	h->tcp_peer = h->tun_peer = -1;
	if (loop_init(&h->loop) < 0)
		return -1;
	h->limit = (struct log_limit)LOG_LIMIT_INIT(5, 1000);
	daemon_gre_init(&h->gre, &h->loop, dh_lookup, h, "harness", LOG_LEVEL_DEBUG, &h->limit);
	daemon_tun_init(&h->tun, &h->loop, dh_route, h);
	daemon_tunnel_init(&h->dt, &h->loop, &h->gre, &h->tun, dh_event, h, "harness");
	int tcp[2], tun[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, tcp) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, tun) < 0) {
		close(tcp[0]);
		close(tcp[1]);
		return -1;
	}
	h->tcp_peer = tcp[1];
	h->tun.dev.fd = tun[0];
	h->tun_peer = tun[1];

	struct daemon_tunnel_settings s;
	if (daemon_tunnel_settings_init(&s, PPTP_ROLE_PAC, "harness", "mschapv2", "require-128", "harness", 60, 10, 3) <
	    0)
		return -1;
	struct tunnel_config tc;
	daemon_tunnel_config_fill(&tc, &s, DH_LOCAL, DH_PEER, "harness");
	tc.random = (struct random_source){ .fill = dh_random_fill, .ctx = h };
	tc.ctrl.setup_timeout_ms = 30000;
	tc.call_id_alloc = dh_call_id_alloc;
	tc.call_id_free = dh_call_id_free;
	if (daemon_tunnel_open(&h->dt, &tc, h->now) < 0 || daemon_tunnel_attach_tcp(&h->dt, tcp[0]) < 0) {
		close(tcp[0]);
		return -1;
	}
	if (with_call) {
		dh_client_sends(h, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
		dh_client_sends(h, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
		(void)dh_drain_tcp(h);
	}
	return 0;
}

static inline void dh_close(struct daemon_harness *h)
{
	daemon_tunnel_destroy(&h->dt);
	daemon_gre_flush(&h->gre); /* what the tunnel queued (h->gre.fd is -1: counted as failed) */
	daemon_tun_close(&h->tun);
	if (h->tcp_peer >= 0)
		close(h->tcp_peer);
	if (h->tun_peer >= 0)
		close(h->tun_peer);
	loop_destroy(&h->loop);
}

/* An IPv4 datagram as the raw socket gives it: IPv4 header (protocol 47)
 * from src, then the GRE header gh (payload_len set here), then payload. */
static inline struct pkt *dh_gre_datagram(uint32_t src, const struct gre_header *gh, const uint8_t *payload,
					  size_t len)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p || len > PKT_SIZE - PKT_HEADROOM - 64) {
		pkt_free(p);
		return NULL;
	}
	if (len)
		memcpy(pkt_put(p, len), payload, len);
	struct gre_header h = *gh;
	h.payload_len = (uint16_t)len;
	if (gre_header_push(p, &h) < 0) {
		pkt_free(p);
		return NULL;
	}
	uint8_t *ip = pkt_push(p, 20);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)p->len);
	ip[8] = 64;
	ip[9] = 47;
	store_be32(ip + 12, src);
	store_be32(ip + 16, DH_LOCAL);
	return p;
}

/* A datagram of exactly these bytes (IPv4 header included, or not). */
static inline struct pkt *dh_raw_datagram(const uint8_t *bytes, size_t len)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p || len > pkt_tailroom(p)) {
		pkt_free(p);
		return NULL;
	}
	if (len)
		memcpy(pkt_put(p, len), bytes, len);
	return p;
}

/* Every datagram is delivered or dropped under exactly one reason. */
static inline bool dh_gre_accounts(const struct daemon_gre_stats *s)
{
	uint64_t sum = s->rx_delivered;
	for (int i = 0; i < DAEMON_GRE_DROP_COUNT; i++)
		sum += s->dropped[i];
	return sum == s->rx_datagrams;
}

#endif
