/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/daemon_tun: the TUN read/write path with a SOCK_SEQPACKET
 * socketpair standing in for the TUN — routing verdicts counted per reason,
 * the per-callback budget, allocation failure, writes; then through a
 * tunnel (the harness), where a packet without a session is counted. */
#include "support/test_support.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fuzz/daemon_harness.h"
#include "daemon/daemon_budget.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_gso.h"

struct sink {
	struct loop loop;
	struct daemon_tun t;
	int host;                 /* the "kernel" end */
	unsigned routed;
	uint32_t last_dst;
	size_t last_len;
	uint8_t last[64];
	uint32_t session_dst;     /* the only destination with a session */
};

/* Like the server's route: IPv4 by destination. */
static enum daemon_tun_drop sink_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	struct sink *s = ctx;
	(void)now_ms;
	uint32_t dst;
	if (!daemon_tun_ipv4_destination(ip, &dst))
		return DAEMON_TUN_DROP_NOT_IPV4;
	if (dst != s->session_dst)
		return DAEMON_TUN_DROP_NO_SESSION;
	s->routed++;
	s->last_dst = dst;
	s->last_len = ip->len;
	memcpy(s->last, pkt_data(ip), ip->len < sizeof(s->last) ? ip->len : sizeof(s->last));
	pkt_free(ip);
	return DAEMON_TUN_ROUTED;
}

static void sink_open_as(struct sink *s, bool vnet_hdr)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(loop_init(&s->loop), 0);
	daemon_tun_init(&s->t, &s->loop, sink_route, s);
	assert_false(daemon_tun_is_open(&s->t));
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	int big = 4 << 20;
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	s->t.dev.fd = sv[0];
	s->host = sv[1];
	s->t.dev.vnet_hdr = vnet_hdr;
	assert_int_equal(daemon_tun_attach(&s->t), 0);
	s->session_dst = 0xCB00710Au; /* 203.0.113.10 */
}

static void sink_open(struct sink *s)
{
	sink_open_as(s, false);
}

static void sink_close(struct sink *s)
{
	daemon_tun_close(&s->t);
	assert_false(daemon_tun_is_open(&s->t));
	close(s->host);
	loop_destroy(&s->loop);
}

static void host_sends_ipv4(struct sink *s, uint32_t dst)
{
	uint8_t ip[28] = { 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17 };
	store_be32(ip + 12, 0xCB007101u);
	store_be32(ip + 16, dst);
	assert_int_equal(write(s->host, ip, sizeof(ip)), (ssize_t)sizeof(ip));
}

static bool drained(int fd)
{
	char b[8];
	return recv(fd, b, sizeof(b), MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void each_packet_is_routed_or_counted(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	host_sends_ipv4(&s, s.session_dst);
	host_sends_ipv4(&s, 0xCB007163u); /* no session */
	uint8_t v6[40] = { 0x60 };
	assert_int_equal(write(s.host, v6, sizeof(v6)), (ssize_t)sizeof(v6));
	assert_int_equal(write(s.host, "\x45", 1), 1); /* too short for IPv4 */
	/* Through the loop, as in the daemons. */
	assert_int_equal(loop_run_once(&s.loop, 1000), 0);
	assert_int_equal(s.routed, 1);
	assert_int_equal(s.last_dst, s.session_dst);
	assert_int_equal(s.t.stats.rx_packets, 4);
	assert_int_equal(s.t.stats.dropped[DAEMON_TUN_DROP_NO_SESSION], 1);
	assert_int_equal(s.t.stats.dropped[DAEMON_TUN_DROP_NOT_IPV4], 2);
	sink_close(&s);
}

static void one_callback_reads_at_most_its_budget(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	for (int i = 0; i < DAEMON_TUN_READS_PER_ROUND + 10; i++)
		host_sends_ipv4(&s, s.session_dst);
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, DAEMON_TUN_READS_PER_ROUND);
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, DAEMON_TUN_READS_PER_ROUND + 10);
	assert_true(drained(s.t.dev.fd));
	sink_close(&s);
}

