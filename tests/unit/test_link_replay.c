/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link against the real pptp-linux <-> pptpd capture (MS-CHAPv2,
 * MPPE-128 stateless, testuser / testpass123).
 *
 * Our server's CHAP challenge and our client's peer challenge are the only
 * random inputs of MS-CHAPv2; with random sources that return the captured
 * ones, our client must compute the captured NT-Response, our server the
 * captured S= authenticator response, and both links must derive the
 * captured session's MPPE keys: the captured encrypted data packets of both
 * directions, fed as PPP frames into the links, must come out as valid IP.
 * (The LCP/CCP/IPCP bytes depend on options and magic numbers we choose
 * differently from pppd; those are replayed in test_ppp_vectors.) */
#include "test_link_sim.h"

#include "../vectors/auth/capture_mschapv2.h"
#include "../vectors/mppe/capture_packets.h"

static uint8_t seen_response[64];
static size_t seen_response_len;
static uint8_t seen_success[80];
static size_t seen_success_len;

/* Remember the CHAP Response / Success our links send. */
static void watch_chap(struct sim_end *e, struct pkt *p)
{
	const uint8_t *d = pkt_data(p);
	size_t n = p->len;
	if (n >= 2 && d[0] == 0xff && d[1] == 0x03) {
		d += 2;
		n -= 2;
	}
	if (n < 6 || d[0] != 0xc2 || d[1] != 0x23)
		return;
	d += 2;
	n -= 2;
	if (e->idx == 1 && d[0] == 2 && n <= sizeof(seen_response)) {
		memcpy(seen_response, d, n);
		seen_response_len = n;
	}
	if (e->idx == 0 && d[0] == 3 && n <= sizeof(seen_success)) {
		memcpy(seen_success, d, n);
		seen_success_len = n;
	}
}

static void replay_capture_through_links(void **state)
{
	(void)state;
	struct sim s;
	struct ppp_mppe_policy pol = { .required = true, .allow_128 = true };
	sim_init(&s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &pol);
	s.end[0].rnd.script16 = capture_auth_challenge;
	s.end[1].rnd.script16 = capture_peer_challenge;
	s.end[0].secret_password = CAPTURE_PASSWORD;
	s.end[1].cfg.user = CAPTURE_USER;
	s.end[1].cfg.password = CAPTURE_PASSWORD;
	s.end[0].cfg.ipv6 = true;
	s.end[1].cfg.ipv6 = true;
	/* The captured pppd client sent from 198.51.100.10 and fe80::dcb5:a1a0:25db:b98c:
	 * our server assigns that address and our client claims that interface
	 * identifier, so the server's source check (issue 11 item 2) admits them. */
	s.end[0].assign = 0xC633640Au;
	s.end[1].cfg.ipv6_interface_id = 0xdcb5a1a025dbb98cULL;
	s.end[0].mangle = watch_chap;
	s.end[1].mangle = watch_chap;
	sim_start(&s);
	sim_run(&s, 10000);
	assert_true(ppp_link_is_up(s.end[0].link));
	assert_true(ppp_link_is_up(s.end[1].link));
	assert_string_equal(sim_find(&s.end[0], PPP_LINK_EVENT_AUTHENTICATED)->user, CAPTURE_USER);

	/* Our client's Response value (peer challenge, NT-Response, flags, name)
	 * is pptp-linux's byte for byte; only the Identifier differs. */
	assert_int_equal(seen_response_len, sizeof(capture_response));
	assert_memory_equal(seen_response + 2, capture_response + 2, sizeof(capture_response) - 2);
	/* Our server's S= is pptpd's. */
	assert_true(seen_success_len >= 4 + 42);
	assert_memory_equal(seen_success + 4, capture_success + 4, 42);

	/* The captured data packets, both directions, through the links' MPPE path. */
	unsigned n_client = 0, n_server = 0;
	for (size_t i = 0; i < sizeof(capture_packets) / sizeof(capture_packets[0]); i++) {
		const struct capture_packet *cp = &capture_packets[i];
		struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
		uint8_t *h = pkt_put(p, 1);
		h[0] = 0xfd; /* PFC-compressed 0x00FD, as pppd sends it */
		memcpy(pkt_put(p, cp->len), cp->bytes, cp->len);
		/* from_server: the client link receives it */
		struct sim_end *rx = cp->from_server ? &s.end[1] : &s.end[0];
		unsigned before = rx->n_rx;
		ppp_link_input(rx->link, p, s.now);
		if (rx->n_rx != before + 1) {
			struct ppp_link_stats x;
			ppp_link_get_stats(rx->link, &x);
			fail_msg("packet %zu (frame %u) not delivered: mppe_rx_errors %lu malformed %lu not_up %lu inner %lu", i, cp->frame, (unsigned long)x.mppe_rx_errors, (unsigned long)x.frames_malformed, (unsigned long)x.dropped_not_up, (unsigned long)x.dropped_inner_protocol);
		}
		const uint8_t *ip = rx->rx[rx->n_rx - 1].data;
		size_t len = rx->rx[rx->n_rx - 1].len;
		if ((ip[0] >> 4) == 4)
			assert_true(ipv4_valid(ip, len));
		else {
			assert_int_equal(ip[0] >> 4, 6);
			assert_int_equal(load_be16(ip + 4) + 40, len);
		}
		if (cp->from_server)
			n_server++;
		else
			n_client++;
		if (rx->n_rx == SIM_RX)
			rx->n_rx = 0;
	}
	assert_int_equal(n_client, 20); /* the table: 20 client->server, 19 server->client */
	assert_int_equal(n_server, 19);
	struct ppp_link_stats st;
	ppp_link_get_stats(s.end[0].link, &st);
	assert_int_equal(st.mppe_rx_errors, 0);
	assert_int_equal(st.ip_rx_packets, 20);
	ppp_link_get_stats(s.end[1].link, &st);
	assert_int_equal(st.mppe_rx_errors, 0);
	assert_int_equal(st.ip_rx_packets, 19);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_capture_through_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
