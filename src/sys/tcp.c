/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

static void fill_sa(struct sockaddr_in *sa, uint32_t addr, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(addr);
	sa->sin_port = htons(port);
}

int tcp_listen(uint32_t addr, uint16_t port, int backlog)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "tcp", "socket: %s", strerror(errno));
		return ERR_IO;
	}
	int one = 1;
	struct sockaddr_in sa;
	fill_sa(&sa, addr, port);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, backlog) < 0) {
		int e = errno;
		log_msg(LOG_LEVEL_ERROR, "tcp", "listen on port %u: %s", (unsigned)port, strerror(e));
		close(fd);
		return e == EADDRINUSE ? ERR_EXISTS : ERR_IO;
	}
	return fd;
}

static void split_sa(const struct sockaddr_in *sa, uint32_t *addr, uint16_t *port)
{
	if (addr)
		*addr = ntohl(sa->sin_addr.s_addr);
	if (port)
		*port = ntohs(sa->sin_port);
}

int tcp_accept(int listen_fd, uint32_t *peer_addr, uint16_t *peer_port)
{
	for (;;) {
		struct sockaddr_in sa = { 0 };
		socklen_t len = sizeof(sa);
		int fd = accept4(listen_fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			if (len < sizeof(sa) || sa.sin_family != AF_INET) {
				close(fd);
				return ERR_AGAIN;
			}
			split_sa(&sa, peer_addr, peer_port);
			return fd;
		}
		switch (errno) {
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
			continue;
		case EAGAIN:
			return ERR_AGAIN;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* Not logged here: the caller pauses and logs once
			 * (a line per failed accept was a busy loop's worth). */
			return ERR_LIMIT;
		default:
			return ERR_IO;
		}
	}
}

int tcp_connect_start(uint32_t addr, uint16_t port, uint32_t local_addr)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ERR_IO;
	struct sockaddr_in sa;
	if (local_addr) {
		fill_sa(&sa, local_addr, 0);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			log_msg(LOG_LEVEL_ERROR, "tcp", "bind: %s", strerror(errno));
			close(fd);
			return ERR_IO;
		}
	}
	fill_sa(&sa, addr, port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		log_msg(LOG_LEVEL_ERROR, "tcp", "connect: %s", strerror(errno));
		close(fd);
		return ERR_IO;
	}
	return fd;
}

int tcp_connect_result(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return ERR_IO;
	if (err == 0) {
		struct sockaddr_in sa;
		len = sizeof(sa);
		/* Not yet connected (called before writability): still pending. */
		if (getpeername(fd, (struct sockaddr *)&sa, &len) < 0)
			return errno == ENOTCONN ? ERR_AGAIN : ERR_IO;
		return 0;
	}
	if (err == EINPROGRESS || err == EALREADY)
		return ERR_AGAIN;
	/* debug: the caller says what failed, in its words */
	log_msg(LOG_LEVEL_DEBUG, "tcp", "connect: %s", strerror(err));
	return err == ECONNREFUSED ? ERR_CLOSED : ERR_IO;
}

int tcp_read(int fd, void *buf, size_t len)
{
	if (len > INT32_MAX)
		len = INT32_MAX;
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n > 0)
			return (int)n;
		if (n == 0)
			return len ? ERR_CLOSED : 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_AGAIN;
		return errno == ECONNRESET ? ERR_CLOSED : ERR_IO;
	}
}

int tcp_set_keepalive(int fd, int idle_s, int interval_s, int count)
{
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof(idle_s)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof(interval_s)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count)) < 0)
		return ERR_IO;
	return 0;
}

int tcp_set_nodelay(int fd)
{
	int one = 1;
	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ? ERR_IO : 0;
}

static int name_of(int fd, bool peer, uint32_t *addr, uint16_t *port)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int rc = peer ? getpeername(fd, (struct sockaddr *)&sa, &len)
		      : getsockname(fd, (struct sockaddr *)&sa, &len);
	if (rc < 0 || len < sizeof(sa) || sa.sin_family != AF_INET)
		return ERR_IO;
	split_sa(&sa, addr, port);
	return 0;
}

int tcp_local_address(int fd, uint32_t *addr, uint16_t *port)
{
	return name_of(fd, false, addr, port);
}

int tcp_peer_address(int fd, uint32_t *addr, uint16_t *port)
{
	return name_of(fd, true, addr, port);
}

void tcp_out_init(struct tcp_out *o, size_t limit)
{
	memset(o, 0, sizeof(*o));
	o->limit = limit;
}

void tcp_out_destroy(struct tcp_out *o)
{
	free(o->data);
	tcp_out_init(o, o->limit);
}

/* Write as much as the socket takes: bytes written, or a negative error. */
static ssize_t write_some(int fd, const uint8_t *p, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = send(fd, p + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		return (n < 0 && (errno == EPIPE || errno == ECONNRESET)) ? ERR_CLOSED : ERR_IO;
	}
	return (ssize_t)done;
}

int tcp_out_flush(struct tcp_out *o, int fd)
{
	if (o->len == 0)
		return 0;
	ssize_t n = write_some(fd, o->data + o->off, o->len);
	if (n < 0)
		return (int)n;
	o->off += (size_t)n;
	o->len -= (size_t)n;
	if (o->len == 0)
		o->off = 0;
	return o->len ? ERR_AGAIN : 0;
}

int tcp_out_write(struct tcp_out *o, int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	if (o->len == 0) {
		ssize_t n = write_some(fd, p, len);
		if (n < 0)
			return (int)n;
		p += n;
		len -= (size_t)n;
		if (len == 0)
			return 0;
	}
	if (o->len + len > o->limit)
		return ERR_LIMIT;
	if (o->off + o->len + len > o->cap) {
		if (o->off) {
			memmove(o->data, o->data + o->off, o->len);
			o->off = 0;
		}
		if (o->len + len > o->cap) {
			size_t cap = o->cap ? o->cap : 1024;
			while (cap < o->len + len)
				cap *= 2;
			uint8_t *grown = realloc(o->data, cap);
			if (!grown)
				return ERR_NOMEM;
			o->data = grown;
			o->cap = cap;
		}
	}
	memcpy(o->data + o->off + o->len, p, len);
	o->len += len;
	return 0;
}
