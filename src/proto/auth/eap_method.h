/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP methods (RFC 3748 §5) behind one table, so EAP-TLS (RFC 5216) and
 * EAP-MSCHAPv2 can be added as entries without touching the EAP engine. */
#ifndef OPENPPTP_PROTO_AUTH_EAP_METHOD_H
#define OPENPPTP_PROTO_AUTH_EAP_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"
#include "proto/auth/auth.h"

enum eap_method_status {
	EAP_METHOD_CONTINUE = 0,  /* next Request's Type-Data written */
	EAP_METHOD_SUCCESS = 1,
	EAP_METHOD_FAILURE = 2,
};

struct eap_method_outcome {
	enum auth_cause cause;
	char reason[120];
};

struct eap_method {
	uint8_t type;
	const char *name;
	/* what logs, status and metrics call a login that ran it */
	enum auth_method reported;
	/* authenticator: write the first Request's Type-Data */
	int (*auth_start)(struct auth *a, struct writer *type_data);
	/* authenticator: judge a Response (id = its Identifier); on
	 * CONTINUE the next Request's Type-Data is in next. Negative: drop. */
	int (*auth_response)(struct auth *a, uint8_t id, const uint8_t *data, size_t len,
			     struct writer *next, struct eap_method_outcome *out);
	/* peer: can we answer this method with our configured secret? */
	bool (*peer_usable)(const struct auth *a);
	/* peer: write the Response Type-Data for a Request. Negative: drop. */
	int (*peer_request)(struct auth *a, uint8_t id, const uint8_t *data, size_t len,
			    struct writer *type_data);
	/* peer, optional: may an EAP Success end this method now? (mutual
	 * authentication: EAP-TLS once the server proved itself,
	 * EAP-MSCHAPv2 once the authenticator's S= was right.) NULL: yes.
	 * A method may also end the exchange itself in peer_request with
	 * auth_fail(); nothing is sent then. */
	bool (*peer_may_succeed)(const struct auth *a);
	/* optional: free the method's own state (both roles). */
	void (*destroy)(struct auth *a);
};

/* Methods we implement, in order of preference; NULL if unknown. */
const struct eap_method *eap_method_find(uint8_t type);
size_t eap_method_count(void);
const struct eap_method *eap_method_at(size_t i);

extern const struct eap_method eap_method_md5;
extern const struct eap_method eap_method_tls;
extern const struct eap_method eap_method_mschapv2;

#endif
