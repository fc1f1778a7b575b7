/* SPDX-License-Identifier: BSD-2-Clause */
/* naive_gre_fwd: the reference link "naive" of bench/e2e.sh (issue 12 §4:
 * "No MPPE, 1 TCP stream: >= 2x the naive forwarder"). Not part of
 * openpptp, not installed.
 *
 * It is deliberately the simplest tunnel that puts IP packets on the wire
 * the way PPTP does: one packet read from a TUN, one GRE packet sent with
 * sendto(); one GRE packet received with recvfrom(), one packet written to
 * the TUN. No batching, no offloads, no crypto, no PPP negotiation, no
 * reordering: what openpptp's data path must beat by doing less per packet.
 *
 * To be fair to openpptp the framing is the one an openpptp pair uses with
 * no MPPE, so both carry the same bytes per packet:
 *   enhanced GRE, RFC 2637 §4.1: flags K and S, version 1, protocol 0x880B,
 *     payload length, call ID, sequence number (12 bytes; openpptp adds a
 *     4-byte acknowledgement number when one is due, we send none);
 *   PPP protocol field 0x21 (IPv4) compressed to one byte, as openpptp
 *     sends once LCP agreed PFC and ACFC (RFC 1661 §6.5, §6.6).
 * Received packets must come from the peer and carry exactly that header
 * (either form of the protocol field, RFC 1661 §6.5) and our call ID;
 * everything else is counted and dropped.
 *
 *   naive_gre_fwd IFNAME LOCAL_IPV4 PEER_IPV4 SEND_CALL_ID RECV_CALL_ID
 *
 * Creates the TUN IFNAME (IFF_TUN | IFF_NO_PI) and sets nothing else: the
 * caller gives it addresses and MTU with ip(8). Runs until SIGTERM or
 * SIGINT, then prints its counters on stderr. Needs CAP_NET_ADMIN (TUN)
 * and CAP_NET_RAW (raw socket). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define GRE_FLAGS_KS 0x30u   /* K and S set; C, R, s, Recur clear */
#define GRE_FLAG_A 0x80u     /* second octet: acknowledgement present */
#define GRE_FLAGS2_MBZ 0x78u /* second octet: flags that must be 0 */
#define GRE_VERSION_MASK 0x07u
#define GRE_VERSION_ENHANCED 1u
#define GRE_PROTOCOL_PPP 0x880Bu
#define GRE_HEADER_LEN 12u /* base 8 + sequence number 4 */
#define PPP_PROTO_IP 0x21u
#define TX_OVERHEAD (GRE_HEADER_LEN + 1u) /* + the compressed protocol field */
#define IPV4_HEADER_MIN 20u
#define GRE_PAYLOAD_MAX 0xFFFFu /* the 16-bit payload length field */

/* openpptp sizes its raw socket's buffers the same way (src/sys/gre_socket.c),
 * so the comparison is about per-packet work, not about which one loses
 * packets in a small default buffer. */
#define SOCKET_BUFFER (4 * 1024 * 1024)

struct counters {
	unsigned long long tun_in, gre_out, gre_in, tun_out;
	unsigned long long tx_too_long, tx_send_failed;
	unsigned long long rx_wrong_source, rx_bad_ipv4, rx_bad_gre, rx_wrong_call, rx_not_ipv4, rx_write_failed;
};

struct forwarder {
	int tun_fd;
	int gre_fd;
	struct sockaddr_in peer;
	uint16_t send_call_id; /* the peer's: in the packets we send */
	uint16_t recv_call_id; /* ours: in the packets the peer sends */
	uint32_t next_seq;     /* RFC 2637 §4.1: starts at zero */
	struct counters n;
};

/* Room for the GRE + PPP header in front of the largest TUN read. */
static uint8_t tx_buf[TX_OVERHEAD + GRE_PAYLOAD_MAX];
/* The largest IPv4 datagram: the raw socket hands us the IP header too. */
static uint8_t rx_buf[0x10000];

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void store_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void store_be32(uint8_t *p, uint32_t v)
{
	store_be16(p, v >> 16);
	store_be16(p + 2, v & 0xFFFFu);
}

