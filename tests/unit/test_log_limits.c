/* SPDX-License-Identifier: BSD-2-Clause */
/* Log lines a peer can cause again and again are rate-limited (issue 11,
 * low): 10,000 hostile messages or packets give a bounded number of lines
 * (log_limited: a burst, then one a second, with a count of the
 * suppressed). Set-Link-Info, call churn (OCRQ/CCRQ), LCP and the FSM. */
#include "support/test_support.h"

#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/error.h"
#include "proto/pptp/pptp_msg.h"
#include "proto/session/tunnel.h"

#define SERVER_UNDERLAY 0xC0000201u /* 192.0.2.1 */
#define CLIENT_UNDERLAY 0xC000020Bu /* 192.0.2.11 */

struct owner {
	struct tunnel *t;
	struct test_random random;
	struct tunnel_call *call;
	uint16_t next_id;
	bool closed;
};

static void tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	(void)ctx;
	(void)bytes;
	(void)len;
}

static void gre_output(void *ctx, uint32_t peer, struct pkt *p)
{
	(void)ctx;
	(void)peer;
	pkt_free(p);
}

static void tun_output(void *ctx, struct tunnel_call *call, struct pkt *p)
{
	(void)ctx;
	(void)call;
	pkt_free(p);
}

static int id_alloc(void *ctx, uint16_t *id)
{
	struct owner *o = ctx;
	*id = ++o->next_id;
	return 0;
}

static void id_free(void *ctx, uint16_t id)
{
	(void)ctx;
	(void)id;
}

static void settle(struct owner *o)
{
	struct tunnel_event ev;
	while (tunnel_next_event(o->t, &ev)) {
		if (ev.type == TUNNEL_EVENT_CALL_UP)
			o->call = ev.call;
		if (ev.type == TUNNEL_EVENT_CALL_DOWN)
			o->call = NULL;
		if (ev.type == TUNNEL_EVENT_CLOSED)
			o->closed = true;
	}
}

static void send_msg(struct owner *o, const struct pptp_msg *m, uint64_t now)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	int n = pptp_msg_encode(m, buf, sizeof(buf));
	assert_true(n > 0);
	tunnel_tcp_input(o->t, buf, (size_t)n, now);
	settle(o);
}

static void open_server(struct owner *o)
{
	memset(o, 0, sizeof(*o));
	test_random_init(&o->random, 99);
	struct tunnel_config cfg = { 0 };
	cfg.role = PPTP_ROLE_PAC;
	cfg.local_ipv4 = SERVER_UNDERLAY;
	cfg.peer_ipv4 = CLIENT_UNDERLAY;
	cfg.tag = "server";
	cfg.random = test_random_source(&o->random);
	pptp_ctrl_config_defaults(&cfg.ctrl, cfg.role);
	gre_channel_config_default(&cfg.gre);
	ppp_link_config_defaults(&cfg.link, PPP_LINK_SERVER);
	cfg.link.local_address = 0xCB007101u;
	cfg.ctx = o;
	cfg.tcp_output = tcp_output;
	cfg.gre_output = gre_output;
	cfg.tun_output = tun_output;
	cfg.call_id_alloc = id_alloc;
	cfg.call_id_free = id_free;
	o->t = tunnel_new(&cfg, 1000);
	assert_non_null(o->t);
	tunnel_tcp_input(o->t, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq), 1000);
	settle(o);
}

/* Lines allowed for n messages spread over `seconds`: each limiter used
 * gives a burst of 10 then one a second; a few limiters are involved. */
#define BOUND(seconds) (4u * (10u + (seconds) + 1u))

static void set_link_info_flood_is_rate_limited(void **state)
{
	(void)state;
	struct owner o;
	open_server(&o);
	tunnel_tcp_input(o.t, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq), 1001);
	settle(&o);
	assert_non_null(o.call);
	struct test_log tl;
	test_log_capture(&tl);
	log_set_level(LOG_LEVEL_INFO);
	struct pptp_msg m = { .type = PPTP_MSG_SET_LINK_INFO };
	m.u.set_link_info.peer_call_id = 1;  /* our call ID (id_alloc) */
	m.u.set_link_info.send_accm = 0xffffffffu;
	for (unsigned i = 0; i < 10000; i++)
		send_msg(&o, &m, 2000 + i / 10);  /* 10,000 in 1 s */
	unsigned lines = tl.count;
	test_log_release();
	assert_false(o.closed);
	if (lines > BOUND(1))
		fail_msg("%u log lines for 10,000 Set-Link-Info (last: %s)", lines, tl.last);
	tunnel_free(o.t);
}

static void call_churn_is_rate_limited(void **state)
{
	(void)state;
	struct owner o;
	open_server(&o);
	struct test_log tl;
	test_log_capture(&tl);
	log_set_level(LOG_LEVEL_INFO);  /* the default: debug lines are opt-in */
	for (unsigned i = 0; i < 10000; i++) {
		uint64_t now = 2000 + i / 10;
		tunnel_tcp_input(o.t, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq), now);
		settle(&o);
		struct pptp_msg m = { .type = PPTP_MSG_CALL_CLEAR_REQUEST };
		m.u.call_clear_request.call_id = 13490;  /* the peer's, from the OCRQ */
		send_msg(&o, &m, now);
		/* The link terminates (LCP Terminate-Request unanswered) and the
		 * call clears; let the timers run. */
		for (unsigned k = 0; k < 5 && o.call; k++) {
			tunnel_on_timeout(o.t, now);
			settle(&o);
		}
	}
	unsigned lines = tl.count;
	test_log_release();
	if (lines > BOUND(1))
		fail_msg("%u log lines for 10,000 calls placed and cleared (last: %s)", lines, tl.last);
	tunnel_free(o.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_link_info_flood_is_rate_limited),
		cmocka_unit_test(call_churn_is_rate_limited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
