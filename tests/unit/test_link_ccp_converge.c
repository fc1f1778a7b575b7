/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link: the two ends of CCP converge when one gave up (simulation seed
 * 278189). With MPPE optional on the server, the Configure-Ack to the
 * server's last CCP Configure-Request was lost: the server's CCP went
 * Stopped on TO- (RFC 1661 §4.6 Max-Configure) and its link ran without
 * MPPE, while the client, which had acked that request and seen its own
 * acked, was Opened and encrypted. Nothing told the client: every packet
 * either way was dropped for ever. Now a compressed datagram reaching a
 * Stopped CCP is answered with a Terminate-Ack (RFC 1661 §5.5: the peer
 * renegotiates), and both ends come back with MPPE. */
#include "test_link_sim.h"

#include "proto/auth/auth_method.h"
#include "proto/session/ppp_link_internal.h"

/* The PPP protocol and, for a control protocol, the code of a frame. */
static bool frame_is(const struct pkt *p, uint16_t protocol, uint8_t code)
{
	const uint8_t *d = pkt_data(p);
	size_t n = p->len;
	if (n >= 2 && d[0] == 0xff && d[1] == 0x03) {
		d += 2;
		n -= 2;
	}
	return n >= 3 && load_be16(d) == protocol && d[2] == code;
}

static bool drop_ccp_acks; /* the client's CCP Configure-Acks are lost */

static bool client_drop(struct sim_end *e, const struct pkt *p)
{
	(void)e;
	return drop_ccp_acks && frame_is(p, 0x80fd, 2);
}

static unsigned server_term_acks; /* CCP Terminate-Acks the server sent */

static void server_count(struct sim_end *e, struct pkt *p)
{
	(void)e;
	if (frame_is(p, 0x80fd, 6))
		server_term_acks++;
}

/* Both ends up, the server's CCP given up, the client's Opened (after an
 * MPPE_UP per server retransmission: RCR in Opened renegotiates). Returns
 * the client's MPPE_UP events so far. */
static unsigned split_ccp(struct sim *s)
{
	struct ppp_mppe_policy pol = { .allow_128 = true };
	sim_init(s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &pol);
	s->end[0].cfg.max_configure = 3;
	s->end[1].drop = client_drop;
	s->end[0].mangle = server_count;
	drop_ccp_acks = true;
	server_term_acks = 0;
	sim_start(s);
	sim_run(s, 60000);
	drop_ccp_acks = false;
	assert_true(ppp_link_is_up(s->end[0].link));
	assert_true(ppp_link_is_up(s->end[1].link));
	/* The disagreement itself: the client encrypts, the server does not. */
	unsigned client_ups = sim_count(&s->end[1], PPP_LINK_EVENT_MPPE_UP);
	assert_true(client_ups >= 1);
	assert_int_equal(sim_count(&s->end[0], PPP_LINK_EVENT_MPPE_UP), 0);
	assert_int_equal(server_term_acks, 0);
	return client_ups;
}

static void send_from(struct sim *s, int from, unsigned seed)
{
	uint32_t src = from ? SRV_ASSIGN : SRV_LOCAL, dst = from ? SRV_LOCAL : SRV_ASSIGN;
	assert_int_equal(ppp_link_send_ip(s->end[from].link, make_ipv4(src, dst, 200, seed), s->now), 0);
	sim_run(s, s->now);
}

static void server_gave_up_ccp_client_opened_converge(void **state)
{
	(void)state;
	struct sim s;
	unsigned client_ups = split_ccp(&s);
	struct sim_end *srv = &s.end[0], *cli = &s.end[1];
	/* The client's first encrypted packet is lost on the server (it has no
	 * keys), but it makes the server ask for a renegotiation. */
	send_from(&s, 1, 1);
	assert_int_equal(srv->n_rx, 0);
	sim_run(&s, s.now + 10000);
	assert_int_equal(sim_count(srv, PPP_LINK_EVENT_MPPE_UP), 1);
	assert_int_equal(server_term_acks, 1);
	assert_int_equal(sim_count(cli, PPP_LINK_EVENT_MPPE_UP), client_ups + 1);
	assert_int_equal(sim_find(srv, PPP_LINK_EVENT_MPPE_UP)->mppe_bits, 128);
	/* Both directions carry traffic again, encrypted. */
	send_from(&s, 1, 2);
	assert_int_equal(srv->n_rx, 1);
	send_from(&s, 0, 3);
	assert_int_equal(cli->n_rx, 1);
	struct ppp_link_stats st;
	ppp_link_get_stats(srv->link, &st);
	assert_int_equal(st.ccp_term_acks_sent, 1);
	ppp_link_get_stats(cli->link, &st);
	assert_int_equal(st.dropped_unencrypted, 0);
	assert_int_equal(sim_count(srv, PPP_LINK_EVENT_DOWN), 0);
	assert_int_equal(sim_count(cli, PPP_LINK_EVENT_DOWN), 0);
	sim_free(&s);
}

