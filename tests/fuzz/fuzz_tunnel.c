/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the tunnel engine (src/proto/session/tunnel.c) in the
 * server's role, driven by a sequence of operations from the input:
 *
 *   op >> 5 = 0  TCP bytes: next byte + 1 of them
 *             1  a GRE packet for call (op & 3) (op & 16: any call ID, from
 *                the input), with a sequence number (op & 4) and an ack
 *                (op & 8); next byte = payload length, then seq, ack, payload
 *             2  time passes ((op & 31) + 1) s; due timers fire
 *             3  an IP packet from the TUN for call (op & 3): length byte, bytes
 *             4  the TCP connection is lost
 *             5  tunnel_close
 *             6  tunnel_call_close on call (op & 3)
 *             7  time passes (op & 31) ms
 *
 * Checks what the owner relies on: CLOSED is the last event, every call
 * that had CALL_UP gets exactly one CALL_DOWN, the event queue's bound
 * holds, decrypted IP only comes from a call that is up, and every call ID
 * the tunnel took from the server-wide table is back once it is freed. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "proto/session/tunnel_internal.h"
#include "server/call_ids.h"
#include "fuzz_rng.h"

struct ft {
	uint64_t rnd;
	struct call_ids ids;
	struct tunnel *t;
	struct tunnel_call *calls[TUNNEL_MAX_CALLS]; /* between CALL_UP and CALL_DOWN */
	bool link_up[TUNNEL_MAX_CALLS];
	bool closed;
};

static void ft_fill(void *ctx, void *buf, size_t len)
{
	struct ft *f = ctx;
	fuzz_rng_fill(&f->rnd, buf, len);
}

static void ft_tcp(void *ctx, const uint8_t *bytes, size_t len)
{
	struct ft *f = ctx;
	(void)bytes;
	(void)len;
	if (f->closed)
		abort();
}

static void ft_gre(void *ctx, uint32_t peer, struct pkt *p)
{
	(void)ctx;
	if (peer != 0xC000020Bu)
		abort();
	pkt_free(p);
}

static int ft_slot(const struct ft *f, const struct tunnel_call *call)
{
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (f->calls[i] == call)
			return i;
	return -1;
}

static void ft_tun(void *ctx, struct tunnel_call *call, struct pkt *p)
{
	struct ft *f = ctx;
	int i = ft_slot(f, call);
	if (i < 0 || !f->link_up[i])
		abort(); /* IP from a call that is not up */
	pkt_free(p);
}

static int ft_id_alloc(void *ctx, uint16_t *id)
{
	struct ft *f = ctx;
	return call_ids_take(&f->ids, id);
}

static void ft_id_free(void *ctx, uint16_t id)
{
	struct ft *f = ctx;
	call_ids_release(&f->ids, id);
}

static int ft_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	(void)ctx;
	if (strcmp(user, "alice") != 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "secret");
	return 0;
}

static uint32_t ft_address(void *ctx, const char *user, uint32_t static_address)
{
	(void)ctx;
	(void)user;
	return static_address ? static_address : 0xCB00710Au;
}

static void ft_drain(struct ft *f)
{
	struct tunnel_event ev;
	while (tunnel_next_event(f->t, &ev)) {
		if (f->closed)
			abort(); /* CLOSED is the last event */
		int i;
		switch (ev.type) {
		case TUNNEL_EVENT_CALL_UP:
			if (ft_slot(f, ev.call) >= 0 || (i = ft_slot(f, NULL)) < 0)
				abort();
			f->calls[i] = ev.call;
			f->link_up[i] = false;
			break;
		case TUNNEL_EVENT_LINK_UP:
			if ((i = ft_slot(f, ev.call)) < 0)
				abort();
			f->link_up[i] = true;
			break;
		case TUNNEL_EVENT_LINK_DOWN:
			if ((i = ft_slot(f, ev.call)) >= 0)
				f->link_up[i] = false;
			break;
		case TUNNEL_EVENT_CALL_DOWN:
			if (ev.call && (i = ft_slot(f, ev.call)) >= 0)
				f->calls[i] = NULL;
			break;
		case TUNNEL_EVENT_CLOSED:
			for (i = 0; i < TUNNEL_MAX_CALLS; i++)
				if (f->calls[i])
					abort(); /* a call without its CALL_DOWN */
			f->closed = true;
			break;
		default:
			break;
		}
	}
	if (f->t->events_lost)
		abort();
}

static struct tunnel_call *ft_call(struct ft *f, unsigned n)
{
	for (int i = 0, seen = 0; i < TUNNEL_MAX_CALLS; i++)
		if (f->calls[i] && (unsigned)seen++ == n % 4)
			return f->calls[i];
	return NULL;
}

