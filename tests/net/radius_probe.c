/* SPDX-License-Identifier: BSD-2-Clause */
/* radius_probe: drives a real RADIUS server through our codec and client
 * engine over UDP, for tests/net/test_radius_freeradius.sh.
 *
 *   radius_probe [-w REPLY_SECRET] SERVER_IPV4 PORT SECRET_FILE MODE [ARGS]
 *     MODE mschapv2            the RFC 2759 §9.2 exchange (User-Name "User")
 *     MODE mschapv1            MS-CHAPv1 for "User"/"clientPass" with RFC 3079
 *                              §2.5.3's challenge (our NT-Response)
 *     MODE pap USER PASSWORD   PAP
 *     MODE chap USER PASSWORD  CHAP-MD5 (RFC 1994 §4.1 response)
 *     MODE status              Status-Server (RFC 5997), built and checked with
 *                              the codec directly (the engine sends these
 *                              only to dead servers; its unit tests cover that)
 *     MODE acct                Accounting-Request Start
 *
 * It prints what it got, one fact a line ("code Access-Accept",
 * "ms-chap2-success S=...", "mppe-send-key <hex>", "reply-message ...",
 * "dropped <reason>", "failed"), and exits 0 when a verified reply came
 * back, 1 when none did, 2 on a usage error.
 *
 * -w: the server signs its replies with another secret than the one we
 * hold (a misconfigured or forged server): our engine is given
 * REPLY_SECRET, and each datagram is re-signed with SECRET on its way out
 * so the server accepts it. Every reply must then be dropped. */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/time.h"
#include "proto/auth/mschap_crypto.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_client.h"
#include "proto/radius/radius_hide.h"
#include "proto/radius/radius_mschap.h"

struct probe {
	int fd;
	struct sockaddr_in server;
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t secret_len;
	bool resign;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void os_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	if (getrandom(buf, len, 0) != (ssize_t)len)
		abort();
}

static void send_datagram(void *ctx, const struct radius_datagram *d)
{
	struct probe *p = ctx;
	uint8_t buf[RADIUS_MAX_PACKET];
	memcpy(buf, d->data, d->len);
	if (p->resign)
		(void)radius_sign_request(buf, d->len, p->secret, p->secret_len);
	if (sendto(p->fd, buf, d->len, 0, (const struct sockaddr *)&p->server, sizeof(p->server)) < 0)
		perror("sendto");
}

