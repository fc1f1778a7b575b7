/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/daemon_gre: demultiplexing received datagrams to the tunnel
 * that owns the call ID, and a counter per reason for everything else —
 * unreadable, no memory, malformed (and which check), no such call, not
 * that call's peer; then the socket half on an injected fd: the batch
 * budget, and allocation failure (read into scratch, counted, drained);
 * sending: one sendmmsg per loop iteration or full batch, in order. */
#include "support/test_support.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fuzz/daemon_harness.h"
#include "base/error.h"
#include "daemon/daemon_budget.h"

static const uint8_t lcp_configure_request[] = {
	0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78, 0x05, 0x06, 0x11, 0x22, 0x33, 0x44,
};

static struct pkt *data_packet(uint32_t src, uint16_t call_id, uint32_t seq)
{
	struct gre_header gh = { .has_seq = true, .call_id = call_id, .seq = seq };
	struct pkt *p = dh_gre_datagram(src, &gh, lcp_configure_request, sizeof(lcp_configure_request));
	assert_non_null(p);
	return p;
}

static void dispatch_one(struct daemon_harness *h, struct pkt *p, uint32_t src)
{
	daemon_gre_dispatch(&h->gre, &p, &src, 1, h->now);
}

static void our_call_from_its_peer_is_delivered(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, true), 0);
	assert_non_null(h.call);
	dispatch_one(&h, data_packet(DH_PEER, DH_CALL_ID, 0), DH_PEER);
	dispatch_one(&h, data_packet(DH_PEER, DH_CALL_ID, 1), DH_PEER);
	assert_int_equal(h.gre.stats.rx_datagrams, 2);
	assert_int_equal(h.gre.stats.rx_delivered, 2);
	struct tunnel_call_info info;
	tunnel_call_get_info(h.call, &info);
	assert_int_equal(info.gre_rx, 2);      /* the call's GRE channel took both */
	assert_true(dh_gre_accounts(&h.gre.stats));
	/* The engine answered (LCP over GRE); the socket is -1 here: counted. */
	assert_true(h.gre.stats.tx_failed > 0);
	dh_close(&h);
}

static void every_drop_is_counted_under_its_reason(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, true), 0);
	struct test_log tl;
	test_log_capture(&tl);

	struct pkt *pkts[8];
	uint32_t src[8];
	size_t n = 0;
	/* truncated by the kernel */
	pkts[n] = dh_raw_datagram(NULL, 0), src[n++] = DH_PEER;
	/* GRE version 0 */
	uint8_t bad_gre[] = { 0x30, 0x00, 0x88, 0x0b, 0x00, 0x00, 0x12, 0x34, 0, 0, 0, 0 };
	struct pkt *p = data_packet(DH_PEER, DH_CALL_ID, 0);
	memcpy(pkt_data(p) + 20, bad_gre, 2);
	pkts[n] = p, src[n++] = DH_PEER;
	/* not GRE (protocol 6) */
	p = data_packet(DH_PEER, DH_CALL_ID, 0);
	pkt_data(p)[9] = 6;
	pkts[n] = p, src[n++] = DH_PEER;
	/* an unknown call ID from the peer */
	pkts[n] = data_packet(DH_PEER, DH_CALL_ID + 1, 0), src[n++] = DH_PEER;
	/* our call ID from someone else */
	pkts[n] = data_packet(DH_OTHER, DH_CALL_ID, 0), src[n++] = DH_OTHER;
	/* and one good one */
	pkts[n] = data_packet(DH_PEER, DH_CALL_ID, 0), src[n++] = DH_PEER;
	daemon_gre_dispatch(&h.gre, pkts, src, n, h.now);
	test_log_release();

	const struct daemon_gre_stats *s = &h.gre.stats;
	assert_int_equal(s->rx_datagrams, 6);
	assert_int_equal(s->rx_delivered, 1);
	assert_int_equal(s->dropped[DAEMON_GRE_DROP_UNREADABLE], 1);
	assert_int_equal(s->dropped[DAEMON_GRE_DROP_MALFORMED], 2);
	assert_int_equal(gre_error_get(&s->malformed, GRE_ERR_VERSION), 1);
	assert_int_equal(gre_error_get(&s->malformed, GRE_ERR_IP_PROTOCOL), 1);
	assert_int_equal(s->dropped[DAEMON_GRE_DROP_NO_CALL], 1);
	assert_int_equal(s->dropped[DAEMON_GRE_DROP_WRONG_PEER], 1);
	assert_int_equal(s->dropped[DAEMON_GRE_DROP_NO_MEMORY], 0);
	assert_int_equal(daemon_gre_foreign(s), 2);
	assert_true(dh_gre_accounts(s));
	/* Logged at the level asked for (debug here), rate-limited. */
	assert_int_equal(tl.last_level, LOG_LEVEL_DEBUG);
	dh_close(&h);
}

