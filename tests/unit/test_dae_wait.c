/* SPDX-License-Identifier: BSD-2-Clause */
/* The Disconnect-Requests waiting for their sessions (dae_wait.h): the
 * ACK only after the last matched session is down (RFC 5176 §3), a NAK
 * 506 at the deadline, retransmissions answered once, stale handles. */
#include "support/test_support.h"

#include <string.h>

#include "base/time.h"
#include "proto/radius/radius_wire.h"
#include "server/dae_wait.h"

static struct radius_packet request(uint8_t id, uint8_t auth_byte)
{
	struct radius_packet p;
	memset(&p, 0, sizeof(p));
	p.code = RADIUS_DISCONNECT_REQUEST;
	p.id = id;
	memset(p.authenticator, auth_byte, sizeof(p.authenticator));
	return p;
}

static void ack_after_the_last_session(void **state)
{
	(void)state;
	struct dae_waits t;
	memset(&t, 0, sizeof(t));
	struct radius_packet req = request(7, 0xaa);
	uint32_t h = dae_wait_begin(&t, &req, 0xC6336402u, 40000, 1000);
	assert_int_not_equal(h, 0);
	dae_wait_add_session(&t, h);
	dae_wait_add_session(&t, h);
	struct dae_wait w;
	assert_false(dae_wait_settle(&t, h, &w)); /* sessions still up */
	assert_true(dae_wait_is_duplicate(&t, &req, 0xC6336402u, 40000));
	struct radius_packet other = request(7, 0xab); /* a new request reusing the Identifier */
	assert_false(dae_wait_is_duplicate(&t, &other, 0xC6336402u, 40000));
	assert_false(dae_wait_is_duplicate(&t, &req, 0xC6336402u, 40001));
	assert_false(dae_wait_session_down(&t, h, &w)); /* one of two */
	assert_true(dae_wait_session_down(&t, h, &w));  /* the last: answer now */
	assert_int_equal(w.id, 7);
	assert_int_equal(w.from, 0xC6336402u);
	assert_int_equal(w.port, 40000);
	struct radius_packet ans;
	dae_wait_request(&w, &ans);
	assert_int_equal(ans.code, RADIUS_DISCONNECT_REQUEST);
	assert_memory_equal(ans.authenticator, req.authenticator, RADIUS_AUTH_SIZE);
	/* Freed: the handle is stale, the retransmission is a new request. */
	assert_false(dae_wait_session_down(&t, h, &w));
	assert_false(dae_wait_is_duplicate(&t, &req, 0xC6336402u, 40000));
	assert_int_equal(dae_wait_next_deadline(&t), DEADLINE_NONE);
}

static void nak_at_the_deadline(void **state)
{
	(void)state;
	struct dae_waits t;
	memset(&t, 0, sizeof(t));
	struct radius_packet req = request(1, 1);
	uint32_t h = dae_wait_begin(&t, &req, 1, 2, 5000);
	dae_wait_add_session(&t, h);
	assert_int_equal(dae_wait_next_deadline(&t), 5000 + DAE_WAIT_MS);
	struct dae_wait w;
	assert_false(dae_wait_expired(&t, 5000 + DAE_WAIT_MS - 1, &w));
	assert_true(dae_wait_expired(&t, 5000 + DAE_WAIT_MS, &w));
	assert_int_equal(w.remaining, 1);
	assert_false(dae_wait_expired(&t, UINT64_MAX - 1, &w));
	/* The session going down later finds no wait: nothing is sent twice. */
	assert_false(dae_wait_session_down(&t, h, &w));
}

static void nothing_to_wait_for_and_a_full_table(void **state)
{
	(void)state;
	struct dae_waits t;
	memset(&t, 0, sizeof(t));
	struct radius_packet req = request(2, 2);
	uint32_t h = dae_wait_begin(&t, &req, 1, 2, 0);
	struct dae_wait w;
	assert_true(dae_wait_settle(&t, h, &w)); /* matched sessions all closing already */
	assert_false(dae_wait_settle(&t, h, &w));
	uint32_t handles[DAE_WAIT_MAX];
	for (int i = 0; i < DAE_WAIT_MAX; i++) {
		req.id = (uint8_t)i;
		handles[i] = dae_wait_begin(&t, &req, 1, 2, 0);
		assert_int_not_equal(handles[i], 0);
	}
	assert_int_equal(dae_wait_begin(&t, &req, 1, 2, 0), 0); /* full: the caller NAKs 506 */
	/* A handle from a freed slot's earlier life does not reach the new one. */
	assert_true(dae_wait_settle(&t, handles[0], &w));
	uint32_t again = dae_wait_begin(&t, &req, 1, 2, 0);
	assert_int_not_equal(again, handles[0]);
	dae_wait_add_session(&t, handles[0]);
	assert_false(dae_wait_settle(&t, handles[0], &w));
	assert_true(dae_wait_settle(&t, again, &w));
	assert_false(dae_wait_session_down(&t, 0, &w));
	assert_false(dae_wait_session_down(&t, 0xffffffffu, &w));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ack_after_the_last_session),
		cmocka_unit_test(nak_at_the_deadline),
		cmocka_unit_test(nothing_to_wait_for_and_a_full_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
