/* SPDX-License-Identifier: BSD-2-Clause */
/* TUN, rtnetlink, the raw GRE socket, TCP and privilege dropping, each run
 * in a forked child inside its own network namespace (unshare(CLONE_NEWNET))
 * so nothing touches the host's network. Skipped when not root or when
 * /dev/net/tun or namespaces are unavailable. */
#include "support/test_support.h"
#include "base/inet_checksum.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "base/pkt.h"
#include "sys/gre_socket.h"
#include "sys/netlink.h"
#include "sys/privileges.h"
#include "sys/tcp.h"
#include "sys/tun.h"
#include "support/netns_child.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, ms) == 1;
}

static int tun_and_netlink_child(void)
{
	struct netlink nl;
	CHECK(netlink_open(&nl) == 0);
	CHECK(netns_loopback_up(&nl) == 0);
	struct tun tun;
	CHECK(tun_open(&tun, NULL, false) == 0);
	CHECK(strncmp(tun.name, "pptp", 4) == 0);
	CHECK(tun.ifindex > 0);
	CHECK(tun_configure(&tun, 1400, IP(203, 0, 113, 101), IP(203, 0, 113, 102), 32) == 0);

	/* Check MTU and flags as the kernel sees them. */
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tun.name);
	CHECK(ioctl(s, SIOCGIFMTU, &ifr) == 0);
	CHECK(ifr.ifr_mtu == 1400);
	CHECK(ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	CHECK(ifr.ifr_flags & IFF_UP);
	CHECK(netlink_addr_add(&nl, tun.ifindex, IP(203, 0, 113, 101), IP(203, 0, 113, 102), 32) == ERR_EXISTS);

	/* A route via the peer; route get finds it; delete; it is gone. */
	struct netlink_route r = { .dst = IP(198, 51, 100, 0), .dst_len = 24,
				   .gateway = IP(203, 0, 113, 102), .ifindex = tun.ifindex };
	CHECK(netlink_route_add(&nl, &r) == 0);
	CHECK(netlink_route_add(&nl, &r) == ERR_EXISTS);
	CHECK(netlink_route_replace(&nl, &r) == 0);
	struct netlink_route got;
	CHECK(netlink_route_get(&nl, IP(198, 51, 100, 7), &got) == 0);
	CHECK(got.gateway == IP(203, 0, 113, 102));
	CHECK(got.ifindex == tun.ifindex);
	CHECK(got.prefsrc == IP(203, 0, 113, 101));
	CHECK(got.dst == IP(198, 51, 100, 7) && got.dst_len == 32);
	/* Pin a host route through the current gateway, as the client does. */
	struct netlink_route pinned;
	CHECK(netlink_route_pin_host(&nl, IP(198, 51, 100, 7), &pinned) == 0);
	CHECK(pinned.dst_len == 32 && pinned.gateway == IP(203, 0, 113, 102) && pinned.ifindex == tun.ifindex);
	CHECK(netlink_route_pin_host(&nl, IP(198, 51, 100, 7), &pinned) == ERR_EXISTS);
	CHECK(netlink_route_del(&nl, &pinned) == 0);
	CHECK(netlink_route_pin_host(&nl, IP(203, 0, 113, 1), &pinned) == ERR_NOT_FOUND);
	CHECK(netlink_route_del(&nl, &r) == 0);
	CHECK(netlink_route_del(&nl, &r) == ERR_NOT_FOUND);
	CHECK(netlink_route_get(&nl, IP(198, 51, 100, 7), &got) == ERR_NOT_FOUND);

	/* A directly connected host route (no gateway). */
	struct netlink_route host = { .dst = IP(192, 0, 2, 9), .dst_len = 32, .ifindex = tun.ifindex };
	CHECK(netlink_route_add(&nl, &host) == 0);
	CHECK(netlink_route_get(&nl, IP(192, 0, 2, 9), &got) == 0);
	CHECK(got.gateway == 0 && got.ifindex == tun.ifindex);

	/* A UDP datagram to the peer comes out of the TUN as an IPv4 packet. */
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(IP(203, 0, 113, 102)) };
	CHECK(sendto(s, "ping", 4, 0, (struct sockaddr *)&to, sizeof(to)) == 4);
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	CHECK(p);
	int n;
	/* Skip whatever IPv6 sends on link up (router solicitations, MLD). */
	do {
		CHECK(wait_readable(tun.fd, 2000));
		pkt_reset(p, PKT_HEADROOM);
		n = tun_read(&tun, p);
		CHECK(n > 0);
	} while ((pkt_data(p)[0] >> 4) != 4);
	CHECK(n == 20 + 8 + 4);
	CHECK(pkt_headroom(p) == PKT_HEADROOM);
	CHECK((pkt_data(p)[0] >> 4) == 4 && pkt_data(p)[9] == 17);
	CHECK(memcmp(pkt_data(p) + 28, "ping", 4) == 0);
	pkt_reset(p, PKT_HEADROOM);
	while ((n = tun_read(&tun, p)) > 0)
		pkt_reset(p, PKT_HEADROOM);
	CHECK(n == ERR_AGAIN);
	/* A packet written to the TUN from the peer reaches a local socket. */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(7000),
				  .sin_addr.s_addr = htonl(IP(203, 0, 113, 101)) };
	CHECK(bind(u, (struct sockaddr *)&me, sizeof(me)) == 0);
	uint8_t *ip = pkt_put(p, 32);
	CHECK(ip);
	const uint8_t hdr[28] = { 0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 203, 0, 113, 102, 203, 0, 113, 101,
				  0x13, 0x88, 0x1b, 0x58, 0, 12, 0, 0 };
	memcpy(ip, hdr, sizeof(hdr));
	memcpy(ip + 28, "pong", 4);
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	CHECK(tun_write(&tun, p) == 0);
	CHECK(wait_readable(u, 2000));
	char pong[8];
	CHECK(recv(u, pong, sizeof(pong), 0) == 4 && memcmp(pong, "pong", 4) == 0);
	close(u);

	CHECK(netlink_addr_del(&nl, tun.ifindex, IP(203, 0, 113, 101), IP(203, 0, 113, 102), 32) == 0);
	CHECK(netlink_link_set(&nl, tun.ifindex, false, 1500) == 0);
	pkt_free(p);
	close(s);
	tun_close(&tun);
	netlink_close(&nl);
	return 0;
}

