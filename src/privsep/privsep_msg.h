/* SPDX-License-Identifier: BSD-2-Clause */
/* The privilege-separation protocol: what the unprivileged main process may
 * ask of the privileged helper, and the helper's answers.
 *
 * One message per SOCK_SEQPACKET datagram. Every field is big-endian and
 * every message has the same 8-byte header:
 *
 *   u8 version (1) | u8 op | u16 body length | u32 id
 *
 * A request's body has exactly the length its op fixes (table in
 * privsep_msg.c); reserved bytes must be zero. An answer repeats the op and
 * id, then carries i32 status (0 or a negative enum error) and, when the
 * status is 0, the op's result body. Two answers also pass a descriptor
 * (SCM_RIGHTS): TUN_OPEN the TUN, SECRETS_READ a sealed memfd holding the
 * file. The decoders here are pure (bytes in, struct out): the helper parses
 * everything the main process sends with them before anything else looks at
 * it, because the main process is the one that parses the Internet and is
 * assumed compromised. */
#ifndef OPENPPTP_PRIVSEP_PRIVSEP_MSG_H
#define OPENPPTP_PRIVSEP_PRIVSEP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRIVSEP_VERSION 1
#define PRIVSEP_HEADER_SIZE 8
/* Larger than any valid message, so a longer datagram shows as truncated. */
#define PRIVSEP_MSG_MAX 64
#define PRIVSEP_IFNAME_SIZE 16

/* The whole request set. Values are wire values: append, never renumber. */
enum privsep_op {
	PRIVSEP_OP_ROUTE_ADD = 1, /* server: host route to a peer on our TUN */
	PRIVSEP_OP_ROUTE_DEL = 2,
	PRIVSEP_OP_SECRETS_READ = 3,   /* server: the secrets file fixed at start */
	PRIVSEP_OP_CONTROL_UNLINK = 4, /* server: the control socket fixed at start */
	PRIVSEP_OP_TUN_OPEN = 5,       /* client: open + address + MTU + up, fd back */
	PRIVSEP_OP_ROUTES_UP = 6,      /* client: --route / --default-route on our TUN */
	PRIVSEP_OP_SERVER_PIN = 7,     /* client: /32 to the server (peer: one of its addresses) via today's gateway */
	PRIVSEP_OP_SERVER_UNPIN = 8,
	PRIVSEP_OP_DNS_APPLY = 9, /* client: --dns (resolvconf or --resolv-conf) */
	PRIVSEP_OP_DNS_RESTORE = 10,
	PRIVSEP_OP_HOOK_RUN = 11, /* client: --up / --down by execve */
	PRIVSEP_OP_ADDR6_ADD = 12,  /* client: an IPv6 address (link-local or SLAAC) on our TUN */
	PRIVSEP_OP_ROUTES6_UP = 13, /* client: --route6 / --default-route for IPv6 on our TUN */
	PRIVSEP_OP_DNS6_ADD = 14,   /* client: --dns, an RDNSS server of the RA (family 6, /128) */
};
#define PRIVSEP_OP_MAX 14

enum privsep_hook {
	PRIVSEP_HOOK_UP = 1,
	PRIVSEP_HOOK_DOWN = 2,
};

enum privsep_family {
	PRIVSEP_FAMILY_IPV4 = 4,
	PRIVSEP_FAMILY_IPV6 = 6,
};

struct privsep_request {
	enum privsep_op op;
	uint32_t id;
	/* ROUTE_ADD / ROUTE_DEL, ADDR6_ADD and DNS6_ADD (IPv6, ifindex 0: the helper's TUN) */
	enum privsep_family family;
	uint8_t prefix_len;
	uint32_t ifindex;
	uint32_t addr4;    /* host order (IPv4) */
	uint8_t addr6[16]; /* IPv6 */
	/* TUN_OPEN, HOOK_RUN: tunnel addresses (host order); SERVER_PIN: peer = the server address */
	uint32_t local, peer;
	uint16_t mtu;           /* TUN_OPEN; ROUTE_ADD: the route's MTU, 0 = the device's */
	uint32_t dns[2];        /* DNS_APPLY, HOOK_RUN */
	enum privsep_hook hook; /* HOOK_RUN */
};

struct privsep_answer {
	enum privsep_op op;
	uint32_t id;
	int status; /* 0 or a negative enum error */
	/* TUN_OPEN */
	uint32_t ifindex;
	char ifname[PRIVSEP_IFNAME_SIZE];
	bool tun_vnet_hdr;      /* opened with IFF_VNET_HDR + offloads (--tun-offload) */
	/* SECRETS_READ: bytes in the memfd */
	uint32_t length;
	/* HOOK_RUN: the script's exit code (128 + signal when killed) */
	int32_t exit_code;
	/* ROUTES_UP, ROUTES6_UP */
	uint32_t routes_added, routes_failed;
	/* TUN_OPEN, SECRETS_READ: the descriptor that came with it, or -1 */
	int fd;
};

const char *privsep_op_name(enum privsep_op op);

/* Does a successful answer to op carry a descriptor? */
bool privsep_op_passes_fd(enum privsep_op op);

/* Encode into buf (PRIVSEP_MSG_MAX bytes): the length, or ERR_NOSPACE. */
int privsep_request_encode(const struct privsep_request *r, uint8_t *buf, size_t cap);
int privsep_answer_encode(const struct privsep_answer *a, uint8_t *buf, size_t cap);

/* Decode one datagram: 0, or ERR_TRUNCATED (shorter than the header or the
 * op's body), ERR_LENGTH (body length not the op's, or bytes left over),
 * ERR_VERSION, ERR_UNKNOWN_TYPE (op), ERR_RESERVED (a reserved byte set),
 * ERR_MALFORMED (a field out of its domain: family, hook, IPv4 padding,
 * ifname). Syntax only: whether the helper may do it is privsep_policy's. */
int privsep_request_decode(const uint8_t *buf, size_t len, struct privsep_request *out);
/* has_fd: a descriptor came with the datagram; it must iff the answer is a
 * success of an op that passes one (else ERR_MALFORMED). out->fd is -1:
 * the caller attaches the descriptor. */
int privsep_answer_decode(const uint8_t *buf, size_t len, bool has_fd, struct privsep_answer *out);

/* An interface name the kernel accepts and a command line or an
 * environment variable can carry as it is: 1..15 of [A-Za-z0-9_.-], not
 * "." or "..". (The TUN name template may also hold one "%d".) */
bool privsep_ifname_ok(const char *name);

#endif
