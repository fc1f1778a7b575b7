/* SPDX-License-Identifier: BSD-2-Clause */
/* --persist: after an attempt ends, whether to try again and when.
 * Exponential backoff from 1 s to --max-backoff (reset by a session that
 * lasted a minute); --maxfail consecutive attempts that never brought the
 * link up end it (pppd's option and default, 10; 0: no limit); a failed
 * authentication ends it at once unless --persist-on-auth-failure: the
 * password will not get better by itself, and retrying it every 30 s is
 * how accounts get locked out by the server's own failure limit. */
#ifndef OPENPPTP_CLIENT_CLIENT_PERSIST_H
#define OPENPPTP_CLIENT_CLIENT_PERSIST_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"

enum client_persist_next {
	CLIENT_PERSIST_RETRY,
	CLIENT_PERSIST_STOP,         /* not persisting, or the attempt ended cleanly by request */
	CLIENT_PERSIST_STOP_AUTH,    /* authentication failed */
	CLIENT_PERSIST_STOP_MAXFAIL, /* --maxfail failed attempts in a row */
};

struct client_persist {
	unsigned failures;  /* consecutive attempts whose link never came up */
	unsigned backoff_s; /* the next wait */
};

void client_persist_init(struct client_persist *p);
/* code: the attempt's exit code; link_was_up: it carried traffic;
 * lasted_ms: how long it took. On RETRY, *wait_s is how long to wait. */
enum client_persist_next client_persist_after(struct client_persist *p, const struct client_config *cfg, int code,
					      bool link_was_up, uint64_t lasted_ms, unsigned *wait_s);
/* The line saying what happens next (logs it). */
void client_persist_log(const struct client_persist *p, const struct client_config *cfg,
			enum client_persist_next next, unsigned wait_s);

#endif
