/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared helpers of the auth engines (not a public interface). */
#ifndef OPENPPTP_PROTO_AUTH_AUTH_INTERNAL_H
#define OPENPPTP_PROTO_AUTH_AUTH_INTERNAL_H

#include "proto/auth/auth.h"

extern const struct auth_method_ops auth_pap_ops;
extern const struct auth_method_ops auth_chap_md5_ops;
extern const struct auth_method_ops auth_mschapv1_ops;
extern const struct auth_method_ops auth_mschapv2_ops;
extern const struct auth_method_ops auth_eap_ops;

/* Hand one packet to cfg.output. */
void auth_send(struct auth *a, const uint8_t *pkt, size_t len);
/* The same, keeping a copy in a->last (for retransmission and duplicate
 * answers). Without memory for the copy the packet still goes; a->last_len
 * is 0 then, and a retransmission sends nothing (the peer times out). */
void auth_send_keep(struct auth *a, const uint8_t *pkt, size_t len);
/* Send a->last again (nothing when there is none). */
void auth_resend(struct auth *a);

/* Report the final result once (success) or a failure (always). */
void auth_succeed(struct auth *a, const char *user);
void auth_fail(struct auth *a, enum auth_cause cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* remote_verify: publish a->verify (filled by the method) and wait for
 * the verdict until the verify timeout. */
void auth_request_verify(struct auth *a, uint64_t now_ms);
/* The pending request is answered or abandoned. */
void auth_verify_clear(struct auth *a);
uint32_t auth_verify_timeout_ms(const struct auth *a);

/* One rate-limited line for a dropped packet; returns err. */
int auth_drop(struct auth *a, uint64_t now_ms, int err, const char *what);

/* Credential lookup with the "DOMAIN\user" fallback (see auth.h). */
int auth_lookup(struct auth *a, const char *user, struct auth_secret *out);

/* Copy a wire name into a NUL-terminated string; false if it holds a NUL
 * or is too long. */
bool auth_copy_name(char *dst, size_t dst_size, const uint8_t *src, size_t len);

uint32_t auth_restart_ms(const struct auth *a);
uint32_t auth_max_transmits(const struct auth *a);
uint32_t auth_wait_ms(const struct auth *a);

/* The peer's NT hash from its configured secret (password or hash). */
int auth_secret_nt_hash(const struct auth_secret *s, uint8_t hash[MSCHAP_NT_HASH_SIZE]);

#endif
