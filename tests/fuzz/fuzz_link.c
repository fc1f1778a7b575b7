/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ppp_link with hostile frames in every phase, both roles.
 *
 * A server link and a client link are wired back to back (virtual time);
 * the input scripts what happens:
 *   byte 0: configuration: bits 0-2 auth method (mod 5), bits 3-4 MPPE
 *           (none / 40 / 128 / 128+MPPC), bit 5 stateful, bit 6 IPv6,
 *           bit 7 which link is the target (0 server, 1 client)
 *   byte 1: honest messages exchanged before the script starts (0..255;
 *           255 = run the honest session to the end: UP)
 *   then records [op][len][len bytes]:
 *     op % 8 == 0: the bytes as a PPP frame into the target
 *     op % 8 == 1: the bytes as a PPP frame into the other link
 *     op % 8 == 2: advance time by len * 250 ms, fire timers (queue kept)
 *     op % 8 == 3: deliver up to len queued honest messages
 *     op % 8 == 4: the target sends an IP packet of the bytes (v4/v6 by byte 0)
 *     op % 8 == 5: ppp_link_close(target)
 *     op % 8 == 6: ppp_link_lower_down(target)
 *     op % 8 == 7: drop up to len queued messages
 * Invariants checked: DOWN at most once per link, nothing after DOWN,
 * every frame handed to GRE fits PKT_SIZE and starts with a valid header.
 *
 * Built with -DLINK_CORPUS_GEN this file is instead a program writing the
 * seed corpus (tests/fuzz/corpus/link/) from real back-to-back sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/pkt.h"
#include "base/time.h"
#include "proto/session/ppp_link.h"
#include "proto/session/ppp_link_internal.h" /* events_lost: the queue bound */

#define Q_MAX 512

struct fend {
	struct ppp_link *link;
	struct ppp_link_config cfg;
	uint64_t rnd;
	unsigned downs;
	int idx;
};

static struct fend ends[2];
static struct pkt *queue[Q_MAX];
static int queue_to[Q_MAX];
static unsigned q_head, q_tail;
static uint64_t now;

/* corpus generation: record what arrives at the target */
static FILE *rec_file;
static unsigned ups_seen, ups_scripted;
static int rec_target = -1;

static void quiet_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

static void fill(void *ctx, void *buf, size_t len)
{
	struct fend *e = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		e->rnd = e->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		b[i] = (uint8_t)(e->rnd >> 56);
	}
}

static void out_cb(void *ctx, struct pkt *p)
{
	struct fend *e = ctx;
	if (e->downs || p->len == 0 || p->len > PKT_SIZE)
		abort();
	const uint8_t *d = pkt_data(p);
	/* FF 03, or a protocol field whose low bit of the last byte is 1 */
	if (!(d[0] == 0xff || (d[0] & 1) || (p->len >= 2 && (d[1] & 1))))
		abort();
	if (q_tail - q_head >= Q_MAX) {
		pkt_free(p);
		return;
	}
	queue[q_tail % Q_MAX] = p;
	queue_to[q_tail % Q_MAX] = 1 - e->idx;
	q_tail++;
}

static void ip_cb(void *ctx, struct pkt *p)
{
	(void)ctx;
	pkt_free(p);
}

static void event_cb(struct fend *e, const struct ppp_link_event *ev)
{
	if (e->downs)
		abort(); /* nothing after DOWN */
	if (ev->type == PPP_LINK_EVENT_UP)
		ups_seen++;
	if (ev->type == PPP_LINK_EVENT_DOWN) {
		e->downs++;
		if (!memchr(ev->reason, 0, sizeof(ev->reason)))
			abort(); /* the reason is a terminated string */
	}
}

/* Events out: after every call into the links, take what they queued;
 * the queue's bound (LINK_EVENTS_MAX per call) must hold for any input. */
static void drain(void)
{
	struct ppp_link_event ev;
	for (int i = 0; i < 2; i++) {
		while (ppp_link_next_event(ends[i].link, &ev))
			event_cb(&ends[i], &ev);
		if (ends[i].link->events_lost)
			abort();
	}
}

static int lookup(void *ctx, const char *user, struct ppp_link_secret *out)
{
	(void)ctx;
	if (strcmp(user, "alice") != 0)
		return -10;
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "pw");
	return 0;
}

