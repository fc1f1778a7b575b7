/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_mschap.h"

#include <string.h>

#include "proto/radius/radius_build.h"

void radius_put_mschap2(struct writer *w, uint8_t ident, const uint8_t auth_challenge[16],
			const uint8_t peer_challenge[16], const uint8_t nt_response[24])
{
	uint8_t v[RADIUS_MSCHAP2_RESPONSE_SIZE] = { 0 };
	v[0] = ident;
	v[1] = 0; /* Flags: RFC 2548 §2.3.2 "MUST be 0" */
	memcpy(v + 2, peer_challenge, 16);
	/* v[18..26) Reserved, zero */
	memcpy(v + 26, nt_response, 24);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE, auth_challenge, 16);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE, v, sizeof(v));
}

void radius_put_mschap1(struct writer *w, uint8_t ident, const uint8_t challenge[8], const uint8_t lm_response[24],
			const uint8_t nt_response[24], bool use_nt)
{
	uint8_t v[RADIUS_MSCHAP_RESPONSE_SIZE] = { 0 };
	v[0] = ident;
	v[1] = use_nt ? 1 : 0;
	if (lm_response)
		memcpy(v + 2, lm_response, 24);
	memcpy(v + 26, nt_response, 24);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE, challenge, 8);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_RESPONSE, v, sizeof(v));
}

void radius_put_chap(struct writer *w, uint8_t ident, const uint8_t response[16], const uint8_t *challenge,
		     size_t challenge_len)
{
	uint8_t v[17];
	v[0] = ident;
	memcpy(v + 1, response, 16);
	radius_put_attr(w, RADIUS_ATTR_CHAP_PASSWORD, v, sizeof(v));
	radius_put_attr(w, RADIUS_ATTR_CHAP_CHALLENGE, challenge, challenge_len);
}

static bool ident_and_text(const struct radius_packet *pkt, uint8_t type, struct radius_mschap_message *out)
{
	struct radius_attr a;
	if (!radius_find(pkt, RADIUS_VENDOR_MICROSOFT, type, &a) || a.len < 1)
		return false;
	out->ident = a.value[0];
	out->text = (const char *)a.value + 1;
	out->len = a.len - 1;
	return true;
}

bool radius_mschap2_success(const struct radius_packet *pkt, struct radius_mschap_message *out)
{
	/* RFC 2759 §5: "S=" and 40 hex digits at least. */
	if (!ident_and_text(pkt, RADIUS_MS_CHAP2_SUCCESS, out))
		return false;
	return out->len >= 42 && out->text[0] == 'S' && out->text[1] == '=';
}

bool radius_mschap_error(const struct radius_packet *pkt, struct radius_mschap_message *out, unsigned *error)
{
	*error = 0;
	if (!ident_and_text(pkt, RADIUS_MS_CHAP_ERROR, out))
		return false;
	if (out->len >= 3 && out->text[0] == 'E' && out->text[1] == '=') {
		unsigned e = 0;
		for (size_t i = 2; i < out->len && i < 12 && out->text[i] >= '0' && out->text[i] <= '9'; i++)
			e = e * 10 + (unsigned)(out->text[i] - '0');
		*error = e;
	}
	return true;
}

int radius_eap_reassemble(const struct radius_packet *pkt, uint8_t *out, size_t cap)
{
	struct radius_attr_iter it;
	struct radius_attr a;
	size_t n = 0;
	radius_attr_iter_init(&it, pkt);
	while (radius_attr_next(&it, &a)) {
		if (a.vendor != 0 || a.type != RADIUS_ATTR_EAP_MESSAGE)
			continue;
		if (a.len > cap - n)
			return -1;
		memcpy(out + n, a.value, a.len);
		n += a.len;
	}
	if (n == 0)
		return 0;
	/* RFC 3748 §4: Code, Identifier, Length (2). */
	if (n < 4 || load_be16(out + 2) != n)
		return -1;
	return (int)n;
}
