/* SPDX-License-Identifier: BSD-2-Clause */
/* LCP: two instances back to back, auth negotiation in both roles with
 * fallback, failure cases, keepalive, terminate reasons, malformed input. */
#include "test_ppp_link.h"

#include "base/error.h"

static struct tl_net net;

static void server_client(enum auth_method offer0, enum auth_method offer1, unsigned accept)
{
	tl_init(&net);
	struct lcp_config s = tl_lcp_config(&net.end[0]);
	s.auth_offer[0] = offer0;
	s.auth_offer[1] = offer1;
	tl_start_lcp(&net.end[0], &s);
	struct lcp_config c = tl_lcp_config(&net.end[1]);
	c.auth_accept = accept;
	tl_start_lcp(&net.end[1], &c);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
}

static void lcp_back_to_back_reaches_opened(void **state)
{
	(void)state;
	server_client(AUTH_METHOD_MSCHAPV2, AUTH_METHOD_NONE, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2));
	struct lcp *s = &net.end[0].lcp, *c = &net.end[1].lcp;
	assert_true(lcp_is_opened(s));
	assert_true(lcp_is_opened(c));
	assert_int_equal(s->local.auth, AUTH_METHOD_MSCHAPV2);
	assert_int_equal(c->peer.auth, AUTH_METHOD_MSCHAPV2);
	assert_int_equal(c->local.auth, AUTH_METHOD_NONE);
	assert_int_not_equal(s->local.magic, 0);
	assert_int_equal(s->local.magic, c->peer.magic);
	assert_int_equal(c->local.magic, s->peer.magic);
	assert_int_not_equal(s->local.magic, c->local.magic);
	assert_true(s->local.pfc && s->local.acfc && s->peer.pfc && s->peer.acfc);
	assert_int_equal(s->local.mru, 1500);
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_UP));
	assert_non_null(tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_UP));
	struct ppp_frame_config fc;
	lcp_frame_config(s, &fc);
	assert_true(fc.rx_pfc && fc.rx_acfc && fc.tx_pfc && fc.tx_acfc);
}

static void lcp_duplicate_ack_is_ignored(void **state)
{
	(void)state;
	server_client(AUTH_METHOD_NONE, AUTH_METHOD_NONE, 0);
	struct lcp *s = &net.end[0].lcp;
	assert_true(lcp_is_opened(s));
	/* Replay the Ack of the server's last request: must not restart LCP. */
	uint8_t ack[PPP_FSM_REQ_MAX + 4];
	ack[0] = PPP_CONF_ACK;
	ack[1] = s->fsm.req_id;
	store_be16(ack + 2, (uint16_t)(s->fsm.last_req_len + 4));
	memcpy(ack + 4, s->fsm.last_req, s->fsm.last_req_len);
	assert_int_equal(lcp_input(s, ack, s->fsm.last_req_len + 4, net.now + 1), ERR_LATE);
	assert_true(lcp_is_opened(s));
	assert_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_DOWN));
}

static void lcp_auth_nak_jumps_to_the_suggested_method(void **state)
{
	(void)state;
	/* Client only does PAP: its Nak suggests PAP, which the server allows. */
	server_client(AUTH_METHOD_MSCHAPV2, AUTH_METHOD_PAP, AUTH_METHOD_BIT(AUTH_METHOD_PAP));
	assert_true(lcp_is_opened(&net.end[0].lcp));
	assert_int_equal(net.end[0].lcp.local.auth, AUTH_METHOD_PAP);
	assert_int_equal(net.end[1].lcp.peer.auth, AUTH_METHOD_PAP);
}

static void lcp_auth_nak_moves_to_the_next_method(void **state)
{
	(void)state;
	/* Client prefers MS-CHAPv1 (not offered by the server) but accepts
	 * CHAP-MD5: the server moves on to its next method. */
	tl_init(&net);
	struct lcp_config s = tl_lcp_config(&net.end[0]);
	s.auth_offer[0] = AUTH_METHOD_MSCHAPV2;
	s.auth_offer[1] = AUTH_METHOD_CHAP_MD5;
	tl_start_lcp(&net.end[0], &s);
	struct lcp_config c = tl_lcp_config(&net.end[1]);
	c.auth_accept = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1) | AUTH_METHOD_BIT(AUTH_METHOD_CHAP_MD5);
	c.auth_accept_order[0] = AUTH_METHOD_MSCHAPV1;
	tl_start_lcp(&net.end[1], &c);
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 60000);
	assert_true(lcp_is_opened(&net.end[0].lcp));
	assert_int_equal(net.end[0].lcp.local.auth, AUTH_METHOD_CHAP_MD5);
	assert_int_equal(net.end[1].lcp.peer.auth, AUTH_METHOD_CHAP_MD5);
}

