/* SPDX-License-Identifier: BSD-2-Clause */
/* A small rtnetlink client: link up/MTU, IPv4 addresses and routes, and
 * "route get" (which gateway and device the kernel would use for a
 * destination: the client pins a host route to the server through it).
 *
 * IPv4 addresses in this API are uint32_t in host byte order. Requests are
 * synchronous (send, then read the ack or reply on the same socket); replies
 * are kernel input and every length in them is checked before use. */
#ifndef OPENPPTP_SYS_NETLINK_H
#define OPENPPTP_SYS_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netlink {
	int fd;
	uint32_t seq;
};

int netlink_open(struct netlink *nl);
void netlink_close(struct netlink *nl);

/* Interface index by name: > 0, or ERR_NOT_FOUND. */
int netlink_ifindex(const char *name);

/* Set the link up or down and, when mtu != 0, its MTU. */
int netlink_link_set(struct netlink *nl, int ifindex, bool up, uint32_t mtu);

/* An IPv4 address on ifindex: `local`/prefixlen, and for a point-to-point
 * link the peer address (0 = none). */
int netlink_addr_add(struct netlink *nl, int ifindex, uint32_t local, uint32_t peer, uint8_t prefixlen);
int netlink_addr_del(struct netlink *nl, int ifindex, uint32_t local, uint32_t peer, uint8_t prefixlen);

struct netlink_route {
	uint32_t dst;       /* host order */
	uint8_t dst_len;    /* prefix length, 32 = host route */
	uint32_t gateway;   /* 0 = directly connected */
	int ifindex;        /* 0 = unspecified */
	uint32_t prefsrc;   /* 0 = unspecified */
	uint32_t metric;    /* 0 = default */
	uint32_t table;     /* 0 = main */
	uint32_t mtu;       /* 0 = the device's; else RTA_METRICS/RTAX_MTU (add/replace) */
};

/* Add (fails with ERR_EXISTS if present) or delete a unicast route. */
int netlink_route_add(struct netlink *nl, const struct netlink_route *r);
int netlink_route_replace(struct netlink *nl, const struct netlink_route *r);
int netlink_route_del(struct netlink *nl, const struct netlink_route *r);

/* What the kernel would do for dst: out->gateway/ifindex/prefsrc filled,
 * out->dst = dst, dst_len = 32. */
int netlink_route_get(struct netlink *nl, uint32_t dst, struct netlink_route *out);

/* The client's first step: pin a /32 to the VPN server through whatever
 * gateway and device reach it now, so moving the default route into the
 * tunnel does not loop the tunnel's own packets. out gets the route to pass
 * to netlink_route_del at teardown. Returns 0 (added), ERR_EXISTS (a /32
 * already existed: leave it alone at teardown), or ERR_NOT_FOUND (no route). */
int netlink_route_pin_host(struct netlink *nl, uint32_t dst, struct netlink_route *out);

/* IPv6 (RFC 8200) on our TUNs: an address (IFA_F_NODAD: a point-to-point
 * PPP link has no one to collide with; RFC 5072 §5 makes the identifiers
 * unique), a route to dst/len through ifindex, and the kernel's own
 * link-local address generation off (addr_gen_mode none), so the only
 * link-local is the one from the negotiated identifier. */
int netlink_addr6_add(struct netlink *nl, int ifindex, const uint8_t addr[16], uint8_t prefixlen);
int netlink_route6(struct netlink *nl, bool add, const uint8_t dst[16], uint8_t len, int ifindex);
int netlink_link_addrgen_none(struct netlink *nl, int ifindex);

/* Parse a RTM_NEWROUTE message (one nlmsghdr and its payload) into out.
 * Pure; exposed for tests and fuzzing. */
int netlink_parse_route(const uint8_t *msg, size_t len, struct netlink_route *out);

#endif
