/* SPDX-License-Identifier: BSD-2-Clause */
/* IPCP, IPV6CP and CCP: two instances back to back with virtual time. */
#include "test_ppp_link.h"

#include "base/error.h"

static struct tl_net net;

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static void ipcp_server_assigns_address_dns_nbns(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipcp_config s = { .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 2) };
	s.serve[IPCP_DNS1] = IP4(192, 0, 2, 53);
	s.serve[IPCP_DNS2] = IP4(192, 0, 2, 54);
	s.serve[IPCP_NBNS1] = IP4(192, 0, 2, 137);
	s.serve[IPCP_NBNS2] = IP4(192, 0, 2, 138);
	struct ipcp_config c = { .accept_local = true, .accept_remote = true, .request_dns = true,
				 .request_nbns = true };
	tl_start_ipcp(&net.end[0], &s);
	tl_start_ipcp(&net.end[1], &c);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	struct ipcp *sv = &net.end[0].ipcp, *cl = &net.end[1].ipcp;
	assert_int_equal(sv->fsm.state, PPP_STATE_OPENED);
	assert_int_equal(cl->fsm.state, PPP_STATE_OPENED);
	assert_int_equal(cl->local_addr, IP4(10, 0, 0, 2));
	assert_int_equal(cl->peer_addr, IP4(10, 0, 0, 1));
	assert_int_equal(sv->local_addr, IP4(10, 0, 0, 1));
	assert_int_equal(sv->peer_addr, IP4(10, 0, 0, 2));
	assert_int_equal(cl->dns[IPCP_DNS1], IP4(192, 0, 2, 53));
	assert_int_equal(cl->dns[IPCP_DNS2], IP4(192, 0, 2, 54));
	assert_int_equal(cl->dns[IPCP_NBNS1], IP4(192, 0, 2, 137));
	assert_int_equal(cl->dns[IPCP_NBNS2], IP4(192, 0, 2, 138));
	assert_non_null(tl_find(&net.end[1], PPP_PROTO_IPCP, PPP_EVENT_UP));
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_IPCP, PPP_EVENT_UP));
}

static void ipcp_server_without_dns_rejects_and_client_carries_on(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipcp_config s = { .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 9) };
	s.serve[IPCP_DNS1] = IP4(192, 0, 2, 53);
	struct ipcp_config c = { .accept_local = true, .accept_remote = true, .request_dns = true,
				 .request_nbns = true };
	tl_start_ipcp(&net.end[0], &s);
	tl_start_ipcp(&net.end[1], &c);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	struct ipcp *cl = &net.end[1].ipcp;
	assert_int_equal(cl->fsm.state, PPP_STATE_OPENED);
	assert_int_equal(cl->local_addr, IP4(10, 0, 0, 9));
	assert_int_equal(cl->dns[IPCP_DNS1], IP4(192, 0, 2, 53));
	assert_int_equal(cl->dns[IPCP_DNS2], 0);
	assert_int_equal(cl->dns[IPCP_NBNS1], 0);
}

static void ipcp_client_wanting_an_address_gets_the_servers_choice(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipcp_config s = { .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 2) };
	struct ipcp_config c = { .local_addr = IP4(10, 0, 0, 77), .accept_local = true, .accept_remote = true };
	tl_start_ipcp(&net.end[0], &s);
	tl_start_ipcp(&net.end[1], &c);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	assert_int_equal(net.end[1].ipcp.local_addr, IP4(10, 0, 0, 2));
}