static void lcp_auth_each_chap_variant_and_eap(void **state)
{
	(void)state;
	const enum auth_method all[] = { AUTH_METHOD_PAP, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1,
					     AUTH_METHOD_MSCHAPV2, AUTH_METHOD_EAP_MD5 };
	for (size_t i = 0; i < 5; i++) {
		server_client(all[i], AUTH_METHOD_NONE, AUTH_METHOD_BIT(all[i]));
		assert_true(lcp_is_opened(&net.end[0].lcp));
		assert_int_equal(net.end[0].lcp.local.auth, all[i]);
		assert_int_equal(net.end[1].lcp.peer.auth, all[i]);
	}
}

static void lcp_auth_refused_terminates_with_reason(void **state)
{
	(void)state;
	server_client(AUTH_METHOD_MSCHAPV2, AUTH_METHOD_NONE, 0);
	assert_false(lcp_is_opened(&net.end[0].lcp));
	const struct tl_event *ev = tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_AUTH_REFUSED);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer refused to authenticate");
	ev = tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_PEER_TERMINATE);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer refused to authenticate");
}

static void lcp_auth_all_naked_gives_up(void **state)
{
	(void)state;
	/* Client accepts only EAP, server offers only MS-CHAPv2 and PAP. */
	server_client(AUTH_METHOD_MSCHAPV2, AUTH_METHOD_PAP, AUTH_METHOD_BIT(AUTH_METHOD_EAP_MD5));
	assert_false(lcp_is_opened(&net.end[0].lcp));
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_AUTH_REFUSED));
}

static void lcp_silent_peer_exhausts_max_configure(void **state)
{
	(void)state;
	tl_init(&net);
	struct lcp_config s = tl_lcp_config(&net.end[0]);
	tl_start_lcp(&net.end[0], &s);
	net.end[0].mute = true;
	tl_open(&net.end[0]);
	tl_run(&net, 1000000);
	assert_int_equal(net.end[0].sent, 10);
	assert_int_equal(net.now, 30000);
	assert_int_equal(net.end[0].lcp.fsm.state, PPP_STATE_STOPPED);
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_FINISHED));
}

static void lcp_loopback_detected(void **state)
{
	(void)state;
	tl_init(&net);
	struct lcp_config s = tl_lcp_config(&net.end[0]);
	tl_start_lcp(&net.end[0], &s);
	net.end[0].loop = true;
	tl_open(&net.end[0]);
	tl_run(&net, 60000);
	const struct tl_event *ev = tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_LOOPBACK);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "Loopback detected");
	assert_false(lcp_is_opened(&net.end[0].lcp));
}

static void lcp_terminate_reason_reaches_the_peer(void **state)
{
	(void)state;
	server_client(AUTH_METHOD_NONE, AUTH_METHOD_NONE, 0);
	assert_true(lcp_is_opened(&net.end[1].lcp));
	lcp_close(&net.end[0].lcp, "Administrative shutdown", net.now);
	tl_run(&net, net.now + 60000);
	const struct tl_event *ev = tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_PEER_TERMINATE);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "Administrative shutdown");
	assert_int_equal(net.end[0].lcp.fsm.state, PPP_STATE_CLOSED);
	assert_int_equal(net.end[1].lcp.fsm.state, PPP_STATE_STOPPED);
	assert_non_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_FINISHED));
	assert_non_null(tl_find(&net.end[1], PPP_PROTO_LCP, PPP_EVENT_DOWN));
}

