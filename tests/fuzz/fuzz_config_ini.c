/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Option tables: INI text (first byte even) or a NUL-separated argv (odd)
 * into a table with one option of every type. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "config/options.h"

struct fuzz_cfg {
	char *name;
	int mtu;
	bool debug;
	uint32_t listen;
	struct ipv4_range pool;
	struct option_list dns;
	int auth;
};

static const char *const auth_choices[] = { "mschapv2", "eap-tls", NULL };

static const struct option_def defs[] = {
	OPTION("name", OPTION_STRING, struct fuzz_cfg, name, "name", .default_value = "x"),
	OPTION("mtu", OPTION_INT, struct fuzz_cfg, mtu, "mtu", .min = 576, .max = 1500, .default_value = "1400"),
	OPTION("debug", OPTION_BOOL, struct fuzz_cfg, debug, "debug"),
	OPTION("listen", OPTION_IPV4, struct fuzz_cfg, listen, "listen"),
	OPTION("pool", OPTION_IPV4_RANGE, struct fuzz_cfg, pool, "pool"),
	OPTION("dns", OPTION_LIST, struct fuzz_cfg, dns, "dns", .default_value = "192.0.2.1"),
	OPTION("auth", OPTION_ENUM, struct fuzz_cfg, auth, "auth", .choices = auth_choices),
};

static const struct option_table table = { .command = "server", .defs = defs,
					   .count = sizeof(defs) / sizeof(defs[0]) };

static void quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_sink(quiet, NULL);
	struct fuzz_cfg cfg;
	struct options o;
	if (options_init(&o, &table, &cfg) != 0)
		abort();
	if (size > 0 && (data[0] & 1)) {
		/* argv mode: NUL-separated words after the first byte */
		char *copy = malloc(size);
		char *argv[64];
		int argc = 0;
		if (!copy)
			return 0;
		memcpy(copy, data + 1, size - 1);
		copy[size - 1] = '\0';
		char *p = copy, *end = copy + size - 1;
		while (p < end && argc < 64) {
			argv[argc++] = p;
			p += strlen(p) + 1;
		}
		const char *pos[4];
		size_t npos;
		int rc = options_parse_args(&o, argc, argv, pos, 4, &npos);
		if (rc < 0 && o.error[0] == '\0')
			abort(); /* every error has a message */
		free(copy);
	} else {
		int rc = options_parse_ini(&o, (const char *)data, size, "fuzz.conf");
		if (rc < 0 && strncmp(o.error, "fuzz.conf:", 10) != 0)
			abort(); /* every file error names file:line */
		if (rc == 0 && (cfg.mtu < 576 || cfg.mtu > 1500 || cfg.pool.first > cfg.pool.last))
			abort();
	}
	options_destroy(&o);
	return 0;
}