static void ipcp_vj_and_addresses_rejected(void **state)
{
	(void)state;
	struct tl_capture cap = { 0 };
	struct ipcp x;
	struct ipcp_config c = { .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 2),
				 .output = tl_capture_output, .output_ctx = &cap };
	assert_int_equal(ipcp_init(&x, &c), 0);
	ipcp_lower_up(&x, 0);
	ipcp_open(&x, 0);
	cap.n = 0;
	uint8_t pkt[64];
	size_t n = test_hex("01 01 001a 0306 0a000002 0206 002d 0f01 010a 0a000002 0a000001", pkt, sizeof(pkt));
	assert_int_equal(ipcp_input(&x, pkt, n, 1), 0);
	uint8_t want[64];
	size_t wn = test_hex("04 01 0014 0206 002d 0f01 010a 0a000002 0a000001", want, sizeof(want));
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.len[0], wn);
	assert_memory_equal(cap.data[0], want, wn);
	/* Malformed: IP-Address with length 4 is rejected, not read past. */
	cap.n = 0;
	n = test_hex("01 02 0008 0304 0a00", pkt, sizeof(pkt));
	assert_int_equal(ipcp_input(&x, pkt, n, 2), 0);
	assert_int_equal(cap.data[0][0], PPP_CONF_REJ);
	/* Malformed option list: discarded. */
	cap.n = 0;
	n = test_hex("01 03 0008 0306 0a00", pkt, sizeof(pkt));
	assert_int_equal(ipcp_input(&x, pkt, n, 3), ERR_TRUNCATED);
	n = test_hex("01 03 000a 0306 0a00 0000", pkt, sizeof(pkt));
	assert_int_equal(ipcp_input(&x, pkt, n, 3), 0);
	assert_int_equal(cap.n, 1);
	cap.n = 0;
	n = test_hex("01 03 000a 0308 0a00 0000", pkt, sizeof(pkt));
	assert_int_equal(ipcp_input(&x, pkt, n, 3), ERR_TRUNCATED);
	assert_int_equal(cap.n, 0);
}

static void ipcp_silent_peer_exhausts_max_configure(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipcp_config c = { .accept_local = true };
	c.fsm.max_configure = 5;
	c.fsm.restart_ms = 1000;
	tl_start_ipcp(&net.end[0], &c);
	net.end[0].mute = true;
	tl_open(&net.end[0]);
	tl_run(&net, 1000000);
	assert_int_equal(net.end[0].sent, 5);
	assert_int_equal(net.now, 5000);
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_IPCP, PPP_EVENT_FINISHED));
}

static void ipv6cp_negotiates_identifiers(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipv6cp_config a = { 0 }, b = { 0 };
	tl_start_ipv6cp(&net.end[0], &a);
	tl_start_ipv6cp(&net.end[1], &b);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	struct ipv6cp *x = &net.end[0].ipv6cp, *y = &net.end[1].ipv6cp;
	assert_int_equal(x->fsm.state, PPP_STATE_OPENED);
	assert_int_equal(y->fsm.state, PPP_STATE_OPENED);
	assert_true(x->local_id != 0 && x->local_id == y->peer_id);
	assert_true(y->local_id != 0 && y->local_id == x->peer_id);
	assert_true(x->local_id != y->local_id);
}

static void ipv6cp_collision_is_naked(void **state)
{
	(void)state;
	tl_init(&net);
	struct ipv6cp_config a = { .interface_id = 0x0011223344556677 };
	struct ipv6cp_config b = { .interface_id = 0x0011223344556677 };
	tl_start_ipv6cp(&net.end[0], &a);
	tl_start_ipv6cp(&net.end[1], &b);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	struct ipv6cp *x = &net.end[0].ipv6cp, *y = &net.end[1].ipv6cp;
	assert_int_equal(x->fsm.state, PPP_STATE_OPENED);
	assert_int_equal(y->fsm.state, PPP_STATE_OPENED);
	assert_true(x->local_id != y->local_id);
	assert_int_equal(x->local_id, y->peer_id);
	assert_int_equal(y->local_id, x->peer_id);
}

/* ---- CCP / MPPE ---- */

