/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP authentication: one sans-I/O engine per method, all behind the same
 * interface (struct auth + struct auth_method_ops), both roles.
 *
 *   authenticator (server): sends the challenge / checks the credentials
 *                           through a lookup callback.
 *   peer (client):          answers with its user name and password.
 *
 * The glue (src/proto/session) creates one engine once LCP has agreed on an
 * Authentication-Protocol option (auth_method_from_lcp()), feeds it every
 * PPP payload of that protocol (auth_input), drives its timer
 * (auth_next_deadline / auth_on_timeout) and gets:
 *   - packets through cfg.output(ctx, ppp_protocol, payload, len): the PPP
 *     information field (Code, Identifier, Length, ...), no protocol field;
 *   - one result, which the glue takes with auth_next_result() after the
 *     call that produced it (events out: the engine never calls back with
 *     its verdict, so acting on it, e.g. tearing the link and this engine
 *     down, cannot happen under the engine's feet): success (with the MPPE
 *     key material for MS-CHAP) or failure (with a cause). A later
 *     re-challenge failure (CHAP re-authentication) gives another result.
 *
 * Nothing here does I/O: time comes in as now_ms, randomness from cfg.random.
 */
#ifndef OPENPPTP_PROTO_AUTH_AUTH_H
#define OPENPPTP_PROTO_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/random.h"
#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "proto/auth/auth_verify.h"
#include "proto/auth/mschap_crypto.h"
#include "proto/ppp/ppp.h"

#define AUTH_MAX_NAME 255       /* a name fits a PAP length octet */
#define AUTH_MAX_PASSWORD 255
#define AUTH_MAX_PACKET 1500

enum auth_role {
	AUTH_ROLE_AUTHENTICATOR = 0, /* server: demands and checks */
	AUTH_ROLE_PEER = 1,          /* client: proves who it is */
};

enum auth_secret_kind {
	AUTH_SECRET_NONE = 0,
	AUTH_SECRET_PASSWORD,   /* UTF-8 plaintext: every method */
	AUTH_SECRET_NT_HASH,    /* MD4(UTF-16LE(password)): MS-CHAPv1/v2 only */
};

struct auth_secret {
	enum auth_secret_kind kind;
	size_t password_len;
	char password[AUTH_MAX_PASSWORD + 1];
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE];
};

/* Fill a secret from a NUL-terminated password or a raw NT hash. */
int auth_secret_set_password(struct auth_secret *s, const char *password);
void auth_secret_set_nt_hash(struct auth_secret *s, const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE]);
void auth_secret_wipe(struct auth_secret *s);

/* Authenticator's credential lookup. Return 0 and fill *out, or
 * ERR_NOT_FOUND. For a name "DOMAIN\user" the engine first asks for the full
 * name as sent, and if that is not found, for "user" alone (see docs/auth.md). */
typedef int (*auth_lookup_fn)(void *ctx, const char *user, struct auth_secret *out);

/* Why authentication failed. The peer side distinguishes causes so the
 * client can tell the user something useful. */
enum auth_cause {
	AUTH_CAUSE_NONE = 0,
	AUTH_CAUSE_WRONG_PASSWORD,     /* credentials refused (E=691, PAP Nak, EAP Failure) */
	AUTH_CAUSE_REJECTED,           /* refused for policy (E=646..649), or unknown user */
	AUTH_CAUSE_TIMEOUT,            /* no answer after the retransmissions */
	AUTH_CAUSE_BAD_AUTHENTICATOR,  /* MS-CHAPv2: server's S= missing or wrong */
	AUTH_CAUSE_NO_SECRET,          /* we have no usable secret for this method */
	AUTH_CAUSE_UNSUPPORTED,        /* EAP: no common method */
};
const char *auth_cause_name(enum auth_cause cause);

/* What MPPE key derivation (RFC 3079) needs from MS-CHAP. */
struct auth_mppe_material {
	bool valid;
	bool is_server;                                   /* our role was authenticator */
	uint8_t password_hash_hash[MSCHAP_NT_HASH_SIZE];  /* MD4(NT hash) */
	uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE];     /* v2: GetMasterKey input */
	uint8_t challenge[MSCHAP_V1_CHALLENGE_SIZE];      /* v1: the authenticator's challenge */
	/* v1, RFC 3079 §2.1/2.2 (40/56-bit keys): LmPasswordHash, only when the
	 * plaintext password was known (not with an NT-hash secret). */
	bool has_lm_password_hash;
	uint8_t lm_password_hash[16];
	/* EAP-MSCHAPv2: password_hash_hash and nt_response as for MS-CHAPv2
	 * (RFC 3079 §3), though the link's method is EAP. */
	bool mschapv2;
	/* Keys given as such (RADIUS MS-MPPE-Send/Recv-Key, RFC 2548 §2.4.2-3,
	 * from the authenticator's point of view): used instead of the
	 * derivation above. 16 bytes from MS-CHAPv2, 32 from EAP-TLS. */
	bool raw_keys;
	uint8_t send_key[32];
	size_t send_key_len;
	uint8_t recv_key[32];
	size_t recv_key_len;
};

