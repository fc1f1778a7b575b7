/* SPDX-License-Identifier: BSD-2-Clause */
/* A Windows 10 PPTP client's control sequence, replayed frame by frame
 * against our server's ppp_link (issue 14 §6): LCP with Callback (option
 * 13) and Identification "MSRASV5.20" / "MSRAS-0-..." texts, MS-CHAPv2
 * verified remotely (as through RADIUS), CCP MPPE-128 stateless, IPCP with
 * options 3 and 129-132, IPV6CP. The frames follow the RFCs' formats with
 * the values Windows sends (written here from the RFCs, not a capture);
 * each answer of the server is checked option by option. */
#include "support/test_support.h"
#pragma GCC diagnostic ignored "-Wunused-function"

#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/pkt.h"
#include "proto/auth/auth.h"
#include "proto/session/ppp_link.h"

#define W_LOCAL 0xCB007101u  /* 203.0.113.1 */
#define W_ASSIGN 0xCB00710Au /* 203.0.113.10 */
#define W_DNS1 0xCB007135u
#define W_DNS2 0xCB007136u
#define W_MAX 64

struct frame {
	uint16_t protocol;
	uint8_t data[512];
	size_t len;
};

static struct frame out[W_MAX];
static unsigned n_out, taken;
static struct test_random rnd;

static void w_output(void *ctx, struct pkt *p)
{
	(void)ctx;
	const uint8_t *d = pkt_data(p);
	size_t n = p->len;
	if (n >= 2 && d[0] == 0xff && d[1] == 0x03) {
		d += 2;
		n -= 2;
	}
	assert_true(n_out < W_MAX);
	struct frame *f = &out[n_out++];
	if (d[0] & 1) { /* RFC 1661 §6.5 PFC: one-byte protocol */
		f->protocol = d[0];
		d++;
		n--;
	} else {
		f->protocol = load_be16(d);
		d += 2;
		n -= 2;
	}
	assert_true(n <= sizeof(f->data));
	memcpy(f->data, d, n);
	f->len = n;
	pkt_free(p);
}

static void w_deliver(void *ctx, struct pkt *p)
{
	(void)ctx;
	pkt_free(p);
}

static uint32_t w_assign(void *ctx, const char *user, uint32_t static_address)
{
	(void)ctx;
	(void)user;
	return static_address ? static_address : W_ASSIGN;
}

static void w_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	struct random_source rs = test_random_source(&rnd);
	rs.fill(rs.ctx, buf, len);
}

static struct ppp_link *w_link(unsigned auth)
{
	n_out = taken = 0;
	test_random_init(&rnd, 1013);
	struct ppp_link_config c;
	memset(&c, 0, sizeof(c));
	c.role = PPP_LINK_SERVER;
	c.tag = "win";
	c.random.fill = w_fill;
	c.auth_allowed = auth;
	c.remote_verify = true;
	c.mppe = (struct ppp_mppe_policy){ .required = true, .allow_128 = true };
	c.local_address = W_LOCAL;
	c.dns[0] = W_DNS1;
	c.dns[1] = W_DNS2;
	c.ipv6 = true;
	c.ipv6_interface_id = 0x0000000000000001ULL;
	c.output = w_output;
	c.deliver_ip = w_deliver;
	c.assign_address = w_assign;
	struct ppp_link *l = ppp_link_new(&c);
	assert_non_null(l);
	ppp_link_start(l, 0);
	return l;
}

/* One frame from "Windows": FF 03, the protocol, the hex packet. */
static void feed(struct ppp_link *l, uint16_t protocol, const char *hex)
{
	uint8_t buf[512];
	size_t n = test_hex(hex, buf, sizeof(buf));
	struct pkt *p = pkt_new(PKT_HEADROOM + n + 4, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, n + 4);
	d[0] = 0xff;
	d[1] = 0x03;
	store_be16(d + 2, protocol);
	memcpy(d + 4, buf, n);
	ppp_link_input(l, p, 0);
}

/* The next frame the server sent of this protocol and code (skipping
 * others, which stay for a later take). */
static const struct frame *take(uint16_t protocol, uint8_t code)
{
	for (unsigned i = taken; i < n_out; i++) {
		if (out[i].protocol == protocol && out[i].len >= 4 && out[i].data[0] == code) {
			static struct frame copy;
			copy = out[i];
			out[i].protocol = 0; /* taken */
			return &copy;
		}
	}
	fail_msg("no 0x%04x code %u among %u frames", protocol, code, n_out);
	return NULL;
}

/* The option `type` of a Configure packet f, or NULL. */
static const uint8_t *option(const struct frame *f, uint8_t type)
{
	size_t len = load_be16(f->data + 2);
	assert_true(len <= f->len);
	for (size_t i = 4; i + 2 <= len && f->data[i + 1] >= 2; i += f->data[i + 1])
		if (f->data[i] == type)
			return f->data + i;
	return NULL;
}