static void lcp_echo_keepalive_and_failure(void **state)
{
	(void)state;
	tl_init(&net);
	for (int i = 0; i < 2; i++) {
		struct lcp_config c = tl_lcp_config(&net.end[i]);
		c.echo_interval_ms = 10000;
		c.echo_failures = 3;
		tl_start_lcp(&net.end[i], &c);
	}
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 100000);
	assert_true(lcp_is_opened(&net.end[0].lcp));
	assert_true(net.end[0].lcp.echoes_sent >= 5);
	/* Same interval on both ends (pppd's lcp-echo-interval against ours):
	 * the peer's Echo-Requests must not silence our own probes. */
	assert_true(net.end[1].lcp.echoes_sent >= 5);
	assert_null(tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_ECHO_TIMEOUT));
	/* Traffic postpones echoes. */
	uint64_t sent = net.end[0].lcp.echoes_sent;
	uint64_t next = lcp_next_deadline(&net.end[0].lcp);
	lcp_note_rx(&net.end[0].lcp, next - 1);
	assert_int_equal(lcp_next_deadline(&net.end[0].lcp), next - 1 + 10000);
	/* The peer goes silent. */
	net.end[1].mute = true;
	tl_run(&net, net.now + 200000);
	assert_true(net.end[0].lcp.echoes_sent >= sent + 3);
	const struct tl_event *ev = tl_find(&net.end[0], PPP_PROTO_LCP, PPP_EVENT_ECHO_TIMEOUT);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "Peer not responding");
	assert_false(lcp_is_opened(&net.end[0].lcp));
}

/* The first Echo-Request leaves as LCP opens (as pppd's does), the next
 * one only after the interval. */
static void lcp_first_echo_at_open(void **state)
{
	(void)state;
	tl_init(&net);
	for (int i = 0; i < 2; i++) {
		struct lcp_config c = tl_lcp_config(&net.end[i]);
		c.echo_interval_ms = 10000;
		tl_start_lcp(&net.end[i], &c);
	}
	tl_open(&net.end[0]);
	tl_open(&net.end[1]);
	tl_run(&net, 5000);
	for (int i = 0; i < 2; i++) {
		assert_true(lcp_is_opened(&net.end[i].lcp));
		assert_int_equal(net.end[i].lcp.echoes_sent, 1);
		assert_int_equal(net.end[i].lcp.echo_outstanding, 0); /* answered */
	}
}

/* Feed one packet into an LCP in Req-Sent, return what it answers. */
static struct tl_capture cap;
static struct lcp lone;
static struct test_random lone_tr;
static struct random_source lone_rs;

static int lone_input(const char *hex, bool opened)
{
	uint8_t buf[512];
	size_t n = test_hex(hex, buf, sizeof(buf));
	memset(&cap, 0, sizeof(cap));
	test_random_init(&lone_tr, 99);
	lone_rs = test_random_source(&lone_tr);
	struct lcp_config c = { .random = &lone_rs, .output = tl_capture_output, .output_ctx = &cap,
				.auth_accept = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) };
	assert_int_equal(lcp_init(&lone, &c), 0);
	lcp_lower_up(&lone, 0);
	lcp_open(&lone, 0);
	if (opened) {
		lone.fsm.state = PPP_STATE_OPENED;
		lone.fsm.deadline = DEADLINE_NONE;
		lone.local.magic = 0x11111111;
	}
	memset(&cap, 0, sizeof(cap));
	return lcp_input(&lone, buf, n, 10);
}

static void expect_answer(const char *hex)
{
	uint8_t want[512];
	size_t n = test_hex(hex, want, sizeof(want));
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.protocol[0], PPP_PROTO_LCP);
	assert_int_equal(cap.len[0], n);
	assert_memory_equal(cap.data[0], want, n);
}

static void lcp_unknown_options_are_rejected(void **state)
{
	(void)state;
	/* MRU 1400, Quality-Protocol, Callback, MRRU, Endpoint-Discriminator,
	 * Link-Discriminator, an unknown 0x42: all but MRU rejected. */
	assert_int_equal(lone_input("01 07 0026 0104 0578 0408 c025 0000 0bb8 0d03 06 1104 05dc"
				    " 1309 01 0203040506 07 1704 0001 4202", false), 0);
	expect_answer("04 07 0022 0408 c025 0000 0bb8 0d03 06 1104 05dc 1309 01 0203040506 07"
		      " 1704 0001 4202");
}

/* Malformed packets: what the automaton answers (or that it discards). */
struct malformed_case {
	const char *name;
	const char *packet;
	int rc;
	const char *answer;   /* NULL: nothing sent */
};

