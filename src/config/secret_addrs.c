/* SPDX-License-Identifier: BSD-2-Clause */
/* The chap-secrets address field: see secret_addrs.h. */
#include "config/secret_addrs.h"

#include <string.h>

#include "base/error.h"

void secret_addrs_init(struct secret_addr_set *set)
{
	memset(set, 0, sizeof(*set));
	set->policy = SECRET_ADDR_ANY;
}

static bool has_letter(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
			return true;
	return false;
}

/* a.b.c.d/n as pppd reads it: the addresses sharing the first n bits. */
static int parse_subnet(const char *s, size_t len, const char *slash, struct ipv4_range *out,
			const char **why)
{
	size_t alen = (size_t)(slash - s);
	const char *p = slash + 1;
	size_t plen = len - alen - 1;
	uint32_t base;
	unsigned prefix = 0;

	if (plen > 0 && p[plen - 1] == '+') {
		*why = "a.b.c.d/n+ (one address per ppp unit) has no meaning here: list the addresses";
		return ERR_UNSUPPORTED;
	}
	if (ipv4_parse_n(s, alen, &base) < 0 || plen == 0 || plen > 2 || (plen == 2 && p[0] == '0')) {
		*why = "bad subnet (a.b.c.d/n, n from 0 to 32)";
		return ERR_MALFORMED;
	}
	for (size_t i = 0; i < plen; i++) {
		if (p[i] < '0' || p[i] > '9') {
			*why = "bad subnet (a.b.c.d/n, n from 0 to 32)";
			return ERR_MALFORMED;
		}
		prefix = prefix * 10 + (unsigned)(p[i] - '0');
	}
	if (prefix > 32) {
		*why = "bad subnet (a.b.c.d/n, n from 0 to 32)";
		return ERR_MALFORMED;
	}
	uint32_t mask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
	out->first = base & mask;
	out->last = base | ~mask;
	return 0;
}

/* One address, subnet or range (no '!', '*' or '-'). */
static int parse_range(const char *s, size_t len, struct ipv4_range *out, const char **why)
{
	char text[SECRET_ADDR_WORD_MAX + 1];
	const char *slash = memchr(s, '/', len);

	if (slash)
		return parse_subnet(s, len, slash, out, why);
	if (has_letter(s, len)) {
		*why = "host names are not resolved: write the address";
		return ERR_UNSUPPORTED;
	}
	/* ipv4_range_parse reads a NUL-terminated string; len was checked. */
	memcpy(text, s, len);
	text[len] = '\0';
	int rc = ipv4_range_parse(text, out);
	if (rc == ERR_INVALID) {
		*why = "address range ends before it starts";
		return ERR_MALFORMED;
	}
	if (rc < 0) {
		*why = "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)";
		return ERR_MALFORMED;
	}
	return 0;
}

int secret_addrs_add_word(struct secret_addr_set *set, const char *word, size_t len, const char **why)
{
	bool dash = len == 1 && word[0] == '-';
	bool star = len == 1 && word[0] == '*';

	if (len == 0) {
		*why = "empty address word";
		return ERR_MALFORMED;
	}
	if (len > SECRET_ADDR_WORD_MAX) {
		*why = "address word longer than 40 characters";
		return ERR_LIMIT;
	}
	if (set->nwords >= SECRET_ADDRS_MAX) {
		*why = "more than 8 address words";
		return ERR_LIMIT;
	}
	/* pppd(8): "-" as the first word disallows every address; anything
	 * next to it would contradict it, so it stands alone. */
	if (set->policy == SECRET_ADDR_NONE || (dash && set->nwords > 0)) {
		*why = "'-' (no address) together with addresses";
		return ERR_MALFORMED;
	}
	set->nwords++;
	if (dash) {
		set->policy = SECRET_ADDR_NONE;
		return 0;
	}
	if (star) {
		set->star = true;
		set->policy = SECRET_ADDR_ANY;
		return 0;
	}
	int rc;
	if (word[0] == '!') {
		if (len == 1 || word[1] == '!' || word[1] == '*' || word[1] == '-') {
			*why = "'!' must be followed by an address, a subnet or a range";
			return ERR_MALFORMED;
		}
		rc = parse_range(word + 1, len - 1, &set->deny[set->ndeny], why);
		if (rc == 0)
			set->ndeny++;
	} else {
		rc = parse_range(word, len, &set->allow[set->nallow], why);
		if (rc == 0)
			set->nallow++;
	}
	if (rc == 0 && !set->star)
		set->policy = SECRET_ADDR_LISTED;
	return rc;
}

static bool in_range(const struct ipv4_range *r, uint32_t addr)
{
	return addr >= r->first && addr <= r->last;
}

const struct ipv4_range *secret_addrs_denying(const struct secret_addr_set *set, uint32_t addr)
{
	for (size_t i = 0; i < set->ndeny; i++)
		if (in_range(&set->deny[i], addr))
			return &set->deny[i];
	return NULL;
}

/* Does the union of the `!` ranges cover all of r? */
static bool range_all_denied(const struct secret_addr_set *set, const struct ipv4_range *r)
{
	uint32_t addr = r->first;

	for (;;) {
		const struct ipv4_range *d = secret_addrs_denying(set, addr);
		if (!d)
			return false;
		if (d->last >= r->last)
			return true;
		addr = d->last + 1;   /* d->last < r->last <= UINT32_MAX: no wrap */
	}
}

bool secret_addrs_allow(const struct secret_addr_set *set, uint32_t addr)
{
	if (set->policy == SECRET_ADDR_NONE || secret_addrs_denying(set, addr))
		return false;
	if (set->policy == SECRET_ADDR_ANY)
		return true;
	for (size_t i = 0; i < set->nallow; i++)
		if (in_range(&set->allow[i], addr))
			return true;
	return false;
}

bool secret_addrs_is_empty(const struct secret_addr_set *set)
{
	if (set->policy == SECRET_ADDR_NONE)
		return true;
	if (set->policy == SECRET_ADDR_ANY) {
		const struct ipv4_range all = { 0, UINT32_MAX };
		return range_all_denied(set, &all);
	}
	for (size_t i = 0; i < set->nallow; i++)
		if (!range_all_denied(set, &set->allow[i]))
			return false;
	return true;
}

uint32_t secret_addrs_static(const struct secret_addr_set *set)
{
	if (set->policy == SECRET_ADDR_NONE)
		return 0;
	for (size_t i = 0; i < set->nallow; i++) {
		const struct ipv4_range *r = &set->allow[i];
		if (r->first == r->last && !secret_addrs_denying(set, r->first))
			return r->first;
	}
	return 0;
}
