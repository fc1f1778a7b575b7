/* SPDX-License-Identifier: BSD-2-Clause */
/* The TUN device: IPv4 packets in and out, no packet-information header. */
#ifndef OPENPPTP_SYS_TUN_H
#define OPENPPTP_SYS_TUN_H

#include <net/if.h>
#include <stddef.h>

#include "base/pkt.h"

struct tun {
	int fd;
	int ifindex;
	char name[IF_NAMESIZE];
};

/* Open /dev/net/tun as IFF_TUN | IFF_NO_PI, nonblocking, close-on-exec.
 * name NULL or "" lets the kernel choose "pptp%d"; a name with "%d" is a
 * template. Addresses, MTU and up are set through sys/netlink.h with
 * tun->ifindex (or tun_configure below). */
int tun_open(struct tun *tun, const char *name);
void tun_close(struct tun *tun);

/* Convenience: MTU, an IPv4 address (peer = 0 for none; prefixlen 32 for a
 * point-to-point pair), link up. */
int tun_configure(struct tun *tun, uint32_t mtu, uint32_t local, uint32_t peer, uint8_t prefixlen);

/* Read one packet into p (data placed at p's current headroom, p->len set).
 * Returns the length, ERR_AGAIN when drained, ERR_IO on error. */
int tun_read(struct tun *tun, struct pkt *p);
/* Write p's data as one packet. 0, ERR_AGAIN (queue full: drop), ERR_IO. */
int tun_write(struct tun *tun, const struct pkt *p);

#endif