struct auth_result {
	bool success;
	enum auth_method method;
	enum auth_role role;
	/* authenticator: the peer's user name as sent (may hold "DOMAIN\");
	 * peer: our user name. */
	char user[AUTH_MAX_NAME + 1];
	/* peer side: the authenticator's name from the Challenge, if any. */
	char authenticator_name[AUTH_MAX_NAME + 1];
	enum auth_cause cause;       /* failure only */
	char reason[160];            /* for the log; human text, never a secret */
	struct auth_mppe_material mppe;
};

/* The answer to an auth_verify_request (auth_verify.h). */
struct auth_verdict {
	enum auth_cause cause;                 /* AUTH_CAUSE_NONE: accepted */
	/* Accepted, MS-CHAPv2: the Success message ("S=<40 hex> ..."), sent
	 * to the peer unchanged. Refused: the text for the peer (PAP Nak
	 * message, MS-CHAP M=); "" takes the engine's own. */
	char message[AUTH_VERIFY_MESSAGE_MAX];
	unsigned mschap_error;                 /* refused, MS-CHAP: E= (0 = 691) */
	bool mschap_retry;                     /* refused, MS-CHAP: R=1 allowed by the verifier */
	char reason[160];                      /* for the log; never a secret */
	struct auth_mppe_material mppe;        /* accepted, MS-CHAP; EAP: keys given by the verifier */
	/* EAP pass-through (eap_relay.h): eap_challenge with cause NONE means
	 * "not decided yet: relay eap[] (an EAP Request) to the peer and echo
	 * state[] with its answer"; otherwise eap[] is the verifier's EAP
	 * Success / Failure, if it sent one. */
	bool eap_challenge;
	uint8_t eap[AUTH_VERIFY_EAP_MAX];
	size_t eap_len;
	uint8_t state[AUTH_VERIFY_STATE_MAX];
	size_t state_len;
};

struct auth;
struct tls_creds;

struct auth_config {
	enum auth_role role;
	const char *tag;              /* log tag: session / peer */
	const char *local_name;       /* our CHAP / EAP-MD5 name (authenticator), may be NULL */

	/* peer role */
	const char *user;
	struct auth_secret secret;

	/* authenticator role: either lookup (checked here, synchronously) or
	 * remote_verify (auth_verify.h: requests out, verdicts in). */
	auth_lookup_fn lookup;
	void *lookup_ctx;
	bool remote_verify;
	uint32_t verify_timeout_ms;   /* 0 = 30000 */

	struct random_source random;

	/* timers: 0 takes the default */
	uint32_t restart_ms;          /* retransmission interval, default 3000 */
	uint32_t max_transmits;       /* bounded retransmissions, default 10 */
	uint32_t wait_ms;             /* peer waiting for the authenticator, default restart*max */
	uint32_t rechallenge_ms;      /* CHAP authenticator: periodic re-challenge, 0 = off */
	uint32_t max_retries;         /* MS-CHAP: retries after a Failure R=1 (both roles) */

	/* EAP authenticator: the method to offer first; 0 = EAP-MD5 */
	uint8_t eap_first_type;
	/* EAP-TLS (RFC 5216): certificates and checks, NULL = not offered /
	 * not usable; shared, must outlive the engine (tls_creds.h). */
	const struct tls_creds *eap_tls;
	/* The largest packet the peer takes (its LCP MRU); 0 = AUTH_MAX_PACKET. */
	uint16_t max_packet;

	/* A packet for the peer: pure I/O, must not call into the engine. */
	void (*output)(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len);
	void *cb_ctx;
};

