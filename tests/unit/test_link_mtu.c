/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, issue 12 §1: correct at every MTU. With MPPE the link MTU is
 * 4 bytes below the MRU, so packets between the two sizes used to vanish
 * (dropped_too_long) and TCP stalled. Now: MSS clamped on SYN/SYN-ACK in
 * both directions, DF packets answered with ICMP Fragmentation Needed or
 * ICMPv6 Packet Too Big toward the TUN (rate-limited), others fragmented. */
#include "test_link_sim.h"

static void up_pair(struct sim *s, bool encrypted)
{
	struct ppp_mppe_policy pol = { .required = true, .allow_128 = true };
	sim_init(s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), encrypted ? &pol : NULL);
	s->end[0].cfg.ipv6 = s->end[1].cfg.ipv6 = true;
	sim_start(s);
	sim_run(s, 30000);
	assert_true(ppp_link_is_up(s->end[0].link));
	assert_true(ppp_link_is_up(s->end[1].link));
}

/* A TCP SYN (flags) from src to dst with MSS `mss`, checksummed. */
static struct pkt *make_syn(uint32_t src, uint32_t dst, uint8_t flags, uint16_t mss)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, 44);
	memset(d, 0, 44);
	d[0] = 0x45;
	store_be16(d + 2, 44);
	d[6] = 0x40;
	d[8] = 64;
	d[9] = 6;
	store_be32(d + 12, src);
	store_be32(d + 16, dst);
	store_be16(d + 10, ip_checksum(d, 20));
	uint8_t *t = d + 20;
	store_be16(t, 40000);
	store_be16(t + 2, 80);
	t[12] = 6 << 4;
	t[13] = flags;
	store_be16(t + 14, 64240);
	t[20] = 2;
	t[21] = 4;
	store_be16(t + 22, mss);
	uint8_t ph[12 + 24];
	memcpy(ph, d + 12, 8);
	ph[8] = 0;
	ph[9] = 6;
	store_be16(ph + 10, 24);
	memcpy(ph + 12, t, 24);
	store_be16(t + 16, ip_checksum(ph, sizeof(ph)));
	return p;
}

static bool tcp_checksum_ok(const uint8_t *d, size_t n)
{
	uint8_t ph[12 + 64];
	size_t seg = n - 20;
	memcpy(ph, d + 12, 8);
	ph[8] = 0;
	ph[9] = 6;
	store_be16(ph + 10, (uint16_t)seg);
	memcpy(ph + 12, d + 20, seg);
	return ip_checksum(ph, 12 + seg) == 0;
}

static void mss_clamped_both_directions(void **state)
{
	(void)state;
	struct sim s;
	up_pair(&s, true);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	/* server TUN -> peer: SYN-ACK MSS 1460 arrives as 1396 - 40 */
	assert_int_equal(ppp_link_send_ip(srv->link, make_syn(SRV_LOCAL, SRV_ASSIGN, 0x12, 1460), s.now), 0);
	sim_run(&s, s.now);
	assert_int_equal(cli->n_rx, 1);
	assert_int_equal(load_be16(cli->rx[0].data + 42), 1356);
	assert_true(tcp_checksum_ok(cli->rx[0].data, cli->rx[0].len));
	/* a smaller MSS is left alone */
	assert_int_equal(ppp_link_send_ip(cli->link, make_syn(SRV_ASSIGN, SRV_LOCAL, 0x02, 1200), s.now), 0);
	sim_run(&s, s.now);
	assert_int_equal(srv->n_rx, 1);
	assert_int_equal(load_be16(srv->rx[0].data + 42), 1200);
	struct ppp_link_stats st;
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.mss_clamped, 1);
	sim_free(&s);

	/* peer -> TUN: a SYN framed by a peer that does not clamp (no MPPE:
	 * MTU 1400, MSS 1360) is clamped on delivery */
	up_pair(&s, false);
	struct pkt *syn = make_syn(SRV_ASSIGN, SRV_LOCAL, 0x02, 1460);
	store_be16(pkt_push(syn, 2), 0x0021);
	ppp_link_input(s.end[0].link, syn, s.now);
	assert_int_equal(s.end[0].n_rx, 1);
	assert_int_equal(load_be16(s.end[0].rx[0].data + 42), 1360);
	assert_true(tcp_checksum_ok(s.end[0].rx[0].data, s.end[0].rx[0].len));
	sim_free(&s);
}

static struct pkt *make_ipv4_df(uint32_t src, uint32_t dst, size_t len, unsigned seed)
{
	struct pkt *p = make_ipv4(src, dst, len, seed);
	uint8_t *d = pkt_data(p);
	d[6] = 0x40;
	store_be16(d + 10, 0);
	store_be16(d + 10, ip_checksum(d, 20));
	return p;
}

/* The black hole of issue 12 §1: 1397..1400 bytes over an MPPE link. */
static void between_mtu_and_mru_never_silent(void **state)
{
	(void)state;
	struct sim s;
	up_pair(&s, true);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	for (size_t len = 1397; len <= 1400; len++) {
		srv->n_rx = 0;
		assert_int_equal(ppp_link_send_ip(srv->link, make_ipv4_df(SRV_LOCAL, SRV_ASSIGN, len, 1), s.now), ERR_LENGTH);
		assert_int_equal(srv->n_rx, 1); /* the ICMP, toward the server's own TUN */
		assert_int_equal(srv->rx[0].data[20], 3);
		assert_int_equal(srv->rx[0].data[21], 4);
		assert_int_equal(load_be16(srv->rx[0].data + 26), 1396);
		assert_int_equal(load_be32(srv->rx[0].data + 12), SRV_ASSIGN); /* routed back via the TUN */
		assert_int_equal(load_be32(srv->rx[0].data + 16), SRV_LOCAL);
		cli->n_rx = 0;
		assert_int_equal(ppp_link_send_ip(srv->link, make_ipv4(SRV_LOCAL, SRV_ASSIGN, len, 1), s.now), 0);
		sim_run(&s, s.now);
		assert_int_equal(cli->n_rx, 2); /* fragmented */
	}
	/* rate limit: 20 answers per second, the rest counted */
	srv->n_rx = 0;
	for (int i = 0; i < 30; i++)
		(void)ppp_link_send_ip(srv->link, make_ipv4_df(SRV_LOCAL, SRV_ASSIGN, 1400, 1), s.now + 1000);
	assert_int_equal(srv->n_rx, 20);
	struct ppp_link_stats st;
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.icmp_rate_limited, 10);
	assert_int_equal(st.icmp_too_big_sent, 24);
	assert_int_equal(st.fragments_sent, 8);
	/* IPv6: Packet Too Big with the link MTU, from fe80::<peer id> */
	uint64_t lid = 0, pid = 0;
	assert_true(ppp_link_ipv6_ids(srv->link, &lid, &pid));
	srv->n_rx = 0;
	assert_int_equal(ppp_link_send_ip(srv->link, make_ipv6_from(srv->link, 1397, 3), s.now + 5000), ERR_LENGTH);
	assert_int_equal(srv->n_rx, 1);
	const uint8_t *ptb = srv->rx[0].data;
	assert_int_equal(ptb[6], 58);
	assert_int_equal(ptb[40], 2);
	assert_int_equal(load_be32(ptb + 44), 1396);
	assert_int_equal(load_be32(ptb + 16), (uint32_t)(pid >> 32));
	assert_int_equal(load_be32(ptb + 20), (uint32_t)pid);
	assert_int_equal(srv->rx[0].len, 1280);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mss_clamped_both_directions),
		cmocka_unit_test(between_mtu_and_mru_never_silent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
