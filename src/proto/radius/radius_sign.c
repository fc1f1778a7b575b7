/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_sign.h"

#include <string.h>

#include "base/crypto.h"

static const uint8_t zero16[16];

/* Codes whose Request Authenticator is an MD5 over the packet (RFC 2866 §3,
 * RFC 5176 §3.5) rather than random (RFC 2865 §3). */
static bool request_auth_is_computed(uint8_t code)
{
	return code == RADIUS_ACCOUNTING_REQUEST || code == RADIUS_COA_REQUEST || code == RADIUS_DISCONNECT_REQUEST;
}

static bool message_auth_required(uint8_t request_code)
{
	return request_code == RADIUS_ACCESS_REQUEST || request_code == RADIUS_STATUS_SERVER;
}

/* HMAC-MD5 over the packet with `auth` in the authenticator field and the
 * Message-Authenticator value as zeros (RFC 3579 §3.2). */
static void message_auth(const struct radius_packet *p, const uint8_t auth[RADIUS_AUTH_SIZE], const uint8_t *secret,
			 size_t secret_len, uint8_t out[RADIUS_MESSAGE_AUTH_SIZE])
{
	size_t ma = p->message_auth_offset;
	struct crypto_part parts[] = {
		{ p->raw, 4 },
		{ auth, RADIUS_AUTH_SIZE },
		{ p->raw + RADIUS_HEADER_SIZE, ma - RADIUS_HEADER_SIZE },
		{ zero16, RADIUS_MESSAGE_AUTH_SIZE },
		{ p->raw + ma + RADIUS_MESSAGE_AUTH_SIZE, p->length - ma - RADIUS_MESSAGE_AUTH_SIZE },
	};
	crypto_hmac_md5(secret, secret_len, parts, sizeof(parts) / sizeof(parts[0]), out);
}

/* MD5(Code Id Length auth Attributes Secret): the Response Authenticator
 * (RFC 2865 §3) with the request's authenticator, the accounting/CoA
 * Request Authenticator (RFC 2866 §3) with zeros. */
static void md5_authenticator(const struct radius_packet *p, const uint8_t auth[RADIUS_AUTH_SIZE],
			      const uint8_t *secret, size_t secret_len, uint8_t out[RADIUS_AUTH_SIZE])
{
	struct crypto_part parts[] = {
		{ p->raw, 4 },
		{ auth, RADIUS_AUTH_SIZE },
		{ p->attrs, p->attrs_len },
		{ secret, secret_len },
	};
	crypto_md5(parts, sizeof(parts) / sizeof(parts[0]), out);
}

bool radius_sign_request(uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len)
{
	struct radius_packet p;
	if (radius_packet_parse(buf, len, &p) != RADIUS_PARSE_OK)
		return false;
	bool computed = request_auth_is_computed(p.code);
	if (computed)
		memset(buf + 4, 0, RADIUS_AUTH_SIZE);
	if (p.message_auth_offset) {
		uint8_t mac[RADIUS_MESSAGE_AUTH_SIZE];
		message_auth(&p, buf + 4, secret, secret_len, mac);
		memcpy(buf + p.message_auth_offset, mac, sizeof(mac));
	}
	if (computed) {
		uint8_t auth[RADIUS_AUTH_SIZE];
		md5_authenticator(&p, zero16, secret, secret_len, auth);
		memcpy(buf + 4, auth, sizeof(auth));
	}
	return true;
}

bool radius_sign_reply(uint8_t *buf, size_t len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
		       const uint8_t *secret, size_t secret_len)
{
	struct radius_packet p;
	if (radius_packet_parse(buf, len, &p) != RADIUS_PARSE_OK)
		return false;
	if (p.message_auth_offset) {
		uint8_t mac[RADIUS_MESSAGE_AUTH_SIZE];
		message_auth(&p, request_auth, secret, secret_len, mac);
		memcpy(buf + p.message_auth_offset, mac, sizeof(mac));
	}
	uint8_t auth[RADIUS_AUTH_SIZE];
	md5_authenticator(&p, request_auth, secret, secret_len, auth);
	memcpy(buf + 4, auth, sizeof(auth));
	return true;
}