static void ccp_pair(const struct ccp_config *a, const struct ccp_config *b, bool with_lcp)
{
	tl_init(&net);
	if (with_lcp) {
		for (int i = 0; i < 2; i++) {
			struct lcp_config l = tl_lcp_config(&net.end[i]);
			tl_start_lcp(&net.end[i], &l);
		}
		tl_open(&net.end[0]);
		tl_open(&net.end[1]);
		tl_run(&net, 60000);
		assert_true(lcp_is_opened(&net.end[0].lcp));
	}
	struct ccp_config ca = *a, cb = *b;
	if (a->mppe40 || a->mppe56 || a->mppe128 || a->stateless || a->mppc)
		tl_start_ccp(&net.end[0], &ca);
	tl_start_ccp(&net.end[1], &cb);
	if (net.end[0].has_ccp) {
		ccp_lower_up(&net.end[0].ccp, net.now);
		ccp_open(&net.end[0].ccp, net.now);
	}
	ccp_lower_up(&net.end[1].ccp, net.now);
	ccp_open(&net.end[1].ccp, net.now);
	tl_run(&net, net.now + 100000);
}

static void ccp_mppe_strength_and_stateless_matrix(void **state)
{
	(void)state;
	const struct { enum ccp_policy p40, p56, p128; uint32_t bit; } strengths[] = {
		{ CCP_REQUIRED, CCP_REFUSED, CCP_REFUSED, CCP_MPPE_BIT_L },
		{ CCP_REFUSED, CCP_REQUIRED, CCP_REFUSED, CCP_MPPE_BIT_M },
		{ CCP_REFUSED, CCP_REFUSED, CCP_REQUIRED, CCP_MPPE_BIT_S },
	};
	for (size_t i = 0; i < 3; i++) {
		for (int stateless = 0; stateless < 2; stateless++) {
			/* Server requires one strength; the client allows all three. */
			struct ccp_config s = { .mppe40 = strengths[i].p40, .mppe56 = strengths[i].p56,
						.mppe128 = strengths[i].p128,
						.stateless = stateless ? CCP_REQUIRED : CCP_REFUSED };
			struct ccp_config c = { .mppe40 = CCP_ALLOWED, .mppe56 = CCP_ALLOWED, .mppe128 = CCP_ALLOWED,
						.stateless = CCP_ALLOWED };
			ccp_pair(&s, &c, false);
			uint32_t want = strengths[i].bit | (stateless ? CCP_MPPE_BIT_H : 0);
			struct ccp *sv = &net.end[0].ccp, *cl = &net.end[1].ccp;
			assert_int_equal(sv->fsm.state, PPP_STATE_OPENED);
			assert_int_equal(cl->fsm.state, PPP_STATE_OPENED);
			assert_int_equal(sv->rx_bits, want);
			assert_int_equal(sv->tx_bits, want);
			assert_int_equal(cl->rx_bits, want);
			assert_int_equal(cl->tx_bits, want);
			assert_non_null(tl_find(&net.end[0], PPP_PROTO_CCP, PPP_EVENT_UP));
			assert_null(tl_find(&net.end[0], PPP_PROTO_CCP, PPP_EVENT_MPPE_REFUSED));
		}
	}
}

static void ccp_strongest_common_strength_wins(void **state)
{
	(void)state;
	struct ccp_config s = { .mppe40 = CCP_ALLOWED, .mppe56 = CCP_ALLOWED, .mppe128 = CCP_ALLOWED,
				.stateless = CCP_ALLOWED };
	struct ccp_config c = { .mppe40 = CCP_ALLOWED, .mppe56 = CCP_ALLOWED, .mppe128 = CCP_REFUSED,
				.stateless = CCP_REFUSED };
	ccp_pair(&s, &c, false);
	assert_int_equal(net.end[0].ccp.rx_bits, CCP_MPPE_BIT_M);
	assert_int_equal(net.end[0].ccp.tx_bits, CCP_MPPE_BIT_M);
	assert_int_equal(net.end[1].ccp.rx_bits, CCP_MPPE_BIT_M);
	/* The pure policy function. */
	assert_int_equal(ccp_mppe_resolve(&s, CCP_MPPE_BIT_L | CCP_MPPE_BIT_S | CCP_MPPE_BIT_H | CCP_MPPE_BIT_D),
			 CCP_MPPE_BIT_S | CCP_MPPE_BIT_H);
	assert_int_equal(ccp_mppe_resolve(&c, CCP_MPPE_BIT_S), 0);
}