static void drain(struct ppp_link *l, enum ppp_link_event_type *seen, unsigned *n)
{
	struct ppp_link_event ev;
	while (ppp_link_next_event(l, &ev))
		if (*n < 16)
			seen[(*n)++] = ev.type;
}

static void expect(const struct frame *f, const char *hex)
{
	uint8_t want[512];
	size_t n = test_hex(hex, want, sizeof(want));
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

/* Windows acks what the server asked, unchanged (RFC 1661 §5.2). */
static void ack(struct ppp_link *l, const struct frame *req)
{
	char hex[1200];
	size_t at = (size_t)snprintf(hex, sizeof(hex), "02");
	for (size_t i = 1; i < req->len; i++)
		at += (size_t)snprintf(hex + at, sizeof(hex) - at, " %02x", req->data[i]);
	feed(l, req->protocol, hex);
}

static void windows_10_session(void **state)
{
	(void)state;
	enum ppp_link_event_type seen[16];
	unsigned n_seen = 0;
	struct ppp_link *l = w_link(AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2));

	/* Our LCP Configure-Request: MRU 1400, MS-CHAPv2 (RFC 1994 §3 option
	 * 3, algorithm 0x81 RFC 2759 §2), Magic-Number, PFC, ACFC. */
	struct frame our_lcp = *take(0xc021, 1);
	assert_non_null(option(&our_lcp, 1));
	assert_memory_equal(option(&our_lcp, 3), "\x03\x05\xc2\x23\x81", 5);
	assert_non_null(option(&our_lcp, 5));

	/* Windows: MRU 1400, Magic, PFC, ACFC and Callback (RFC 1570 §2.3,
	 * operation 6 = CBCP). We do no callback: Configure-Reject of exactly
	 * that option, everything else acceptable (RFC 1661 §5.4). */
	feed(l, 0xc021, "01 01 0015 01040578 0506 1a2b3c4d 0702 0802 0d0306");
	expect(take(0xc021, 4), "04 01 0007 0d0306");
	/* Identification before Opened (RFC 1570 §1.1): no answer, kept. */
	feed(l, 0xc021, "0c 02 0012 1a2b3c4d 4d5352415356352e3230");
	ack(l, &our_lcp);
	/* The request again without Callback: Configure-Ack, same options. */
	feed(l, 0xc021, "01 02 0012 01040578 0506 1a2b3c4d 0702 0802");
	expect(take(0xc021, 2), "02 02 0012 01040578 0506 1a2b3c4d 0702 0802");
	feed(l, 0xc021, "0c 03 0019 1a2b3c4d 4d535241532d302d4445534b544f502d37");
	assert_string_equal(ppp_link_peer_identification(l, 0), "MSRASV5.20");
	assert_string_equal(ppp_link_peer_identification(l, 1), "MSRAS-0-DESKTOP-7");
	assert_null(ppp_link_peer_identification(l, 2));

	/* LCP Opened: MS-CHAPv2 Challenge (RFC 2759 §3: Value-Size 16). */
	const struct frame *f = take(0xc223, 1);
	assert_int_equal(f->data[4], 16);
	uint8_t cid = f->data[1];
	/* Response (RFC 2759 §4): Value-Size 49 = Peer-Challenge 16,
	 * Reserved 8, NT-Response 24, Flags 0; Name "alice". */
	char resp[400];
	snprintf(resp, sizeof(resp), "02 %02x 003b 31 %s 0000000000000000 %s 00 616c696365", cid,
		 "00112233445566778899aabbccddeeff", "0102030405060708090a0b0c0d0e0f101112131415161718");
	feed(l, 0xc223, resp);
	drain(l, seen, &n_seen);
	assert_int_equal(seen[n_seen - 1], PPP_LINK_EVENT_VERIFY);
	const struct auth_verify_request *r = ppp_link_verify_request(l);
	assert_non_null(r);
	assert_int_equal(r->method, AUTH_METHOD_MSCHAPV2);
	assert_string_equal(r->user, "alice");
	assert_int_equal(r->value_len, 49);

	/* The verifier (RADIUS) accepts, with MS-MPPE keys. */
	struct auth_verdict v;
	memset(&v, 0, sizeof(v));
	v.cause = AUTH_CAUSE_NONE;
	snprintf(v.message, sizeof(v.message), "S=0123456789ABCDEF0123456789ABCDEF01234567 M=welcome");
	v.mppe.valid = v.mppe.raw_keys = v.mppe.is_server = true;
	memset(v.mppe.send_key, 0x11, 16);
	memset(v.mppe.recv_key, 0x22, 16);
	v.mppe.send_key_len = v.mppe.recv_key_len = 16;
	ppp_link_verify_done(l, &v, NULL, 0);
	/* Success with the verifier's message unchanged (RFC 2759 §5). */
	f = take(0xc223, 3);
	assert_int_equal(f->data[1], cid);
	assert_memory_equal(f->data + 4, v.message, strlen(v.message));

	/* Network phase: CCP asks MPPE-128 stateless (RFC 3078 §2.1: H|S =
	 * 0x01000040), IPCP our address (RFC 1332 §3.3), IPV6CP our
	 * interface identifier (RFC 5072 §4.1). */
	struct frame our_ccp = *take(0x80fd, 1), our_ipcp = *take(0x8021, 1), our_v6 = *take(0x8057, 1);
	expect(&our_ccp, "01 01 000a 12 06 01000040");
	expect(&our_ipcp, "01 01 000a 0306 cb007101");
	expect(&our_v6, "01 01 000e 010a 0000000000000001");

	/* Windows: the same MPPE: Configure-Ack. */
	feed(l, 0x80fd, "01 05 000a 12 06 01000040");
	expect(take(0x80fd, 2), "02 05 000a 12 06 01000040");
	/* IPCP 3, 129-132 (RFC 1877 §1.1-1.4): no NBNS configured, so 130
	 * and 132 are rejected first (RFC 1661 §5.4: Reject before Nak). */
	feed(l, 0x8021, "01 06 0022 03060000 0000 81060000 0000 82060000 0000 83060000 0000 84060000 0000");
	expect(take(0x8021, 4), "04 06 0010 82060000 0000 84060000 0000");
	/* Then Nak with the address and both DNS servers (RFC 1877 §1.1, §1.3). */
	feed(l, 0x8021, "01 07 0016 03060000 0000 81060000 0000 83060000 0000");
	expect(take(0x8021, 3), "03 07 0016 0306cb00710a 8106cb007135 8306cb007136");
	feed(l, 0x8021, "01 08 0016 0306cb00710a 8106cb007135 8306cb007136");
	expect(take(0x8021, 2), "02 08 0016 0306cb00710a 8106cb007135 8306cb007136");
	/* IPV6CP: Windows's identifier differs from ours: Configure-Ack. */
	feed(l, 0x8057, "01 09 000e 010a 02155dfffe0a0b0c");
	expect(take(0x8057, 2), "02 09 000e 010a 02155dfffe0a0b0c");
	/* Windows acks ours: the link is up with MPPE-128. */
	ack(l, &our_ccp);
	ack(l, &our_ipcp);
	ack(l, &our_v6);
	struct ppp_link_event ev;
	bool up = false;
	while (ppp_link_next_event(l, &ev)) {
		if (ev.type != PPP_LINK_EVENT_UP)
			continue;
		up = true;
		assert_int_equal(ev.peer_address, W_ASSIGN);
		assert_int_equal(ev.mppe_bits, 128);
		assert_true(ev.mppe_stateless);
	}
	assert_true(up);
	assert_true(ppp_link_is_up(l));
	ppp_link_free(l);
}