static void tun_address_mtu_up_and_routes(void **state)
{
	(void)state;
	netns_run_child(tun_and_netlink_child, true);
}

static int gre_child(void)
{
	struct netlink nl;
	CHECK(netlink_open(&nl) == 0);
	CHECK(netns_loopback_up(&nl) == 0);
	netlink_close(&nl);
	int rx = gre_socket_open(IP(127, 0, 0, 1));
	int tx = gre_socket_open(0);
	CHECK(rx >= 0 && tx >= 0);
	/* Three enhanced-GRE packets (RFC 2637 §4.1: flags K+S, version 1,
	 * protocol 0x880B, payload length, call id, sequence). */
	struct pkt *out[3], *in[GRE_BATCH_MAX];
	uint32_t dst[3], src[GRE_BATCH_MAX];
	for (int i = 0; i < 3; i++) {
		out[i] = pkt_new(PKT_SIZE, PKT_HEADROOM);
		CHECK(out[i]);
		uint8_t *g = pkt_put(out[i], 16);
		const uint8_t hdr[12] = { 0x30, 0x01, 0x88, 0x0b, 0x00, 0x04, 0x00, 0x2a, 0, 0, 0, (uint8_t)i };
		memcpy(g, hdr, sizeof(hdr));
		memcpy(g + 12, "ppp!", 4);
		dst[i] = IP(127, 0, 0, 1);
	}
	for (int i = 0; i < GRE_BATCH_MAX; i++) {
		in[i] = pkt_new(PKT_SIZE, PKT_HEADROOM);
		CHECK(in[i]);
	}
	CHECK(gre_socket_recv_batch(rx, in, src, GRE_BATCH_MAX) == ERR_AGAIN);
	CHECK(gre_socket_send_batch(tx, out, dst, 3) == 3);
	int got = 0;
	while (got < 3) {
		CHECK(wait_readable(rx, 2000));
		int n = gre_socket_recv_batch(rx, in + got, src + got, (size_t)(GRE_BATCH_MAX - got));
		CHECK(n > 0);
		got += n;
	}
	for (int i = 0; i < 3; i++) {
		const uint8_t *d = pkt_data(in[i]);
		CHECK(in[i]->len == 20 + 16);            /* IPv4 header included */
		CHECK(pkt_headroom(in[i]) == PKT_HEADROOM);
		CHECK(d[9] == 47);
		CHECK(d[20] == 0x30 && d[21] == 0x01 && d[31] == i);
		CHECK(memcmp(d + 32, "ppp!", 4) == 0);
		CHECK(src[i] == IP(127, 0, 0, 1));
	}
	/* Single send too. */
	CHECK(gre_socket_send(tx, out[0], IP(127, 0, 0, 1)) == 0);
	CHECK(wait_readable(rx, 2000));
	CHECK(gre_socket_recv_batch(rx, in, src, 1) == 1);
	/* A datagram larger than the packet's tailroom is flagged (len 0). */
	struct pkt small;
	uint8_t storage[PKT_HEADROOM + 24];
	pkt_init(&small, storage, sizeof(storage), PKT_HEADROOM);
	struct pkt *sp = &small;
	CHECK(gre_socket_send(tx, out[1], IP(127, 0, 0, 1)) == 0);
	CHECK(wait_readable(rx, 2000));
	CHECK(gre_socket_recv_batch(rx, &sp, src, 1) == 1);
	CHECK(small.len == 0);
	/* Issue 12 §2: drops in our own receive buffer are counted
	 * (SO_RXQ_OVFL). Shrink the buffer, overflow it, drain it; the next
	 * datagram carries the kernel's running drop count. */
	int tiny = 1;
	CHECK(setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny)) == 0);
	for (int i = 0; i < 200; i++)
		(void)gre_socket_send(tx, out[2], IP(127, 0, 0, 1));
	uint32_t drops = 0;
	bool have = false;
	while (gre_socket_recv_batch_drops(rx, in, src, GRE_BATCH_MAX, &drops, &have) > 0)
		;
	CHECK(gre_socket_send(tx, out[2], IP(127, 0, 0, 1)) == 0);
	CHECK(wait_readable(rx, 2000));
	CHECK(gre_socket_recv_batch_drops(rx, in, src, 1, &drops, &have) == 1);
	CHECK(have && drops > 0 && drops < 200);
	for (int i = 0; i < 3; i++)
		pkt_free(out[i]);
	for (int i = 0; i < GRE_BATCH_MAX; i++)
		pkt_free(in[i]);
	close(rx);
	close(tx);
	return 0;
}