static bool assign6(void *ctx, uint32_t peer_address, uint8_t prefix[8])
{
	(void)ctx;
	static const uint8_t p[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0 };
	memcpy(prefix, p, 8);
	prefix[6] = (uint8_t)(peer_address >> 8);
	prefix[7] = (uint8_t)peer_address;
	return true;
}

static uint32_t assign(void *ctx, const char *user, uint32_t st)
{
	(void)ctx;
	(void)user;
	return st ? st : 0x0a000002u;
}

static const unsigned methods[5] = {
	AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1), AUTH_METHOD_BIT(AUTH_METHOD_PAP), AUTH_METHOD_BIT(AUTH_METHOD_CHAP_MD5),
	AUTH_METHOD_BIT(AUTH_METHOD_EAP_MD5),
};

static void setup(uint8_t sel)
{
	memset(ends, 0, sizeof(ends));
	q_head = q_tail = 0;
	now = 0;
	for (int i = 0; i < 2; i++) {
		struct fend *e = &ends[i];
		struct ppp_link_config *c = &e->cfg;
		e->idx = i;
		e->rnd = 0x1234 + (uint64_t)i;
		c->role = i == 0 ? PPP_LINK_SERVER : PPP_LINK_CLIENT;
		c->tag = i == 0 ? "srv" : "cli";
		c->random.fill = fill;
		c->random.ctx = e;
		c->auth_allowed = methods[(sel & 7) % 5];
		unsigned m = (sel >> 3) & 3;
		c->mppe.required = m != 0;
		c->mppe.allow_40 = m == 1;
		c->mppe.allow_128 = m >= 2;
		c->mppe.allow_mppc = m == 3;
		c->mppe.allow_stateful = (sel & 0x20) != 0;
		c->mppe.stateful_only = (sel & 0x20) != 0;
		c->ipv6 = (sel & 0x40) != 0;
		c->lcp_echo_interval_ms = 10000;
		c->lcp_echo_failures = 3;
		c->ctx = e;
		c->output = out_cb;
		c->deliver_ip = ip_cb;
	}
	ends[0].cfg.lookup_secret = lookup;
	ends[0].cfg.assign_address = assign;
	ends[0].cfg.local_address = 0x0a000001u;
	ends[0].cfg.dns[0] = 0x0a000035u;
	ends[1].cfg.user = "alice";
	ends[1].cfg.password = "pw";
	/* IPv6: the server announces a /64 with RDNSS, the client solicits
	 * (ppp_link_ipv6.c: RAs and RSs are data packets like any other) */
	ends[0].cfg.assign_prefix6 = assign6;
	ends[0].cfg.dns6_count = 1;
	ends[0].cfg.dns6[0][0] = 0x20;
	ends[0].cfg.dns6[0][1] = 0x01;
	ends[0].cfg.dns6[0][15] = 0x53;
	ends[1].cfg.ipv6_autoconf = true;
	for (int i = 0; i < 2; i++) {
		ends[i].link = ppp_link_new(&ends[i].cfg);
		if (!ends[i].link)
			abort();
	}
	ppp_link_start(ends[0].link, 0);
	ppp_link_start(ends[1].link, 0);
	drain();
}

static void teardown(void)
{
	while (q_head != q_tail)
		pkt_free(queue[q_head++ % Q_MAX]);
	for (int i = 0; i < 2; i++)
		ppp_link_free(ends[i].link);
}

static void record(int to, const struct pkt *p)
{
	if (!rec_file || to != rec_target || p->len > 255)
		return;
	uint8_t h[2] = { 0, (uint8_t)p->len };
	fwrite(h, 1, 2, rec_file);
	fwrite(pkt_data(p), 1, p->len, rec_file);
}

static bool deliver_one(void)
{
	if (q_head == q_tail)
		return false;
	unsigned i = q_head++ % Q_MAX;
	record(queue_to[i], queue[i]);
	ppp_link_input(ends[queue_to[i]].link, queue[i], now);
	drain();
	return true;
}

static void fire_timers(void)
{
	for (int i = 0; i < 2; i++)
		if (ppp_link_next_deadline(ends[i].link) <= now) {
			ppp_link_on_timeout(ends[i].link, now);
			drain();
		}
}

