/* SPDX-License-Identifier: BSD-2-Clause */
/* Packets pppd really sent (pptp-linux client 192.0.2.11 <-> pptpd server
 * 192.0.2.10, MS-CHAPv2 + MPPE-128 stateless; the capture's unencrypted
 * GRE payloads, frame numbers as in the pcap). Each must parse, and our
 * automaton in the same role must answer as pppd's peer did. The bytes are
 * copied here: the tests never read the capture. */
#include "test_ppp_link.h"

#include "base/error.h"

struct vector {
	int frame;
	int from_server;
	const char *hex;
};

static const struct vector vectors[] = {
	{ 33, 0, "ff03c021010100140206000000000506660a3c8407020802" },
	{ 34, 1, "ff03c021010100190206000000000305c223810506e889bd8607020802" },
	{ 35, 0, "ff03c021020100190206000000000305c223810506e889bd8607020802" },
	{ 36, 1, "ff03c021020100140206000000000506660a3c8407020802" },
	{ 37, 0, "c02109000008660a3c84" },
	{ 38, 1, "c02109000008e889bd86" },
	{ 39, 0, "c0210a000008660a3c84" },
	{ 41, 1, "c0210a000008e889bd86" },
	{ 45, 0, "80fd0101000a120601000040" },
	{ 46, 1, "80fd0101000a120601000040" },
	{ 47, 0, "80fd0201000a120601000040" },
	{ 48, 1, "80fd0201000a120601000040" },
	{ 49, 1, "80210101000a0306c6336401" },
	{ 50, 0, "80210101000a030600000000" },
	{ 51, 1, "80570101000e010a75f1724b07c21365" },
	{ 52, 0, "80570101000e010adcb5a1a025dbb98c" },
	{ 53, 1, "80210301000a0306c633640a" },
	{ 54, 1, "80570201000e010adcb5a1a025dbb98c" },
	{ 56, 0, "80210201000a0306c6336401" },
	{ 57, 0, "80570201000e010a75f1724b07c21365" },
	{ 58, 0, "80210102000a0306c633640a" },
	{ 61, 1, "80210202000a0306c633640a" },
};
#define N_VECTORS (sizeof(vectors) / sizeof(vectors[0]))

static uint8_t frame_buf[N_VECTORS][64];
static size_t frame_len[N_VECTORS];
static struct ppp_frame frames[N_VECTORS];

static const struct ppp_frame *frame(int number)
{
	for (size_t i = 0; i < N_VECTORS; i++)
		if (vectors[i].frame == number)
			return &frames[i];
	fail_msg("no frame %d", number);
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	/* pppd negotiated ACFC and PFC both ways (frames 33-36). */
	const struct ppp_frame_config cfg = { .rx_acfc = true, .rx_pfc = true, .mru = 1500 };
	for (size_t i = 0; i < N_VECTORS; i++) {
		frame_len[i] = test_hex(vectors[i].hex, frame_buf[i], sizeof(frame_buf[i]));
		assert_int_equal(ppp_frame_decode(&cfg, frame_buf[i], frame_len[i], &frames[i], NULL), 0);
	}
	return 0;
}

static void vectors_parse(void **state)
{
	(void)state;
	const struct ppp_frame_config strict = { .mru = 1500 };
	struct ppp_frame_stats stats = { 0 };
	for (size_t i = 0; i < N_VECTORS; i++) {
		const struct ppp_frame *f = &frames[i];
		struct ppp_cp_packet p;
		assert_int_equal(ppp_cp_parse(f->info, f->info_len, &p), 0);
		assert_int_equal(p.length, f->info_len);
		if (p.code <= PPP_CONF_REJ)
			assert_true(ppp_options_validate(p.data, p.data_len) >= 1);
		/* Before ACFC is negotiated only the full form is taken. */
		struct ppp_frame tmp;
		int rc = ppp_frame_decode(&strict, frame_buf[i], frame_len[i], &tmp, &stats);
		assert_int_equal(rc, frame_buf[i][0] == 0xff ? 0 : ERR_UNSUPPORTED);
	}
	assert_int_equal(stats.rx_unnegotiated, N_VECTORS - 4);
	assert_int_equal(frame(33)->protocol, PPP_PROTO_LCP);
	assert_int_equal(frame(45)->protocol, PPP_PROTO_CCP);
	assert_int_equal(frame(49)->protocol, PPP_PROTO_IPCP);
	assert_int_equal(frame(51)->protocol, PPP_PROTO_IPV6CP);
}

