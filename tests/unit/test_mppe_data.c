/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE data path: a real MPPE-128 stateless session decrypted and
 * re-encrypted byte for byte; stateful loss and resynchronisation;
 * stateless gaps, reordering, the 4096 wrap and late packets. */
#include "support/test_support.h"

#include <string.h>

#include "../vectors/mppe/capture_packets.h"
#include "base/crypto.h"
#include "base/error.h"
#include "base/pkt.h"
#include "proto/mppe/mppe.h"

static void password_hash_hash(const char *password, uint8_t out[16])
{
	uint8_t unicode[256], hash[16];
	size_t n = strlen(password);
	for (size_t i = 0; i < n; i++) {
		unicode[2 * i] = (uint8_t)password[i];
		unicode[2 * i + 1] = 0;
	}
	crypto_md4(unicode, 2 * n, hash);
	crypto_md4(hash, 16, out);
}

static uint16_t inet_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A decrypted PPP frame: protocol 0x0021 + an IPv4 packet with a valid
 * header checksum and length (ICMP checksum too), or 0x0057 + IPv6. */
static void assert_valid_ip(const uint8_t *d, size_t len, unsigned *icmp_seen)
{
	assert_true(len >= 2 + 20);
	uint16_t proto = (uint16_t)((d[0] << 8) | d[1]);
	const uint8_t *ip = d + 2;
	size_t iplen = len - 2;
	if (proto == 0x0057) {
		assert_int_equal(ip[0] >> 4, 6);
		assert_int_equal(40u + (size_t)((ip[4] << 8) | ip[5]), iplen);
		return;
	}
	assert_int_equal(proto, 0x0021);
	assert_int_equal(ip[0] >> 4, 4);
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	assert_true(ihl >= 20 && ihl <= iplen);
	assert_int_equal((size_t)((ip[2] << 8) | ip[3]), iplen);
	assert_int_equal(inet_checksum(ip, ihl), 0);
	if (ip[9] == 1) {
		assert_int_equal(inet_checksum(ip + ihl, iplen - ihl), 0);
		(*icmp_seen)++;
	}
}

static void capture_keys(uint8_t server_send[16], uint8_t server_recv[16])
{
	uint8_t hh[16];
	password_hash_hash("testpass123", hh);
	assert_int_equal(mppe_keys_from_mschapv2(hh, capture_nt_response, true, 128, server_send, server_recv), 0);
	uint8_t client_send[16], client_recv[16];
	assert_int_equal(mppe_keys_from_mschapv2(hh, capture_nt_response, false, 128, client_send, client_recv), 0);
	assert_memory_equal(client_send, server_recv, 16);
	assert_memory_equal(client_recv, server_send, 16);
}

static void real_session_decrypts_both_directions(void **state)
{
	(void)state;
	uint8_t server_send[16], server_recv[16];
	capture_keys(server_send, server_recv);
	const struct mppe_config cfg = { .key_bits = 128, .stateless = true };
	struct mppe_rx from_server, from_client;
	assert_int_equal(mppe_rx_init(&from_server, &cfg, server_send), 0); /* the client's view */
	assert_int_equal(mppe_rx_init(&from_client, &cfg, server_recv), 0); /* the server's view */

	unsigned n_server = 0, n_client = 0, icmp = 0;
	uint8_t storage[PKT_SIZE];
	for (size_t i = 0; i < sizeof(capture_packets) / sizeof(capture_packets[0]); i++) {
		const struct capture_packet *cp = &capture_packets[i];
		struct pkt p;
		pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
		memcpy(pkt_put(&p, cp->len), cp->bytes, cp->len);
		struct mppe_rx_result res;
		struct mppe_rx *rx = cp->from_server ? &from_server : &from_client;
		assert_int_equal(mppe_rx_decrypt(rx, &p, 0, &res), 0);
		assert_int_equal(res.bits, MPPE_BIT_A | MPPE_BIT_D); /* stateless: A on every packet */
		assert_false(res.send_reset_request);
		assert_valid_ip(pkt_data(&p), p.len, &icmp);
		if (cp->from_server)
			n_server++;
		else
			n_client++;
	}
	assert_true(n_server >= 19 && n_client >= 19);
	assert_true(icmp > 0);
	assert_int_equal(from_server.stats.packets, n_server);
	assert_true(from_server.stats.lost > 0); /* there were gaps */
	assert_true(from_client.stats.lost > 0);
	assert_int_equal(from_client.stats.late, 0);
	mppe_rx_wipe(&from_server);
	mppe_rx_wipe(&from_client);
}

