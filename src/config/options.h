/* SPDX-License-Identifier: BSD-2-Clause */
/* Options: one table per command, where every setting is both a key in the
 * INI configuration file and a --long-option of the same name.
 *
 *   static const struct option_def server_defs[] = {
 *       OPTION("listen", OPTION_IPV4, struct server_cfg, listen,
 *              "address to accept control connections on", .default_value = "0.0.0.0"),
 *       OPTION("max-sessions", OPTION_INT, struct server_cfg, max_sessions,
 *              "session limit", .min = 1, .max = 100000, .default_value = "1000"),
 *   };
 *
 * Use: options_init (zeroes the fields, applies defaults), options_parse_args,
 * then (with the file named by e.g. --config) options_parse_ini. The command
 * line wins whatever the order: keys set on the command line are skipped in
 * the file. options_destroy releases strings and lists.
 *
 * INI: `key = value` lines; `#` or `;` start a comment (at the start of a line,
 * or after whitespace in an unquoted value); values may be "double quoted"
 * (escapes \\ \" \n \t) or 'single quoted' (literal); `_` and `-` are the same
 * in keys; a bool key alone means true. Sections are optional: keys before
 * any section and in `[<command>]` apply, other sections are skipped (one
 * file can hold [server] and [connect]). A repeated key of a list appends;
 * of anything else, the last one wins.
 * Command line: --key=value, --key value, --bool, --no-bool, --help / -h,
 * `--` ends options; other arguments are positional. */
#ifndef OPENPPTP_CONFIG_OPTIONS_H
#define OPENPPTP_CONFIG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/ipv4.h"

enum option_type {
	OPTION_STRING,      /* char * (malloc'd, NULL when unset) */
	OPTION_INT,         /* int, within [min, max] */
	OPTION_BOOL,        /* bool */
	OPTION_IPV4,        /* uint32_t, host order */
	OPTION_IPV4_RANGE,  /* struct ipv4_range (see config/ipv4.h for forms) */
	OPTION_LIST,        /* struct option_list, one item per occurrence */
	OPTION_ENUM,        /* int: index into choices */
};

struct option_list {
	char **items;
	size_t count;
};

struct option_def {
	const char *name;             /* "max-sessions": lower case, '-' separated */
	enum option_type type;
	size_t offset;                /* offsetof(struct your_config, field) */
	const char *help;
	const char *metavar;          /* for --help; NULL: derived from the type */
	int min, max;                 /* OPTION_INT (both 0: any int) */
	const char *const *choices;   /* OPTION_ENUM, NULL-terminated */
	const char *default_value;    /* parsed by options_init; NULL = zero/empty */
};

/* Designated initialisers keep -Wmissing-field-initializers quiet:
 *   OPTION("mtu", OPTION_INT, struct cfg, mtu, "tunnel MTU", .min = 576, .max = 1500) */
#define OPTION(name_, type_, struct_, field_, help_, ...)                          \
	{ .name = (name_), .type = (type_), .offset = offsetof(struct_, field_), \
	  .help = (help_), __VA_ARGS__ }

struct option_table {
	const char *command;          /* "server": also the INI section name */
	const char *usage;            /* after "Usage: openpptp <command> " */
	const char *summary;
	const struct option_def *defs;
	size_t count;
};

#define OPTIONS_MAX 128
#define OPTIONS_HELP 1        /* options_parse_args: --help was given */

struct options {
	const struct option_table *table;
	void *cfg;
	bool set_by_cli[OPTIONS_MAX];
	bool set_by_ini[OPTIONS_MAX];
	char error[256];
};

/* Zero every field of cfg named by the table, then apply the defaults.
 * ERR_INVALID (with options_error) if a default does not parse. */
int options_init(struct options *o, const struct option_table *t, void *cfg);
void options_destroy(struct options *o);

/* argv[0] is the first argument to look at (not the program name).
 * Positional arguments go to positional[] (up to max_positional).
 * Returns 0, OPTIONS_HELP, or ERR_INVALID with options_error() naming the
 * option. */
int options_parse_args(struct options *o, int argc, char *const argv[],
		       const char **positional, size_t max_positional, size_t *npositional);

/* Parse INI text (need not be NUL-terminated); filename is for messages.
 * 0, or ERR_INVALID / ERR_MALFORMED with options_error() = "file:line: ...". */
int options_parse_ini(struct options *o, const char *text, size_t len, const char *filename);

/* Was the option given on the command line or in the file? */
bool options_is_set(const struct options *o, const char *name);

const char *options_error(const struct options *o);

/* --help text from the table into buf (always NUL-terminated if cap > 0).
 * Returns the length the full text needs, like snprintf. */
size_t options_help(const struct option_table *t, char *buf, size_t cap);

/* The word shown for an option's value: its metavar, else one from its
 * type (N, ADDR, RANGE, WORD, TEXT). Shared with config/options_doc. */
const char *options_metavar(const struct option_def *d);

#endif