static void raw_gre_on_loopback(void **state)
{
	(void)state;
	netns_run_child(gre_child, true);
}

static int tcp_child(void)
{
	struct netlink nl;
	CHECK(netlink_open(&nl) == 0);
	CHECK(netns_loopback_up(&nl) == 0);
	netlink_close(&nl);
	int lfd = tcp_listen(IP(127, 0, 0, 1), 1723, 16);
	CHECK(lfd >= 0);
	CHECK(tcp_listen(IP(127, 0, 0, 1), 1723, 16) < 0); /* in use */
	CHECK(tcp_accept(lfd, NULL, NULL) == ERR_AGAIN);
	int cfd = tcp_connect_start(IP(127, 0, 0, 1), 1723, 0);
	CHECK(cfd >= 0);
	struct pollfd pw = { .fd = cfd, .events = POLLOUT };
	CHECK(poll(&pw, 1, 2000) == 1);
	CHECK(tcp_connect_result(cfd) == 0);
	CHECK(wait_readable(lfd, 2000));
	uint32_t peer;
	uint16_t pport;
	int sfd = tcp_accept(lfd, &peer, &pport);
	CHECK(sfd >= 0);
	CHECK(peer == IP(127, 0, 0, 1));
	uint32_t la, pa;
	uint16_t lp, pp;
	CHECK(tcp_local_address(cfd, &la, &lp) == 0 && lp == pport);
	CHECK(tcp_peer_address(cfd, &pa, &pp) == 0 && pp == 1723 && pa == IP(127, 0, 0, 1));
	CHECK(tcp_set_keepalive(sfd, 30, 10, 3) == 0);
	CHECK(tcp_set_nodelay(cfd) == 0);

	/* Partial writes: a small send buffer and a large message. */
	int small = 4096;
	setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	static uint8_t big[1 << 20], back[1 << 20];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	struct tcp_out o;
	tcp_out_init(&o, 2u << 20);
	CHECK(tcp_out_write(&o, cfd, big, sizeof(big)) == 0);
	CHECK(tcp_out_pending(&o));
	CHECK(tcp_out_write(&o, cfd, "tail", 4) == 0); /* queued in order */
	size_t received = 0;
	while (received < sizeof(big) + 4) {
		int rc = tcp_out_flush(&o, cfd);
		CHECK(rc == 0 || rc == ERR_AGAIN);
		struct pollfd pr = { .fd = sfd, .events = POLLIN };
		poll(&pr, 1, 100);
		uint8_t chunk[65536];
		int n = tcp_read(sfd, chunk, sizeof(chunk));
		if (n == ERR_AGAIN)
			continue;
		CHECK(n > 0);
		for (int i = 0; i < n; i++, received++) {
			if (received < sizeof(big))
				back[received] = chunk[i];
			else
				CHECK(chunk[i] == (uint8_t)"tail"[received - sizeof(big)]);
		}
	}
	CHECK(memcmp(big, back, sizeof(big)) == 0);
	CHECK(!tcp_out_pending(&o));

	/* The output limit bounds what a peer that stops reading costs us. */
	struct tcp_out tiny;
	tcp_out_init(&tiny, 1000);
	int rc = 0;
	for (int i = 0; i < 1000 && rc == 0; i++)
		rc = tcp_out_write(&tiny, cfd, big, 4096);
	CHECK(rc == ERR_LIMIT);
	tcp_out_destroy(&tiny);
	tcp_out_destroy(&o);

	/* EOF and refused connections. */
	close(cfd);
	uint8_t byte;
	int n;
	do {
		CHECK(wait_readable(sfd, 2000));
		n = tcp_read(sfd, back, sizeof(back));
	} while (n > 0);
	CHECK(n == ERR_CLOSED);
	(void)byte;
	close(sfd);
	int refused = tcp_connect_start(IP(127, 0, 0, 1), 1, 0);
	CHECK(refused >= 0);
	struct pollfd pf = { .fd = refused, .events = POLLOUT };
	CHECK(poll(&pf, 1, 2000) == 1);
	CHECK(tcp_connect_result(refused) == ERR_CLOSED);
	close(refused);
	close(lfd);
	return 0;
}

