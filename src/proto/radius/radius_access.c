/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_access.h"

#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/ipv4_text.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/mschap_crypto.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"
#include "proto/radius/radius_mschap.h"

/* RFC 2865 §5.6, §5.7, §5.41; RFC 2868 §3.1-3.3 (tag 0). */
#define SERVICE_TYPE_FRAMED 2
#define FRAMED_PROTOCOL_PPP 1
#define NAS_PORT_TYPE_VIRTUAL 5
#define TUNNEL_TYPE_PPTP 1
#define TUNNEL_MEDIUM_IPV4 1

static void put_address_text(struct writer *w, uint8_t type, uint32_t addr)
{
	char text[IPV4_STR_MAX];
	radius_put_string(w, type, ipv4_format(addr, text));
}

void radius_put_nas(struct writer *w, const struct radius_nas_info *nas)
{
	if (nas->nas_ip)
		radius_put_u32(w, RADIUS_ATTR_NAS_IP_ADDRESS, nas->nas_ip);
	if (nas->nas_identifier && nas->nas_identifier[0])
		radius_put_string(w, RADIUS_ATTR_NAS_IDENTIFIER, nas->nas_identifier);
	radius_put_u32(w, RADIUS_ATTR_NAS_PORT, nas->nas_port);
	radius_put_u32(w, RADIUS_ATTR_NAS_PORT_TYPE, NAS_PORT_TYPE_VIRTUAL);
	radius_put_u32(w, RADIUS_ATTR_SERVICE_TYPE, SERVICE_TYPE_FRAMED);
	radius_put_u32(w, RADIUS_ATTR_FRAMED_PROTOCOL, FRAMED_PROTOCOL_PPP);
	radius_put_u32(w, RADIUS_ATTR_TUNNEL_TYPE, TUNNEL_TYPE_PPTP);
	radius_put_u32(w, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, TUNNEL_MEDIUM_IPV4);
	if (nas->calling_station) {
		put_address_text(w, RADIUS_ATTR_CALLING_STATION_ID, nas->calling_station);
		put_address_text(w, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, nas->calling_station);
	}
	if (nas->called_station)
		put_address_text(w, RADIUS_ATTR_CALLED_STATION_ID, nas->called_station);
	if (nas->acct_session_id)
		radius_put_string(w, RADIUS_ATTR_ACCT_SESSION_ID, nas->acct_session_id);
	/* A Windows peer's two texts, passed unchanged (already printable and
	 * bounded by LCP): "MSRASV..." is the version, "MSRAS-..." the name. */
	for (int i = 0; i < 2; i++) {
		const char *t = nas->peer_ident[i];
		if (t && strncmp(t, "MSRASV", 6) == 0)
			radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_VERSION, t, strlen(t));
		else if (t && strncmp(t, "MSRAS-", 6) == 0)
			radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_NAME, t, strlen(t));
	}
}

bool radius_access_attrs(struct writer *w, const struct auth_verify_request *r, const struct radius_nas_info *nas)
{
	radius_put_string(w, RADIUS_ATTR_USER_NAME, r->user);
	switch (r->method) {
	case AUTH_METHOD_PAP:
		break; /* User-Password: radius_request.password */
	case AUTH_METHOD_CHAP_MD5:
		if (r->value_len != 16 || r->challenge_len == 0)
			return false;
		radius_put_chap(w, r->id, r->value, r->challenge, r->challenge_len);
		break;
	case AUTH_METHOD_MSCHAPV1:
		/* RFC 2433 §6 Response Value: LM (24), NT (24), use-NT flag. */
		if (r->value_len != 49 || r->challenge_len != MSCHAP_V1_CHALLENGE_SIZE)
			return false;
		radius_put_mschap1(w, r->id, r->challenge, r->value, r->value + 24, r->value[48] != 0);
		break;
	case AUTH_METHOD_MSCHAPV2:
		/* RFC 2759 §4: Peer-Challenge (16), Reserved (8), NT-Response (24), Flags. */
		if (r->value_len != 49 || r->challenge_len != MSCHAP_V2_CHALLENGE_SIZE)
			return false;
		radius_put_mschap2(w, r->id, r->challenge, r->value, r->value + 24);
		break;
	case AUTH_METHOD_EAP_MD5:
		/* RFC 3579 §3.1: the peer's EAP packet, in 253-byte pieces; the
		 * State of the last Access-Challenge echoed (§2.6.1 / RFC 2865
		 * §5.24); Message-Authenticator is on every request anyway. */
		if (!r->eap || r->eap_len < 4 || r->eap_len > AUTH_VERIFY_EAP_MAX || (r->state_len && !r->state) || r->state_len > AUTH_VERIFY_STATE_MAX)
			return false;
		radius_put_eap_message(w, r->eap, r->eap_len);
		if (r->state_len)
			radius_put_attr(w, RADIUS_ATTR_STATE, r->state, r->state_len);
		break;
	default:
		return false;
	}
	radius_put_nas(w, nas);
	return writer_ok(w);
}