/* The honest session: deliver `n` messages (255: until quiet, up to 2 min). */
static void honest(unsigned n)
{
	for (unsigned k = 0; k < (n == 255 ? 5000u : n); k++) {
		if (deliver_one())
			continue;
		uint64_t d = deadline_min(ppp_link_next_deadline(ends[0].link), ppp_link_next_deadline(ends[1].link));
		if (d == DEADLINE_NONE || d > 120000)
			return;
		if (d > now)
			now = d;
		fire_timers();
	}
}

static struct pkt *pkt_of(const uint8_t *b, size_t len)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		abort();
	if (len > PKT_SIZE - PKT_HEADROOM)
		len = PKT_SIZE - PKT_HEADROOM;
	memcpy(pkt_put(p, len), b, len);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_sink(quiet_sink, NULL);
	if (size < 2)
		return 0;
	uint8_t sel = data[0];
	int target = sel >> 7;
	setup(sel);
	honest(data[1]);
	size_t i = 2;
	while (i + 2 <= size) {
		uint8_t op = data[i], len = data[i + 1];
		i += 2;
		size_t n = len <= size - i ? len : size - i;
		const uint8_t *b = data + i;
		i += n;
		struct ppp_link *t = ends[target].link;
		switch (op % 8) {
		case 0: ppp_link_input(t, pkt_of(b, n), now); break;
		case 1: ppp_link_input(ends[1 - target].link, pkt_of(b, n), now); break;
		case 2: now += (uint64_t)len * 250; fire_timers(); break;
		case 3: for (unsigned k = 0; k < len && deliver_one(); k++) {} break;
		case 4: {
			struct pkt *p = pkt_of(b, n);
			if (p->len)
				pkt_data(p)[0] = (uint8_t)((op & 8) ? 0x60 : 0x45);
			(void)ppp_link_send_ip(t, p, now);
			break;
		}
		case 5: ppp_link_close(t, "fuzz", now); break;
		case 6: ppp_link_lower_down(t, now); break;
		case 7: for (unsigned k = 0; k < len && q_head != q_tail; k++) pkt_free(queue[q_head++ % Q_MAX]); break;
		}
		drain();
	}
	ups_scripted = ups_seen;
	/* settle: whatever state, the links must wind down cleanly */
	honest(255);
	struct ppp_link_stats st;
	ppp_link_get_stats(ends[0].link, &st);
	teardown();
	return 0;
}

#ifdef LINK_CORPUS_GEN
/* cc -DLINK_CORPUS_GEN -Isrc tests/fuzz/fuzz_link.c build/libopenpptp.a -lnettle -o /tmp/gen
 * && /tmp/gen tests/fuzz/corpus/link */
int main(int argc, char **argv);
int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	log_set_sink(quiet_sink, NULL);
	for (unsigned sel = 0; sel < 256; sel += 7) {
		/* (a) what the target received in a full honest session, as
		 * frames into it with no honest deliveries: a replayable script */
		char path[512];
		snprintf(path, sizeof(path), "%s/session-%02x", argv[1], sel);
		rec_file = fopen(path, "wb");
		if (!rec_file)
			return 1;
		rec_target = (int)(sel >> 7);
		uint8_t h[2] = { (uint8_t)sel, 0 };
		fwrite(h, 1, 2, rec_file);
		setup((uint8_t)sel);
		honest(255);
		teardown();
		fclose(rec_file);
		rec_file = NULL;
		/* check the script replays: the target alone must come up again */
		FILE *f = fopen(path, "rb");
		uint8_t buf[65536];
		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		ups_seen = 0;
		(void)LLVMFuzzerTestOneInput(buf, n);
		printf("%s: %zu bytes, up by the script alone %u, after settling %u\n", path, n, ups_scripted, ups_seen);
	}
	/* (b) up, then data, timers, close */
	for (unsigned sel = 0; sel < 256; sel += 37) {
		char path[512];
		snprintf(path, sizeof(path), "%s/up-%02x", argv[1], sel);
		FILE *f = fopen(path, "wb");
		if (!f)
			return 1;
		const uint8_t s[] = { (uint8_t)sel, 255, 4, 40, 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2,
				      10, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
				      3, 10, 0, 6, 0xff, 0x03, 0x80, 0x21, 9, 9, 2, 200, 3, 50, 5, 0, 3, 20, 2, 40 };
		fwrite(s, 1, sizeof(s), f);
		fclose(f);
	}
	return 0;
}
#endif
