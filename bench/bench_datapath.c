/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole sans-I/O data path for one packet, through two tunnel engines
 * back to back (pair.h): an IP packet from the client's "TUN" goes through
 * ppp_link (PPP framing, MPPE), gre_channel (sequence, ack) and out as a
 * GRE packet; the server strips the GRE header, runs it through its
 * gre_channel, MPPE and PPP, and hands the decrypted IP packet to its
 * "TUN". Acks the server owes go back to the client, timers fire when due:
 * everything the daemons do per packet except the syscalls.
 *
 * Each packet is allocated and filled the way the daemons read the TUN
 * (pkt_new(PKT_SIZE) + the bytes), and the IP packet has the link MTU
 * (1396 bytes with MPPE's 4 bytes of overhead, 1400 without).
 * Virtual time advances 1 ms per packet.
 *
 * The reference copies the same bytes twice (in from the TUN, out to the
 * TUN): what a relay that did no protocol work at all would still do. */
#include <stdio.h>
#include "base/inet_checksum.h"
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/log.h"
#include "base/pkt.h"

#include "common.h"
#include "pair.h"

struct datapath {
	struct bench_net net;
	struct bench_pair pair;
	size_t len;
	uint8_t ip[PKT_SIZE];
	uint64_t sent;
};

struct copy_ref {
	size_t len;
	uint8_t ip[PKT_SIZE];
	uint8_t in[PKT_SIZE];
	uint8_t out[PKT_SIZE];
};

/* An IPv4/UDP packet of `len` bytes, client tunnel address to server. */
static void make_ip(uint8_t *ip, size_t len)
{
	memset(ip, 0, 28);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)len);
	ip[8] = 64;
	ip[9] = 17;
	store_be32(ip + 12, 0xCB00710Au);
	store_be32(ip + 16, 0xCB007101u);
	store_be16(ip + 10, inet_checksum(ip, 20));
	store_be16(ip + 20, 4000);
	store_be16(ip + 22, 5000);
	store_be16(ip + 24, (uint16_t)(len - 20));
	for (size_t i = 28; i < len; i++)
		ip[i] = (uint8_t)(i * 13 + 1);
}

static void datapath_setup(struct datapath *d, enum pair_mppe mode)
{
	memset(d, 0, sizeof(*d));
	net_init(&d->net);
	pair_init(&d->pair, &d->net, mode, 1);
	pair_bring_up(&d->pair);
	struct pair_side *c = &d->pair.side[0];
	bool want_mppe = mode != PAIR_MPPE_NONE;
	if ((c->mppe_bits == 128) != want_mppe || (want_mppe && c->mppe_stateless != (mode == PAIR_MPPE_STATELESS)))
		bench_fail("datapath: negotiated MPPE %u %s, not what was asked", c->mppe_bits,
			   c->mppe_stateless ? "stateless" : "stateful");
	d->len = c->mtu;
	if (d->len < 28 || d->len > PKT_SIZE - PKT_HEADROOM)
		bench_fail("datapath: odd MTU %zu", d->len);
	make_ip(d->ip, d->len);
	d->net.latency_ms = 0;
}

static void datapath_run(void *ctx, uint64_t n)
{
	struct datapath *d = ctx;
	struct pair_side *c = &d->pair.side[0];
	for (uint64_t i = 0; i < n; i++) {
		struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
		if (!p)
			bench_fail("out of memory");
		memcpy(pkt_put(p, d->len), d->ip, d->len);
		if (tunnel_send_ip(c->tunnel, c->call, p, d->net.now) < 0)
			bench_fail("datapath: tunnel_send_ip refused packet %llu", (unsigned long long)d->sent);
		pair_drain(c);
		d->sent++;
		pair_pump(&d->pair);
		d->net.now++;
	}
}

/* Every packet arrived, intact, and nothing broke on the way. */
static void datapath_check(struct datapath *d)
{
	struct pair_side *s = &d->pair.side[1];
	if (s->ip_packets != d->sent || s->ip_bytes != d->sent * d->len)
		bench_fail("datapath: sent %llu packets, %llu arrived", (unsigned long long)d->sent,
			   (unsigned long long)s->ip_packets);
	if (d->pair.side[0].link_failed || s->link_failed)
		bench_fail("datapath: a link went down during the run");
	uint8_t got[PKT_SIZE];
	s->copy_to = got;
	s->copy_cap = sizeof(got);
	datapath_run(d, 1);
	s->copy_to = NULL;
	if (s->copy_len != d->len || memcmp(got, d->ip, d->len) != 0)
		bench_fail("datapath: the packet that arrived differs from the one sent");
}

static void datapath_free(struct datapath *d)
{
	pair_free_side(&d->pair, 0);
	pair_free_side(&d->pair, 1);
	net_clear(&d->net);
}

static void copy_run(void *ctx, uint64_t n)
{
	struct copy_ref *r = ctx;
	for (uint64_t i = 0; i < n; i++) {
		memcpy(r->in, r->ip, r->len);
		bench_keep(r->in);
		memcpy(r->out, r->in, r->len);
		bench_keep(r->out);
	}
}

static const struct {
	const char *row;
	const char *label;
	enum pair_mppe mode;
} rows[] = {
	{ "path-stateless", "data path, MPPE-128 stateless (default)", PAIR_MPPE_STATELESS },
	{ "path-stateful", "data path, MPPE-128 stateful", PAIR_MPPE_STATEFUL },
	{ "path-plain", "data path, no MPPE", PAIR_MPPE_NONE },
};

static struct datapath dp;
static struct copy_ref ref;

int main(int argc, char **argv)
{
	bool ir = bench_parse_args(argc, argv);
	log_set_level(LOG_LEVEL_ERROR);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		datapath_setup(&dp, rows[i].mode);
		ref.len = dp.len;
		memcpy(ref.ip, dp.ip, dp.len);
		if (ir) {
			bench_count(rows[i].row, datapath_run, &dp, copy_run, &ref, 512);
		} else {
			struct bench_result r;
			bench_compare(datapath_run, &dp, copy_run, &ref, &r);
			double pps = 1e9 / r.subject_ns;
			char note[160];
			snprintf(note, sizeof(note), "%zu B IP packets: %.0f kpkt/s, %.0f Mbit/s of IP (one core)", dp.len,
				 pps / 1e3, pps * (double)dp.len * 8 / 1e6);
			bench_print(rows[i].row, rows[i].label, &r, note);
		}
		datapath_check(&dp);
		datapath_free(&dp);
	}
	return 0;
}