static const struct malformed_case malformed[] = {
	{ "header short", "01 01 00", ERR_TRUNCATED, NULL },
	{ "length below 4", "01 01 0003", ERR_LENGTH, NULL },
	{ "length past the packet", "01 01 0010 0104 05dc", ERR_TRUNCATED, NULL },
	{ "option length 0", "01 01 0008 0100 05dc", ERR_LENGTH, NULL },
	{ "option length 1", "01 01 0006 0501", ERR_LENGTH, NULL },
	{ "option past the list", "01 01 0008 0506 0000", ERR_TRUNCATED, NULL },
	{ "lone option type byte", "01 01 0005 05", ERR_TRUNCATED, NULL },
	{ "MRU length 3 rejected", "01 02 0007 0103 05", 0, "04 02 0007 0103 05" },
	{ "Magic length 5 rejected", "01 03 0009 0505 0102 03", 0, "04 03 0009 0505 0102 03" },
	{ "PFC with a value rejected", "01 04 0007 0703 00", 0, "04 04 0007 0703 00" },
	{ "auth length 6 rejected", "01 05 000a 0306 c223 8100", 0, "04 05 000a 0306 c223 8100" },
	{ "auth CHAP without algorithm naked", "01 06 0008 0304 c223", 0, "03 06 0009 0305 c223 81" },
	{ "auth unknown CHAP algorithm naked", "01 06 0009 0305 c223 06", 0, "03 06 0009 0305 c223 81" },
	{ "zero magic naked", "01 08 000a 0506 0000 0000", 0, NULL /* random value, checked below */ },
	{ "MRU too small naked", "01 09 0008 0104 0040", 0, "03 09 0008 0104 0080" },
	{ "padding after length ignored", "01 0a 0008 0104 05dc ffff", 0, "02 0a 0008 0104 05dc" },
	{ "Ack with wrong id discarded", "02 77 0004", ERR_LATE, NULL },
	{ "Reject of an option we did not send", "04 01 0006 1102", ERR_MALFORMED, NULL },
	{ "unknown code: Code-Reject", "42 01 0006 abcd", 0, "07 02 000a 42 01 0006 abcd" },
};

static void lcp_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		const struct malformed_case *m = &malformed[i];
		int rc = lone_input(m->packet, false);
		if (rc != m->rc)
			fail_msg("%s: rc %d (%s), expected %d", m->name, rc, error_name(rc), m->rc);
		if (m->answer) {
			expect_answer(m->answer);
		} else if (!strcmp(m->name, "zero magic naked")) {
			assert_int_equal(cap.n, 1);
			assert_int_equal(cap.data[0][0], PPP_CONF_NAK);
			assert_int_equal(cap.data[0][4], LCP_OPT_MAGIC);
		} else if (cap.n != 0) {
			fail_msg("%s: answered code %u", m->name, cap.data[0][0]);
		}
	}
}

/* One Conf-Req into a fresh LCP of the given role; its answer in cap. */
static void spap_input(struct lcp *l, bool server, const char *hex, bool fresh)
{
	uint8_t buf[64];
	size_t n = test_hex(hex, buf, sizeof(buf));
	if (fresh) {
		test_random_init(&lone_tr, 99);
		lone_rs = test_random_source(&lone_tr);
		struct lcp_config c = { .random = &lone_rs, .output = tl_capture_output, .output_ctx = &cap };
		if (server)
			c.auth_offer[0] = AUTH_METHOD_MSCHAPV2;
		else
			c.auth_accept = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) | AUTH_METHOD_BIT(AUTH_METHOD_PAP);
		assert_int_equal(lcp_init(l, &c), 0);
		lcp_lower_up(l, 0);
		lcp_open(l, 0);
	}
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(lcp_input(l, buf, n, 10), 0);
}

static bool spap_refused(struct lcp *l)
{
	struct ppp_event ev;
	while (lcp_next_event(l, &ev))
		if (ev.type == PPP_EVENT_AUTH_REFUSED)
			return ev.reason && strcmp(ev.reason, LCP_SPAP_REFUSED_REASON) == 0;
	return false;
}

