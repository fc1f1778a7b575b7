/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 12 §2: stateful MPPE without MPPC under Linux's rule (the sender
 * changes the key for every FLUSHED packet, i.e. for every Reset-Request it
 * honours) after a long burst of heavy loss in which the FLUSHED answers
 * to many Reset-Requests are lost too. Each lost answer is a key change
 * the receiver never sees; before the fix its search covered at most 64 of
 * them, so after a longer burst it never found the key again and the
 * tunnel carried nothing for good (tests/net/test_mppe_stateful_loss.sh). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"
#include "base/pkt.h"
#include "proto/mppe/mppe.h"

struct link {
	struct mppe_tx tx;
	struct mppe_rx rx;
	unsigned seq;
	uint8_t wire[PKT_SIZE];
	size_t wire_len;
};

static void link_init(struct link *l)
{
	uint8_t key[16];
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(0x29 * i + 3);
	struct mppe_config cfg = { .key_bits = 128, .recover = true, .reset_changes_key = true };
	assert_int_equal(mppe_tx_init(&l->tx, &cfg, key), 0);
	assert_int_equal(mppe_rx_init(&l->rx, &cfg, key), 0);
	l->seq = 0;
}

static void link_wipe(struct link *l)
{
	mppe_tx_wipe(&l->tx);
	mppe_rx_wipe(&l->rx);
}

/* Packet seq: PPP protocol 0x0021 + an IPv4 packet with a good header
 * checksum, 40..1399 bytes. */
static size_t payload_for(unsigned seq, uint8_t *buf)
{
	size_t len = 2 + 40 + (seq * 211u) % 1360u;
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
		buf[i] = (uint8_t)(seq * 7 + i);
	return len;
}

static void link_send(struct link *l)
{
	uint8_t storage[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	size_t len = payload_for(l->seq++, pkt_put(&p, 0));
	(void)pkt_put(&p, len);
	assert_int_equal(mppe_tx_encrypt(&l->tx, &p, 0), 0);
	memcpy(l->wire, pkt_data(&p), p.len);
	l->wire_len = p.len;
}

/* Deliver the last packet sent at now_ms: 0 only when it decrypted to
 * exactly what was sent. */
static int link_deliver(struct link *l, uint64_t now_ms, struct mppe_rx_result *res)
{
	uint8_t storage[PKT_SIZE], plain[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	memcpy(pkt_put(&p, l->wire_len), l->wire, l->wire_len);
	int rc = mppe_rx_decrypt(&l->rx, &p, now_ms, res);
	if (rc < 0)
		return rc;
	if (!mppe_rx_check_plaintext(&l->rx, pkt_data(&p), p.len, now_ms, res))
		return ERR_MALFORMED;
	size_t n = payload_for(l->seq - 1, plain);
	if (n != p.len || memcmp(plain, pkt_data(&p), n) != 0)
		return ERR_CRYPTO; /* plausible but wrong: must never happen */
	return 0;
}

/* A burst of at most max_packets: 5 packets in a row of every lost_every
 * are lost (too many to bridge by mppe_recover.h), every flag packet (a FLUSHED packet the
 * receiver could resynchronise on, RFC 3078 §7.2) and every FLUSHED answer to
 * a Reset-Request is lost, until `answers` of them were lost. Then a clean
 * link: the receiver must be back within `within` packets. now_ms moves 1
 * ms a packet (Reset-Requests are retried on a timer, RFC 1661 §4.6
 * Restart timer, as well as by count). */
static void storm(unsigned answers, unsigned max_packets, unsigned lost_every, unsigned within)
{
	struct link l;
	struct mppe_rx_result res;
	link_init(&l);
	uint64_t now = 1000;
	for (unsigned i = 0; i < 50; i++) {
		link_send(&l);
		assert_int_equal(link_deliver(&l, now++, &res), 0);
	}
	unsigned lost_answers = 0;
	bool lose_next = false;
	for (unsigned i = 0; lost_answers < answers && i < max_packets; i++) {
		link_send(&l);
		now++;
		if (lose_next || i % lost_every < 5 || l.wire[1] == 0xFF) {
			lost_answers += lose_next;
			lose_next = false;
			continue;
		}
		int rc = link_deliver(&l, now, &res);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (res.send_reset_request) {
			mppe_tx_reset_request(&l.tx);
			lose_next = true; /* the FLUSHED answer */
		}
	}
	unsigned n;
	int rc = -1;
	for (n = 1; n <= within && rc != 0; n++) {
		link_send(&l);
		rc = link_deliver(&l, now++, &res);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (res.send_reset_request)
			mppe_tx_reset_request(&l.tx);
	}
	assert_int_equal(rc, 0);
	/* And it stays in sync. */
	for (unsigned i = 0; i < 500; i++) {
		link_send(&l);
		assert_int_equal(link_deliver(&l, now++, &res), 0);
	}
	link_wipe(&l);
}

static void ten_lost_answers(void **state)
{
	(void)state;
	storm(10, 1000000, 20, 3000);
}

static void two_hundred_lost_answers(void **state)
{
	(void)state;
	storm(200, 1000000, 9, 3000);
}

static void thousand_lost_answers(void **state)
{
	(void)state;
	storm(1000, 1000000, 40, 3000);
}

/* More Reset-Requests than the search bound (MPPE_RESYNC_MAX_RESETS):
 * the receiver stops asking there, and the next flag packet brings it
 * back (before, every further request was one more key change out of
 * reach). */
static void more_requests_than_the_bound(void **state)
{
	(void)state;
	storm(MPPE_RESYNC_MAX_RESETS + 500u, (MPPE_RESYNC_MAX_RESETS + 500u) * 70u, 1000, 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_lost_answers),
		cmocka_unit_test(two_hundred_lost_answers),
		cmocka_unit_test(thousand_lost_answers),
		cmocka_unit_test(more_requests_than_the_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