static uint32_t load_be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static int parse_call_id(const char *s, uint16_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 0xFFFFu)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int tun_open(const char *name)
{
	struct ifreq ifr;
	if (strlen(name) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "naive_gre_fwd: interface name too long: %s\n", name);
		return -1;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("naive_gre_fwd: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(IFF_TUN | IFF_NO_PI);
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("naive_gre_fwd: TUNSETIFF");
		close(fd);
		return -1;
	}
	return fd;
}

static void socket_buffer(int fd, int force_opt, int opt)
{
	int size = SOCKET_BUFFER;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

static int gre_open(const struct in_addr *local)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
	if (fd < 0) {
		perror("naive_gre_fwd: raw GRE socket");
		return -1;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = *local;
	if (bind(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("naive_gre_fwd: bind");
		close(fd);
		return -1;
	}
	socket_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
	socket_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF);
	return fd;
}

/* One packet from the TUN, one GRE packet to the peer. -1 on a fatal error. */
static int tun_to_gre(struct forwarder *f)
{
	ssize_t got = read(f->tun_fd, tx_buf + TX_OVERHEAD, sizeof(tx_buf) - TX_OVERHEAD);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (got == 0)
		return 0;
	f->n.tun_in++;
	size_t ip_len = (size_t)got;
	if (ip_len + 1 > GRE_PAYLOAD_MAX) { /* + the protocol field */
		f->n.tx_too_long++;
		return 0;
	}
	uint8_t *h = tx_buf;
	h[0] = GRE_FLAGS_KS;
	h[1] = GRE_VERSION_ENHANCED;
	store_be16(h + 2, GRE_PROTOCOL_PPP);
	store_be16(h + 4, (uint32_t)(ip_len + 1));
	store_be16(h + 6, f->send_call_id);
	store_be32(h + 8, f->next_seq++);
	h[GRE_HEADER_LEN] = PPP_PROTO_IP;
	size_t len = TX_OVERHEAD + ip_len;
	ssize_t sent = sendto(f->gre_fd, tx_buf, len, MSG_DONTWAIT, (const struct sockaddr *)&f->peer, sizeof(f->peer));
	if (sent < 0 || (size_t)sent != len)
		f->n.tx_send_failed++; /* a full buffer (EAGAIN, ENOBUFS) drops, as openpptp does */
	else
		f->n.gre_out++;
	return 0;
}

/* The IPv4 packet inside one received GRE datagram (IP header included),
 * or NULL with the reason counted. */
static const uint8_t *gre_payload(struct forwarder *f, const uint8_t *d, size_t len, size_t *ip_len)
{
	if (len < IPV4_HEADER_MIN || (d[0] >> 4) != 4) {
		f->n.rx_bad_ipv4++;
		return NULL;
	}
	size_t ihl = (size_t)(d[0] & 0x0Fu) * 4;
	size_t total = load_be16(d + 2);
	if (ihl < IPV4_HEADER_MIN || total < ihl || total > len) {
		f->n.rx_bad_ipv4++;
		return NULL;
	}
	const uint8_t *g = d + ihl;
	size_t glen = total - ihl;
	if (glen < GRE_HEADER_LEN || g[0] != GRE_FLAGS_KS || (g[1] & GRE_FLAGS2_MBZ) ||
	    (g[1] & GRE_VERSION_MASK) != GRE_VERSION_ENHANCED || load_be16(g + 2) != GRE_PROTOCOL_PPP) {
		f->n.rx_bad_gre++;
		return NULL;
	}
	size_t hlen = GRE_HEADER_LEN + ((g[1] & GRE_FLAG_A) ? 4u : 0u);
	size_t ppp_len = load_be16(g + 4);
	if (glen < hlen || ppp_len > glen - hlen) {
		f->n.rx_bad_gre++;
		return NULL;
	}
	if (load_be16(g + 6) != f->recv_call_id) {
		f->n.rx_wrong_call++;
		return NULL;
	}
	const uint8_t *ppp = g + hlen;
	size_t proto_len;
	if (ppp_len >= 1 && ppp[0] == PPP_PROTO_IP)
		proto_len = 1;
	else if (ppp_len >= 2 && ppp[0] == 0 && ppp[1] == PPP_PROTO_IP)
		proto_len = 2;
	else {
		f->n.rx_not_ipv4++;
		return NULL;
	}
	if (ppp_len == proto_len) {
		f->n.rx_not_ipv4++; /* an empty IPv4 packet */
		return NULL;
	}
	*ip_len = ppp_len - proto_len;
	return ppp + proto_len;
}

/* One GRE packet from the peer, one packet to the TUN. -1 on a fatal error. */
static int gre_to_tun(struct forwarder *f)
{
	struct sockaddr_in from;
	memset(&from, 0, sizeof(from));
	socklen_t from_len = sizeof(from);
	ssize_t got = recvfrom(f->gre_fd, rx_buf, sizeof(rx_buf), 0, (struct sockaddr *)&from, &from_len);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	f->n.gre_in++;
	if (from_len < sizeof(from) || from.sin_family != AF_INET ||
	    from.sin_addr.s_addr != f->peer.sin_addr.s_addr) {
		f->n.rx_wrong_source++;
		return 0;
	}
	size_t ip_len;
	const uint8_t *ip = gre_payload(f, rx_buf, (size_t)got, &ip_len);
	if (!ip)
		return 0;
	ssize_t put = write(f->tun_fd, ip, ip_len);
	if (put < 0 || (size_t)put != ip_len)
		f->n.rx_write_failed++;
	else
		f->n.tun_out++;
	return 0;
}

static void print_counters(const struct counters *n)
{
	fprintf(stderr,
		"naive_gre_fwd: tun_in %llu gre_out %llu (too long %llu, send failed %llu); "
		"gre_in %llu tun_out %llu (wrong source %llu, bad IPv4 %llu, bad GRE %llu, wrong call %llu, "
		"not IPv4 %llu, write failed %llu)\n",
		n->tun_in, n->gre_out, n->tx_too_long, n->tx_send_failed, n->gre_in, n->tun_out, n->rx_wrong_source,
		n->rx_bad_ipv4, n->rx_bad_gre, n->rx_wrong_call, n->rx_not_ipv4, n->rx_write_failed);
}

/* SIGTERM and SIGINT are blocked except inside ppoll(), so a stop request
 * always ends the wait instead of slipping in between a check and it. */
static int signals_setup(sigset_t *wait_mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigprocmask(SIG_BLOCK, &block, wait_mask) < 0) {
		perror("naive_gre_fwd: signals");
		return -1;
	}
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, SIGINT);
	return 0;
}