static void lcp_spap_is_naked_then_refused(void **state)
{
	(void)state;
	/* Server: a peer asking for SPAP (0xC027) gets a Nak with the
	 * strongest method we allow, MS-CHAPv2; never a Reject, never SPAP. */
	spap_input(&lone, true, "01 01 0008 0304 c027", true);
	expect_answer("03 01 0009 0305 c223 81");
	spap_input(&lone, true, "01 02 0008 0304 c027", false);
	expect_answer("03 02 0009 0305 c223 81");
	assert_false(spap_refused(&lone));
	/* Client: Nak with MS-CHAPv2 (our strongest), once more for a lost
	 * Nak, then a server that insists is refused with the message the
	 * client exits with (code 6). */
	spap_input(&lone, false, "01 01 0008 0304 c027", true);
	expect_answer("03 01 0009 0305 c223 81");
	assert_false(spap_refused(&lone));
	spap_input(&lone, false, "01 02 0008 0304 c027", false);
	expect_answer("03 02 0009 0305 c223 81");
	assert_false(spap_refused(&lone));
	spap_input(&lone, false, "01 03 0008 0304 c027", false);
	expect_answer("04 03 0008 0304 c027");
	assert_true(spap_refused(&lone));
	/* SPAP with trailing data is still SPAP. */
	spap_input(&lone, false, "01 04 0009 0305 c027 01", true);
	expect_answer("03 04 0009 0305 c223 81");
}

static void lcp_opened_codes(void **state)
{
	(void)state;
	/* Echo-Request: reply with our magic and the data. */
	assert_int_equal(lone_input("09 05 000a 2222 2222 abcd", true), 0);
	expect_answer("0a 05 000a 1111 1111 abcd");
	/* Echo-Request carrying our own magic: looped back, no answer. */
	assert_int_equal(lone_input("09 05 0008 1111 1111", true), ERR_PEER);
	assert_int_equal(cap.n, 0);
	/* Echo-Request too short. */
	assert_int_equal(lone_input("09 05 0006 2222", true), ERR_TRUNCATED);
	/* Discard-Request, Identification, Time-Remaining: no answer. */
	assert_int_equal(lone_input("0b 05 0008 2222 2222", true), 0);
	assert_int_equal(cap.n, 0);
	assert_int_equal(lone_input("0c 05 000d 2222 2222 68 65 6c 6c 6f", true), 0);
	assert_int_equal(cap.n, 0);
	assert_int_equal(lone_input("0d 05 000c 2222 2222 0000 0e10", true), 0);
	assert_int_equal(cap.n, 0);
	/* Echo-Request outside Opened: discarded. */
	assert_int_equal(lone_input("09 05 0008 2222 2222", false), ERR_STATE);
	/* Protocol-Reject of LCP itself: RXJ-, LCP goes down (tld,irc,str). */
	assert_int_equal(lone_input("08 05 0006 c021", true), 0);
	assert_int_equal(lone.fsm.state, PPP_STATE_STOPPING);
	assert_int_equal(cap.data[0][0], PPP_TERM_REQ);
	/* Protocol-Reject of IPCP: RXJ+, stays Opened. */
	assert_int_equal(lone_input("08 05 0008 8021 0101", true), 0);
	assert_int_equal(lone.fsm.state, PPP_STATE_OPENED);
	/* Code-Reject of Echo-Request: RXJ+. Of Configure-Request: RXJ-. */
	assert_int_equal(lone_input("07 05 0008 0901 0004", true), 0);
	assert_int_equal(lone.fsm.state, PPP_STATE_OPENED);
	assert_int_equal(lone_input("07 05 0008 0101 0004", true), 0);
	assert_int_equal(lone.fsm.state, PPP_STATE_STOPPING);
}

static void lcp_protocol_reject_builder(void **state)
{
	(void)state;
	uint8_t info[2000], out[1500];
	memset(info, 0xab, sizeof(info));
	int n = ppp_protocol_reject_build(7, 0x8207, info, 10, 1500, out, sizeof(out));
	assert_int_equal(n, 16);
	uint8_t want[6];
	test_hex("08 07 0010 8207", want, sizeof(want));
	assert_memory_equal(out, want, 6);
	/* Truncated to the peer's MRU. */
	n = ppp_protocol_reject_build(7, 0x8207, info, sizeof(info), 300, out, sizeof(out));
	assert_int_equal(n, 300);
	assert_int_equal(load_be16(out + 2), 300);
	/* Through LCP: only when Opened. */
	assert_int_equal(lone_input("0b 05 0008 2222 2222", false), ERR_STATE);
	assert_int_equal(lcp_send_protocol_reject(&lone, 0x8207, info, 4), ERR_STATE);
	(void)lone_input("0b 05 0008 2222 2222", true);
	assert_int_equal(lcp_send_protocol_reject(&lone, 0x8207, info, 4), 0);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.data[0][0], PPP_PROTO_REJ);
}

