/* SPDX-License-Identifier: BSD-2-Clause */
/* The TUN device: IPv4 packets in and out, no packet-information header. */
#ifndef OPENPPTP_SYS_TUN_H
#define OPENPPTP_SYS_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/pkt.h"

struct tun {
	int fd;
	int ifindex;
	bool vnet_hdr;          /* every packet read or written starts with a virtio-net header */
	char name[IF_NAMESIZE];
};

/* --tun-offload, in the option's choice order */
enum tun_offload { TUN_OFFLOAD_ON = 0, TUN_OFFLOAD_OFF = 1 };

/* Open /dev/net/tun as IFF_TUN | IFF_NO_PI, nonblocking, close-on-exec.
 * name NULL or "" lets the kernel choose "pptp%d"; a name with "%d" is a
 * template. Addresses, MTU and up are set through sys/netlink.h with
 * tun->ifindex (or tun_configure below).
 * offload: also IFF_VNET_HDR and TUNSETOFFLOAD (checksum, TSO4, TSO6), so
 * the kernel hands over 64 KiB TCP super-packets (proto/ip/ip_gso.h
 * segments them); a kernel that refuses gets a plain TUN, tun->vnet_hdr
 * says which. */
int tun_open(struct tun *tun, const char *name, bool offload);
void tun_close(struct tun *tun);

/* Convenience: MTU, an IPv4 address (peer = 0 for none; prefixlen 32 for a
 * point-to-point pair), link up. */
int tun_configure(struct tun *tun, uint32_t mtu, uint32_t local, uint32_t peer, uint8_t prefixlen);

/* Read one packet into p (data placed at p's current headroom, p->len set).
 * Returns the length, ERR_AGAIN when drained, ERR_IO on error. */
int tun_read(struct tun *tun, struct pkt *p);
/* Write p's data as one packet (after a zero virtio-net header when
 * vnet_hdr: no offload asked, virtio v1.1 §5.1.6). 0, ERR_AGAIN (queue
 * full: drop), ERR_IO. */
int tun_write(struct tun *tun, const struct pkt *p);

#endif