static void tcp_listen_connect_and_partial_writes(void **state)
{
	(void)state;
	netns_run_child(tcp_child, true);
}

static int drop_child(void)
{
	CHECK(sys_drop_privileges("no-such-user-openpptp", NULL) == ERR_NOT_FOUND);
	CHECK(sys_drop_privileges("65534", "65534") == 0);
	CHECK(getuid() == 65534 && geteuid() == 65534 && getgid() == 65534);
	CHECK(setuid(0) != 0);
	gid_t groups[4];
	int ng = getgroups(4, groups);
	CHECK(ng == 1 && groups[0] == 65534);
	/* Nothing kept in any capability set, NO_NEW_PRIVS set. */
	FILE *f = fopen("/proc/self/status", "r");
	CHECK(f != NULL);
	char line[256];
	int zero_sets = 0, nnp = 0;
	while (fgets(line, sizeof(line), f)) {
		static const char *const sets[] = { "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:" };
		for (size_t i = 0; i < 5; i++)
			if (strncmp(line, sets[i], strlen(sets[i])) == 0 && strstr(line, "0000000000000000"))
				zero_sets++;
		if (strncmp(line, "NoNewPrivs:", 11) == 0 && strstr(line, "1"))
			nnp = 1;
	}
	fclose(f);
	CHECK(zero_sets == 5);
	CHECK(nnp == 1);
	return 0;
}

/* The helper's narrowing: exactly CAP_NET_ADMIN and CAP_DAC_READ_SEARCH,
 * the bounding set too, uid still 0. */
static int limit_child(void)
{
	static const int keep[] = { CAP_NET_ADMIN, CAP_DAC_READ_SEARCH };
	CHECK(sys_limit_capabilities(keep, 2) == 0);
	CHECK(getuid() == 0);
	FILE *f = fopen("/proc/self/status", "r");
	CHECK(f != NULL);
	char line[256];
	int ok = 0;
	while (fgets(line, sizeof(line), f)) {
		if ((strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "CapPrm:", 7) == 0 ||
		     strncmp(line, "CapBnd:", 7) == 0) &&
		    strstr(line, "0000000000001004"))
			ok++;
		if ((strncmp(line, "CapInh:", 7) == 0 || strncmp(line, "CapAmb:", 7) == 0) &&
		    strstr(line, "0000000000000000"))
			ok++;
	}
	fclose(f);
	CHECK(ok == 5);
	CHECK(sys_drop_privileges("0", NULL) == ERR_INVALID);
	return 0;
}

static void helper_capabilities_narrowed(void **state)
{
	(void)state;
	netns_run_child(limit_child, true);
}

static void privileges_are_dropped_for_good(void **state)
{
	(void)state;
	netns_run_child(drop_child, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tun_address_mtu_up_and_routes),
		cmocka_unit_test(raw_gre_on_loopback),
		cmocka_unit_test(tcp_listen_connect_and_partial_writes),
		cmocka_unit_test(privileges_are_dropped_for_good),
		cmocka_unit_test(helper_capabilities_narrowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