/* A burst of encrypted packets in flight draws one Terminate-Ack per
 * Restart interval, not one each: the renegotiation it started is not
 * restarted by the rest of the burst. */
static void burst_draws_one_terminate_ack(void **state)
{
	(void)state;
	struct sim s;
	unsigned client_ups = split_ccp(&s);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(ppp_link_send_ip(s.end[1].link, make_ipv4(SRV_ASSIGN, SRV_LOCAL, 100, i), s.now), 0);
	sim_run(&s, s.now + 10000);
	assert_int_equal(server_term_acks, 1);
	assert_int_equal(sim_count(&s.end[0], PPP_LINK_EVENT_MPPE_UP), 1);
	assert_int_equal(sim_count(&s.end[1], PPP_LINK_EVENT_MPPE_UP), client_ups + 1);
	sim_free(&s);
}

/* A lost Terminate-Ack is sent again on the next encrypted packet after
 * the Restart interval, so the ends still converge. */
static bool drop_term_acks;

static bool server_drop(struct sim_end *e, const struct pkt *p)
{
	(void)e;
	if (!drop_term_acks || !frame_is(p, 0x80fd, 6))
		return false;
	server_term_acks++; /* sent, then lost (server_count sees only what is kept) */
	return true;
}

static void lost_terminate_ack_is_repeated(void **state)
{
	(void)state;
	struct sim s;
	(void)split_ccp(&s);
	s.end[0].drop = server_drop;
	drop_term_acks = true;
	send_from(&s, 1, 1);
	drop_term_acks = false;
	assert_int_equal(server_term_acks, 1);
	send_from(&s, 1, 2); /* within the Restart interval: no second one */
	assert_int_equal(server_term_acks, 1);
	assert_int_equal(sim_count(&s.end[0], PPP_LINK_EVENT_MPPE_UP), 0);
	sim_run(&s, s.now + 3000);
	send_from(&s, 1, 3);
	assert_int_equal(server_term_acks, 2);
	sim_run(&s, s.now + 10000);
	assert_int_equal(sim_count(&s.end[0], PPP_LINK_EVENT_MPPE_UP), 1);
	send_from(&s, 1, 4);
	assert_int_equal(s.end[0].n_rx, 1);
	sim_free(&s);
}

/* A frame straight into end `to`'s link, as if from the other end. */
static void inject(struct sim *s, int to, const uint8_t *b, size_t n)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	memcpy(pkt_put(p, n), b, n);
	ppp_link_input(s->end[to].link, p, s->now);
	sim_run(s, s->now);
}

/* RFC 1661 §5.7: once the peer Protocol-Rejected CCP we MUST NOT send it
 * CCP again, not even the Terminate-Ack a stray (or spoofed) compressed
 * datagram would draw. Before: one Terminate-Ack. */
static void no_terminate_ack_after_protocol_reject(void **state)
{
	(void)state;
	struct sim s;
	(void)split_ccp(&s);
	/* LCP Protocol-Reject (code 8) of CCP (0x80FD), from the client. */
	static const uint8_t prej[] = { 0xc0, 0x21, 0x08, 0x77, 0x00, 0x08, 0x80, 0xfd, 0x01, 0x01 };
	inject(&s, 0, prej, sizeof(prej));
	assert_int_equal(s.end[0].link->ccp.fsm.state, PPP_STATE_STOPPED);
	send_from(&s, 1, 1);
	sim_run(&s, s.now + 3000);
	send_from(&s, 1, 2);
	assert_int_equal(server_term_acks, 0);
	struct ppp_link_stats st;
	ppp_link_get_stats(s.end[0].link, &st);
	assert_int_equal(st.ccp_term_acks_sent, 0);
	sim_free(&s);
}

/* CCP not negotiated at all (no MPPE on either side, NCP_OFF): a 0x00FD
 * frame draws no CCP packet. */
static void no_terminate_ack_when_ccp_off(void **state)
{
	(void)state;
	struct sim s;
	struct ppp_mppe_policy pol = { 0 };
	sim_init(&s, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &pol);
	s.end[0].mangle = server_count;
	server_term_acks = 0;
	sim_start(&s);
	sim_run(&s, 60000);
	assert_true(ppp_link_is_up(s.end[0].link));
	assert_int_equal(s.end[0].link->ccp_state, NCP_OFF);
	static const uint8_t comp[] = { 0x00, 0xfd, 0x90, 0x00, 0x12, 0x34, 0x56, 0x78 };
	inject(&s, 0, comp, sizeof(comp));
	sim_run(&s, s.now + 3000);
	assert_int_equal(server_term_acks, 0);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_gave_up_ccp_client_opened_converge),
		cmocka_unit_test(burst_draws_one_terminate_ack),
		cmocka_unit_test(lost_terminate_ack_is_repeated),
		cmocka_unit_test(no_terminate_ack_after_protocol_reject),
		cmocka_unit_test(no_terminate_ack_when_ccp_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
