/* SPDX-License-Identifier: BSD-2-Clause */
/* How a log line looks to each place it can go (see sys/log_target.h):
 *   stderr:   "openpptp: info: [tag] message"
 *   prefixed: "<6>[tag] message" -- sd-daemon(3)'s priority prefix, for
 *             stderr connected to journald (it files the line at that
 *             priority and strips the prefix)
 *   journal:  native fields for journald's socket (systemd.journal-fields(7)):
 *             PRIORITY, SYSLOG_IDENTIFIER, MESSAGE, and from the tag SESSION,
 *             PEER, USER and CALL_ID, so `journalctl SESSION=...` works.
 * Pure functions, unit-tested without a journal. */
#ifndef OPENPPTP_BASE_LOG_FORMAT_H
#define OPENPPTP_BASE_LOG_FORMAT_H

#include <stddef.h>

#include "base/log.h"

/* syslog(3) priority: error 3, warning 4, info 6, debug 7. */
int log_syslog_priority(enum log_level level);

/* What the daemons' tags say about a session. The tags are
 *   "192.0.2.2:40000"                  a control connection (= SESSION)
 *   "192.0.2.2:40000 user alice"       the same once authenticated
 *   "192.0.2.2:40000 call 4711"        one of its calls (a PPP link)
 *   "pptp pac peer 192.0.2.2"          its PPTP control engine
 *   "client call 4711"                 the client's call
 * Fields the tag does not give are empty. */
struct log_fields {
	char session[32]; /* ADDRESS:PORT of the control connection */
	char peer[24];    /* the peer's address */
	char user[64];
	char call_id[8];
};
void log_fields_from_tag(const char *tag, struct log_fields *f);

/* Each returns the length written (always NUL-terminated, cut to fit). */
size_t log_format_stderr(char *out, size_t size, enum log_level level, const char *tag, const char *message);
size_t log_format_prefixed(char *out, size_t size, enum log_level level, const char *tag, const char *message);
/* KEY=value lines; newlines and other control bytes inside values become
 * spaces (so hostile text cannot forge a field). */
size_t log_format_journal(char *out, size_t size, enum log_level level, const char *identifier, const char *tag,
			  const char *message);

#endif