static void copy_text(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	size_t n = len < cap - 1 ? len : cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '.';
	dst[n] = '\0';
}

static void read_grant(const struct radius_packet *p, struct radius_grant *g)
{
	struct radius_attr a;
	uint32_t ip;
	if (radius_find_u32(p, 0, RADIUS_ATTR_FRAMED_IP_ADDRESS, &ip) && ip != 0xfffffffeu && ip != 0xffffffffu)
		g->framed_ip = ip; /* RFC 2865 §5.8: 0xFFFFFFFE = the NAS picks (our pool) */
	(void)radius_find_u32(p, 0, RADIUS_ATTR_SESSION_TIMEOUT, &g->session_timeout);
	(void)radius_find_u32(p, 0, RADIUS_ATTR_IDLE_TIMEOUT, &g->idle_timeout);
	(void)radius_find_u32(p, 0, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, &g->interim_interval);
	(void)radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_PRIMARY_DNS_SERVER, &g->dns[0]);
	(void)radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_SECONDARY_DNS_SERVER, &g->dns[1]);
	(void)radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_PRIMARY_NBNS_SERVER, &g->nbns[0]);
	(void)radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_SECONDARY_NBNS_SERVER, &g->nbns[1]);
	uint32_t mtu;
	if (radius_find_u32(p, 0, RADIUS_ATTR_FRAMED_MTU, &mtu) && mtu >= 576 && mtu <= 65535)
		g->mtu = (uint16_t)mtu;
	if (radius_find(p, 0, RADIUS_ATTR_CLASS, &a) && a.len <= sizeof(g->class_value)) {
		memcpy(g->class_value, a.value, a.len);
		g->class_len = a.len;
	}
	if (radius_find(p, 0, RADIUS_ATTR_REPLY_MESSAGE, &a))
		copy_text(g->reply_message, sizeof(g->reply_message), a.value, a.len);
	if (radius_find(p, 0, RADIUS_ATTR_FILTER_ID, &a))
		copy_text(g->filter_id, sizeof(g->filter_id), a.value, a.len);
	(void)radius_find_u32(p, 0, RADIUS_ATTR_FRAMED_IP_NETMASK, &g->netmask);
	if (radius_find(p, 0, RADIUS_ATTR_FRAMED_POOL, &a))
		copy_text(g->pool, sizeof(g->pool), a.value, a.len);
	(void)radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_POLICY, &g->mppe_policy);
	g->mppe_types_set =
		radius_find_u32(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_TYPES, &g->mppe_types);
	struct radius_attr_iter it;
	radius_attr_iter_init(&it, p);
	while (radius_attr_next(&it, &a))
		if (a.vendor == 0 && a.type == RADIUS_ATTR_FRAMED_ROUTE && g->framed_routes < 4)
			copy_text(g->framed_route[g->framed_routes++], sizeof(g->framed_route[0]), a.value, a.len);
}

/* RFC 2548 §2.4.2-3 (MS-CHAPv2), §2.4.1 (MS-CHAPv1); false when an
 * MS-CHAP Accept has no usable keys. */
static bool read_keys(const struct radius_event *ev, const struct auth_verify_request *r, struct auth_mppe_material *m)
{
	const struct radius_packet *p = &ev->reply;
	struct radius_attr s, rv;
	if (radius_find(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &s) &&
	    radius_find(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, &rv)) {
		if (radius_mppe_key_decrypt(ev->secret, ev->secret_len, ev->request_auth, s.value, s.len, m->send_key,
					    sizeof(m->send_key), &m->send_key_len) != RADIUS_MPPE_KEY_OK ||
		    radius_mppe_key_decrypt(ev->secret, ev->secret_len, ev->request_auth, rv.value, rv.len, m->recv_key,
					    sizeof(m->recv_key), &m->recv_key_len) != RADIUS_MPPE_KEY_OK ||
		    m->send_key_len < 16 || m->recv_key_len < 16)
			return false;
		m->valid = m->raw_keys = m->is_server = true;
		return true;
	}
	struct radius_attr k;
	uint8_t lm[8];
	if (r->method == AUTH_METHOD_MSCHAPV1 && radius_find(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_MPPE_KEYS, &k) &&
	    radius_mschap_mppe_keys_decrypt(ev->secret, ev->secret_len, ev->request_auth, k.value, k.len, lm,
					    m->password_hash_hash)) {
		/* The NT-Key is the NT password hash's hash: RFC 3079 §2.4
		 * Get_Start_Key from it and our challenge, as with a local secret. */
		crypto_wipe(lm, sizeof(lm));
		memcpy(m->challenge, r->challenge, MSCHAP_V1_CHALLENGE_SIZE);
		m->valid = m->is_server = true;
		return true;
	}
	return false;
}