static struct pkt *no_memory(void)
{
	return NULL;
}

static void allocation_failure_is_counted_and_the_tun_drains(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	s.t.alloc = no_memory;
	for (int i = 0; i < 3; i++)
		host_sends_ipv4(&s, s.session_dst);
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, 0);
	assert_int_equal(s.t.stats.rx_packets, 3);
	assert_int_equal(s.t.stats.dropped[DAEMON_TUN_DROP_NO_MEMORY], 3);
	assert_true(drained(s.t.dev.fd));
	sink_close(&s);
}

static void writes_reach_the_tun_or_are_counted(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	memcpy(pkt_put(p, 5), "hello", 5);
	daemon_tun_write(&s.t, p);
	char got[16];
	assert_int_equal(read(s.host, got, sizeof(got)), 5);
	assert_memory_equal(got, "hello", 5);
	assert_int_equal(s.t.stats.tx_packets, 1);
	daemon_tun_close(&s.t);
	p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	memcpy(pkt_put(p, 5), "later", 5);
	daemon_tun_write(&s.t, p); /* no TUN (the client before LINK_UP) */
	assert_int_equal(s.t.stats.dropped[DAEMON_TUN_DROP_WRITE], 1);
	sink_close(&s);
}

/* Through a tunnel whose link is not up yet: the harness routes to the call,
 * the engine refuses and counts (ppp_link stats); without a call the TUN
 * path counts "no session". */
/* The destinations the server's TUN path demultiplexes by: IPv4 (RFC 791
 * §3.1) and IPv6 (RFC 8200 §3), each refusing the other and short packets. */
static void destinations_of_both_versions(void **state)
{
	(void)state;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, 40);
	memset(d, 0, 40);
	d[0] = 0x60;
	d[24] = 0x20;
	d[25] = 0x01;
	d[39] = 7;
	const uint8_t *dst6 = NULL;
	uint32_t dst4;
	assert_true(daemon_tun_ipv6_destination(p, &dst6));
	assert_ptr_equal(dst6, d + 24);
	assert_false(daemon_tun_ipv4_destination(p, &dst4));
	p->len = 39;
	assert_false(daemon_tun_ipv6_destination(p, &dst6));
	p->len = 40;
	d[0] = 0x45;
	assert_false(daemon_tun_ipv6_destination(p, &dst6));
	assert_true(daemon_tun_ipv4_destination(p, &dst4));
	pkt_free(p);
}

/* TUN offloads (issue 12 §4): a read is a virtio-net header (virtio v1.1
 * §5.1.6) and a packet; a TCP super-packet becomes segments of the MTU,
 * each routed; a plain one with a partial checksum is finished and routed;
 * a read shorter than the header is an offload drop; writes get a zero
 * header in front. */
