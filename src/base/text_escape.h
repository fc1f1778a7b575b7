/* SPDX-License-Identifier: BSD-2-Clause */
/* Wire text made safe for logs, tags and `status` (issue 11): a string a
 * peer chose (SCCRQ host and vendor, a user name) may carry newlines that
 * forge log lines, or bytes that are not UTF-8 and break the JSON status.
 * text_escape keeps printable ASCII (0x20..0x7E) as it is, except the
 * backslash, and writes every other byte as \xNN (lower-case hex), so the
 * result is printable ASCII and the escape can be read back unambiguously.
 * Escape once, where the engine takes the string from the wire or hands it
 * out; keep the raw bytes only where they are needed (secret lookup, the
 * MS-CHAPv2 hash). */
#ifndef OPENPPTP_BASE_TEXT_ESCAPE_H
#define OPENPPTP_BASE_TEXT_ESCAPE_H

#include <stddef.h>

/* Room for n wire bytes escaped, with the NUL. */
#define TEXT_ESCAPED_SIZE(n) ((n) * 4u + 1u)

/* Escape in[0..in_len) (stops early at a NUL) into out (cap > 0 bytes,
 * always NUL-terminated; an escape is never cut in half: what does not fit
 * is dropped whole). Returns the length written. */
size_t text_escape(char *out, size_t cap, const char *in, size_t in_len);

/* The same for a NUL-terminated string. */
size_t text_escape_str(char *out, size_t cap, const char *in);

#endif
