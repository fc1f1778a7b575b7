/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/gre_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

/* One raw socket carries the GRE of every session: at thousands of
 * sessions a burst (a ramp of setups, keepalives falling together) is
 * thousands of datagrams, and the default buffer (net.core.rmem_default,
 * ~208 KiB, some 300 small datagrams with their overhead) dropped 4,200 of
 * them at 1,000 setups/s (openpptp load, docs/load.md), each costing a
 * session a 3 s LCP restart. FORCE goes past net.core.rmem_max and needs
 * CAP_NET_ADMIN; without it the kernel's cap applies, which is no worse
 * than before. */
#define GRE_SOCKET_BUFFER (4 * 1024 * 1024)

static void gre_socket_grow(int fd, int force_opt, int opt)
{
	int size = GRE_SOCKET_BUFFER;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int gre_socket_open(uint32_t local_addr)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "gre", "raw socket: %s", strerror(errno));
		return ERR_IO;
	}
	if (local_addr) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(local_addr) };
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			log_msg(LOG_LEVEL_ERROR, "gre", "bind: %s", strerror(errno));
			close(fd);
			return ERR_IO;
		}
	}
	gre_socket_grow(fd, SO_RCVBUFFORCE, SO_RCVBUF);
	gre_socket_grow(fd, SO_SNDBUFFORCE, SO_SNDBUF);
	/* Issue 12 §2: count what the kernel drops on this socket, so a
	 * loss in our own buffer shows in status instead of as "gre_lost". */
	int on = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
	return fd;
}

int gre_socket_recv_batch(int fd, struct pkt *const pkts[], uint32_t src_addrs[], size_t n)
{
	return gre_socket_recv_batch_drops(fd, pkts, src_addrs, n, NULL, NULL);
}

/* The SO_RXQ_OVFL count in one datagram's control data, if there. */
static bool rxq_overflow_of(struct msghdr *h, uint32_t *drops)
{
	if (h->msg_controllen == 0 || (h->msg_flags & MSG_CTRUNC))
		return false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			memcpy(drops, CMSG_DATA(c), sizeof(*drops));
			return true;
		}
	}
	return false;
}

int gre_socket_recv_batch_drops(int fd, struct pkt *const pkts[], uint32_t src_addrs[], size_t n,
				uint32_t *drops, bool *have_drops)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} control[GRE_BATCH_MAX];
	struct mmsghdr msgs[GRE_BATCH_MAX];
	struct iovec iov[GRE_BATCH_MAX];
	struct sockaddr_in from[GRE_BATCH_MAX];
	if (n > GRE_BATCH_MAX)
		n = GRE_BATCH_MAX;
	if (n == 0)
		return ERR_INVALID;
	memset(msgs, 0, n * sizeof(msgs[0]));
	if (drops != NULL)
		memset(control, 0, n * sizeof(control[0]));
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = pkt_data(pkts[i]);
		iov[i].iov_len = pkt_tailroom(pkts[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &from[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		if (drops != NULL) {
			msgs[i].msg_hdr.msg_control = control[i].buf;
			msgs[i].msg_hdr.msg_controllen = sizeof(control[i].buf);
		}
	}
	if (have_drops != NULL)
		*have_drops = false;
	int got;
	do
		got = recvmmsg(fd, msgs, (unsigned)n, MSG_DONTWAIT, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_AGAIN;
		return ERR_IO;
	}
	for (int i = 0; i < got; i++) {
		const struct msghdr *h = &msgs[i].msg_hdr;
		bool ok = !(h->msg_flags & MSG_TRUNC) && h->msg_namelen >= sizeof(struct sockaddr_in) &&
			  from[i].sin_family == AF_INET;
		pkts[i]->len = ok ? msgs[i].msg_len : 0;
		src_addrs[i] = ok ? ntohl(from[i].sin_addr.s_addr) : 0;
		if (drops != NULL && have_drops != NULL && rxq_overflow_of(&msgs[i].msg_hdr, drops))
			*have_drops = true;
	}
	return got;
}

int gre_socket_send_batch(int fd, struct pkt *const pkts[], const uint32_t dst_addrs[], size_t n)
{
	struct mmsghdr msgs[GRE_BATCH_MAX];
	struct iovec iov[GRE_BATCH_MAX];
	struct sockaddr_in to[GRE_BATCH_MAX];
	size_t sent = 0;
	while (sent < n) {
		size_t chunk = n - sent > GRE_BATCH_MAX ? GRE_BATCH_MAX : n - sent;
		memset(msgs, 0, chunk * sizeof(msgs[0]));
		for (size_t i = 0; i < chunk; i++) {
			const struct pkt *p = pkts[sent + i];
			iov[i].iov_base = pkt_data(p);
			iov[i].iov_len = p->len;
			memset(&to[i], 0, sizeof(to[i]));
			to[i].sin_family = AF_INET;
			to[i].sin_addr.s_addr = htonl(dst_addrs[sent + i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &to[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(to[i]);
		}
		int rc = sendmmsg(fd, msgs, (unsigned)chunk, MSG_DONTWAIT);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			if (sent)
				return (int)sent;
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? ERR_AGAIN : ERR_IO;
		}
		sent += (size_t)rc;
		if ((size_t)rc < chunk)
			break;
	}
	return (int)sent;
}

int gre_socket_send(int fd, const struct pkt *p, uint32_t dst_addr)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst_addr) };
	for (;;) {
		ssize_t n = sendto(fd, pkt_data(p), p->len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
		if (n >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? ERR_AGAIN : ERR_IO;
	}
}
