/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/ppp_policy: --auth and --mppe parsing, weak-mode warnings. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "config/ppp_policy.h"

static void auth_lists_and_aliases(void **state)
{
	(void)state;
	unsigned m = 0;
	char err[128];
	assert_int_equal(ppp_policy_parse_auth("mschapv2", &m, err, sizeof(err)), 0);
	assert_int_equal(m, AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2));
	assert_int_equal(ppp_policy_parse_auth("pap,chap,mschap,eap,mschapv2", &m, err, sizeof(err)), 0);
	assert_int_equal(m, AUTH_METHOD_BIT(AUTH_METHOD_PAP) | AUTH_METHOD_BIT(AUTH_METHOD_CHAP_MD5) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1) |
				    AUTH_METHOD_BIT(AUTH_METHOD_EAP_MD5) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2));
	char text[64];
	ppp_policy_auth_text(m, text, sizeof(text));
	assert_string_equal(text, "mschapv2,mschapv1,eap-md5,chap-md5,pap");
	assert_int_equal(ppp_policy_parse_auth("mschapv3", &m, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "mschapv3"));
	assert_int_equal(ppp_policy_parse_auth("", &m, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(ppp_policy_parse_auth("pap,", &m, err, sizeof(err)), 0);
}

static void mppe_modes_and_flags(void **state)
{
	(void)state;
	struct ppp_mppe_policy p;
	char err[128];
	assert_int_equal(ppp_policy_parse_mppe("require-128", &p, err, sizeof(err)), 0);
	assert_true(p.required && p.allow_128 && !p.allow_40 && !p.allow_56 && !p.allow_stateful);
	assert_int_equal(ppp_policy_parse_mppe("require,stateful,mppc", &p, err, sizeof(err)), 0);
	assert_true(p.required && p.allow_40 && p.allow_56 && p.allow_128 && p.allow_stateful && p.allow_mppc);
	assert_int_equal(ppp_policy_parse_mppe("require-128,stateful-only", &p, err, sizeof(err)), 0);
	assert_true(p.required && p.allow_128 && p.allow_stateful && p.stateful_only);
	assert_int_equal(ppp_policy_parse_mppe("require-40", &p, err, sizeof(err)), 0);
	assert_true(p.required && p.allow_40 && !p.allow_128);
	assert_int_equal(ppp_policy_parse_mppe("none", &p, err, sizeof(err)), 0);
	assert_false(p.required || p.allow_40 || p.allow_56 || p.allow_128);
	assert_int_equal(ppp_policy_parse_mppe("none,stateful", &p, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(ppp_policy_parse_mppe("require-129", &p, err, sizeof(err)), ERR_INVALID);
	assert_int_equal(ppp_policy_parse_mppe("allow,turbo", &p, err, sizeof(err)), ERR_INVALID);
	assert_non_null(strstr(err, "turbo"));
}

static void weak_choices_warn_defaults_do_not(void **state)
{
	(void)state;
	struct test_log tl;
	test_log_capture(&tl);
	struct ppp_mppe_policy strong = { .required = true, .allow_128 = true };
	assert_int_equal(ppp_policy_warn_weak("server", AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &strong), 0);
	assert_int_equal(tl.count, 0);
	struct ppp_mppe_policy weak = { .allow_40 = true, .allow_128 = true };
	assert_int_equal(ppp_policy_warn_weak("server", AUTH_METHOD_BIT(AUTH_METHOD_PAP) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &weak), 2);
	assert_int_equal(tl.last_level, LOG_LEVEL_WARN);
	struct ppp_mppe_policy reuse = { .required = true, .allow_128 = true, .allow_stateful = true, .allow_mppc = true };
	assert_int_equal(ppp_policy_warn_weak("server", AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2), &reuse), 2);
	test_log_release();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(auth_lists_and_aliases),
		cmocka_unit_test(mppe_modes_and_flags),
		cmocka_unit_test(weak_choices_warn_defaults_do_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
