/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE sender/receiver pairs for the loss tests (mppe_pair.h). */
#include "mppe_pair.h"

#include "test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"

size_t mppe_pair_payload(unsigned seq, bool compressible, uint8_t *buf)
{
	size_t len = 2 + 40 + (seq * 193u) % 1360u;
	memset(buf, 0, 22);
	buf[1] = 0x21;
	uint8_t *ip = buf + 2;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 2) >> 8);
	ip[3] = (uint8_t)(len - 2);
	ip[4] = (uint8_t)(seq >> 8);
	ip[5] = (uint8_t)seq;
	ip[8] = 64;
	ip[9] = 17;
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	for (size_t i = 22; i < len; i++)
		buf[i] = compressible ? (uint8_t)("openpptp long burst "[i % 20] + (i / 97) % 3) : (uint8_t)(seq * 13 + i);
	return len;
}

static void pair_key(uint8_t key[16], unsigned mul, unsigned add)
{
	for (unsigned i = 0; i < 16; i++)
		key[i] = (uint8_t)(mul * i + add);
}

void mppe_pair_init(struct mppe_pair *l, bool recover, bool reset_changes_key)
{
	uint8_t key[16];
	pair_key(key, 0x31, 7);
	struct mppe_config cfg = { .key_bits = 128, .recover = recover, .reset_changes_key = reset_changes_key };
	assert_int_equal(mppe_tx_init(&l->tx, &cfg, key), 0);
	assert_int_equal(mppe_rx_init(&l->rx, &cfg, key), 0);
	l->seq = 0;
	l->send_bits = 0;
	l->wire_len = 0;
}

void mppe_pair_wipe(struct mppe_pair *l)
{
	mppe_tx_wipe(&l->tx);
	mppe_rx_wipe(&l->rx);
}

void mppe_pair_send(struct mppe_pair *l)
{
	uint8_t storage[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	size_t len = mppe_pair_payload(l->seq++, false, pkt_put(&p, 0));
	(void)pkt_put(&p, len);
	assert_int_equal(mppe_tx_encrypt(&l->tx, &p, l->send_bits), 0);
	memcpy(l->wire, pkt_data(&p), p.len);
	l->wire_len = p.len;
}

int mppe_pair_deliver(struct mppe_pair *l, size_t len, uint64_t now_ms, struct mppe_rx_result *res)
{
	uint8_t storage[PKT_SIZE], plain[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	memcpy(pkt_put(&p, len), l->wire, len);
	int rc = mppe_rx_decrypt(&l->rx, &p, now_ms, res);
	if (rc < 0)
		return rc;
	if (!mppe_rx_check_plaintext(&l->rx, pkt_data(&p), p.len, now_ms, res))
		return ERR_MALFORMED;
	size_t n = mppe_pair_payload(l->seq - 1, false, plain);
	if (n != p.len || memcmp(plain, pkt_data(&p), n) != 0)
		return ERR_CRYPTO;
	return 0;
}

int mppe_pair_send_deliver(struct mppe_pair *l, uint64_t now_ms, struct mppe_rx_result *res)
{
	mppe_pair_send(l);
	return mppe_pair_deliver(l, l->wire_len, now_ms, res);
}

void mppe_channel_pair_init(struct mppe_channel_pair *pr, const struct mppe_channel_config *cfg)
{
	uint8_t k1[16], k2[16];
	pair_key(k1, 3, 1);
	pair_key(k2, 5, 2);
	assert_int_equal(mppe_channel_init(&pr->a, cfg, k1, k2), 0);
	assert_int_equal(mppe_channel_init(&pr->b, cfg, k2, k1), 0);
}

void mppe_channel_pair_wipe(struct mppe_channel_pair *pr)
{
	mppe_channel_wipe(&pr->a);
	mppe_channel_wipe(&pr->b);
}
