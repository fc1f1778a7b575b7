/* SPDX-License-Identifier: BSD-2-Clause */
/* Control-protocol packet and option-list codec; see packet.h. */
#include "proto/ppp/packet.h"

#include "base/error.h"

int ppp_cp_parse(const uint8_t *buf, size_t len, struct ppp_cp_packet *out)
{
	struct reader r;
	reader_init(&r, buf, len);
	out->code = reader_u8(&r);
	out->id = reader_u8(&r);
	out->length = reader_u16(&r);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	if (out->length < PPP_CP_HEADER_LEN)
		return ERR_LENGTH;
	if (out->length > len)
		return ERR_TRUNCATED;
	out->data_len = out->length - PPP_CP_HEADER_LEN;
	out->data = buf + PPP_CP_HEADER_LEN;
	return 0;
}

int ppp_option_next(struct reader *r, struct ppp_option *opt)
{
	if (reader_remaining(r) == 0)
		return 0;
	if (!reader_has(r, 2))
		return ERR_TRUNCATED;
	opt->type = reader_u8(r);
	opt->len = reader_u8(r);
	if (opt->len < 2)
		return ERR_LENGTH;
	opt->value_len = (size_t)opt->len - 2;
	if (!reader_has(r, opt->value_len))
		return ERR_TRUNCATED;
	opt->value = reader_ptr(r, opt->value_len);
	if (!opt->value)
		opt->value = r->data + r->pos;
	return 1;
}

int ppp_options_validate(const uint8_t *buf, size_t len)
{
	struct reader r;
	struct ppp_option opt;
	int n = 0, rc;
	reader_init(&r, buf, len);
	while ((rc = ppp_option_next(&r, &opt)) == 1)
		n++;
	return rc < 0 ? rc : n;
}

void ppp_cp_begin(struct writer *w, uint8_t code, uint8_t id)
{
	writer_u8(w, code);
	writer_u8(w, id);
	writer_u16(w, 0);
}

int ppp_cp_finish(struct writer *w)
{
	if (!writer_ok(w) || w->pos > 0xFFFF)
		return ERR_NOSPACE;
	store_be16(w->data + 2, (uint16_t)w->pos);
	return (int)w->pos;
}

void ppp_option_put(struct writer *w, uint8_t type, const void *value, size_t value_len)
{
	if (value_len > 253) {
		w->overflow = true;
		return;
	}
	writer_u8(w, type);
	writer_u8(w, (uint8_t)(value_len + 2));
	writer_bytes(w, value, value_len);
}