/* "E=691 R=0 ..." -> 691 (RFC 2759 §6). */
static unsigned mschap_error_code(const struct radius_packet *p)
{
	struct radius_mschap_message m;
	unsigned e = 0;
	if (radius_mschap_error(p, &m, &e))
		return e;
	return 0;
}

/* RFC 3579 §2.1: the EAP packet of the reply and the State to echo.
 * False when the EAP-Message pieces do not make one bounded EAP packet. */
static bool read_eap(const struct radius_packet *p, struct auth_verdict *v)
{
	struct radius_attr st;
	int n = radius_eap_reassemble(p, v->eap, sizeof(v->eap));
	if (n < 0) {
		v->eap_len = 0;
		return false;
	}
	v->eap_len = (size_t)n;
	if (radius_find(p, 0, RADIUS_ATTR_STATE, &st) && st.len <= sizeof(v->state)) {
		memcpy(v->state, st.value, st.len);
		v->state_len = st.len;
	}
	return true;
}

void radius_access_verdict(const struct radius_event *ev, const struct auth_verify_request *r,
			   struct auth_verdict *v, struct radius_grant *g)
{
	const struct radius_packet *p = &ev->reply;
	memset(v, 0, sizeof(*v));
	memset(g, 0, sizeof(*g));
	read_grant(p, g);
	bool eap = r->method == AUTH_METHOD_EAP_MD5;
	if (eap && !read_eap(p, v)) {
		v->cause = AUTH_CAUSE_REJECTED;
		snprintf(v->reason, sizeof(v->reason), "RADIUS %s with a malformed EAP-Message", radius_code_name(p->code));
		return;
	}
	if (eap && p->code == RADIUS_ACCESS_CHALLENGE) {
		/* Not decided: the EAP Request goes to the peer (eap_relay.h). */
		if (v->eap_len < 5) {
			v->cause = AUTH_CAUSE_REJECTED;
			snprintf(v->reason, sizeof(v->reason), "RADIUS Access-Challenge without an EAP-Message");
			return;
		}
		v->eap_challenge = true;
		v->cause = AUTH_CAUSE_NONE;
		return;
	}
	if (p->code != RADIUS_ACCESS_ACCEPT) {
		v->cause = AUTH_CAUSE_WRONG_PASSWORD;
		v->mschap_error = mschap_error_code(p);
		if (v->mschap_error && v->mschap_error != MSCHAP_ERROR_AUTHENTICATION_FAILURE)
			v->cause = AUTH_CAUSE_REJECTED;
		snprintf(v->message, sizeof(v->message), "%s", g->reply_message);
		snprintf(v->reason, sizeof(v->reason), "RADIUS %s%s%.100s", radius_code_name(p->code),
			 g->reply_message[0] ? ": " : "", g->reply_message);
		return;
	}
	if (r->method == AUTH_METHOD_MSCHAPV2) {
		struct radius_mschap_message m;
		if (!radius_mschap2_success(p, &m)) {
			v->cause = AUTH_CAUSE_REJECTED;
			snprintf(v->reason, sizeof(v->reason), "RADIUS Access-Accept without MS-CHAP2-Success");
			return;
		}
		copy_text(v->message, sizeof(v->message), (const uint8_t *)m.text, m.len);
	} else if (r->method == AUTH_METHOD_PAP) {
		snprintf(v->message, sizeof(v->message), "%s", g->reply_message);
	}
	if ((r->method == AUTH_METHOD_MSCHAPV2 || r->method == AUTH_METHOD_MSCHAPV1 || eap) && !read_keys(ev, r, &v->mppe)) {
		/* Not fatal here: a link that needs MPPE fails at CCP with a
		 * clear reason; one that does not runs without. */
		crypto_wipe(&v->mppe, sizeof(v->mppe));
	}
	v->cause = AUTH_CAUSE_NONE;
}
