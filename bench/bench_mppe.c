/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE-128 through the project's API (proto/mppe/mppe.h) against raw
 * nettle ARCFOUR over the same bytes.
 *
 * One operation = encrypt one 1400-byte packet (PPP protocol field +
 * information, what mppe_tx_encrypt takes) and decrypt it again on a
 * receiver: the work both ends of a tunnel do for one packet. The
 * reference is two arcfour_crypt calls over the same 1400 bytes with
 * contexts keyed once, i.e. the cost of RC4 itself.
 *
 * Stateless MPPE (the default, CCP bit H) changes the key on every packet,
 * RFC 3078 §7.1: per direction one SHA-1 (GetNewKeyFromSHA), two RC4 key
 * schedules and RC4 over 16 bytes. Stateful changes it every 256 packets.
 * Both rows are printed so the cost of the per-packet rekey shows. */
#include <stdio.h>
#include <string.h>

#include <nettle/arcfour.h>

#include "base/pkt.h"
#include "proto/mppe/mppe.h"

#include "common.h"

#define PACKET_LEN 1400

struct mppe_bench {
	struct mppe_tx tx;
	struct mppe_rx rx;
	struct pkt p;
	uint8_t storage[PKT_SIZE];
	uint8_t plain[PACKET_LEN];
};

struct rc4_bench {
	struct arcfour_ctx enc, dec;
	uint8_t buf[PACKET_LEN];
};

static const uint8_t start_key[16] = {
	0x8b, 0x7c, 0xdc, 0x14, 0x9b, 0x99, 0x3a, 0x1b, 0xa1, 0x18, 0xcb, 0x15, 0x3f, 0x56, 0xdc, 0xcb,
};

static void mppe_setup(struct mppe_bench *b, bool stateless)
{
	struct mppe_config cfg = { .key_bits = 128, .stateless = stateless };
	/* One direction: the receiver's start key is the sender's. */
	if (mppe_tx_init(&b->tx, &cfg, start_key) < 0 || mppe_rx_init(&b->rx, &cfg, start_key) < 0)
		bench_fail("mppe init");
	b->plain[0] = 0x00;
	b->plain[1] = 0x21; /* PPP protocol: IPv4 */
	for (size_t i = 2; i < PACKET_LEN; i++)
		b->plain[i] = (uint8_t)(i * 31 + 7);
	pkt_init(&b->p, b->storage, sizeof(b->storage), PKT_HEADROOM);
	memcpy(pkt_put(&b->p, PACKET_LEN), b->plain, PACKET_LEN);
}

/* Encrypt in place, decrypt in place: the packet is plaintext again at the
 * same offset, so the loop needs no copy. */
static void mppe_run(void *ctx, uint64_t n)
{
	struct mppe_bench *b = ctx;
	struct mppe_rx_result res;
	for (uint64_t i = 0; i < n; i++) {
		if (mppe_tx_encrypt(&b->tx, &b->p, 0) < 0 || mppe_rx_decrypt(&b->rx, &b->p, 0, &res) < 0)
			bench_fail("mppe round trip failed at packet %llu", (unsigned long long)i);
	}
	bench_keep(b->p.buf);
}

static void mppe_check(const struct mppe_bench *b)
{
	if (b->p.len != PACKET_LEN || memcmp(pkt_data(&b->p), b->plain, PACKET_LEN) != 0)
		bench_fail("mppe: decrypted bytes differ from the plaintext");
	if (b->tx.stats.packets != b->rx.stats.packets || b->rx.stats.lost || b->rx.stats.late)
		bench_fail("mppe: receiver out of step");
}

static void rc4_setup(struct rc4_bench *b)
{
	arcfour_set_key(&b->enc, sizeof(start_key), start_key);
	arcfour_set_key(&b->dec, sizeof(start_key), start_key);
	for (size_t i = 0; i < PACKET_LEN; i++)
		b->buf[i] = (uint8_t)(i * 31 + 7);
}

static void rc4_run(void *ctx, uint64_t n)
{
	struct rc4_bench *b = ctx;
	for (uint64_t i = 0; i < n; i++) {
		arcfour_crypt(&b->enc, PACKET_LEN, b->buf, b->buf);
		arcfour_crypt(&b->dec, PACKET_LEN, b->buf, b->buf);
		bench_keep(b->buf);
	}
}

static struct mppe_bench stateless, stateful;
static struct rc4_bench raw;

int main(int argc, char **argv)
{
	bool ir = bench_parse_args(argc, argv);
	mppe_setup(&stateless, true);
	mppe_setup(&stateful, false);
	rc4_setup(&raw);

	if (ir) {
		/* 512 packets: two stateful key changes (flag packets 255, 511). */
		bench_count("mppe-stateless", mppe_run, &stateless, rc4_run, &raw, 512);
		bench_count("mppe-stateful", mppe_run, &stateful, rc4_run, &raw, 512);
		mppe_check(&stateless);
		mppe_check(&stateful);
		return 0;
	}

	struct bench_result less, full;
	bench_compare(mppe_run, &stateless, rc4_run, &raw, &less);
	mppe_check(&stateless);
	bench_compare(mppe_run, &stateful, rc4_run, &raw, &full);
	mppe_check(&stateful);

	char note[128];
	snprintf(note, sizeof(note), "%.0f Mbit/s encrypted and decrypted, one core",
		 PACKET_LEN * 8 * 1e3 / less.subject_ns);
	bench_print("mppe-stateless", "MPPE-128 stateless enc+dec, 1400 B", &less, note);
	snprintf(note, sizeof(note), "%.0f Mbit/s encrypted and decrypted, one core",
		 PACKET_LEN * 8 * 1e3 / full.subject_ns);
	bench_print("mppe-stateful", "MPPE-128 stateful enc+dec, 1400 B", &full, note);
	/* Both ratios are against the same reference, so their quotient is
	 * steadier than a difference of two absolute times. */
	bench_note("mppe: by time, stateless costs %.2fx stateful: its per-packet rekey is %.0f%% of its time",
		   less.ratio / full.ratio, 100.0 * (1.0 - full.ratio / less.ratio));
	return 0;
}
