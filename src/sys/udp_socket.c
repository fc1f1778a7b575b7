/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/udp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

int udp_socket_open(uint32_t local_addr)
{
	return udp_socket_listen(local_addr, 0);
}

int udp_socket_listen(uint32_t local_addr, uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "udp", "socket: %s", strerror(errno));
		return ERR_IO;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(local_addr) };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_msg(LOG_LEVEL_ERROR, "udp", "bind: %s", strerror(errno));
		close(fd);
		return ERR_IO;
	}
	return fd;
}

int udp_socket_send(int fd, uint32_t addr, uint16_t port, const uint8_t *buf, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(addr) };
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? ERR_AGAIN : ERR_IO;
	return 0;
}

ssize_t udp_socket_recv(int fd, uint8_t *buf, size_t cap, uint32_t *addr, uint16_t *port)
{
	struct sockaddr_in sa = { 0 };
	socklen_t salen = sizeof(sa);
	ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&sa, &salen);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? ERR_AGAIN : ERR_IO;
	if (salen < sizeof(sa) || sa.sin_family != AF_INET)
		return ERR_AGAIN; /* not an IPv4 sender: nothing we asked */
	*addr = ntohl(sa.sin_addr.s_addr);
	*port = ntohs(sa.sin_port);
	return n;
}

int udp_route_source(uint32_t addr, uint16_t port, uint32_t *src)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return ERR_IO;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(addr) };
	struct sockaddr_in local = { 0 };
	socklen_t len = sizeof(local);
	int rc = ERR_IO;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&local, &len) == 0 && len >= sizeof(local) &&
	    local.sin_family == AF_INET && local.sin_addr.s_addr != 0)
		rc = 0;
	close(fd);
	if (rc == 0)
		*src = ntohl(local.sin_addr.s_addr);
	return rc;
}
