/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_dae.h"

#include <string.h>

#include "base/ipv4_text.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_sign.h"

const char *radius_dae_drop_name(enum radius_dae_drop d)
{
	switch (d) {
	case RADIUS_DAE_ACCEPTED: return "accepted";
	case RADIUS_DAE_DROP_MALFORMED: return "malformed";
	case RADIUS_DAE_DROP_CODE: return "not a Disconnect-Request or CoA-Request";
	case RADIUS_DAE_DROP_AUTHENTICATOR: return "bad authenticator";
	case RADIUS_DAE_DROP_REPLAY: return "Event-Timestamp outside the window";
	}
	return "?";
}

/* A session key (Acct-Session-Id, User-Name) as a C string, or false: a
 * value with a NUL or longer than we keep would, cut, name another
 * session ("abc\0x" or a long id's prefix matching "abc"). */
static bool copy_string(char *dst, size_t cap, const struct radius_attr *a)
{
	if (a->len > cap - 1 || memchr(a->value, '\0', a->len))
		return false;
	memcpy(dst, a->value, a->len);
	dst[a->len] = '\0';
	return true;
}

static uint32_t u32_of(const struct radius_attr *a)
{
	return (uint32_t)a->value[0] << 24 | (uint32_t)a->value[1] << 16 | (uint32_t)a->value[2] << 8 | a->value[3];
}

/* One attribute of a request: identification, NAS, CoA changes, or 401. */
static void take_attr(const struct radius_attr *a, const struct radius_dae_config *cfg, struct radius_dae_request *r)
{
	bool u32 = a->len == 4;
	if (a->vendor) {
		r->error = r->error ? r->error : RADIUS_DAE_UNSUPPORTED_ATTRIBUTE;
		return;
	}
	switch (a->type) {
	case RADIUS_ATTR_ACCT_SESSION_ID:
		if (!copy_string(r->acct_session_id, sizeof(r->acct_session_id), a))
			r->error = r->error ? r->error : RADIUS_DAE_INVALID_REQUEST;
		return;
	case RADIUS_ATTR_USER_NAME:
		if (!copy_string(r->user_name, sizeof(r->user_name), a))
			r->error = r->error ? r->error : RADIUS_DAE_INVALID_REQUEST;
		return;
	case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		if (u32) {
			r->has_framed_ip = true;
			r->framed_ip = u32_of(a);
			return;
		}
		break;
	case RADIUS_ATTR_NAS_PORT:
		if (u32) {
			r->has_nas_port = true;
			r->nas_port = u32_of(a);
			return;
		}
		break;
	case RADIUS_ATTR_CALLING_STATION_ID:
		if (ipv4_parse_n((const char *)a->value, a->len, &r->calling_station) == 0) {
			r->has_calling_station = true;
			return;
		}
		r->error = r->error ? r->error : RADIUS_DAE_SESSION_NOT_FOUND; /* no session has it */
		return;
	case RADIUS_ATTR_NAS_IP_ADDRESS:
		if (u32 && cfg->nas_ip && u32_of(a) != cfg->nas_ip)
			r->error = RADIUS_DAE_NAS_MISMATCH;
		return;
	case RADIUS_ATTR_NAS_IDENTIFIER:
		if (cfg->nas_identifier &&
		    (a->len != strlen(cfg->nas_identifier) || memcmp(a->value, cfg->nas_identifier, a->len) != 0))
			r->error = RADIUS_DAE_NAS_MISMATCH;
		return;
	case RADIUS_ATTR_EVENT_TIMESTAMP:
	case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
		return; /* checked before */
	case RADIUS_ATTR_SESSION_TIMEOUT:
	case RADIUS_ATTR_IDLE_TIMEOUT:
	case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
		if (r->code == RADIUS_COA_REQUEST && u32) {
			uint32_t v = u32_of(a);
			if (a->type == RADIUS_ATTR_SESSION_TIMEOUT) {
				r->has_session_timeout = true;
				r->session_timeout = v;
			} else if (a->type == RADIUS_ATTR_IDLE_TIMEOUT) {
				r->has_idle_timeout = true;
				r->idle_timeout = v;
			} else {
				r->has_interim = true;
				r->interim_interval = v;
			}
			return;
		}
		break;
	default:
		break;
	}
	if (!r->error || r->error == RADIUS_DAE_SESSION_NOT_FOUND)
		r->error = RADIUS_DAE_UNSUPPORTED_ATTRIBUTE;
}

enum radius_dae_drop radius_dae_check(const uint8_t *buf, size_t len, const struct radius_dae_config *cfg,
				      uint64_t now_s, struct radius_packet *pkt, struct radius_dae_request *out)
{
	memset(out, 0, sizeof(*out));
	if (radius_packet_parse(buf, len, pkt) != RADIUS_PARSE_OK)
		return RADIUS_DAE_DROP_MALFORMED;
	if (pkt->code != RADIUS_DISCONNECT_REQUEST && pkt->code != RADIUS_COA_REQUEST)
		return RADIUS_DAE_DROP_CODE;
	if (radius_verify_request(pkt, cfg->secret, cfg->secret_len) != RADIUS_VERDICT_OK)
		return RADIUS_DAE_DROP_AUTHENTICATOR;
	uint32_t ts;
	if (radius_find_u32(pkt, 0, RADIUS_ATTR_EVENT_TIMESTAMP, &ts)) {
		uint64_t t = ts;
		if (t + cfg->window_s < now_s || t > now_s + cfg->window_s)
			return RADIUS_DAE_DROP_REPLAY;
	}
	out->code = pkt->code;
	struct radius_attr_iter it;
	struct radius_attr a;
	radius_attr_iter_init(&it, pkt);
	while (radius_attr_next(&it, &a))
		take_attr(&a, cfg, out);
	bool identified = out->acct_session_id[0] || out->user_name[0] || out->has_framed_ip || out->has_nas_port ||
			  out->has_calling_station;
	if (!out->error && !identified)
		out->error = RADIUS_DAE_INVALID_REQUEST; /* §3: no session identification */
	return RADIUS_DAE_ACCEPTED;
}

size_t radius_dae_reply(uint8_t *buf, size_t cap, const struct radius_packet *req, enum radius_dae_error error,
			const uint8_t *secret, size_t secret_len)
{
	uint8_t code;
	if (req->code == RADIUS_DISCONNECT_REQUEST)
		code = error ? RADIUS_DISCONNECT_NAK : RADIUS_DISCONNECT_ACK;
	else
		code = error ? RADIUS_COA_NAK : RADIUS_COA_ACK;
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, code, req->id, NULL);
	if (error)
		radius_put_u32(&b.w, RADIUS_ATTR_ERROR_CAUSE, (uint32_t)error);
	radius_put_message_auth(&b.w);
	size_t n = radius_build_end(&b);
	if (!n || !radius_sign_reply(buf, n, req->authenticator, secret, secret_len))
		return 0;
	return n;
}
