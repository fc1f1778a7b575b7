/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, IPv6 once IPV6CP is up (issue 12 §3), server and client back
 * to back: the server announces the /64 its owner assigns in a Router
 * Advertisement (with RDNSS), the client reports it; solicitations are
 * answered but never more than one RA per 3 s; ND for the link never
 * reaches the TUN; a peer's RA never reaches the server's; the source
 * check admits the /64 once delegated. */
#include "test_link_sim.h"
#include "proto/ip/ip_nd.h"

static const uint8_t delegated[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x71, 0x0a };
static const uint8_t dns6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };
static unsigned prefix_asks;

static bool sim_prefix6(void *ctx, uint32_t peer_address, uint8_t prefix[8])
{
	(void)ctx;
	prefix_asks++;
	assert_int_equal(peer_address, SRV_ASSIGN);
	memcpy(prefix, delegated, 8);
	return true;
}

static void sim_ipv6_with(struct sim *s, const struct ppp_mppe_policy *mppe)
{
	sim_init(s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), mppe);
	s->end[0].cfg.ipv6 = s->end[1].cfg.ipv6 = true;
	s->end[1].cfg.ipv6_autoconf = true;
	s->end[0].cfg.assign_prefix6 = sim_prefix6;
	s->end[0].cfg.dns6_count = 1;
	memcpy(s->end[0].cfg.dns6[0], dns6, 16);
	prefix_asks = 0;
	sim_start(s);
}

static void sim_ipv6(struct sim *s)
{
	sim_ipv6_with(s, NULL);
}

/* The RA and RS are data: encrypted (and compressed) like any packet. */
static void ra_through_mppe(void **state)
{
	(void)state;
	const struct ppp_mppe_policy pols[] = {
		{ .required = true, .allow_128 = true },
		{ .required = true, .allow_128 = true, .allow_stateful = true, .stateful_only = true, .allow_mppc = true },
	};
	for (size_t i = 0; i < 2; i++) {
		struct sim s;
		sim_ipv6_with(&s, &pols[i]);
		sim_run(&s, 30000);
		assert_int_equal(sim_find(&s.end[1], PPP_LINK_EVENT_UP)->mppe_bits, 128);
		const struct sim_event *cp = sim_find(&s.end[1], PPP_LINK_EVENT_IPV6_PREFIX);
		assert_non_null(cp);
		assert_memory_equal(cp->ipv6.prefix, delegated, 8);
		struct ppp_link_stats cs;
		ppp_link_get_stats(s.end[1].link, &cs);
		assert_int_equal(cs.nd_ra_received, 3);
		assert_int_equal(cs.mppe_rx_errors, 0);
		sim_free(&s);
	}
}

static void ra_announces_the_prefix(void **state)
{
	(void)state;
	struct sim s;
	sim_ipv6(&s);
	sim_run(&s, 30000);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	assert_true(ppp_link_is_up(srv->link) && ppp_link_is_up(cli->link));
	const struct sim_event *su = sim_find(srv, PPP_LINK_EVENT_IPV6_UP);
	const struct sim_event *cu = sim_find(cli, PPP_LINK_EVENT_IPV6_UP);
	const struct sim_event *cp = sim_find(cli, PPP_LINK_EVENT_IPV6_PREFIX);
	assert_non_null(su);
	assert_non_null(cu);
	assert_non_null(cp);
	assert_int_equal(prefix_asks, 1);
	assert_true(su->ipv6.has_prefix);
	assert_memory_equal(su->ipv6.prefix, delegated, 8);
	/* the ends agree on who is who */
	assert_true(su->ipv6.local_id == cu->ipv6.peer_id && su->ipv6.peer_id == cu->ipv6.local_id);
	assert_true(cp->ipv6.has_prefix);
	assert_memory_equal(cp->ipv6.prefix, delegated, 8);
	assert_int_equal(cp->ipv6.prefix_len, 64);
	assert_int_equal(cp->ipv6.dns_count, 1);
	assert_memory_equal(cp->ipv6.dns[0], dns6, 16);
	/* one PREFIX event although three RAs came (the others changed nothing) */
	assert_int_equal(sim_count(cli, PPP_LINK_EVENT_IPV6_PREFIX), 1);
	struct ppp_link_stats ss, cs;
	ppp_link_get_stats(srv->link, &ss);
	ppp_link_get_stats(cli->link, &cs);
	assert_int_equal(ss.nd_ra_sent, 3); /* at up, +4 s, +8 s (RFC 4861 §6.2.4) */
	assert_int_equal(cs.nd_ra_received, 3);
	assert_int_equal(cs.nd_rs_sent, 1); /* the first RA stopped the solicitations */
	assert_int_equal(ss.nd_rs_received, 1);
	assert_int_equal(ss.nd_malformed + cs.nd_malformed, 0);
	/* none of it reached either TUN */
	assert_int_equal(srv->n_rx + cli->n_rx, 0);
	/* then one every 600 s */
	sim_run(&s, 30000 + 600000);
	ppp_link_get_stats(srv->link, &ss);
	assert_int_equal(ss.nd_ra_sent, 4);
	sim_free(&s);
}