/* One interface for every method. */
struct auth_method_ops {
	enum auth_method method;      /* its name: auth_method_name() */
	uint16_t ppp_protocol;
	uint8_t chap_algorithm;       /* 0 unless CHAP */
	int (*start)(struct auth *a, uint64_t now_ms);
	int (*input)(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms);
	void (*on_timeout)(struct auth *a, uint64_t now_ms);
	void (*destroy)(struct auth *a);
	/* remote_verify: the verdict on the pending request (NULL: the method
	 * has no remote verification, e.g. EAP). */
	void (*verdict)(struct auth *a, const struct auth_verdict *v, uint64_t now_ms);
};

const struct auth_method_ops *auth_method_ops(enum auth_method method);

/* --- engine state (one union, no allocation) --- */

struct auth_pap_state {
	int state;
	uint8_t id;
	uint32_t transmits;
};

struct auth_chap_state {
	int state;
	uint8_t id;                     /* current challenge/response identifier */
	uint8_t challenge[16];
	size_t challenge_len;
	uint8_t peer_challenge[16];     /* v2 */
	uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE];
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE];
	bool have_hash;
	uint32_t transmits;
	uint32_t retries;
	bool opened;                    /* success reported once */
};

struct eap_tls_state;
struct auth_eap_state {
	int state;
	struct eap_tls_state *tls; /* EAP-TLS, on the heap while it runs */
	uint8_t id;
	uint8_t method_type;            /* EAP type in progress */
	uint8_t methods_offered;        /* authenticator: bit i = eap_method_at(i) offered */
	uint8_t md5_challenge[16];
	bool method_answered;           /* peer: a method Response went out */
	bool nak_sent;                  /* peer: we Nak'ed a method */
	uint32_t transmits;
	char identity[AUTH_MAX_NAME + 1];
	/* EAP-MSCHAPv2 (eap_mschapv2.c), both roles */
	uint8_t ms_state;
	uint8_t ms_id;
	uint8_t ms_auth_challenge[16];
	uint8_t ms_peer_challenge[16];
	uint8_t ms_nt_response[MSCHAP_NT_RESPONSE_SIZE];
	/* EAP pass-through (eap_relay.c): the EAP Type of the last Request
	 * relayed; the peer's last Response and then the State to echo (heap,
	 * AUTH_VERIFY_EAP_MAX + AUTH_VERIFY_STATE_MAX). */
	uint8_t relay_type;
	uint8_t *relay_response;
};

struct auth {
	const struct auth_method_ops *ops;
	struct auth_config cfg;
	uint64_t deadline;
	bool done;                      /* a final result was reported */
	struct log_limit bad_log;
	struct auth_result result;
	/* Events out: a queue of one. One call reports at most one result
	 * (each input is one packet, each timeout one verdict). */
	bool result_waiting;
	unsigned results_overwritten;   /* a second result before the first was taken: a bug */
	/* The last packet sent, for retransmission and duplicate answers
	 * (PAP peer: request, authenticator: reply; CHAP: challenge, response
	 * or status; EAP: the last packet). On the heap, sized to fit: an
	 * AUTH_MAX_PACKET array in every session was 1.5 KB of some 15 KB,
	 * for packets of 20-70 bytes. Freed (wiped) by auth_destroy. */
	uint8_t *last;
	size_t last_len;
	/* remote_verify: the request out (once), and whether a verdict is due. */
	struct auth_verify_request verify;
	bool verify_waiting;
	bool verify_pending;
	union {
		struct auth_pap_state pap;
		struct auth_chap_state chap;
		struct auth_eap_state eap;
	} u;
};

/* cfg is copied (strings are not: they must outlive the engine). */
int auth_init(struct auth *a, enum auth_method method, const struct auth_config *cfg);
int auth_start(struct auth *a, uint64_t now_ms);
/* Returns 0, or a negative error for a packet that was dropped (logged). */
int auth_input(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms);
/* The result the last call reported, once; NULL if none is waiting. It
 * points into the engine: valid until the next call into it. */
const struct auth_result *auth_next_result(struct auth *a);
/* remote_verify: the request the last call produced, once; NULL if none.
 * Points into the engine, valid while the verdict is pending. */
const struct auth_verify_request *auth_next_verify(struct auth *a);
/* remote_verify: the verdict on the pending request; ignored when none is
 * pending. May produce a result (auth_next_result). */
void auth_verify_done(struct auth *a, const struct auth_verdict *v, uint64_t now_ms);
bool auth_verify_is_pending(const struct auth *a);
uint64_t auth_next_deadline(const struct auth *a);
void auth_on_timeout(struct auth *a, uint64_t now_ms);
void auth_destroy(struct auth *a);

#endif