static void print_hex(const char *label, const uint8_t *b, size_t n)
{
	printf("%s ", label);
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static void print_reply(const struct radius_event *ev)
{
	const struct radius_packet *r = &ev->reply;
	printf("code %s\n", radius_code_name(r->code));
	struct radius_attr a;
	if (radius_find(r, 0, RADIUS_ATTR_REPLY_MESSAGE, &a))
		printf("reply-message %.*s\n", (int)a.len, (const char *)a.value);
	struct radius_mschap_message m;
	unsigned err;
	if (radius_mschap2_success(r, &m))
		printf("ms-chap2-success %.*s\n", (int)m.len, m.text);
	if (radius_mschap_error(r, &m, &err))
		printf("ms-chap-error %u\n", err);
	if (radius_find(r, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_MPPE_KEYS, &a)) {
		uint8_t lm[8], nt[16];
		if (radius_mschap_mppe_keys_decrypt(ev->secret, ev->secret_len, ev->request_auth, a.value, a.len, lm, nt)) {
			print_hex("ms-chap-mppe-keys-lm", lm, sizeof(lm));
			print_hex("ms-chap-mppe-keys-nt", nt, sizeof(nt));
		} else {
			printf("ms-chap-mppe-keys undecodable length %zu\n", a.len);
		}
	}
	static const struct {
		uint8_t type;
		const char *label;
	} keys[] = { { RADIUS_MS_MPPE_SEND_KEY, "mppe-send-key" }, { RADIUS_MS_MPPE_RECV_KEY, "mppe-recv-key" } };
	for (size_t i = 0; i < 2; i++) {
		if (!radius_find(r, RADIUS_VENDOR_MICROSOFT, keys[i].type, &a))
			continue;
		uint8_t key[RADIUS_MPPE_KEY_MAX];
		size_t key_len;
		enum radius_mppe_key_result res = radius_mppe_key_decrypt(ev->secret, ev->secret_len, ev->request_auth,
									  a.value, a.len, key, sizeof(key), &key_len);
		if (res == RADIUS_MPPE_KEY_OK)
			print_hex(keys[i].label, key, key_len);
		else
			printf("%s undecodable %d\n", keys[i].label, (int)res);
		crypto_wipe(key, sizeof(key));
	}
}

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		unsigned v;
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static int read_secret(const char *path, uint8_t *out, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[RADIUS_SECRET_MAX + 2];
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = 0;
	*len = strlen(line);
	memcpy(out, line, *len);
	return *len ? 0 : -1;
}

/* The request attributes of each mode; *password for PAP. */
static int build_attrs(int argc, char **argv, struct writer *w, struct radius_request *req)
{
	const char *mode = argv[0];
	radius_put_string(w, RADIUS_ATTR_NAS_IDENTIFIER, "openpptp-test");
	radius_put_u32(w, RADIUS_ATTR_NAS_PORT_TYPE, 5);   /* Virtual */
	radius_put_u32(w, RADIUS_ATTR_SERVICE_TYPE, 2);    /* Framed */
	radius_put_u32(w, RADIUS_ATTR_FRAMED_PROTOCOL, 1); /* PPP */
	req->service = RADIUS_SERVICE_AUTH;
	req->code = RADIUS_ACCESS_REQUEST;
	if (strcmp(mode, "mschapv2") == 0) {
		/* RFC 2759 §9.2. */
		uint8_t ac[16], pc[16], nt[24];
		hex("5B5D7C7D7B3F2F3E3C2C602132262628", ac, 16);
		hex("21402324255E262A28295F2B3A337C7E", pc, 16);
		hex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt, 24);
		radius_put_string(w, RADIUS_ATTR_USER_NAME, "User");
		radius_put_mschap2(w, 1, ac, pc, nt);
		return 0;
	}
	if (strcmp(mode, "mschapv1") == 0) {
		/* RFC 3079 §2.5.3: challenge, and NtPasswordHash("clientPass"). */
		uint8_t challenge[8], nt_hash[16], nt[24];
		hex("102db5df085d3041", challenge, 8);
		hex("44EBBA8D5312B8D611474411F56989AE", nt_hash, 16);
		mschapv1_nt_response_from_hash(challenge, nt_hash, nt);
		radius_put_string(w, RADIUS_ATTR_USER_NAME, "User");
		radius_put_mschap1(w, 1, challenge, NULL, nt, true);
		return 0;
	}
	if ((strcmp(mode, "pap") == 0 || strcmp(mode, "chap") == 0) && argc == 3) {
		radius_put_string(w, RADIUS_ATTR_USER_NAME, argv[1]);
		if (mode[0] == 'p') {
			req->password = (const uint8_t *)argv[2];
			req->password_len = strlen(argv[2]);
			return 0;
		}
		/* RFC 1994 §4.1: MD5(Identifier + secret + Challenge). */
		uint8_t challenge[16], response[16], ident = 7;
		os_random(NULL, challenge, sizeof(challenge));
		struct crypto_part parts[] = { { &ident, 1 }, { argv[2], strlen(argv[2]) }, { challenge, 16 } };
		crypto_md5(parts, 3, response);
		radius_put_chap(w, ident, response, challenge, sizeof(challenge));
		return 0;
	}
	if (strcmp(mode, "acct") == 0) {
		req->service = RADIUS_SERVICE_ACCT;
		req->code = RADIUS_ACCOUNTING_REQUEST;
		radius_put_string(w, RADIUS_ATTR_USER_NAME, "testuser");
		radius_put_u32(w, RADIUS_ATTR_ACCT_STATUS_TYPE, RADIUS_ACCT_START);
		radius_put_string(w, RADIUS_ATTR_ACCT_SESSION_ID, "probe-0001");
		return 0;
	}
	return -1;
}

/* One Status-Server, one answer within 2 s, checked like any reply. */
static int status_server(struct probe *p)
{
	uint8_t auth[RADIUS_AUTH_SIZE], buf[RADIUS_MAX_PACKET + 1];
	os_random(NULL, auth, sizeof(auth));
	struct radius_builder b;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_STATUS_SERVER, 99, auth);
	radius_put_message_auth(&b.w); /* RFC 5997 §3 */
	size_t len = radius_build_end(&b);
	if (!radius_sign_request(buf, len, p->secret, p->secret_len))
		return 2;
	if (sendto(p->fd, buf, len, 0, (const struct sockaddr *)&p->server, sizeof(p->server)) < 0)
		return 1;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	if (poll(&pfd, 1, 2000) != 1) {
		printf("failed\n");
		return 1;
	}
	ssize_t n = recv(p->fd, buf, sizeof(buf), 0);
	struct radius_packet r;
	if (n <= 0 || radius_packet_parse(buf, (size_t)n, &r) != RADIUS_PARSE_OK || r.id != 99) {
		printf("dropped malformed\n");
		return 1;
	}
	enum radius_verdict v = radius_verify_reply(&r, RADIUS_STATUS_SERVER, auth, p->secret, p->secret_len);
	if (v != RADIUS_VERDICT_OK) {
		printf("dropped %s\n", radius_verdict_name(v));
		return 1;
	}
	printf("code %s\n", radius_code_name(r.code));
	return 0;
}

