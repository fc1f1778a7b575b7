/* SPDX-License-Identifier: BSD-2-Clause */
/* The reconnect policy of --persist (see client_persist.h). */
#include "client/client_persist.h"

#include "base/log.h"

#define CLIENT_TAG "client"
/* A session up this long was a success: the backoff starts again at 1 s. */
#define CLIENT_PERSIST_RESET_MS 60000u

void client_persist_init(struct client_persist *p)
{
	p->failures = 0;
	p->backoff_s = 1;
}

enum client_persist_next client_persist_after(struct client_persist *p, const struct client_config *cfg, int code,
					      bool link_was_up, uint64_t lasted_ms, unsigned *wait_s)
{
	*wait_s = 0;
	if (!cfg->persist || code == CLIENT_EXIT_USAGE)
		return CLIENT_PERSIST_STOP;
	p->failures = link_was_up ? 0 : p->failures + 1;
	if (code == CLIENT_EXIT_AUTH_FAILED && !cfg->persist_on_auth_failure)
		return CLIENT_PERSIST_STOP_AUTH;
	if (cfg->maxfail && p->failures >= (unsigned)cfg->maxfail)
		return CLIENT_PERSIST_STOP_MAXFAIL;
	if (lasted_ms > CLIENT_PERSIST_RESET_MS)
		p->backoff_s = 1;
	*wait_s = p->backoff_s;
	unsigned next = p->backoff_s * 2;
	p->backoff_s = next > (unsigned)cfg->max_backoff ? (unsigned)cfg->max_backoff : next;
	return CLIENT_PERSIST_RETRY;
}

void client_persist_log(const struct client_persist *p, const struct client_config *cfg,
			enum client_persist_next next, unsigned wait_s)
{
	switch (next) {
	case CLIENT_PERSIST_STOP:
		break;
	case CLIENT_PERSIST_STOP_AUTH:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG,
			"not reconnecting: the server refused the user name or password "
			"(fix them, or add --persist-on-auth-failure to keep trying)");
		break;
	case CLIENT_PERSIST_STOP_MAXFAIL:
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "giving up after %u failed attempts in a row (--maxfail %d)",
			p->failures, cfg->maxfail);
		break;
	case CLIENT_PERSIST_RETRY:
		if (p->failures && cfg->maxfail)
			log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "reconnecting in %u s (failed attempt %u of at most %d)",
				wait_s, p->failures, cfg->maxfail);
		else
			log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "reconnecting in %u s", wait_s);
		break;
	}
}