/* Our sender produces exactly the capture's bytes for its first packets. */
static void real_session_reencrypts_byte_for_byte(void **state)
{
	(void)state;
	uint8_t server_send[16], server_recv[16];
	capture_keys(server_send, server_recv);
	const struct mppe_config cfg = { .key_bits = 128, .stateless = true };
	for (int dir = 0; dir < 2; dir++) {
		bool from_server = dir == 0;
		const uint8_t *key = from_server ? server_send : server_recv;
		struct mppe_rx rx;
		struct mppe_tx tx;
		assert_int_equal(mppe_rx_init(&rx, &cfg, key), 0);
		assert_int_equal(mppe_tx_init(&tx, &cfg, key), 0);
		unsigned expect = 0, checked = 0;
		for (size_t i = 0; i < sizeof(capture_packets) / sizeof(capture_packets[0]); i++) {
			const struct capture_packet *cp = &capture_packets[i];
			if (cp->from_server != from_server)
				continue;
			uint16_t ccount = (uint16_t)(((cp->bytes[0] & 15) << 8) | cp->bytes[1]);
			if (ccount != expect)
				break; /* only the consecutive run from count 0 */
			expect++;
			uint8_t s1[PKT_SIZE], s2[PKT_SIZE];
			struct pkt p, q;
			pkt_init(&p, s1, sizeof(s1), PKT_HEADROOM);
			memcpy(pkt_put(&p, cp->len), cp->bytes, cp->len);
			struct mppe_rx_result res;
			assert_int_equal(mppe_rx_decrypt(&rx, &p, 0, &res), 0);
			pkt_init(&q, s2, sizeof(s2), PKT_HEADROOM);
			memcpy(pkt_put(&q, p.len), pkt_data(&p), p.len);
			assert_int_equal(mppe_tx_encrypt(&tx, &q, 0), 0);
			assert_int_equal(q.len, cp->len);
			assert_memory_equal(pkt_data(&q), cp->bytes, cp->len);
			checked++;
		}
		assert_true(checked >= 10);
	}
}

/* ---- a simulated link between our own sender and receiver ---- */

struct link {
	struct mppe_tx tx;
	struct mppe_rx rx;
	uint8_t wire[PKT_SIZE];
	size_t wire_len;
	unsigned seq;
	uint64_t now_ms;
};

static bool linux_mode; /* reset_changes_key for the stateful tests */

static void link_init(struct link *l, unsigned bits, bool stateless)
{
	uint8_t key[16];
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(0xA0 + i);
	struct mppe_config cfg = { .key_bits = bits, .stateless = stateless, .reset_changes_key = linux_mode };
	assert_int_equal(mppe_tx_init(&l->tx, &cfg, key), 0);
	assert_int_equal(mppe_rx_init(&l->rx, &cfg, key), 0);
	l->seq = 0;
	l->now_ms = 0;
}

static size_t payload_for(unsigned seq, uint8_t *buf)
{
	size_t len = 3 + seq % 50;
	buf[0] = 0x00;
	buf[1] = 0x21;
	for (size_t i = 2; i < len; i++)
		buf[i] = (uint8_t)(seq * 7 + i);
	return len;
}

/* Send the next packet onto l->wire. */
static void link_send(struct link *l)
{
	uint8_t storage[PKT_SIZE], plain[64];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	size_t len = payload_for(l->seq++, plain);
	memcpy(pkt_put(&p, len), plain, len);
	assert_int_equal(mppe_tx_encrypt(&l->tx, &p, 0), 0);
	memcpy(l->wire, pkt_data(&p), p.len);
	l->wire_len = p.len;
}

/* Deliver a wire packet; returns mppe_rx_decrypt's result, checks the
 * plaintext when accepted. */
static int link_deliver(struct link *l, const uint8_t *wire, size_t len, struct mppe_rx_result *res)
{
	uint8_t storage[PKT_SIZE], plain[64];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	memcpy(pkt_put(&p, len), wire, len);
	int rc = mppe_rx_decrypt(&l->rx, &p, l->now_ms, res);
	if (rc == 0) {
		/* The plaintext must be one the sender sent: find it by its
		 * length and byte pattern (payload_for). */
		bool ok = false;
		for (unsigned s = 0; s < 20000 && !ok; s++) {
			if (3 + s % 50 != p.len)
				continue;
			size_t n = payload_for(s, plain);
			ok = memcmp(plain, pkt_data(&p), n) == 0;
		}
		assert_true(ok);
	}
	return rc;
}