static struct tl_capture cap;
static struct test_random tr;
static struct random_source rs;

static void expect_reply(const struct ppp_frame *want)
{
	assert_true(cap.n >= 1);
	assert_int_equal(cap.len[cap.n - 1], want->info_len);
	assert_memory_equal(cap.data[cap.n - 1], want->info, want->info_len);
}

static void lcp_roles(bool server, struct lcp *lcp)
{
	test_random_init(&tr, 5);
	rs = test_random_source(&tr);
	struct lcp_config c = { .random = &rs, .output = tl_capture_output, .output_ctx = &cap,
				.pfc = true, .acfc = true };
	if (server)
		c.auth_offer[0] = AUTH_METHOD_MSCHAPV2;
	else
		c.auth_accept = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
	assert_int_equal(lcp_init(lcp, &c), 0);
	lcp_lower_up(lcp, 0);
	lcp_open(lcp, 0);
	cap.n = 0;
}

static void vectors_lcp_answers(void **state)
{
	(void)state;
	static struct lcp lcp;
	/* As the server: the client's request (33) gets pppd's Ack (36). */
	lcp_roles(true, &lcp);
	assert_int_equal(lcp_input(&lcp, frame(33)->info, frame(33)->info_len, 1), 0);
	expect_reply(frame(36));
	assert_int_equal(lcp.peer.magic, 0x660a3c84);
	assert_true(lcp.peer.pfc && lcp.peer.acfc);
	/* As the client: the server's request (34) gets pppd's Ack (35). */
	lcp_roles(false, &lcp);
	assert_int_equal(lcp_input(&lcp, frame(34)->info, frame(34)->info_len, 1), 0);
	expect_reply(frame(35));
	assert_int_equal(lcp.peer.auth, AUTH_METHOD_MSCHAPV2);
	/* Opened: the client's Echo-Request (37) gets a reply with our magic. */
	lcp.fsm.state = PPP_STATE_OPENED;
	lcp.local.magic = 0x01020304;
	cap.n = 0;
	assert_int_equal(lcp_input(&lcp, frame(38)->info, frame(38)->info_len, 2), 0);
	assert_int_equal(cap.n, 1);
	uint8_t want[8];
	test_hex("0a00000801020304", want, sizeof(want));
	assert_memory_equal(cap.data[0], want, 8);
	/* An Echo-Reply (41) is taken silently. */
	cap.n = 0;
	lcp.echo_outstanding = 2;
	assert_int_equal(lcp_input(&lcp, frame(41)->info, frame(41)->info_len, 3), 0);
	assert_int_equal(lcp.echo_outstanding, 0);
	assert_int_equal(cap.n, 0);
}

static void vectors_ccp_answers(void **state)
{
	(void)state;
	static struct ccp ccp;
	/* pptpd: require-mppe-128, stateless. */
	struct ccp_config s = { .mppe128 = CCP_REQUIRED, .stateless = CCP_ALLOWED, .output = tl_capture_output,
				.output_ctx = &cap };
	cap.n = 0;
	assert_int_equal(ccp_init(&ccp, &s), 0);
	ccp_lower_up(&ccp, 0);
	ccp_open(&ccp, 0);
	/* Our own request is byte for byte pppd's (46). */
	expect_reply(frame(46));
	assert_int_equal(ccp_input(&ccp, frame(45)->info, frame(45)->info_len, 1), 0);
	expect_reply(frame(48));
	assert_int_equal(ccp_input(&ccp, frame(47)->info, frame(47)->info_len, 1), 0);
	assert_int_equal(ccp.fsm.state, PPP_STATE_OPENED);
	assert_int_equal(ccp.rx_bits, CCP_MPPE_BIT_S | CCP_MPPE_BIT_H);
	assert_int_equal(ccp.tx_bits, CCP_MPPE_BIT_S | CCP_MPPE_BIT_H);
	/* A permissive client answers the server's request (46) with 47. */
	struct ccp_config c = { .mppe40 = CCP_ALLOWED, .mppe56 = CCP_ALLOWED, .mppe128 = CCP_ALLOWED,
				.stateless = CCP_ALLOWED, .output = tl_capture_output, .output_ctx = &cap };
	assert_int_equal(ccp_init(&ccp, &c), 0);
	ccp_lower_up(&ccp, 0);
	ccp_open(&ccp, 0);
	cap.n = 0;
	assert_int_equal(ccp_input(&ccp, frame(46)->info, frame(46)->info_len, 1), 0);
	expect_reply(frame(47));
}

