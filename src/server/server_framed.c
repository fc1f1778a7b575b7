/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/server_framed.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "proto/radius/radius_route.h"

int server_framed_allow_add(struct server_framed_routes *f, const char *text, const char **why)
{
	struct ipv4_prefix p;
	if (ipv4_prefix_parse(text, strlen(text), &p) < 0) {
		*why = "not a CIDR prefix A.B.C.D/LEN without host bits";
		return ERR_MALFORMED;
	}
	if (p.len < RADIUS_ROUTE_MIN_LEN) {
		*why = "shorter than /8";
		return ERR_MALFORMED;
	}
	if (f->allow_count == SERVER_FRAMED_ALLOW_MAX) {
		*why = "more than 16 prefixes";
		return ERR_LIMIT;
	}
	f->allow[f->allow_count++] = p;
	return 0;
}

int server_framed_init(struct server_framed_routes *f, size_t max_sessions)
{
	if (!f->allow_count)
		return 0;
	f->cap = max_sessions * SERVER_FRAMED_PER_SESSION;
	f->table = calloc(f->cap ? f->cap : 1, sizeof(*f->table));
	return f->table ? 0 : ERR_NOMEM;
}

void server_framed_destroy(struct server_framed_routes *f)
{
	free(f->table);
	f->table = NULL;
	f->used = f->cap = 0;
}

static bool overlap(const struct ipv4_prefix *a, const struct ipv4_prefix *b)
{
	return ipv4_prefix_contains(a, b) || ipv4_prefix_contains(b, a);
}

int server_framed_reserve(struct server_framed_routes *f, const struct ipv4_prefix *p, void *owner)
{
	for (size_t i = 0; i < f->used; i++)
		if (overlap(&f->table[i].prefix, p))
			return ERR_DUPLICATE;
	if (f->used >= f->cap)
		return ERR_LIMIT;
	f->table[f->used++] = (struct server_framed_entry){ *p, owner };
	return 0;
}

void server_framed_drop_owner(struct server_framed_routes *f, const void *owner)
{
	size_t out = 0;
	for (size_t i = 0; i < f->used; i++)
		if (f->table[i].owner != owner)
			f->table[out++] = f->table[i];
	f->used = out;
}

void *server_framed_lookup(const struct server_framed_routes *f, uint32_t dst)
{
	const struct ipv4_prefix host = { dst, 32 };
	for (size_t i = 0; i < f->used; i++)
		if (ipv4_prefix_contains(&f->table[i].prefix, &host))
			return f->table[i].owner;
	return NULL;
}