static int link_send_deliver(struct link *l, struct mppe_rx_result *res)
{
	link_send(l);
	return link_deliver(l, l->wire, l->wire_len, res);
}

static void stateful_resyncs_after_loss(void **state)
{
	(void)state;
	static const unsigned bit_sizes[] = { 40, 56, 128 };
	for (size_t b = 0; b < 3; b++) {
		struct link l;
		struct mppe_rx_result res;
		link_init(&l, bit_sizes[b], false);
		/* 300 packets in order: a key change at count 255 (flag packet). */
		for (int i = 0; i < 300; i++)
			assert_int_equal(link_send_deliver(&l, &res), 0);
		assert_int_equal(l.rx.stats.key_changes, 1);
		/* Lose 3 packets, then the next is dropped with a Reset-Request. */
		for (int i = 0; i < 3; i++)
			link_send(&l);
		assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
		assert_true(res.send_reset_request);
		assert_int_equal(l.rx.state, MPPE_RX_DISCARDING);
		/* More packets before the peer reacts: silently discarded. */
		for (int i = 0; i < 5; i++) {
			assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
			assert_false(res.send_reset_request);
		}
		/* The sender gets the Reset-Request: next packet is FLUSHED. */
		mppe_tx_reset_request(&l.tx);
		assert_true(mppe_tx_next_flushed(&l.tx));
		assert_int_equal(link_send_deliver(&l, &res), 0);
		assert_true(res.bits & MPPE_BIT_A);
		assert_int_equal(l.rx.state, MPPE_RX_SYNCED);
		for (int i = 0; i < 10; i++) {
			assert_int_equal(link_send_deliver(&l, &res), 0);
			assert_false(res.bits & MPPE_BIT_A);
		}
		assert_int_equal(l.rx.stats.lost, 3);
		mppe_tx_wipe(&l.tx);
		mppe_rx_wipe(&l.rx);
	}
}

static void stateful_loses_flag_packets(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 128, false);
	for (int i = 0; i < 250; i++)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	/* Lose 600 packets: counts 250..849, flag packets 255, 511 and 767. */
	for (int i = 0; i < 600; i++)
		link_send(&l);
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_true(res.send_reset_request);
	mppe_tx_reset_request(&l.tx);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(l.rx.stats.key_changes, l.tx.stats.key_changes);
	assert_int_equal(l.rx.stats.key_changes, linux_mode ? 4 : 3);
	/* Across the 4096 wrap: keep going for 4000 more packets. */
	for (int i = 0; i < 4000; i++)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(l.rx.stats.key_changes, l.tx.stats.key_changes);
}

static void stateful_flag_packet_resyncs_and_reset_repeats(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 56, false);
	for (int i = 0; i < 10; i++)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	link_send(&l); /* lost */
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_true(res.send_reset_request);
	/* The Reset-Request is lost: we ask again every MPPE_RESET_REPEAT drops. */
	unsigned asked = 0;
	while (l.tx.ccount != 254) {
		int rc = link_send_deliver(&l, &res);
		assert_int_equal(rc, ERR_AGAIN);
		asked += res.send_reset_request;
	}
	assert_int_equal(asked, 243 / MPPE_RESET_REPEAT);
	/* The flag packet (count 255) carries FLUSHED: that resyncs too. */
	assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(res.ccount, 255);
	assert_true(res.bits & MPPE_BIT_A);
	assert_int_equal(link_send_deliver(&l, &res), 0);
}

/* The peer's traffic slows to TCP retransmissions after a lost
 * Reset-Request: a dropped packet a second later asks again. */
static void stateful_reset_repeats_after_a_second(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 128, false);
	for (int i = 0; i < 5; i++)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	link_send(&l); /* lost */
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_true(res.send_reset_request); /* and this one is lost too */
	l.now_ms += MPPE_RESET_RETRY_MS - 1;
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_false(res.send_reset_request);
	l.now_ms += 1;
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_true(res.send_reset_request);
	l.now_ms += 10;
	assert_int_equal(link_send_deliver(&l, &res), ERR_AGAIN);
	assert_false(res.send_reset_request); /* not again at once */
	mppe_tx_reset_request(&l.tx);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(l.rx.state, MPPE_RX_SYNCED);
}

