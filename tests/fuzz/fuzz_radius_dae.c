/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any datagram as a Dynamic Authorization request (radius_dae.h): the
 * checks, and the reply for an accepted one. The input is checked both as
 * is (almost always dropped: bad authenticator) and re-signed with our
 * secret, so the attribute handling is reached. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "proto/radius/radius_dae.h"
#include "proto/radius/radius_sign.h"

static const uint8_t secret[] = "dae-secret";

static void one(const uint8_t *buf, size_t len)
{
	const struct radius_dae_config cfg = { .secret = secret, .secret_len = sizeof(secret) - 1, .nas_ip = 0xc0000201,
					       .nas_identifier = "nas1", .window_s = 300 };
	struct radius_packet p;
	struct radius_dae_request r;
	if (radius_dae_check(buf, len, &cfg, 1700000000u, &p, &r) != RADIUS_DAE_ACCEPTED)
		return;
	if (strnlen(r.acct_session_id, sizeof(r.acct_session_id)) == sizeof(r.acct_session_id) ||
	    strnlen(r.user_name, sizeof(r.user_name)) == sizeof(r.user_name))
		abort();
	uint8_t rep[128];
	if (radius_dae_reply(rep, sizeof(rep), &p, r.error, secret, sizeof(secret) - 1) == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_level(LOG_LEVEL_ERROR);
	one(data, size);
	if (size > 4096)
		return 0;
	uint8_t copy[4096];
	memcpy(copy, data, size);
	if (radius_sign_request(copy, size, secret, sizeof(secret) - 1))
		one(copy, size);
	return 0;
}