static void solicitations_rate_limited(void **state)
{
	(void)state;
	struct sim s;
	sim_ipv6(&s);
	sim_run(&s, 30000);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	struct ppp_link_stats before, after;
	ppp_link_get_stats(srv->link, &before);
	/* 10 solicitations from the client's kernel within 1 s: one RA */
	uint64_t lid = 0, pid = 0;
	assert_true(ppp_link_ipv6_ids(cli->link, &lid, &pid));
	uint8_t src[16];
	nd_link_local(src, lid);
	for (int i = 0; i < 10; i++) {
		struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
		assert_int_equal(nd_rs_build(pkt_put(p, ND_RS_LEN), ND_RS_LEN, src), ND_RS_LEN);
		assert_int_equal(ppp_link_send_ip(cli->link, p, s.now), 0);
		s.now += 100;
		sim_run(&s, s.now);
	}
	ppp_link_get_stats(srv->link, &after);
	assert_int_equal(after.nd_rs_received - before.nd_rs_received, 10);
	assert_int_equal(after.nd_ra_sent - before.nd_ra_sent, 1);
	assert_int_equal(srv->n_rx, 0);
	sim_free(&s);
}

static void peer_ra_never_reaches_the_server(void **state)
{
	(void)state;
	struct sim s;
	sim_ipv6(&s);
	sim_run(&s, 30000);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	uint64_t lid = 0, pid = 0;
	assert_true(ppp_link_ipv6_ids(cli->link, &lid, &pid));
	/* a rogue RA from the client's own link-local address */
	struct nd_ra ra = { .router_lifetime = 9000, .has_prefix = true, .prefix_len = 64, .valid_lifetime = 10,
			    .preferred_lifetime = 10 };
	ra.prefix[0] = 0x20;
	ra.prefix[1] = 0x01;
	uint8_t src[16], dst[16] = { 0xff, 0x02, [15] = 1 }, out[ND_RA_MAX];
	nd_link_local(src, lid);
	int n = nd_ra_build(out, sizeof(out), &ra, src, dst);
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	memcpy(pkt_put(p, (size_t)n), out, (size_t)n);
	assert_int_equal(ppp_link_send_ip(cli->link, p, s.now), 0);
	sim_run(&s, s.now);
	assert_int_equal(srv->n_rx, 0);
	struct ppp_link_stats st;
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.nd_malformed, 1);
	/* the delegated /64 passes the source check, its neighbour does not */
	p = make_ipv6_from(cli->link, 100, 3);
	memcpy(pkt_data(p) + 8, delegated, 8);
	assert_int_equal(ppp_link_send_ip(cli->link, p, s.now), 0);
	sim_run(&s, s.now);
	assert_int_equal(srv->n_rx, 1);
	p = make_ipv6_from(cli->link, 100, 3);
	memcpy(pkt_data(p) + 8, delegated, 8);
	pkt_data(p)[15] ^= 1;
	assert_int_equal(ppp_link_send_ip(cli->link, p, s.now), 0);
	sim_run(&s, s.now);
	assert_int_equal(srv->n_rx, 1);
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.dropped_ip_source, 1);
	sim_free(&s);
}

static void no_prefix_link_local_only(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), NULL);
	s.end[0].cfg.ipv6 = s.end[1].cfg.ipv6 = true; /* no assign_prefix6: not a router */
	s.end[1].cfg.ipv6_autoconf = true;
	sim_start(&s);
	sim_run(&s, 30000);
	const struct sim_event *su = sim_find(&s.end[0], PPP_LINK_EVENT_IPV6_UP);
	assert_non_null(su);
	assert_false(su->ipv6.has_prefix);
	assert_non_null(sim_find(&s.end[1], PPP_LINK_EVENT_IPV6_UP));
	assert_null(sim_find(&s.end[1], PPP_LINK_EVENT_IPV6_PREFIX));
	struct ppp_link_stats ss, cs;
	ppp_link_get_stats(s.end[0].link, &ss);
	ppp_link_get_stats(s.end[1].link, &cs);
	assert_int_equal(ss.nd_ra_sent, 0);
	assert_int_equal(cs.nd_rs_sent, 3); /* RFC 4861 §10 MAX_RTR_SOLICITATIONS, then silence */
	/* not a router: the solicitations go to the server's kernel, as any packet */
	assert_int_equal(ss.nd_rs_received, 0);
	assert_int_equal(s.end[0].n_rx, 3);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ra_announces_the_prefix),
		cmocka_unit_test(solicitations_rate_limited),
		cmocka_unit_test(peer_ra_never_reaches_the_server),
		cmocka_unit_test(no_prefix_link_local_only),
		cmocka_unit_test(ra_through_mppe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
