/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/session/tunnel: server-wide call IDs are given back whatever
 * way a call ends (issue 11 item 4). A PAC tunnel alone, fed pptp-linux's
 * captured SCCRQ and OCRQ; its TCP sink stands for the daemon's 64 KiB
 * output buffer and can be full, which (as tunnel.h asks) the owner reports
 * with tunnel_tcp_closed only after the engine call returns. */
#include "support/test_support.h"

#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/error.h"
#include "proto/pptp/pptp_ctrl.h"
#include "proto/session/tunnel.h"

#define SERVER_UNDERLAY 0xC0000201u /* 192.0.2.1 */
#define CLIENT_UNDERLAY 0xC000020Bu /* 192.0.2.11 */

struct owner {
	struct tunnel *t;
	size_t out_bytes;
	size_t out_limit;        /* the sink is full beyond this many bytes */
	bool lost;               /* the sink refused bytes: report after the call */
	unsigned ids_allocated, ids_freed;
	uint16_t next_id;
	unsigned calls_up, calls_down;
	bool closed;
	struct test_random random;
};

static void tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct owner *o = ctx;
	(void)bytes;
	if (o->out_bytes + len > o->out_limit) {
		o->lost = true;
		return;
	}
	o->out_bytes += len;
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
	o->ids_allocated++;
	*id = ++o->next_id;
	return 0;
}

static void id_free(void *ctx, uint16_t id)
{
	struct owner *o = ctx;
	(void)id;
	o->ids_freed++;
}

/* What the daemon does after every engine call: drain, and report a lost
 * control connection once the queue is empty. */
static void settle(struct owner *o, uint64_t now)
{
	struct tunnel_event ev;
	for (;;) {
		if (tunnel_next_event(o->t, &ev)) {
			if (ev.type == TUNNEL_EVENT_CALL_UP)
				o->calls_up++;
			if (ev.type == TUNNEL_EVENT_CALL_DOWN)
				o->calls_down++;
			if (ev.type == TUNNEL_EVENT_CLOSED)
				o->closed = true;
		} else if (o->lost && !o->closed) {
			o->lost = false;
			tunnel_tcp_closed(o->t, now);
		} else {
			break;
		}
	}
}

static void open_server(struct owner *o, size_t out_limit)
{
	memset(o, 0, sizeof(*o));
	o->out_limit = out_limit;
	test_random_init(&o->random, 4242);
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
	settle(o, 1000);
}

static void finish(struct owner *o)
{
	/* Whatever happened, the tunnel ends and every ID comes back. */
	if (!o->closed) {
		tunnel_tcp_closed(o->t, 2000);
		settle(o, 2000);
	}
	for (uint64_t now = 2000; !o->closed && now < 200000; now += 1000) {
		tunnel_on_timeout(o->t, now);
		settle(o, now);
	}
	assert_true(o->closed);
	tunnel_free(o->t);
	assert_int_equal(o->ids_allocated, o->ids_freed);
	assert_int_equal(o->calls_up, o->calls_down);
}

/* The Outgoing-Call-Reply is the write that finds the buffer full. */
static void buffer_full_on_the_call_reply_frees_the_call_id(void **state)
{
	(void)state;
	struct owner o;
	/* Room for the SCCRP (156 bytes) only. */
	open_server(&o, sizeof(capture_pptp_linux_sccrq));
	tunnel_tcp_input(o.t, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq), 1001);
	settle(&o, 1001);
	assert_false(o.closed);
	tunnel_tcp_input(o.t, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq), 1002);
	settle(&o, 1002);
	assert_true(o.closed);
	assert_int_equal(o.ids_allocated, 1);
	finish(&o);
}

/* The buffer was already full (the peer does not read) and the OCRQ was in
 * the same read as the request that filled it. */
