/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any datagram as a RADIUS packet: the parser, attribute iteration with
 * Vendor-Specific flattening, EAP reassembly, MS-CHAP reply attributes,
 * reply and request verification (the Dynamic Authorization path checks
 * requests the same way), and the client engine receiving it as a reply
 * to an outstanding Access-Request (whose Identifier the input's second
 * byte may well hit). */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_client.h"
#include "proto/radius/radius_mschap.h"
#include "proto/radius/radius_packet.h"
#include "proto/radius/radius_sign.h"

static const uint8_t secret[] = "testing123";

static void fixed_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0, len); /* Identifier 0 and a zero authenticator: reachable */
}

static void ignore_send(void *ctx, const struct radius_datagram *d)
{
	(void)ctx;
	(void)d;
}

static void exercise_engine(const uint8_t *data, size_t size)
{
	struct radius_client_config cfg = {
		.sockets = 1, .timeout_ms = 1000, .retries = 1, .probe_interval_ms = 5000, .max_outstanding = 2
	};
	cfg.n_servers[RADIUS_SERVICE_AUTH] = 1;
	memcpy(cfg.servers[RADIUS_SERVICE_AUTH][0].secret, secret, sizeof(secret) - 1);
	cfg.servers[RADIUS_SERVICE_AUTH][0].secret_len = sizeof(secret) - 1;
	struct random_source rs = { .fill = fixed_fill, .ctx = NULL };
	struct radius_client *c = radius_client_new(&cfg, &rs, ignore_send, NULL);
	if (!c)
		abort();
	uint8_t attrs[16];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	radius_put_string(&w, RADIUS_ATTR_USER_NAME, "u");
	struct radius_request r = { .service = RADIUS_SERVICE_AUTH, .code = RADIUS_ACCESS_REQUEST, .attrs = attrs, .attrs_len = writer_len(&w), .handle = 1 };
	if (radius_client_submit(c, &r, 0) != 0)
		abort();
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, data, size, 1);
	struct radius_event ev;
	while (radius_client_next_event(c, &ev)) {
		if (ev.type == RADIUS_EV_REPLY && ev.reply.length > size)
			abort();
	}
	radius_client_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_level(LOG_LEVEL_ERROR);
	struct radius_packet p;
	if (radius_packet_parse(data, size, &p) == RADIUS_PARSE_OK) {
		if (p.length > size || p.attrs + p.attrs_len > data + size)
			abort();
		struct radius_attr_iter it;
		struct radius_attr a;
		radius_attr_iter_init(&it, &p);
		while (radius_attr_next(&it, &a)) {
			if (a.value < data || a.value + a.len > data + p.length)
				abort();
		}
		uint8_t eap[RADIUS_MAX_PACKET];
		(void)radius_eap_reassemble(&p, eap, sizeof(eap));
		struct radius_mschap_message m;
		unsigned err;
		(void)radius_mschap2_success(&p, &m);
		(void)radius_mschap_error(&p, &m, &err);
		uint32_t v;
		(void)radius_find_u32(&p, 0, RADIUS_ATTR_FRAMED_IP_ADDRESS, &v);
		static const uint8_t zero[16];
		(void)radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, zero, secret, sizeof(secret) - 1);
		(void)radius_verify_request(&p, secret, sizeof(secret) - 1);
	}
	exercise_engine(data, size);
	return 0;
}