static void no_tunnel_or_a_closed_one_is_no_call(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, true), 0);
	h.lookup_none = true;
	dispatch_one(&h, data_packet(DH_PEER, DH_CALL_ID, 0), DH_PEER);
	assert_int_equal(h.gre.stats.dropped[DAEMON_GRE_DROP_NO_CALL], 1);
	h.lookup_none = false;
	daemon_tunnel_tcp_lost(&h.dt, h.now);
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	dispatch_one(&h, data_packet(DH_PEER, DH_CALL_ID, 0), DH_PEER);
	assert_int_equal(h.gre.stats.dropped[DAEMON_GRE_DROP_NO_CALL], 2);
	assert_int_equal(h.gre.stats.rx_delivered, 0);
	dh_close(&h);
}

/* ---- the socket half, on a SOCK_SEQPACKET socketpair ----
 * recvmmsg works on it like on the raw socket, but a Unix socket has no
 * IPv4 source: every datagram that gets a buffer is "unreadable". That is
 * enough to see the budget, the scratch buffers and the counters. */

static int allocations_left;

static struct pkt *failing_alloc(void)
{
	if (allocations_left <= 0)
		return NULL;
	allocations_left--;
	return pkt_new(PKT_SIZE, PKT_HEADROOM);
}

static int stand_in(struct daemon_harness *h, int *peer)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	int big = 4 << 20;
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	h->gre.fd = sv[0];
	*peer = sv[1];
	return sv[0];
}

static size_t queue_datagrams(int fd, size_t want)
{
	size_t n = 0;
	while (n < want && write(fd, "gre", 3) == 3)
		n++;
	return n;
}