static void stateful_duplicate_is_dropped_without_reset(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 128, false);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	uint8_t copy[PKT_SIZE];
	size_t copy_len = l.wire_len;
	memcpy(copy, l.wire, copy_len);
	assert_int_equal(link_deliver(&l, copy, copy_len, &res), ERR_LATE);
	assert_false(res.send_reset_request);
	assert_int_equal(link_send_deliver(&l, &res), 0);
}

static void stateless_gap_reorder_late_and_wrap(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 128, true);
	static uint8_t held[8][PKT_SIZE];
	size_t held_len[8];
	for (int i = 0; i < 5; i++)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	/* Reorder: packets 5..7 captured, delivered 7, 5 (late), 6 (late). */
	for (int i = 0; i < 3; i++) {
		link_send(&l);
		memcpy(held[i], l.wire, l.wire_len);
		held_len[i] = l.wire_len;
	}
	assert_int_equal(link_deliver(&l, held[2], held_len[2], &res), 0);
	assert_int_equal(link_deliver(&l, held[0], held_len[0], &res), ERR_LATE);
	assert_int_equal(link_deliver(&l, held[1], held_len[1], &res), ERR_LATE);
	assert_int_equal(link_deliver(&l, held[2], held_len[2], &res), ERR_LATE); /* replay */
	assert_int_equal(l.rx.stats.late, 3);
	/* A gap of 60 (under max_rekeys, 64): 61 key changes for one packet. */
	for (int i = 0; i < 60; i++)
		link_send(&l);
	uint64_t before = l.rx.stats.key_changes;
	assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(l.rx.stats.key_changes - before, 61);
	assert_false(res.send_reset_request);
	/* Through the 4096 wrap, with a gap across it. */
	while (l.tx.ccount != 4090)
		assert_int_equal(link_send_deliver(&l, &res), 0);
	for (int i = 0; i < 10; i++)
		link_send(&l);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	assert_int_equal(res.ccount, 5);
	assert_int_equal(link_send_deliver(&l, &res), 0);
}

static void stateless_huge_gap_is_caught_up_in_bounded_steps(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	link_init(&l, 40, true);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	for (int i = 0; i < 1000; i++)
		link_send(&l);
	/* Gap of 1001 > 256: each packet costs at most 256 changes. */
	int dropped = 0;
	for (;;) {
		uint64_t before = l.rx.stats.key_changes;
		int rc = link_send_deliver(&l, &res);
		assert_true(l.rx.stats.key_changes - before <= MPPE_DEFAULT_MAX_REKEYS);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_AGAIN);
		dropped++;
	}
	/* Each dropped packet moves the count max_rekeys - 1 nearer. */
	assert_true(dropped >= 1 && (unsigned)dropped <= 1001 / (MPPE_DEFAULT_MAX_REKEYS - 1) + 1);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	/* More than half the space ahead: taken as late. */
	for (int i = 0; i < 2048; i++)
		link_send(&l);
	assert_int_equal(link_send_deliver(&l, &res), ERR_LATE);
}

/* A copy of the last packet sent with its count moved ahead by ahead: what
 * a spoofer who knows nothing but the GRE fields can send. */
static size_t forged_ahead(const struct link *l, uint16_t ahead, uint8_t *out)
{
	memcpy(out, l->wire, l->wire_len);
	uint16_t c = (uint16_t)((((unsigned)out[0] & 0x0F) << 8 | out[1]) + ahead) & 0x0FFF;
	out[0] = (uint8_t)((out[0] & 0xF0) | (c >> 8));
	out[1] = (uint8_t)c;
	return l->wire_len;
}

/* Issue 11 item 5: one forged count 2000 ahead forced 256 key changes
 * (~117 packets' work); now at most MPPE_DEFAULT_MAX_REKEYS (64). */
static void stateless_forged_jump_costs_bounded_key_changes(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	uint8_t forged[PKT_SIZE];
	link_init(&l, 128, true);
	assert_int_equal(link_send_deliver(&l, &res), 0);
	size_t n = forged_ahead(&l, 2000, forged);
	uint64_t before = l.rx.stats.key_changes;
	assert_int_not_equal(link_deliver(&l, forged, n, &res), 0);
	assert_true(l.rx.stats.key_changes - before <= 64);
	mppe_tx_wipe(&l.tx);
	mppe_rx_wipe(&l.rx);
}

