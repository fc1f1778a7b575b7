/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, issue 11 item 2: the server delivers to its shared TUN only
 * packets that carry the session's own negotiated source and the IP
 * version their PPP protocol names; everything else is dropped and
 * counted per reason. Client and server engines back to back. */
#include "test_link_sim.h"

static void up_pair(struct sim *s, bool encrypted, bool ipv6)
{
	struct ppp_mppe_policy pol = { .required = true, .allow_128 = true };
	sim_init(s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), encrypted ? &pol : NULL);
	s->end[0].cfg.ipv6 = s->end[1].cfg.ipv6 = ipv6;
	sim_start(s);
	sim_run(s, 30000);
	assert_true(ppp_link_is_up(s->end[0].link));
	assert_true(ppp_link_is_up(s->end[1].link));
}

/* One client sends with another client's address through its tunnel. */
static void spoofed_ipv4_source_dropped(void **state)
{
	(void)state;
	for (int enc = 0; enc < 2; enc++) {
		struct sim s;
		up_pair(&s, enc != 0, false);
		struct sim_end *srv = &s.end[0];
		const uint32_t other_client = SRV_ASSIGN + 1;
		for (unsigned i = 0; i < 10; i++)
			assert_int_equal(ppp_link_send_ip(s.end[1].link, make_ipv4(other_client, SRV_LOCAL, 200, i), s.now), 0);
		sim_run(&s, s.now);
		assert_int_equal(srv->n_rx, 0);
		struct ppp_link_stats st;
		ppp_link_get_stats(srv->link, &st);
		assert_int_equal(st.dropped_ip_source, 10);
		assert_int_equal(st.ip_rx_packets, 0);
		/* Its own address still passes. */
		assert_int_equal(ppp_link_send_ip(s.end[1].link, make_ipv4(SRV_ASSIGN, SRV_LOCAL, 200, 1), s.now), 0);
		sim_run(&s, s.now);
		assert_int_equal(srv->n_rx, 1);
		/* The client does not check sources: the server forwards from anywhere. */
		assert_int_equal(ppp_link_send_ip(srv->link, make_ipv4(0xC6336401u, SRV_ASSIGN, 200, 2), s.now), 0);
		sim_run(&s, s.now);
		assert_int_equal(s.end[1].n_rx, 1);
		sim_free(&s);
	}
}

/* A PPP frame of `protocol` carrying `ip` straight into the server (no MPPE). */
static void inject(struct sim *s, uint16_t protocol, struct pkt *ip)
{
	uint8_t *h = pkt_push(ip, 2);
	store_be16(h, protocol);
	ppp_link_input(s->end[0].link, ip, s->now);
}

static void wrong_version_and_malformed_dropped(void **state)
{
	(void)state;
	struct sim s;
	up_pair(&s, false, true);
	struct sim_end *srv = &s.end[0];
	struct ppp_link_stats st;
	/* IPv6 in 0x0021 never reaches the IPv6 stack, IPv4 in 0x0057 neither */
	inject(&s, 0x0021, make_ipv6_from(s.end[1].link, 100, 1));
	inject(&s, 0x0057, make_ipv4(SRV_ASSIGN, SRV_LOCAL, 100, 1));
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.dropped_ip_version, 2);
	/* a truncated header, a total length above the frame */
	struct pkt *p = make_ipv4(SRV_ASSIGN, SRV_LOCAL, 100, 1);
	pkt_trim(p, 12);
	inject(&s, 0x0021, p);
	p = make_ipv4(SRV_ASSIGN, SRV_LOCAL, 100, 1);
	pkt_trim(p, 60);
	inject(&s, 0x0021, p);
	p = make_ipv6_from(s.end[1].link, 100, 1);
	pkt_trim(p, 30);
	inject(&s, 0x0057, p);
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.dropped_ip_malformed, 3);
	/* IPv6 from a link-local address with another interface identifier,
	 * or a global one (no prefix delegated yet) */
	p = make_ipv6_from(s.end[1].link, 100, 1);
	pkt_data(p)[15] ^= 1;
	inject(&s, 0x0057, p);
	p = make_ipv6_from(s.end[1].link, 100, 1);
	pkt_data(p)[8] = 0x20;
	pkt_data(p)[9] = 0x01;
	inject(&s, 0x0057, p);
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.dropped_ip_source, 2);
	assert_int_equal(srv->n_rx, 0);
	/* the right ones pass */
	inject(&s, 0x0057, make_ipv6_from(s.end[1].link, 100, 1));
	inject(&s, 0x0021, make_ipv4(SRV_ASSIGN, SRV_LOCAL, 100, 1));
	assert_int_equal(srv->n_rx, 2);
	sim_free(&s);
}

/* IPv6 before (here: without) IPV6CP is not delivered. */
static void ipv6_without_ipv6cp_dropped(void **state)
{
	(void)state;
	struct sim s;
	up_pair(&s, false, false);
	inject(&s, 0x0057, make_ipv6(100, 1));
	struct ppp_link_stats st;
	ppp_link_get_stats(s.end[0].link, &st);
	assert_int_equal(s.end[0].n_rx, 0);
	assert_true(st.dropped_not_up + st.protocol_rejects_sent >= 1);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spoofed_ipv4_source_dropped),
		cmocka_unit_test(wrong_version_and_malformed_dropped),
		cmocka_unit_test(ipv6_without_ipv6cp_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
