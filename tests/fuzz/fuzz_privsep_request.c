/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The privileged helper's request parser and policy, fed what a hostile
 * main process could send. A request that decodes must re-encode to the very
 * same bytes (one encoding per request: nothing hides in padding) and pass
 * through both roles' policy checks; the answer parser gets the same bytes
 * with and without a descriptor. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "privsep/privsep_msg.h"
#include "privsep/privsep_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct privsep_request r;
	int rc = privsep_request_decode(data, size, &r);
	if (rc == 0) {
		uint8_t again[PRIVSEP_MSG_MAX];
		int n = privsep_request_encode(&r, again, sizeof(again));
		if (n < 0 || (size_t)n != size || memcmp(again, data, size) != 0)
			abort();
		static const uint32_t statics[] = { 0xc6120005u };
		struct privsep_policy server = { .role = PRIVSEP_ROLE_SERVER, .tun_ifindex = 5, .local_ip = 0xcb007101u, .pool = { 0xcb00710au, 0xcb007132u }, .statics = statics, .static_count = 1, .control_socket = true };
		struct privsep_policy client = { .role = PRIVSEP_ROLE_CLIENT, .tun_ifindex = 7, .up_hook = true, .down_hook = true, .dns = true };
		const char *why;
		int s = privsep_policy_check(&server, &r, &why);
		if (s != 0 && (!why || !why[0]))
			abort();
		/* A route the server's helper accepts is a /32 on its TUN. */
		if (s == 0 && (r.op == PRIVSEP_OP_ROUTE_ADD || r.op == PRIVSEP_OP_ROUTE_DEL) &&
		    (r.prefix_len != 32 || r.ifindex != 5 || r.family != PRIVSEP_FAMILY_IPV4))
			abort();
		(void)privsep_policy_check(&client, &r, &why);
	} else if (error_name(rc) == NULL) {
		abort();
	}
	for (int fd = 0; fd < 2; fd++) {
		struct privsep_answer a;
		if (privsep_answer_decode(data, size, fd, &a) == 0) {
			uint8_t again[PRIVSEP_MSG_MAX];
			int n = privsep_answer_encode(&a, again, sizeof(again));
			if (n < 0 || (size_t)n != size || memcmp(again, data, size) != 0 || a.fd != -1)
				abort();
		}
	}
	return 0;
}