/* 10,000 forged far-ahead packets within one second: the catch-up work is
 * bounded by the per-second budget, the rest dropped and counted; a
 * second later the budget is back for a real loss. */
static void stateless_forged_flood_bounded_per_second(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	uint8_t forged[PKT_SIZE];
	link_init(&l, 128, true);
	l.now_ms = 5000;
	assert_int_equal(link_send_deliver(&l, &res), 0);
	uint64_t before = l.rx.stats.key_changes;
	for (int i = 0; i < 10000; i++) {
		/* Always 1000 ahead of where the receiver is now. */
		uint16_t ahead = (uint16_t)((l.rx.ccount - l.tx.ccount + 1000) & 0x0FFF);
		size_t n = forged_ahead(&l, ahead, forged);
		assert_int_not_equal(link_deliver(&l, forged, n, &res), 0);
		if (i % 100 == 0)
			l.now_ms++;   /* 100 ms in all */
	}
	uint64_t spent = l.rx.stats.key_changes - before;
	/* The bucket + 100 ms of refill, paid 63 at a time, each such packet
	 * doing 64 changes; every packet beyond what they pay is dropped
	 * over budget. */
	const uint64_t paid = MPPE_CATCHUP_PER_SECOND + MPPE_CATCHUP_PER_SECOND / 10 + 1;
	assert_true(spent <= paid * 64 / 63 + 64);
	assert_true(l.rx.stats.over_budget >= 10000 - paid / 63 - 1);
	assert_true(l.rx.stats.over_budget > 0);
	mppe_tx_wipe(&l.tx);
	mppe_rx_wipe(&l.rx);
}

static void malformed_packets_are_dropped(void **state)
{
	(void)state;
	struct link l;
	struct mppe_rx_result res;
	struct test_log tl;
	link_init(&l, 128, true);
	test_log_capture(&tl);
	static const uint8_t one[] = { 0x90 };
	static const uint8_t header_only[] = { 0x90, 0x00 };
	static const uint8_t plain[] = { 0x80, 0x00, 0x00, 0x21, 0x45 };
	assert_int_equal(link_deliver(&l, one, sizeof(one), &res), ERR_TRUNCATED);
	assert_int_equal(link_deliver(&l, header_only, sizeof(header_only), &res), ERR_TRUNCATED);
	assert_int_equal(link_deliver(&l, plain, sizeof(plain), &res), ERR_MALFORMED);
	assert_int_equal(l.rx.stats.malformed, 3);
	assert_int_equal(tl.count, 3);
	test_log_release();
	/* Still in sync. */
	assert_int_equal(link_send_deliver(&l, &res), 0);
	struct mppe_header h;
	assert_int_equal(mppe_header_parse(one, 1, &h), ERR_TRUNCATED);
	assert_int_equal(mppe_header_parse(header_only, 2, &h), 0);
	assert_int_equal(h.bits, MPPE_BIT_A | MPPE_BIT_D);
}

static int set_linux_mode(void **state)
{
	(void)state;
	linux_mode = true;
	return 0;
}

int main(void)
{
	log_set_level(LOG_LEVEL_WARN);
	const struct CMUnitTest linux_tests[] = {
		cmocka_unit_test(stateful_resyncs_after_loss),
		cmocka_unit_test(stateful_loses_flag_packets),
		cmocka_unit_test(stateful_flag_packet_resyncs_and_reset_repeats),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_session_decrypts_both_directions),
		cmocka_unit_test(real_session_reencrypts_byte_for_byte),
		cmocka_unit_test(stateful_resyncs_after_loss),
		cmocka_unit_test(stateful_loses_flag_packets),
		cmocka_unit_test(stateful_flag_packet_resyncs_and_reset_repeats),
		cmocka_unit_test(stateful_reset_repeats_after_a_second),
		cmocka_unit_test(stateful_duplicate_is_dropped_without_reset),
		cmocka_unit_test(stateless_gap_reorder_late_and_wrap),
		cmocka_unit_test(stateless_huge_gap_is_caught_up_in_bounded_steps),
		cmocka_unit_test(stateless_forged_jump_costs_bounded_key_changes),
		cmocka_unit_test(stateless_forged_flood_bounded_per_second),
		cmocka_unit_test(malformed_packets_are_dropped),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* The stateful rules again with Linux's "FLUSHED = key change". */
	failed += cmocka_run_group_tests_name("linux_reset_changes_key", linux_tests, set_linux_mode, NULL);
	return failed;
}