int main(int argc, char **argv)
{
	struct probe p = { .fd = -1 };
	const char *reply_secret = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "w:")) != -1) {
		if (opt != 'w')
			return 2;
		reply_secret = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 4)
		return 2;
	p.server.sin_family = AF_INET;
	p.server.sin_port = htons((uint16_t)atoi(argv[1]));
	if (inet_pton(AF_INET, argv[0], &p.server.sin_addr) != 1 || read_secret(argv[2], p.secret, &p.secret_len) != 0)
		return 2;
	argc -= 3;
	argv += 3;

	struct radius_client_config cfg = {
		.sockets = 1, .timeout_ms = 700, .retries = 2, .probe_interval_ms = 100, .max_outstanding = 4
	};
	for (int sv = 0; sv < RADIUS_SERVICES; sv++) {
		struct radius_server_config *sc = &cfg.servers[sv][0];
		cfg.n_servers[sv] = 1;
		sc->secret_len = reply_secret ? strlen(reply_secret) : p.secret_len;
		if (sc->secret_len == 0 || sc->secret_len > RADIUS_SECRET_MAX)
			return 2;
		memcpy(sc->secret, reply_secret ? (const uint8_t *)reply_secret : p.secret, sc->secret_len);
	}
	p.resign = reply_secret != NULL;
	p.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p.fd < 0)
		return 2;
	if (strcmp(argv[0], "status") == 0)
		return status_server(&p);
	struct random_source rs = { .fill = os_random };
	struct radius_client *c = radius_client_new(&cfg, &rs, send_datagram, &p);
	if (!c)
		return 2;

	uint8_t attrs[1024];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	struct radius_request req = { .handle = 1 };
	uint64_t start = now_ms();
	if (build_attrs(argc, argv, &w, &req) != 0 || !writer_ok(&w)) {
		fprintf(stderr, "usage: radius_probe [-w SECRET] IP PORT SECRET_FILE mschapv2|pap U P|chap U P|acct\n");
		return 2;
	}
	req.attrs = attrs;
	req.attrs_len = writer_len(&w);
	if (radius_client_submit(c, &req, start) != 0)
		return 2;

	int result = 1;
	for (;;) {
		uint64_t now = now_ms();
		uint64_t deadline = radius_client_next_deadline(c);
		if (deadline == DEADLINE_NONE)
			break;
		int wait = deadline > now ? (int)(deadline - now) : 0;
		struct pollfd pfd = { .fd = p.fd, .events = POLLIN };
		int n = poll(&pfd, 1, wait);
		now = now_ms();
		if (n > 0) {
			uint8_t buf[RADIUS_MAX_PACKET + 1];
			ssize_t len = recv(p.fd, buf, sizeof(buf), 0);
			if (len > 0)
				radius_client_on_datagram(c, req.service, 0, 0, buf, (size_t)len, now);
		}
		if (radius_client_next_deadline(c) <= now)
			radius_client_on_timeout(c, now);
		struct radius_event ev;
		bool finished = false;
		while (radius_client_next_event(c, &ev)) {
			switch (ev.type) {
			case RADIUS_EV_REPLY:
				print_reply(&ev);
				result = 0;
				finished = true;
				break;
			case RADIUS_EV_FAILED:
				printf("failed\n");
				finished = true;
				break;
			case RADIUS_EV_DROPPED:
				printf("dropped %s\n", radius_verdict_name(ev.verdict));
				break;
			case RADIUS_EV_SERVER_DEAD:
				printf("server-dead\n");
				break;
			case RADIUS_EV_SERVER_ALIVE:
				printf("server-alive\n");
				break;
			}
		}
		if (finished || now - start > 5000)
			break;
	}
	fflush(stdout);
	radius_client_free(c);
	close(p.fd);
	return result;
}