static void expect_refused(int end)
{
	const struct tl_event *ev = tl_find(&net.end[end], PPP_PROTO_CCP, PPP_EVENT_MPPE_REFUSED);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "MPPE required but peer refused");
	assert_null(tl_find(&net.end[end], PPP_PROTO_CCP, PPP_EVENT_UP));
}

static void ccp_required_but_peer_rejects_option(void **state)
{
	(void)state;
	struct ccp_config s = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED };
	struct ccp_config c = { .mppc = true }; /* no MPPE at all: rejects option 18 */
	ccp_pair(&s, &c, true);
	expect_refused(0);
	/* The glue closed LCP with pppd's reason; the peer saw it. */
	const struct tl_event *ev = tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_PEER_TERMINATE);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "MPPE required but peer refused");
	assert_false(lcp_is_opened(&net.end[0].lcp));
}

static void ccp_required_but_no_common_strength(void **state)
{
	(void)state;
	struct ccp_config s = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED };
	struct ccp_config c = { .mppe40 = CCP_REQUIRED, .stateless = CCP_ALLOWED };
	ccp_pair(&s, &c, true);
	expect_refused(0);
	expect_refused(1);
}

static void ccp_required_but_protocol_rejected(void **state)
{
	(void)state;
	struct ccp_config s = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED };
	struct ccp_config none = { 0 };
	/* End 1 has no CCP at all: its LCP Protocol-Rejects 0x80FD. */
	tl_init(&net);
	for (int i = 0; i < 2; i++) {
		struct lcp_config l = tl_lcp_config(&net.end[i]);
		tl_start_lcp(&net.end[i], &l);
	}
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	(void)none;
	tl_start_ccp(&net.end[0], &s);
	ccp_lower_up(&net.end[0].ccp, net.now);
	ccp_open(&net.end[0].ccp, net.now);
	tl_run(&net, net.now + 100000);
	expect_refused(0);
	assert_true(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_PROTOCOL_REJECT) != NULL);
	assert_false(lcp_is_opened(&net.end[0].lcp));
}

static void ccp_required_but_peer_silent(void **state)
{
	(void)state;
	tl_init(&net);
	struct ccp_config s = { .mppe128 = CCP_REQUIRED };
	tl_start_ccp(&net.end[0], &s);
	net.end[0].mute = true;
	ccp_lower_up(&net.end[0].ccp, 0);
	ccp_open(&net.end[0].ccp, 0);
	tl_run(&net, 1000000);
	expect_refused(0);
}

static void ccp_optional_mppe_refused_is_not_an_error(void **state)
{
	(void)state;
	struct ccp_config s = { .mppe128 = CCP_ALLOWED, .stateless = CCP_ALLOWED };
	struct ccp_config c = { .mppc = true };
	ccp_pair(&s, &c, false);
	assert_null(tl_find(&net.end[0], PPP_PROTO_CCP, PPP_EVENT_MPPE_REFUSED));
	assert_int_equal(net.end[0].ccp.fsm.state, PPP_STATE_OPENED);
	assert_int_equal(net.end[0].ccp.rx_bits, 0);
}