static bool drained(int fd)
{
	char b[8];
	return recv(fd, b, sizeof(b), MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void allocation_failure_is_counted_and_the_socket_drains(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	int peer;
	int fd = stand_in(&h, &peer);
	assert_int_equal(queue_datagrams(peer, 5), 5);
	h.gre.alloc = failing_alloc;
	allocations_left = 2;
	daemon_gre_receive(&h.gre, h.now);
	assert_int_equal(h.gre.stats.rx_datagrams, 5);
	assert_int_equal(h.gre.stats.dropped[DAEMON_GRE_DROP_UNREADABLE], 2);
	assert_int_equal(h.gre.stats.dropped[DAEMON_GRE_DROP_NO_MEMORY], 3);
	assert_true(drained(fd));
	/* No memory at all: still read, still counted. */
	assert_int_equal(queue_datagrams(peer, 4), 4);
	allocations_left = 0;
	daemon_gre_receive(&h.gre, h.now);
	assert_int_equal(h.gre.stats.dropped[DAEMON_GRE_DROP_NO_MEMORY], 7);
	assert_true(dh_gre_accounts(&h.gre.stats));
	assert_true(drained(fd));
	close(fd);
	h.gre.fd = -1;
	close(peer);
	dh_close(&h);
}

static void one_callback_reads_at_most_its_budget(void **state)
{
	(void)state;
	const size_t budget = (size_t)DAEMON_GRE_BATCH * DAEMON_GRE_ROUNDS;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	int peer;
	int fd = stand_in(&h, &peer);
	size_t queued = queue_datagrams(peer, budget + 40);
	assert_int_equal(queued, budget + 40); /* else the test could not tell */
	struct test_log tl;
	test_log_capture(&tl);
	daemon_gre_receive(&h.gre, h.now);
	assert_int_equal(h.gre.stats.rx_datagrams, budget);
	daemon_gre_receive(&h.gre, h.now);
	test_log_release();
	assert_int_equal(h.gre.stats.rx_datagrams, budget + 40);
	assert_true(drained(fd));
	close(fd);
	h.gre.fd = -1;
	close(peer);
	dh_close(&h);
}

static struct pkt *gre_out(uint8_t tag)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	assert_non_null(p);
	uint8_t *b = pkt_put(p, 4);
	assert_non_null(b);
	memset(b, tag, 4);
	return p;
}

static size_t readable(int fd, uint8_t first_tags[], size_t max)
{
	size_t n = 0;
	uint8_t buf[64];
	ssize_t got;
	while ((got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if (n < max)
			first_tags[n] = buf[0];
		n++;
	}
	return n;
}

/* Sends wait for the end of the loop iteration (one sendmmsg), go out in
 * order, and a full batch goes at once. */
static void sends_are_batched_until_the_iteration_ends(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	int peer;
	int fd = stand_in(&h, &peer);
	uint8_t tags[DAEMON_GRE_TX_BATCH + 8];
	for (uint8_t i = 0; i < 5; i++)
		daemon_gre_send(&h.gre, gre_out(i), DH_PEER);
	assert_int_equal(readable(peer, tags, sizeof(tags)), 0);
	assert_int_equal(h.gre.stats.tx_packets, 0);
	assert_int_equal(loop_run_once(&h.loop, 0), 0);
	assert_int_equal(readable(peer, tags, sizeof(tags)), 5);
	for (uint8_t i = 0; i < 5; i++)
		assert_int_equal(tags[i], i);
	assert_int_equal(h.gre.stats.tx_packets, 5);

	for (uint8_t i = 0; i < DAEMON_GRE_TX_BATCH + 3; i++)
		daemon_gre_send(&h.gre, gre_out(i), DH_PEER);
	assert_int_equal(readable(peer, tags, sizeof(tags)), DAEMON_GRE_TX_BATCH);
	assert_int_equal(h.gre.txq_len, 3);
	/* closing sends what is queued */
	daemon_gre_close(&h.gre);
	assert_int_equal(readable(peer, tags, sizeof(tags)), 3);
	assert_int_equal(tags[2], DAEMON_GRE_TX_BATCH + 2);
	assert_int_equal(h.gre.stats.tx_packets, 5 + DAEMON_GRE_TX_BATCH + 3);
	assert_int_equal(h.gre.stats.tx_failed, 0);
	(void)fd;
	close(peer);
	dh_close(&h);
}

/* A batch the kernel refuses is counted, and its packets freed (ASan). */
static void refused_sends_are_counted(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	int peer;
	int fd = stand_in(&h, &peer);
	close(peer); /* EPIPE on every send */
	for (uint8_t i = 0; i < 7; i++)
		daemon_gre_send(&h.gre, gre_out(i), DH_PEER);
	daemon_gre_flush(&h.gre);
	assert_int_equal(h.gre.stats.tx_packets, 0);
	assert_int_equal(h.gre.stats.tx_failed, 7);
	assert_int_equal(h.gre.txq_len, 0);
	close(fd);
	h.gre.fd = -1;
	dh_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(our_call_from_its_peer_is_delivered),
		cmocka_unit_test(every_drop_is_counted_under_its_reason),
		cmocka_unit_test(no_tunnel_or_a_closed_one_is_no_call),
		cmocka_unit_test(allocation_failure_is_counted_and_the_socket_drains),
		cmocka_unit_test(one_callback_reads_at_most_its_budget),
		cmocka_unit_test(sends_are_batched_until_the_iteration_ends),
		cmocka_unit_test(refused_sends_are_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
