/* SPDX-License-Identifier: BSD-2-Clause */
/* Non-blocking IPv4 UDP sockets for the RADIUS client: one unconnected
 * socket talks to several servers (sendto / recvfrom), so it is opened
 * once, before the sandbox, and never again. Addresses in host order. */
#ifndef OPENPPTP_SYS_UDP_SOCKET_H
#define OPENPPTP_SYS_UDP_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bound to local_addr (0 = any) and an ephemeral port; the fd or ERR_IO. */
int udp_socket_open(uint32_t local_addr);
/* Bound to local_addr:port (a listener: Dynamic Authorization). */
int udp_socket_listen(uint32_t local_addr, uint16_t port);
/* 0, ERR_AGAIN (would block: the datagram is dropped, RADIUS retransmits)
 * or ERR_IO. */
int udp_socket_send(int fd, uint32_t addr, uint16_t port, const uint8_t *buf, size_t len);
/* The source address the routing table picks toward addr:port (a UDP
 * connect sends nothing), in *src; 0 or ERR_IO (no route). */
int udp_route_source(uint32_t addr, uint16_t port, uint32_t *src);
/* Bytes received, ERR_AGAIN when none is waiting, or ERR_IO. */
ssize_t udp_socket_recv(int fd, uint8_t *buf, size_t cap, uint32_t *addr, uint16_t *port);

#endif
