/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/server_pools.h"

#include <string.h>

#include "base/error.h"
#include "config/ipv4.h"

static bool name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= SERVER_POOL_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

static const struct server_named_pool *find(const struct server_named_pools *np, const char *name)
{
	for (size_t i = 0; i < np->count; i++)
		if (strcmp(np->pools[i].name, name) == 0)
			return &np->pools[i];
	return NULL;
}

int server_named_pool_add(struct server_named_pools *np, const char *text, uint32_t pool_first, uint32_t pool_last,
			  const char **why)
{
	const char *eq = strchr(text, '=');
	struct ipv4_range r;
	if (!eq || !name_ok(text, (size_t)(eq - text))) {
		*why = "not NAME=RANGE (NAME: 1-31 letters, digits, '.', '_' or '-')";
		return ERR_MALFORMED;
	}
	if (ipv4_range_parse(eq + 1, &r) < 0) {
		*why = "the RANGE is not an IPv4 range";
		return ERR_MALFORMED;
	}
	if (r.first < pool_first || r.last > pool_last) {
		*why = "the RANGE is not inside --pool";
		return ERR_INVALID;
	}
	if (np->count == SERVER_NAMED_POOLS_MAX) {
		*why = "too many named pools";
		return ERR_LIMIT;
	}
	struct server_named_pool *p = &np->pools[np->count];
	memcpy(p->name, text, (size_t)(eq - text));
	p->name[eq - text] = '\0';
	if (find(np, p->name)) {
		*why = "the NAME is given twice";
		return ERR_DUPLICATE;
	}
	p->first = r.first;
	p->last = r.last;
	np->count++;
	return 0;
}

int server_named_pool_pick(const struct server_named_pools *np, const struct ip_pool *pool, const char *name,
			   uint32_t *addr)
{
	const struct server_named_pool *p = find(np, name);
	if (!p)
		return ERR_NOT_FOUND;
	for (uint32_t a = p->first;; a++) {
		if (!ip_pool_is_taken(pool, a)) {
			*addr = a;
			return 0;
		}
		if (a == p->last)
			return ERR_LIMIT;
	}
}