static void ccp_rejects_other_compressors_and_passes_resets(void **state)
{
	(void)state;
	struct tl_capture cap = { 0 };
	struct ccp x;
	struct tl_end sink = { 0 };
	struct ccp_config c = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED,
				.output = tl_capture_output, .output_ctx = &cap };
	assert_int_equal(ccp_init(&x, &c), 0);
	ccp_lower_up(&x, 0);
	ccp_open(&x, 0);
	uint8_t want[32];
	size_t wn = test_hex("01 01 000a 1206 01000040", want, sizeof(want));
	assert_int_equal(cap.n, 1);
	assert_memory_equal(cap.data[0], want, wn);
	cap.n = 0;
	/* Deflate (26), BSD (21), Predictor-1 (1) + MPPE: the others rejected. */
	uint8_t pkt[64];
	size_t n = test_hex("01 05 0013 1a04 7800 1503 2f 0102 1206 01000060", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 1), 0);
	wn = test_hex("04 05 000d 1a04 7800 1503 2f 0102", want, sizeof(want));
	assert_int_equal(cap.len[0], wn);
	assert_memory_equal(cap.data[0], want, wn);
	/* MPPE with 40+128 and the obsolete D bit: Nak with 128 + H. */
	cap.n = 0;
	n = test_hex("01 06 000a 1206 01000070", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 2), 0);
	wn = test_hex("03 06 000a 1206 01000040", want, sizeof(want));
	assert_memory_equal(cap.data[0], want, wn);
	/* Reset-Request before Opened: discarded. */
	n = test_hex("0e 09 0004", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 3), ERR_STATE);
	/* Finish: our request acked, peer's exact request acked. */
	n = test_hex("02 01 000a 1206 01000040", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 4), 0);
	n = test_hex("01 07 000a 1206 01000040", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 5), 0);
	assert_int_equal(x.fsm.state, PPP_STATE_OPENED);
	n = test_hex("0e 09 0004", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 6), 0);
	tl_collect(&sink, &x.fsm);
	const struct tl_event *ev = tl_find(&sink, PPP_PROTO_CCP, PPP_EVENT_RESET_REQUEST);
	assert_non_null(ev);
	assert_int_equal(ev->value, 9);
	n = test_hex("0f 03 0004", pkt, sizeof(pkt));
	assert_int_equal(ccp_input(&x, pkt, n, 7), 0);
	tl_collect(&sink, &x.fsm);
	assert_non_null(tl_find(&sink, PPP_PROTO_CCP, PPP_EVENT_RESET_ACK));
	cap.n = 0;
	int id = ccp_send_reset_request(&x);
	assert_true(id >= 0);
	ccp_send_reset_ack(&x, 9);
	assert_int_equal(cap.n, 2);
	assert_int_equal(cap.data[0][0], PPP_RESET_REQ);
	assert_int_equal(cap.data[1][0], PPP_RESET_ACK);
	assert_int_equal(cap.data[1][1], 9);
}

/* Malformed packets for each NCP: expected return and answer. */
struct ncp_case {
	const char *name;
	const char *packet;
	const char *answer;   /* NULL: nothing sent */
	int rc;
	uint16_t protocol;
};

static const struct ncp_case ncp_cases[] = {
	{ "IPCP option length 0", "01 01 0008 0300 0a00", NULL, ERR_LENGTH, PPP_PROTO_IPCP },
	{ "IPCP DNS length 5", "01 01 0009 8105 0a0000", "04 01 0009 8105 0a0000", 0, PPP_PROTO_IPCP },
	{ "IPCP DNS length 10", "01 01 000e 810a 0a000001 0a000002", "04 01 000e 810a 0a000001 0a000002", 0, PPP_PROTO_IPCP },
	{ "IPCP unknown option", "01 01 0008 9004 abcd", "04 01 0008 9004 abcd", 0, PPP_PROTO_IPCP },
	{ "IPCP Reject wins over the unsolicited Nak", "01 01 000a 0206 002d 0f01", "04 01 000a 0206 002d 0f01", 0, PPP_PROTO_IPCP },
	{ "IPCP empty request: unsolicited Nak", "01 01 0004", "03 01 000a 0306 0a000002", 0, PPP_PROTO_IPCP },
	{ "IPCP Terminate-Ack", "06 07 0004", NULL, 0, PPP_PROTO_IPCP },
	{ "IPCP unknown code", "0e 07 0004", "07 02 0008 0e07 0004", 0, PPP_PROTO_IPCP },
	{ "IPV6CP id length 9", "01 01 000d 0109 0011223344556677", "04 01 000d 0109 00112233445566", 0, PPP_PROTO_IPV6CP },
	{ "IPV6CP id past end", "01 01 000d 010a 0011223344556677", NULL, ERR_TRUNCATED, PPP_PROTO_IPV6CP },
	{ "IPV6CP compression", "01 01 0008 0204 004f", "04 01 0008 0204 004f", 0, PPP_PROTO_IPV6CP },
	{ "IPV6CP zero id naked", "01 01 000e 010a 0000000000000000", "03", 0, PPP_PROTO_IPV6CP },
	{ "CCP MPPE length 5", "01 01 0009 1205 010000", "04 01 0009 1205 010000", 0, PPP_PROTO_CCP },
	{ "CCP MPPE length 2", "01 01 0006 1202", "04 01 0006 1202", 0, PPP_PROTO_CCP },
	{ "CCP option length 1", "01 01 0006 1201", NULL, ERR_LENGTH, PPP_PROTO_CCP },
	{ "CCP header only", "01 01 00", NULL, ERR_TRUNCATED, PPP_PROTO_CCP },
	{ "CCP Reset-Ack before Opened", "0f 01 0004", NULL, ERR_STATE, PPP_PROTO_CCP },
	{ "CCP stateful offer to a stateless-required end", "01 01 000a 1206 00000040", "03 01 000a 1206 01000040", 0, PPP_PROTO_CCP },
};

