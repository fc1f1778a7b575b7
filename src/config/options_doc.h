/* SPDX-License-Identifier: BSD-2-Clause */
/* The option tables as documentation: the OPTIONS list of a man page (mdoc)
 * and a commented example configuration file, written from the same table
 * as --help and the INI parser, so none of them can drift from the code.
 * `openpptp help --man server` and `openpptp help --ini` print them;
 * scripts/gen-docs.sh pastes them into the pages under docs/man/ and contrib/.
 *
 * Like options_help: text into buf (always NUL-terminated if cap > 0);
 * returns the length the full text needs, like snprintf. */
#ifndef OPENPPTP_CONFIG_OPTIONS_DOC_H
#define OPENPPTP_CONFIG_OPTIONS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "config/options.h"

enum options_doc_form {
	OPTIONS_DOC_CLI, /* `.It Fl -listen Ns = Ns Ar ADDR` (man section 8) */
	OPTIONS_DOC_INI, /* `.It Ic listen No = Ar ADDR` (openpptp.conf(5)) */
};

/* An mdoc `.Bl -tag` list, one item per option, closed with `.El`. The INI
 * form leaves out what only makes sense on a command line (--config, --help). */
size_t options_doc_man(const struct option_table *t, enum options_doc_form form, char *buf, size_t cap);

/* One `[command]` section of an example configuration: each key commented
 * out with its default (or the word for its value), after a comment with its
 * help, range, choices and default. */
size_t options_doc_ini(const struct option_table *t, char *buf, size_t cap);

/* Is this option meaningful in a configuration file? (--config is not.) */
bool options_doc_in_ini(const struct option_def *d);

#endif
