/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS Framed-Route text (RFC 2865 §5.22) read into numbers, and the
 * operator's rule for which routes a server may install. Pure: no
 * syscalls, bounded by the text length. */
#ifndef OPENPPTP_PROTO_RADIUS_ROUTE_H
#define OPENPPTP_PROTO_RADIUS_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "base/ipv4_text.h"

/* Longest Framed-Route text we read: the value as stored in
 * struct radius_grant (64 bytes with the NUL). */
#define RADIUS_ROUTE_TEXT_MAX 63
#define RADIUS_ROUTE_METRICS_MAX 4

struct radius_route {
	struct ipv4_prefix dest;
	uint32_t gateway;  /* 0.0.0.0: the user's own address */
	unsigned metric;   /* the first metric, 0 when none is given */
	unsigned metrics;  /* how many metrics the text carried */
};

/* "PREFIX/LEN[ GATEWAY[ METRIC...]]", single spaces, at most
 * RADIUS_ROUTE_METRICS_MAX metrics of 0..65535. §5.22 lets the length be
 * left out (classful); we require it, since a guessed class is a wider
 * route than the RADIUS administrator may have meant. 0 or ERR_MALFORMED. */
int radius_route_parse(const char *s, size_t len, struct radius_route *out);

enum radius_route_verdict {
	RADIUS_ROUTE_ALLOWED,
	RADIUS_ROUTE_NO_ALLOW_LIST, /* the operator did not opt in */
	RADIUS_ROUTE_TOO_SHORT,     /* prefix length under RADIUS_ROUTE_MIN_LEN */
	RADIUS_ROUTE_OUTSIDE_ALLOW, /* in no allowed prefix */
	RADIUS_ROUTE_BAD_GATEWAY,   /* neither 0.0.0.0 nor the user's address */
};

/* Shortest prefix a session may claim: a /0../7 would take a large part
 * of the host's traffic into one tunnel even when an allow list is wide. */
#define RADIUS_ROUTE_MIN_LEN 8

/* The operator's rule (issue 14): the route lies inside one of allow[n],
 * is at least a /8 and goes via the session itself. */
enum radius_route_verdict radius_route_check(const struct radius_route *r, const struct ipv4_prefix *allow, size_t n,
					     uint32_t session_addr);
const char *radius_route_verdict_text(enum radius_route_verdict v);

#endif