const char *radius_verdict_name(enum radius_verdict v)
{
	switch (v) {
	case RADIUS_VERDICT_OK: return "ok";
	case RADIUS_VERDICT_MALFORMED: return "malformed";
	case RADIUS_VERDICT_UNEXPECTED_CODE: return "unexpected code";
	case RADIUS_VERDICT_BAD_AUTHENTICATOR: return "bad authenticator";
	case RADIUS_VERDICT_NO_MESSAGE_AUTH: return "no Message-Authenticator";
	case RADIUS_VERDICT_BAD_MESSAGE_AUTH: return "bad Message-Authenticator";
	case RADIUS_VERDICT_UNMATCHED: return "no matching request";
	}
	return "?";
}

bool radius_reply_code_matches(uint8_t request_code, uint8_t reply_code)
{
	switch (request_code) {
	case RADIUS_ACCESS_REQUEST:
		return reply_code == RADIUS_ACCESS_ACCEPT || reply_code == RADIUS_ACCESS_REJECT ||
		       reply_code == RADIUS_ACCESS_CHALLENGE;
	case RADIUS_ACCOUNTING_REQUEST:
		return reply_code == RADIUS_ACCOUNTING_RESPONSE;
	case RADIUS_STATUS_SERVER:
		/* RFC 5997 §3: Access-Accept from an auth port, Accounting-Response from an acct port. */
		return reply_code == RADIUS_ACCESS_ACCEPT || reply_code == RADIUS_ACCOUNTING_RESPONSE;
	case RADIUS_DISCONNECT_REQUEST:
		return reply_code == RADIUS_DISCONNECT_ACK || reply_code == RADIUS_DISCONNECT_NAK;
	case RADIUS_COA_REQUEST:
		return reply_code == RADIUS_COA_ACK || reply_code == RADIUS_COA_NAK;
	default:
		return false;
	}
}

enum radius_verdict radius_verify_reply(const struct radius_packet *reply, uint8_t request_code,
					const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *secret,
					size_t secret_len)
{
	if (!radius_reply_code_matches(request_code, reply->code))
		return RADIUS_VERDICT_UNEXPECTED_CODE;
	/* Both checks always run, so the time taken says nothing about which failed. */
	uint8_t want[RADIUS_AUTH_SIZE];
	md5_authenticator(reply, request_auth, secret, secret_len, want);
	bool auth_ok = crypto_equal(want, reply->authenticator, RADIUS_AUTH_SIZE);
	bool mac_ok = true;
	if (reply->message_auth_offset) {
		uint8_t mac[RADIUS_MESSAGE_AUTH_SIZE];
		message_auth(reply, request_auth, secret, secret_len, mac);
		mac_ok = crypto_equal(mac, reply->raw + reply->message_auth_offset, RADIUS_MESSAGE_AUTH_SIZE);
	}
	if (!auth_ok)
		return RADIUS_VERDICT_BAD_AUTHENTICATOR;
	if (!reply->message_auth_offset && message_auth_required(request_code))
		return RADIUS_VERDICT_NO_MESSAGE_AUTH;
	if (!mac_ok)
		return RADIUS_VERDICT_BAD_MESSAGE_AUTH;
	return RADIUS_VERDICT_OK;
}

enum radius_verdict radius_verify_request(const struct radius_packet *req, const uint8_t *secret, size_t secret_len)
{
	bool auth_ok = true;
	if (request_auth_is_computed(req->code)) {
		uint8_t want[RADIUS_AUTH_SIZE];
		md5_authenticator(req, zero16, secret, secret_len, want);
		auth_ok = crypto_equal(want, req->authenticator, RADIUS_AUTH_SIZE);
	}
	bool mac_ok = true;
	if (req->message_auth_offset) {
		uint8_t mac[RADIUS_MESSAGE_AUTH_SIZE];
		const uint8_t *auth = request_auth_is_computed(req->code) ? zero16 : req->authenticator;
		message_auth(req, auth, secret, secret_len, mac);
		mac_ok = crypto_equal(mac, req->raw + req->message_auth_offset, RADIUS_MESSAGE_AUTH_SIZE);
	}
	if (!auth_ok)
		return RADIUS_VERDICT_BAD_AUTHENTICATOR;
	if (!req->message_auth_offset && message_auth_required(req->code))
		return RADIUS_VERDICT_NO_MESSAGE_AUTH;
	if (!mac_ok)
		return RADIUS_VERDICT_BAD_MESSAGE_AUTH;
	return RADIUS_VERDICT_OK;
}
