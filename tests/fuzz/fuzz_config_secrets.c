#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* chap-secrets: parse, then look every entry's names back up. */
#include <stdlib.h>
#include <string.h>

#include "config/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secrets s;
	int rc = secrets_parse(&s, (const char *)data, size, "fuzz");
	if (rc < 0) {
		if (s.count != 0 || s.entries || strncmp(s.error, "fuzz:", 5) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < s.count; i++) {
		const struct secret_entry *e = &s.entries[i];
		if (strlen(e->client) == 0 || strlen(e->server) == 0 || e->naddrs > SECRETS_ADDRS_MAX)
			abort();
		if (e->kind == SECRET_PLAINTEXT && (!e->secret || strlen(e->secret) != e->secret_len))
			abort();
		const struct secret_entry *found = secrets_lookup(&s, e->client, e->server);
		if (!found)
			abort(); /* an entry always matches its own names */
		/* Round trip: formatting the entry and parsing it back gives the
		 * same names and secret. */
		char line[4096];
		int n = secrets_format_entry(line, sizeof(line), e->client, e->server, e->secret,
					     e->kind == SECRET_NTHASH ? e->nthash : NULL, NULL);
		if (n < 0 || (size_t)n >= sizeof(line))
			abort();
		struct secrets back;
		if (secrets_parse(&back, line, (size_t)n, "back") != 0 || back.count != 1)
			abort();
		const struct secret_entry *b = &back.entries[0];
		if (strcmp(b->client, e->client) || strcmp(b->server, e->server) || b->kind != e->kind)
			abort();
		if (e->kind == SECRET_PLAINTEXT &&
		    (b->secret_len != e->secret_len || memcmp(b->secret, e->secret, e->secret_len)))
			abort();
		if (e->kind == SECRET_NTHASH && memcmp(b->nthash, e->nthash, sizeof(e->nthash)))
			abort();
		secrets_free(&back);
		(void)secret_entry_static_ip(e);
		(void)secret_entry_allows_ip(e, 0x0a000001u);
	}
	secrets_free(&s);
	return 0;
}