static void quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

static struct tunnel *ft_new(struct ft *f)
{
	struct tunnel_config c = { 0 };
	c.role = PPTP_ROLE_PAC;
	c.local_ipv4 = 0xC000020Au;
	c.peer_ipv4 = 0xC000020Bu;
	c.random = (struct random_source){ .fill = ft_fill, .ctx = f };
	pptp_ctrl_config_defaults(&c.ctrl, PPTP_ROLE_PAC);
	gre_channel_config_default(&c.gre);
	ppp_link_config_defaults(&c.link, PPP_LINK_SERVER);
	c.link.auth_allowed = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) | AUTH_METHOD_BIT(AUTH_METHOD_PAP);
	c.link.mppe = (struct ppp_mppe_policy){ .allow_128 = true, .allow_stateful = true, .allow_mppc = true };
	c.link.local_address = 0xCB007101u;
	c.link.lookup_secret = ft_secret;
	c.link.assign_address = ft_address;
	c.ctx = f;
	c.tcp_output = ft_tcp;
	c.gre_output = ft_gre;
	c.tun_output = ft_tun;
	c.call_id_alloc = ft_id_alloc;
	c.call_id_free = ft_id_free;
	return tunnel_new(&c, 1000);
}

static void ft_gre_op(struct ft *f, uint8_t op, const uint8_t *data, size_t size, size_t *pos, uint64_t now)
{
	struct gre_header h = { 0 };
	struct tunnel_call *call = ft_call(f, op & 3u);
	h.call_id = call ? call->local_id : 0;
	if ((op & 16u) && *pos + 2 <= size) {
		h.call_id = load_be16(data + *pos);
		*pos += 2;
	}
	size_t len = *pos < size ? data[(*pos)++] : 0;
	h.has_seq = (op & 4u) != 0;
	h.has_ack = (op & 8u) != 0;
	if (*pos + 8 <= size) {
		h.seq = load_be32(data + *pos);
		h.ack = load_be32(data + *pos + 4);
		*pos += 8;
	}
	if (len > size - *pos)
		len = size - *pos;
	if (!h.has_seq)
		len = 0; /* RFC 2637 §4.1: payload only with a sequence number */
	h.payload_len = (uint16_t)len;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		abort();
	memcpy(pkt_put(p, len), data + *pos, len);
	*pos += len;
	tunnel_gre_input(f->t, &h, p, now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_sink(quiet, NULL);
	static struct ft f;
	memset(&f, 0, sizeof(f));
	f.rnd = 0x9e3779b97f4a7c15ull;
	call_ids_init(&f.ids, (struct random_source){ .fill = ft_fill, .ctx = &f });
	f.t = ft_new(&f);
	if (!f.t)
		abort();
	uint64_t now = 1000;
	size_t pos = 0;
	while (pos < size && !f.closed) {
		uint8_t op = data[pos++];
		struct tunnel_call *call;
		size_t len;
		switch (op >> 5) {
		case 0:
			len = pos < size ? (size_t)data[pos++] + 1 : 0;
			if (len > size - pos)
				len = size - pos;
			tunnel_tcp_input(f.t, data + pos, len, now);
			pos += len;
			break;
		case 1:
			ft_gre_op(&f, op, data, size, &pos, now);
			break;
		case 2:
		case 7:
			now += (op >> 5) == 2 ? ((uint64_t)(op & 31u) + 1) * 1000 : (op & 31u);
			if (tunnel_next_deadline(f.t) <= now)
				tunnel_on_timeout(f.t, now);
			break;
		case 3: {
			len = pos < size ? data[pos++] : 0;
			if (len > size - pos)
				len = size - pos;
			struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
			if (!p)
				abort();
			memcpy(pkt_put(p, len), data + pos, len);
			pos += len;
			call = ft_call(&f, op & 3u);
			if (call)
				(void)tunnel_send_ip(f.t, call, p, now);
			else
				pkt_free(p);
			break;
		}
		case 4:
			tunnel_tcp_closed(f.t, now);
			break;
		case 5:
			tunnel_close(f.t, "fuzz", now);
			break;
		case 6:
			call = ft_call(&f, op & 3u);
			if (call)
				tunnel_call_close(f.t, call, "fuzz", now);
			break;
		}
		ft_drain(&f);
	}
	if (!f.closed) {
		tunnel_tcp_closed(f.t, now);
		ft_drain(&f);
	}
	if (!f.closed)
		abort(); /* TCP lost always ends the tunnel */
	tunnel_free(f.t);
	if (f.ids.in_use != 1)
		abort(); /* a call ID not given back (1: ID 0, never handed out) */
	log_set_sink(NULL, NULL);
	return 0;
}
