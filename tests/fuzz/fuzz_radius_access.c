/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any datagram as the reply to an Access-Request, for every method: the
 * verdict and the grant the server acts on (radius_access.h), with MPPE
 * key decryption, MS-CHAP2-Success / MS-CHAP-Error, Class, Reply-Message,
 * and for EAP the reassembled EAP-Message and State (RFC 3579).
 * The checks: text fields stay NUL-terminated and printable, lengths stay
 * within their buffers, a refusal carries no key material. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "proto/radius/radius_access.h"

static const uint8_t secret[] = "testing123";

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_level(LOG_LEVEL_ERROR);
	struct radius_event ev;
	memset(&ev, 0, sizeof(ev));
	if (radius_packet_parse(data, size, &ev.reply) != RADIUS_PARSE_OK)
		return 0;
	ev.type = RADIUS_EV_REPLY;
	ev.secret = secret;
	ev.secret_len = sizeof(secret) - 1;
	static const enum auth_method methods[] = { AUTH_METHOD_PAP, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1,
						    AUTH_METHOD_MSCHAPV2, AUTH_METHOD_EAP_MD5 };
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct auth_verify_request r = { .method = methods[i], .user = "u", .challenge_len = 16 };
		static struct auth_verdict v;
		struct radius_grant g;
		radius_access_verdict(&ev, &r, &v, &g);
		check_text(v.message, sizeof(v.message));
		check_text(g.reply_message, sizeof(g.reply_message));
		check_text(g.filter_id, sizeof(g.filter_id));
		if (g.class_len > sizeof(g.class_value) || v.mppe.send_key_len > sizeof(v.mppe.send_key) ||
		    v.mppe.recv_key_len > sizeof(v.mppe.recv_key))
			abort();
		if (v.cause != AUTH_CAUSE_NONE && v.mppe.valid)
			abort();
		/* EAP (RFC 3579): a bounded, whole EAP packet or none; a challenge
		 * to relay only with an EAP Request in it, and only for EAP. */
		if (v.eap_len > sizeof(v.eap) || v.state_len > sizeof(v.state) ||
		    (v.eap_len && (v.eap_len < 4 || (size_t)((v.eap[2] << 8) | v.eap[3]) != v.eap_len)))
			abort();
		if (v.eap_challenge && (methods[i] != AUTH_METHOD_EAP_MD5 || v.cause != AUTH_CAUSE_NONE || v.eap_len < 5))
			abort();
	}
	return 0;
}