/* Issue 11 (low): every line a peer's packet causes is rate-limited. 10,000
 * Protocol-Rejects and then 10,000 Terminate-Requests within 2 s give a
 * bounded number of lines at the default level (burst 10, then one a
 * second, per limiter). */
static void lcp_packet_floods_log_a_bounded_number_of_lines(void **state)
{
	(void)state;
	server_client(AUTH_METHOD_NONE, AUTH_METHOD_NONE, 0);
	struct lcp *s = &net.end[0].lcp;
	assert_true(lcp_is_opened(s));
	net.end[0].mute = true;      /* its answers go nowhere */
	struct ppp_event ev;
	struct test_log tl;
	test_log_capture(&tl);
	log_set_level(LOG_LEVEL_INFO);
	uint8_t rej[8] = { PPP_PROTO_REJ, 0, 0, 8, 0x80, 0x21, 0x01, 0x01 };
	for (unsigned i = 0; i < 10000; i++) {
		rej[1] = (uint8_t)i;
		(void)lcp_input(s, rej, sizeof(rej), net.now + 1 + i / 10);
		while (lcp_next_event(s, &ev))
			;
	}
	unsigned after_rej = tl.count;
	uint8_t term[4] = { PPP_TERM_REQ, 0, 0, 4 };
	for (unsigned i = 0; i < 10000; i++) {
		term[1] = (uint8_t)i;
		(void)lcp_input(s, term, sizeof(term), net.now + 1001 + i / 10);
		while (lcp_next_event(s, &ev))
			;
	}
	unsigned total = tl.count;
	test_log_release();
	if (after_rej > 30 || total > 60)
		fail_msg("%u lines for 10,000 Protocol-Rejects, %u with 10,000 Terminate-Requests (last: %s)",
			 after_rej, total, tl.last);
}

static void lcp_max_failure_turns_naks_into_rejects(void **state)
{
	(void)state;
	/* A peer insisting on an MRU below our minimum: Max-Failure (5) Naks,
	 * then the option is rejected (RFC 1661 §4.6). */
	uint8_t buf[32];
	size_t n = test_hex("01 01 0008 0104 0040", buf, sizeof(buf));
	(void)lone_input("01 01 0008 0104 0040", false);
	assert_int_equal(cap.data[0][0], PPP_CONF_NAK);
	for (int i = 1; i < 5; i++) {
		cap.n = 0;
		buf[1] = (uint8_t)(i + 1);
		assert_int_equal(lcp_input(&lone, buf, n, 10 + (uint64_t)i), 0);
		assert_int_equal(cap.data[0][0], PPP_CONF_NAK);
	}
	cap.n = 0;
	buf[1] = 9;
	assert_int_equal(lcp_input(&lone, buf, n, 20), 0);
	assert_int_equal(cap.data[0][0], PPP_CONF_REJ);
	assert_int_equal(cap.data[0][1], 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcp_back_to_back_reaches_opened),
		cmocka_unit_test(lcp_duplicate_ack_is_ignored),
		cmocka_unit_test(lcp_auth_nak_jumps_to_the_suggested_method),
		cmocka_unit_test(lcp_auth_nak_moves_to_the_next_method),
		cmocka_unit_test(lcp_auth_each_chap_variant_and_eap),
		cmocka_unit_test(lcp_auth_refused_terminates_with_reason),
		cmocka_unit_test(lcp_auth_all_naked_gives_up),
		cmocka_unit_test(lcp_silent_peer_exhausts_max_configure),
		cmocka_unit_test(lcp_loopback_detected),
		cmocka_unit_test(lcp_terminate_reason_reaches_the_peer),
		cmocka_unit_test(lcp_echo_keepalive_and_failure),
		cmocka_unit_test(lcp_first_echo_at_open),
		cmocka_unit_test(lcp_unknown_options_are_rejected),
		cmocka_unit_test(lcp_malformed_table),
		cmocka_unit_test(lcp_spap_is_naked_then_refused),
		cmocka_unit_test(lcp_opened_codes),
		cmocka_unit_test(lcp_protocol_reject_builder),
		cmocka_unit_test(lcp_max_failure_turns_naks_into_rejects),
		cmocka_unit_test(lcp_packet_floods_log_a_bounded_number_of_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