static void ncp_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ncp_cases) / sizeof(ncp_cases[0]); i++) {
		const struct ncp_case *c = &ncp_cases[i];
		static struct tl_capture cap;
		static struct ipcp ipcp;
		static struct ipv6cp ipv6cp;
		static struct ccp ccp;
		struct test_random tr;
		test_random_init(&tr, 3);
		struct random_source rs = test_random_source(&tr);
		uint8_t pkt[128];
		size_t n = test_hex(c->packet, pkt, sizeof(pkt));
		int rc;
		memset(&cap, 0, sizeof(cap));
		if (c->protocol == PPP_PROTO_IPCP) {
			struct ipcp_config cfg = { .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 2),
						   .output = tl_capture_output, .output_ctx = &cap };
			ipcp_init(&ipcp, &cfg);
			ipcp_lower_up(&ipcp, 0);
			ipcp_open(&ipcp, 0);
			cap.n = 0;
			rc = ipcp_input(&ipcp, pkt, n, 1);
		} else if (c->protocol == PPP_PROTO_IPV6CP) {
			struct ipv6cp_config cfg = { .random = &rs, .output = tl_capture_output, .output_ctx = &cap };
			ipv6cp_init(&ipv6cp, &cfg);
			ipv6cp_lower_up(&ipv6cp, 0);
			ipv6cp_open(&ipv6cp, 0);
			cap.n = 0;
			rc = ipv6cp_input(&ipv6cp, pkt, n, 1);
		} else {
			struct ccp_config cfg = { .mppe128 = CCP_REQUIRED, .stateless = CCP_REQUIRED,
						  .output = tl_capture_output, .output_ctx = &cap };
			ccp_init(&ccp, &cfg);
			ccp_lower_up(&ccp, 0);
			ccp_open(&ccp, 0);
			cap.n = 0;
			rc = ccp_input(&ccp, pkt, n, 1);
		}
		if (rc != c->rc)
			fail_msg("%s: rc %d (%s), expected %d", c->name, rc, error_name(rc), c->rc);
		if (!c->answer) {
			if (cap.n != 0)
				fail_msg("%s: answered code %u", c->name, cap.data[0][0]);
			continue;
		}
		uint8_t want[128];
		size_t wn = test_hex(c->answer, want, sizeof(want));
		if (cap.n != 1 || (wn > 1 && (cap.len[0] != wn || memcmp(cap.data[0], want, wn) != 0)) ||
		    cap.data[0][0] != want[0])
			fail_msg("%s: unexpected answer (n=%u, code %u, len %zu)", c->name, cap.n, cap.data[0][0],
				 cap.len[0]);
	}
}

/* The whole negotiation as the session glue will run it: NCPs opened
 * up front wait in Starting until LCP is up; an end without IPV6CP
 * Protocol-Rejects it and the other end's IPV6CP stops quietly. */
