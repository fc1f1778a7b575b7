/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-TLS framing (RFC 5216 §3.1-3.2): see eap_tls_frame.h. */
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/eap_tls_frame.h"

int eap_tls_fragment_parse(const uint8_t *p, size_t len, struct eap_tls_fragment *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return ERR_TRUNCATED;
	out->flags = p[0];
	size_t pos = 1;
	if (out->flags & EAP_TLS_FLAG_L) {
		if (len < 5)
			return ERR_TRUNCATED;
		out->has_length = true;
		out->total_len = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
		pos = 5;
	}
	out->data = p + pos;
	out->data_len = len - pos;
	if (out->flags & EAP_TLS_FLAG_S) {
		/* §3.1: the Start carries no TLS data (our own restriction on
		 * M and L: a Start with them is not one we can interpret). */
		if (out->flags & (EAP_TLS_FLAG_M | EAP_TLS_FLAG_L) || out->data_len)
			return ERR_MALFORMED;
		return 0;
	}
	if (out->has_length &&
	    (out->total_len == 0 || out->total_len > EAP_TLS_MAX_MESSAGE || out->total_len < out->data_len))
		return ERR_LENGTH;
	/* M with no data would make no progress: a peer looping us. */
	if ((out->flags & EAP_TLS_FLAG_M) && out->data_len == 0)
		return ERR_LENGTH;
	if (out->data_len > EAP_TLS_MAX_MESSAGE)
		return ERR_LENGTH;
	return 0;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	if (n > EAP_TLS_MAX_MESSAGE)
		n = EAP_TLS_MAX_MESSAGE;
	if (n < need)
		return ERR_LIMIT;
	uint8_t *b = realloc(*buf, n);
	if (!b)
		return ERR_NOMEM;
	*buf = b;
	*cap = n;
	return 0;
}

void eap_tls_reasm_reset(struct eap_tls_reasm *r)
{
	if (r->buf)
		crypto_wipe(r->buf, r->len);
	r->len = 0;
	r->expected = 0;
	r->active = false;
}

void eap_tls_reasm_destroy(struct eap_tls_reasm *r)
{
	eap_tls_reasm_reset(r);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

static int reasm_fail(struct eap_tls_reasm *r, int err)
{
	eap_tls_reasm_reset(r);
	return err;
}

int eap_tls_reasm_add(struct eap_tls_reasm *r, const struct eap_tls_fragment *f)
{
	if (!r->active) {
		eap_tls_reasm_reset(r);
		r->expected = f->has_length ? f->total_len : 0;
	} else if (f->has_length && f->total_len != r->expected) {
		/* Some peers repeat L on every fragment; it must not change. */
		return reasm_fail(r, ERR_MALFORMED);
	}
	size_t need = r->len + f->data_len;
	if (need > EAP_TLS_MAX_MESSAGE || (r->expected && need > r->expected))
		return reasm_fail(r, ERR_LENGTH);
	int rc = grow(&r->buf, &r->cap, need);
	if (rc < 0)
		return reasm_fail(r, rc == ERR_LIMIT ? ERR_LENGTH : rc);
	if (f->data_len)
		memcpy(r->buf + r->len, f->data, f->data_len);
	r->len = need;
	if (f->flags & EAP_TLS_FLAG_M) {
		r->active = true;
		return EAP_TLS_REASM_MORE;
	}
	r->active = false;
	if (r->expected && r->len != r->expected)
		return reasm_fail(r, ERR_LENGTH);
	return EAP_TLS_REASM_COMPLETE;
}

int eap_tls_out_append(struct eap_tls_out *o, const uint8_t *data, size_t len)
{
	if (len > EAP_TLS_MAX_MESSAGE - o->len)
		return ERR_LIMIT;
	int rc = grow(&o->buf, &o->cap, o->len + len);
	if (rc < 0)
		return rc;
	memcpy(o->buf + o->len, data, len);
	o->len += len;
	return 0;
}

static void out_forget(struct eap_tls_out *o)
{
	if (o->buf)
		crypto_wipe(o->buf, o->len);
	o->len = 0;
	o->sent = 0;
}

int eap_tls_out_next(struct eap_tls_out *o, size_t max_type_data, struct writer *w)
{
	if (!eap_tls_out_pending(o))
		return ERR_STATE;
	if (max_type_data < EAP_TLS_HEADER_MAX + 1)
		return ERR_INVALID;
	bool first = o->sent == 0;
	size_t room = max_type_data - (first ? EAP_TLS_HEADER_MAX : 1);
	size_t left = o->len - o->sent;
	size_t n = left < room ? left : room;
	bool more = n < left;
	uint8_t flags = (uint8_t)((first ? EAP_TLS_FLAG_L : 0) | (more ? EAP_TLS_FLAG_M : 0));
	writer_u8(w, flags);
	if (first)
		writer_u32(w, (uint32_t)o->len);
	writer_bytes(w, o->buf + o->sent, n);
	if (!writer_ok(w))
		return ERR_NOSPACE;
	o->sent += n;
	if (!more)
		out_forget(o);
	return 0;
}

void eap_tls_out_destroy(struct eap_tls_out *o)
{
	out_forget(o);
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

void eap_tls_write_ack(struct writer *w)
{
	writer_u8(w, 0);
}

void eap_tls_write_start(struct writer *w)
{
	writer_u8(w, EAP_TLS_FLAG_S);
}