static void call_request_after_the_loss_frees_the_call_id(void **state)
{
	(void)state;
	struct owner o;
	open_server(&o, 0);
	uint8_t both[sizeof(capture_pptp_linux_sccrq) + sizeof(capture_pptp_linux_ocrq)];
	memcpy(both, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	memcpy(both + sizeof(capture_pptp_linux_sccrq), capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	tunnel_tcp_input(o.t, both, sizeof(both), 1001);
	settle(&o, 1001);
	assert_true(o.closed);
	finish(&o);
}

/* The owner frees the tunnel while a call is up (server_free_all, or an
 * owner's error path): the ID came back only through CLOSED before. */
static void tunnel_freed_with_a_call_up_frees_the_call_id(void **state)
{
	(void)state;
	struct owner o;
	open_server(&o, 1u << 16);
	tunnel_tcp_input(o.t, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq), 1001);
	settle(&o, 1001);
	tunnel_tcp_input(o.t, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq), 1002);
	settle(&o, 1002);
	assert_int_equal(o.calls_up, 1);
	assert_int_equal(o.ids_allocated, 1);
	tunnel_free(o.t);
	assert_int_equal(o.ids_freed, 1);
}

/* The path in the control engine itself: an owner whose output
 * sink closes the connection at once when its buffer is full (the old
 * server did). The Outgoing-Call-Reply fills it; the new call's slot was
 * not yet in use, so close_connection passed it by, and the call then came
 * up on a closed connection with its ID never freed. */
struct ctrl_owner {
	struct pptp_ctrl ctrl;
	struct test_random random;
	size_t out_bytes, out_limit;
	unsigned ids_allocated, ids_freed;
};

static void ctrl_output_closing(void *ctx, const uint8_t *bytes, size_t len)
{
	struct ctrl_owner *o = ctx;
	(void)bytes;
	o->out_bytes += len;
	if (o->out_bytes > o->out_limit)
		pptp_ctrl_tcp_closed(&o->ctrl, 0);
}

static int ctrl_id_alloc(void *ctx, uint16_t *id)
{
	struct ctrl_owner *o = ctx;
	*id = (uint16_t)(100 + o->ids_allocated++);
	return 0;
}

static void ctrl_id_free(void *ctx, uint16_t id)
{
	struct ctrl_owner *o = ctx;
	(void)id;
	o->ids_freed++;
}

static void ctrl_feed(struct ctrl_owner *o, const uint8_t *bytes, size_t len)
{
	struct pptp_event ev;
	while (len > 0 && !pptp_ctrl_is_closed(&o->ctrl)) {
		size_t used = pptp_ctrl_input(&o->ctrl, bytes, len, 1000);
		while (pptp_ctrl_next_event(&o->ctrl, &ev))
			assert_int_not_equal(ev.type, PPTP_EVENT_CALL_UP);
		bytes += used;
		len -= used;
	}
}

static void sink_closing_during_the_call_reply_frees_the_call_id(void **state)
{
	(void)state;
	static struct ctrl_owner o;
	memset(&o, 0, sizeof(o));
	test_random_init(&o.random, 7);
	o.out_limit = sizeof(capture_pptp_linux_sccrq); /* the SCCRP fits */
	struct pptp_ctrl_config cfg;
	pptp_ctrl_config_defaults(&cfg, PPTP_ROLE_PAC);
	cfg.random = test_random_source(&o.random);
	cfg.ctx = &o;
	cfg.output = ctrl_output_closing;
	cfg.call_id_alloc = ctrl_id_alloc;
	cfg.call_id_free = ctrl_id_free;
	assert_int_equal(pptp_ctrl_init(&o.ctrl, &cfg, 1000), 0);
	ctrl_feed(&o, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	assert_false(pptp_ctrl_is_closed(&o.ctrl));
	ctrl_feed(&o, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	assert_true(pptp_ctrl_is_closed(&o.ctrl));
	assert_int_equal(o.ids_allocated, 1);
	assert_int_equal(o.ids_freed, 1);
	assert_int_equal(pptp_ctrl_call_count(&o.ctrl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buffer_full_on_the_call_reply_frees_the_call_id),
		cmocka_unit_test(call_request_after_the_loss_frees_the_call_id),
		cmocka_unit_test(tunnel_freed_with_a_call_up_frees_the_call_id),
		cmocka_unit_test(sink_closing_during_the_call_reply_frees_the_call_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