static void full_stack_lcp_then_ccp_ipcp(void **state)
{
	(void)state;
	tl_init(&net);
	for (int i = 0; i < 2; i++) {
		struct tl_end *e = &net.end[i];
		struct lcp_config l = tl_lcp_config(e);
		if (i == 0)
			l.auth_offer[0] = AUTH_METHOD_MSCHAPV2;
		else
			l.auth_accept = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
		tl_start_lcp(e, &l);
		struct ccp_config c = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED };
		tl_start_ccp(e, &c);
		struct ipcp_config ip = { .accept_local = true, .request_dns = true };
		if (i == 0) {
			ip = (struct ipcp_config){ .local_addr = IP4(10, 0, 0, 1), .peer_addr = IP4(10, 0, 0, 2) };
			ip.serve[IPCP_DNS1] = IP4(10, 0, 0, 53);
		}
		tl_start_ipcp(e, &ip);
		if (i == 1) {
			struct ipv6cp_config v6 = { 0 };
			tl_start_ipv6cp(e, &v6);
		}
		e->auto_ncp = true;
		ccp_open(&e->ccp, 0);
		ipcp_open(&e->ipcp, 0);
		if (e->has_ipv6cp)
			ipv6cp_open(&e->ipv6cp, 0);
		lcp_lower_up(&e->lcp, 0);
		lcp_open(&e->lcp, 0);
	}
	tl_run(&net, 100000);
	for (int i = 0; i < 2; i++) {
		assert_true(lcp_is_opened(&net.end[i].lcp));
		assert_int_equal(net.end[i].ccp.fsm.state, PPP_STATE_OPENED);
		assert_int_equal(net.end[i].ccp.tx_bits, CCP_MPPE_BIT_S | CCP_MPPE_BIT_H);
		assert_int_equal(net.end[i].ipcp.fsm.state, PPP_STATE_OPENED);
	}
	assert_int_equal(net.end[1].ipcp.local_addr, IP4(10, 0, 0, 2));
	assert_int_equal(net.end[1].ipcp.dns[IPCP_DNS1], IP4(10, 0, 0, 53));
	assert_int_equal(net.end[1].ipv6cp.fsm.state, PPP_STATE_STOPPED);
	const struct tl_event *ev = tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_PROTOCOL_REJECT);
	assert_non_null(ev);
	assert_int_equal(ev->value, PPP_PROTO_IPV6CP);
	/* LCP goes down: every NCP follows. */
	lcp_close(&net.end[0].lcp, "User request", net.now);
	tl_run(&net, net.now + 100000);
	for (int i = 0; i < 2; i++) {
		assert_false(lcp_is_opened(&net.end[i].lcp));
		assert_true(net.end[i].ccp.fsm.state == PPP_STATE_STARTING);
		assert_true(net.end[i].ipcp.fsm.state == PPP_STATE_STARTING);
		assert_non_null(tl_find(&net.end[i], PPP_PROTO_IPCP, PPP_EVENT_DOWN));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipcp_server_assigns_address_dns_nbns),
		cmocka_unit_test(ipcp_server_without_dns_rejects_and_client_carries_on),
		cmocka_unit_test(ipcp_client_wanting_an_address_gets_the_servers_choice),
		cmocka_unit_test(ipcp_vj_and_addresses_rejected),
		cmocka_unit_test(ipcp_silent_peer_exhausts_max_configure),
		cmocka_unit_test(ipv6cp_negotiates_identifiers),
		cmocka_unit_test(ipv6cp_collision_is_naked),
		cmocka_unit_test(ccp_mppe_strength_and_stateless_matrix),
		cmocka_unit_test(ccp_strongest_common_strength_wins),
		cmocka_unit_test(ccp_required_but_peer_rejects_option),
		cmocka_unit_test(ccp_required_but_no_common_strength),
		cmocka_unit_test(ccp_required_but_protocol_rejected),
		cmocka_unit_test(ccp_required_but_peer_silent),
		cmocka_unit_test(ccp_optional_mppe_refused_is_not_an_error),
		cmocka_unit_test(ccp_rejects_other_compressors_and_passes_resets),
		cmocka_unit_test(full_stack_lcp_then_ccp_ipcp),
		cmocka_unit_test(ncp_malformed_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
