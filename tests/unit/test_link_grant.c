/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link with a remote verifier (RADIUS): what the Access-Accept grants
 * after LCP and before CCP narrows the session's MPPE policy (RFC 2548
 * §2.4.4 MS-MPPE-Encryption-Policy, §2.4.5 -Types) and caps its MTU
 * (RFC 2865 §5.12 Framed-MTU). Client and server engines back to back. */
#include "test_link_sim.h"

#include "proto/auth/chap_verify.h"

#define PASSWORD "s3cret pass"

/* What the secrets file would answer, as RADIUS hands it to the link. */
static void verify_like_secrets(const struct auth_verify_request *r, struct auth_verdict *v)
{
	struct auth_secret secret;
	memset(v, 0, sizeof(*v));
	assert_int_equal(auth_secret_set_password(&secret, PASSWORD), 0);
	if (r->method == AUTH_METHOD_PAP) {
		v->cause = AUTH_CAUSE_NONE;
		return;
	}
	uint16_t proto;
	uint8_t alg;
	assert_true(auth_method_to_lcp(r->method, &proto, &alg));
	struct chap_verdict cv = { .cause = AUTH_CAUSE_REJECTED };
	const struct chap_response_check in = { .id = r->id, .challenge = r->challenge, .challenge_len = r->challenge_len, .user = r->user, .value = r->value, .value_len = r->value_len, .secret = &secret };
	chap_verify_response(alg, &in, &v->mppe, &cv);
	v->cause = cv.cause;
	snprintf(v->message, sizeof(v->message), "%s", cv.cause == AUTH_CAUSE_NONE ? cv.message : "");
}

/* Local policy `local` on the server (the client allows every strength),
 * the verdict with grant g: run to the end, return the server's UP (NULL
 * when the link went down instead; then *down is its DOWN). */
static const struct sim_event *run_with_grant(struct sim *s, enum auth_method method, const struct ppp_mppe_policy *local,
					      const struct ppp_link_grant *g, const struct sim_event **down)
{
	struct ppp_mppe_policy client = { .allow_40 = true, .allow_56 = true, .allow_128 = true };
	sim_init(s, AUTH_METHOD_BIT(method), local);
	s->end[1].cfg.mppe = client;
	s->end[0].cfg.remote_verify = true;
	sim_start(s);
	sim_run(s, s->now + 5000);
	const struct sim_event *ve = sim_find(&s->end[0], PPP_LINK_EVENT_VERIFY);
	assert_non_null(ve);
	const struct auth_verify_request *r = ppp_link_verify_request(s->end[0].link);
	assert_non_null(r);
	struct auth_verdict v;
	verify_like_secrets(r, &v);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	ppp_link_verify_done(s->end[0].link, &v, g, s->now);
	sim_drain(&s->end[0]);
	sim_run(s, s->now + 30000);
	*down = sim_find(&s->end[0], PPP_LINK_EVENT_DOWN);
	return sim_find(&s->end[0], PPP_LINK_EVENT_UP);
}

static const struct ppp_mppe_policy optional_all = { .allow_40 = true, .allow_56 = true, .allow_128 = true };

static void no_grant_keeps_the_local_policy(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &optional_all, NULL, &down);
	assert_non_null(up);
	assert_int_equal(up->mppe_bits, 128); /* the strongest both allow */
	assert_int_equal(up->mtu, 1400 - 4);
	sim_free(&s);
}

static void types_narrow_to_40_bit(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	/* §2.4.5: L (0x2) only; Policy 1 does not relax anything. */
	const struct ppp_link_grant g = { .mppe_policy = PPP_GRANT_MPPE_ALLOWED, .mppe_types_set = true, .mppe_types = PPP_GRANT_MPPE_TYPE_40 };
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &optional_all, &g, &down);
	assert_non_null(up);
	assert_int_equal(up->mppe_bits, 40);
	sim_free(&s);
}

static void required_by_radius_with_no_common_type_fails(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	/* Local: 128 only; RADIUS: required, 40-bit only: nothing is left. */
	const struct ppp_mppe_policy local = { .allow_128 = true };
	const struct ppp_link_grant g = { .mppe_policy = PPP_GRANT_MPPE_REQUIRED, .mppe_types_set = true, .mppe_types = PPP_GRANT_MPPE_TYPE_40 };
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &local, &g, &down);
	assert_null(up);
	assert_non_null(down);
	assert_int_equal(down->cause, PPP_CAUSE_MPPE_REFUSED);
	sim_free(&s);
}

static void required_by_radius_refuses_pap(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	/* PAP gives no keys: Encryption-Required cannot be met. */
	const struct ppp_link_grant g = { .mppe_policy = PPP_GRANT_MPPE_REQUIRED };
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_PAP, &optional_all, &g, &down);
	assert_null(up);
	assert_non_null(down);
	assert_int_equal(down->cause, PPP_CAUSE_MPPE_REFUSED);
	sim_free(&s);
	/* Without the grant the same PAP login comes up unencrypted. */
	up = run_with_grant(&s, AUTH_METHOD_PAP, &optional_all, NULL, &down);
	assert_non_null(up);
	assert_int_equal(up->mppe_bits, 0);
	sim_free(&s);
}

static void allowed_does_not_relax_a_local_requirement(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	/* Local: required, 128 only; RADIUS: allowed, 40 only. Relaxed, the
	 * link would come up unencrypted; narrowed, nothing is left. */
	const struct ppp_mppe_policy local = { .required = true, .allow_128 = true };
	const struct ppp_link_grant g = { .mppe_policy = PPP_GRANT_MPPE_ALLOWED, .mppe_types_set = true, .mppe_types = PPP_GRANT_MPPE_TYPE_40 };
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &local, &g, &down);
	assert_null(up);
	assert_non_null(down);
	assert_int_equal(down->cause, PPP_CAUSE_MPPE_REFUSED);
	assert_non_null(strstr(down->reason, "no MPPE strength"));
	sim_free(&s);
}

static void framed_mtu_caps_the_link(void **state)
{
	(void)state;
	struct sim s;
	const struct sim_event *down;
	const struct ppp_link_grant g = { .mtu_cap = 1200 };
	const struct sim_event *up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &optional_all, &g, &down);
	assert_non_null(up);
	assert_int_equal(up->mtu, 1200);
	assert_int_equal(up->mppe_bits, 128);
	sim_free(&s);
	/* A cap above what LCP gave changes nothing. */
	const struct ppp_link_grant big = { .mtu_cap = 9000 };
	up = run_with_grant(&s, AUTH_METHOD_MSCHAPV2, &optional_all, &big, &down);
	assert_non_null(up);
	assert_int_equal(up->mtu, 1400 - 4);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_grant_keeps_the_local_policy),
		cmocka_unit_test(types_narrow_to_40_bit),
		cmocka_unit_test(required_by_radius_with_no_common_type_fails),
		cmocka_unit_test(required_by_radius_refuses_pap),
		cmocka_unit_test(allowed_does_not_relax_a_local_requirement),
		cmocka_unit_test(framed_mtu_caps_the_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