/* Windows Configure-Naks weak authentication protocols toward MS-CHAPv2
 * (RFC 1661 §5.3: the Nak carries the option it would accept). A server
 * that allows only CHAP-MD5 and PAP moves to its next method, then, with
 * nothing left that Windows takes, gives up with a clear cause. */
static void windows_naks_weak_auth(void **state)
{
	(void)state;
	struct ppp_link *l = w_link(AUTH_METHOD_BIT(AUTH_METHOD_CHAP_MD5) | AUTH_METHOD_BIT(AUTH_METHOD_PAP));
	struct frame req = *take(0xc021, 1);
	assert_memory_equal(option(&req, 3), "\x03\x05\xc2\x23\x05", 5); /* CHAP-MD5, RFC 1994 §3 */
	uint8_t id = req.data[1];
	char hex[80];
	snprintf(hex, sizeof(hex), "03 %02x 0009 0305c22381", id);
	feed(l, 0xc021, hex);
	req = *take(0xc021, 1);
	assert_memory_equal(option(&req, 3), "\x03\x04\xc0\x23", 4); /* PAP, RFC 1334 §2.2 */
	snprintf(hex, sizeof(hex), "03 %02x 0009 0305c22381", req.data[1]);
	feed(l, 0xc021, hex);
	/* Nothing left: LCP Terminate-Request (RFC 1661 §5.5), then, acked, DOWN. */
	const struct frame *t = take(0xc021, 5);
	snprintf(hex, sizeof(hex), "06 %02x 0004", t->data[1]);
	feed(l, 0xc021, hex);
	struct ppp_link_event ev;
	bool down = false;
	while (ppp_link_next_event(l, &ev)) {
		assert_int_not_equal(ev.type, PPP_LINK_EVENT_UP);
		if (ev.type == PPP_LINK_EVENT_DOWN) {
			down = true;
			assert_int_equal(ev.cause, PPP_CAUSE_NO_AUTH_METHOD);
		}
	}
	assert_true(down);
	ppp_link_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_10_session),
		cmocka_unit_test(windows_naks_weak_auth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