static void offloaded_reads_and_writes(void **state)
{
	(void)state;
	struct sink s;
	sink_open_as(&s, true);
	s.t.mtu = 1396;
	static uint8_t buf[VNET_HDR_LEN + 4060];
	memset(buf, 0, sizeof(buf));
	struct vnet_hdr h = { .flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV4, .hdr_len = 40,
			      .gso_size = 1000, .csum_start = 20, .csum_offset = 16 };
	vnet_hdr_encode(&h, buf);
	uint8_t *ip = buf + VNET_HDR_LEN;
	ip[0] = 0x45;
	store_be16(ip + 2, 4060);
	ip[8] = 64;
	ip[9] = 6;
	store_be32(ip + 12, 0xCB007101u);
	store_be32(ip + 16, s.session_dst);
	ip[32] = 5 << 4;
	ip[33] = 0x18;
	assert_int_equal(write(s.host, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, 5); /* 4020 payload bytes in 1000s */
	assert_int_equal(s.last_len, 40 + 20);
	assert_int_equal(s.t.stats.gso_reads, 1);
	assert_int_equal(s.t.stats.gso_segments, 5);
	assert_int_equal(s.t.stats.rx_packets, 5);

	/* gso_size above the MTU: cut to it */
	h.gso_size = 3000;
	s.t.mtu = 576;
	vnet_hdr_encode(&h, buf);
	assert_int_equal(write(s.host, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, 5 + 8); /* 4020 / 536 */

	/* a plain UDP packet, checksum partial; a GSO super-packet that is UDP; a 5-byte read */
	struct vnet_hdr plain = { .flags = VNET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 6 };
	vnet_hdr_encode(&plain, buf);
	ip[9] = 17;
	store_be16(ip + 2, 48);
	store_be16(ip + 24, 28); /* UDP length; the checksum field holds the pseudo-header sum */
	store_be16(ip + 26, 0x783a); /* 0xcb00 + 0x7101 + 0xcb00 + 0x710a + 17 + 28, folded */
	assert_int_equal(write(s.host, buf, VNET_HDR_LEN + 48), VNET_HDR_LEN + 48);
	vnet_hdr_encode(&h, buf);
	assert_int_equal(write(s.host, buf, VNET_HDR_LEN + 48), VNET_HDR_LEN + 48);
	assert_int_equal(write(s.host, buf, 5), 5);
	daemon_tun_read(&s.t, 0);
	assert_int_equal(s.routed, 14);
	/* the routed UDP datagram's checksum is complete: pseudo-header + datagram sum to 0 */
	uint8_t v[12 + 28];
	memcpy(v, s.last + 12, 8);
	v[8] = 0;
	v[9] = 17;
	store_be16(v + 10, 28);
	memcpy(v + 12, s.last + 20, 28);
	assert_int_equal(inet_checksum(v, sizeof(v)), 0);
	assert_int_equal(s.t.stats.dropped[DAEMON_TUN_DROP_OFFLOAD], 2);
	assert_true(drained(s.host));

	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	memcpy(pkt_put(p, 5), "hello", 5);
	daemon_tun_write(&s.t, p);
	uint8_t got[32];
	assert_int_equal(read(s.host, got, sizeof(got)), VNET_HDR_LEN + 5);
	static const uint8_t zero[VNET_HDR_LEN];
	assert_memory_equal(got, zero, VNET_HDR_LEN);
	assert_memory_equal(got + VNET_HDR_LEN, "hello", 5);
	sink_close(&s);
}

static void through_a_tunnel(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	assert_int_equal(daemon_tun_attach(&h.tun), 0);
	uint8_t ip[20] = { 0x45, 0, 0, 20 };
	assert_int_equal(write(h.tun_peer, ip, sizeof(ip)), 20);
	daemon_tun_read(&h.tun, h.now);
	assert_int_equal(h.tun.stats.dropped[DAEMON_TUN_DROP_NO_SESSION], 1);
	dh_client_sends(&h, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	dh_client_sends(&h, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	assert_non_null(h.call);
	assert_int_equal(write(h.tun_peer, ip, sizeof(ip)), 20);
	daemon_tun_read(&h.tun, h.now);
	assert_int_equal(h.tun.stats.rx_packets, 2);
	assert_int_equal(h.tun.stats.dropped[DAEMON_TUN_DROP_NO_SESSION], 1);
	struct tunnel_call_info info;
	tunnel_call_get_info(h.call, &info);
	assert_int_equal(info.link.dropped_not_up, 1);
	dh_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_packet_is_routed_or_counted),
		cmocka_unit_test(one_callback_reads_at_most_its_budget),
		cmocka_unit_test(allocation_failure_is_counted_and_the_tun_drains),
		cmocka_unit_test(writes_reach_the_tun_or_are_counted),
		cmocka_unit_test(through_a_tunnel),
		cmocka_unit_test(offloaded_reads_and_writes),
		cmocka_unit_test(destinations_of_both_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
