/* SPDX-License-Identifier: BSD-2-Clause */
/* The --auth and --mppe settings shared by `openpptp server` and
 * `openpptp connect`, and the startup warnings for weak choices.
 *
 *   --auth LIST   comma-separated: mschapv2 (default), mschapv1 (alias mschap),
 *                 eap-md5 (alias eap), chap-md5 (alias chap), pap
 *   --mppe MODE   require-128 (default): encryption required, 128-bit only
 *                 require: required, 40/56/128 (strongest both allow)
 *                 require-56 / require-40: required, that strength only
 *                 allow: offered and accepted, not required
 *                 none: never
 *                 followed by optional flags: ",stateful" (allow stateful
 *                 mode; stateless is preferred), ",stateful-only" (refuse
 *                 stateless) and ",mppc" (compression)
 *
 * PPTP's cryptography is weak at best (MS-CHAPv2 falls to one DES search);
 * anything below MS-CHAPv2 + required MPPE-128 is refused unless asked for,
 * and then logged as a warning at startup. */
#ifndef OPENPPTP_CONFIG_PPP_POLICY_H
#define OPENPPTP_CONFIG_PPP_POLICY_H

#include <stddef.h>

#include "proto/session/ppp_link.h"

#define PPP_POLICY_DEFAULT_AUTH "mschapv2"
#define PPP_POLICY_DEFAULT_MPPE "require-128"

/* 0, or ERR_INVALID with a message in err (for the option error). */
/* methods: a set of AUTH_METHOD_BIT(enum auth_method). */
int ppp_policy_parse_auth(const char *text, unsigned *methods, char *err, size_t err_size);
int ppp_policy_parse_mppe(const char *text, struct ppp_mppe_policy *out, char *err, size_t err_size);

/* Log one warning per weak choice (tag: "server" / "client"). Returns how
 * many warnings were logged. */
int ppp_policy_warn_weak(const char *tag, unsigned methods, const struct ppp_mppe_policy *mppe);

/* "mschapv2,pap" for logs and status. */
void ppp_policy_auth_text(unsigned methods, char *out, size_t out_size);

#endif