static int run(struct forwarder *f, const sigset_t *wait_mask)
{
	struct pollfd fds[2] = {
		{ .fd = f->tun_fd, .events = POLLIN },
		{ .fd = f->gre_fd, .events = POLLIN },
	};
	while (!stop_requested) {
		if (ppoll(fds, 2, NULL, wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			perror("naive_gre_fwd: ppoll");
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
				fprintf(stderr, "naive_gre_fwd: %s: error on the descriptor\n", i == 0 ? "TUN" : "GRE socket");
				return -1;
			}
		}
		/* At most one packet each way per wakeup: one packet per syscall. */
		if ((fds[0].revents & POLLIN) && tun_to_gre(f) < 0) {
			perror("naive_gre_fwd: TUN read");
			return -1;
		}
		if ((fds[1].revents & POLLIN) && gre_to_tun(f) < 0) {
			perror("naive_gre_fwd: recvfrom");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct forwarder f;
	struct in_addr local;
	memset(&f, 0, sizeof(f));
	f.peer.sin_family = AF_INET;
	if (argc != 6 || inet_pton(AF_INET, argv[2], &local) != 1 || inet_pton(AF_INET, argv[3], &f.peer.sin_addr) != 1 ||
	    parse_call_id(argv[4], &f.send_call_id) < 0 || parse_call_id(argv[5], &f.recv_call_id) < 0) {
		fprintf(stderr, "usage: naive_gre_fwd IFNAME LOCAL_IPV4 PEER_IPV4 SEND_CALL_ID RECV_CALL_ID\n");
		return 2;
	}
	sigset_t wait_mask;
	if (signals_setup(&wait_mask) < 0)
		return 1;
	f.tun_fd = tun_open(argv[1]);
	if (f.tun_fd < 0)
		return 1;
	f.gre_fd = gre_open(&local);
	if (f.gre_fd < 0) {
		close(f.tun_fd);
		return 1;
	}
	int rc = run(&f, &wait_mask);
	print_counters(&f.n);
	close(f.gre_fd);
	close(f.tun_fd);
	return rc < 0 ? 1 : 0;
}