static void vectors_ipcp_answers(void **state)
{
	(void)state;
	static struct ipcp ipcp;
	/* Client: requests 0.0.0.0 (50), acks the server's address (56),
	 * takes the Nak (53) and asks again (58), Opened on the Ack (61). */
	struct ipcp_config c = { .accept_local = true, .accept_remote = true, .output = tl_capture_output,
				 .output_ctx = &cap };
	cap.n = 0;
	assert_int_equal(ipcp_init(&ipcp, &c), 0);
	ipcp_lower_up(&ipcp, 0);
	ipcp_open(&ipcp, 0);
	expect_reply(frame(50));
	assert_int_equal(ipcp_input(&ipcp, frame(49)->info, frame(49)->info_len, 1), 0);
	expect_reply(frame(56));
	assert_int_equal(ipcp_input(&ipcp, frame(53)->info, frame(53)->info_len, 1), 0);
	expect_reply(frame(58));
	assert_int_equal(ipcp_input(&ipcp, frame(61)->info, frame(61)->info_len, 1), 0);
	assert_int_equal(ipcp.fsm.state, PPP_STATE_OPENED);
	assert_int_equal(ipcp.local_addr, 0xc633640a);
	assert_int_equal(ipcp.peer_addr, 0xc6336401);
	/* Server: its request is pppd's (49); Nak 0.0.0.0 with the assigned
	 * address (53); Ack the second request (61). */
	struct ipcp_config s = { .local_addr = 0xc6336401, .peer_addr = 0xc633640a,
				 .output = tl_capture_output, .output_ctx = &cap };
	cap.n = 0;
	assert_int_equal(ipcp_init(&ipcp, &s), 0);
	ipcp_lower_up(&ipcp, 0);
	ipcp_open(&ipcp, 0);
	expect_reply(frame(49));
	assert_int_equal(ipcp_input(&ipcp, frame(50)->info, frame(50)->info_len, 1), 0);
	expect_reply(frame(53));
	assert_int_equal(ipcp_input(&ipcp, frame(56)->info, frame(56)->info_len, 1), 0);
	assert_int_equal(ipcp_input(&ipcp, frame(58)->info, frame(58)->info_len, 1), 0);
	expect_reply(frame(61));
	assert_int_equal(ipcp.fsm.state, PPP_STATE_OPENED);
}

static void vectors_ipv6cp_answers(void **state)
{
	(void)state;
	static struct ipv6cp x;
	test_random_init(&tr, 5);
	rs = test_random_source(&tr);
	struct ipv6cp_config c = { .random = &rs, .output = tl_capture_output, .output_ctx = &cap,
				   .interface_id = 0xdcb5a1a025dbb98c };
	cap.n = 0;
	assert_int_equal(ipv6cp_init(&x, &c), 0);
	ipv6cp_lower_up(&x, 0);
	ipv6cp_open(&x, 0);
	expect_reply(frame(52));
	assert_int_equal(ipv6cp_input(&x, frame(51)->info, frame(51)->info_len, 1), 0);
	expect_reply(frame(57));
	assert_int_equal(ipv6cp_input(&x, frame(54)->info, frame(54)->info_len, 1), 0);
	assert_int_equal(x.fsm.state, PPP_STATE_OPENED);
	assert_true(x.peer_id == 0x75f1724b07c21365);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_parse),
		cmocka_unit_test(vectors_lcp_answers),
		cmocka_unit_test(vectors_ccp_answers),
		cmocka_unit_test(vectors_ipcp_answers),
		cmocka_unit_test(vectors_ipv6cp_answers),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
