/* SPDX-License-Identifier: BSD-2-Clause */
/* chap-secrets parser: see secrets.h for the format. */
#include "config/secrets.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/crypto.h"
#include "base/error.h"

#define WORDS_MAX (3 + SECRETS_ADDRS_MAX)

struct word {
	const char *text;   /* decoded, NUL-terminated, inside the scratch buffer */
	size_t len;
	bool quoted;        /* any part was quoted or escaped */
};

struct lexer {
	const char *p, *end;
	unsigned line;      /* line of the current position */
	char *scratch;      /* decoded words; never longer than the source */
	size_t used;
};

__attribute__((format(printf, 4, 0)))
static void set_error(struct secrets *s, const char *file, unsigned line, const char *fmt, va_list ap)
{
	char why[200];
	vsnprintf(why, sizeof(why), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start is in fail() */
	snprintf(s->error, sizeof(s->error), "%s:%u: %s", file, line, why);
}

__attribute__((format(printf, 5, 6)))
static int fail(struct secrets *s, int err, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(s, file, line, fmt, ap);
	va_end(ap);
	return err;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Decode one escape after a backslash; *out gets the byte. */
static int escape(struct lexer *lx, char *out, const char **why)
{
	if (lx->p == lx->end) {
		*why = "backslash at end of file";
		return ERR_MALFORMED;
	}
	char c = *lx->p++;
	switch (c) {
	case 'n': *out = '\n'; return 0;
	case 't': *out = '\t'; return 0;
	case 'r': *out = '\r'; return 0;
	case 's': *out = ' '; return 0;
	case 'x': {
		int v = 0, digits = 0;
		while (digits < 2 && lx->p < lx->end && hex_digit_value(*lx->p) >= 0) {
			v = v * 16 + hex_digit_value(*lx->p++);
			digits++;
		}
		if (digits == 0) {
			*why = "\\x without hex digits";
			return ERR_MALFORMED;
		}
		*out = (char)v;
		break;
	}
	default:
		if (c >= '0' && c <= '7') {
			int v = c - '0', digits = 1;
			while (digits < 3 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7') {
				v = v * 8 + (*lx->p++ - '0');
				digits++;
			}
			if (v > 255) {
				*why = "octal escape above \\377";
				return ERR_MALFORMED;
			}
			*out = (char)v;
			break;
		}
		if (c == '\0') {
			*why = "NUL byte in a word";
			return ERR_MALFORMED;
		}
		*out = c; /* \\ \" \' and anything else: the character itself */
		return 0;
	}
	if (*out == '\0') {
		*why = "NUL byte in a word";
		return ERR_MALFORMED;
	}
	return 0;
}

/* Read the words of one entry. Returns the number of words (0 for a blank
 * or comment-only line; ERR_CLOSED at end of text), or an error with *why. */
static int next_entry(struct lexer *lx, struct word *words, const char **why, unsigned *start_line)
{
	int n = 0;
	lx->used = 0;
	*start_line = lx->line;
	if (lx->p == lx->end)
		return ERR_CLOSED;
	for (;;) {
		while (lx->p < lx->end && blank(*lx->p))
			lx->p++;
		if (lx->p == lx->end)
			return n;
		char c = *lx->p;
		if (c == '\n') {
			lx->p++;
			lx->line++;
			return n;
		}
		if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p += 2; /* continuation */
			lx->line++;
			continue;
		}
		if (n == WORDS_MAX) {
			*why = "too many words (at most client, server, secret and 8 addresses)";
			return ERR_LIMIT;
		}
		struct word *w = &words[n++];
		char *out = lx->scratch + lx->used;
		size_t len = 0;
		w->quoted = false;
		while (lx->p < lx->end && !blank(*lx->p) && *lx->p != '\n') {
			c = *lx->p++;
			if (c == '\0') {
				*why = "NUL byte";
				return ERR_MALFORMED;
			}
			if (c == '\\') {
				if (lx->p < lx->end && *lx->p == '\n') {
					lx->p++;
					lx->line++;
					break; /* continuation also ends the word */
				}
				if (escape(lx, &out[len], why) < 0)
					return ERR_MALFORMED;
				len++;
				w->quoted = true;
			} else if (c == '"' || c == '\'') {
				w->quoted = true;
				for (;;) {
					if (lx->p == lx->end || *lx->p == '\n') {
						*why = "unterminated quote";
						return ERR_MALFORMED;
					}
					char q = *lx->p++;
					if (q == c)
						break;
					if (q == '\0') {
						*why = "NUL byte";
						return ERR_MALFORMED;
					}
					if (q == '\\' && c == '"') {
						if (lx->p < lx->end && *lx->p == '\n') {
							*why = "unterminated quote";
							return ERR_MALFORMED;
						}
						if (escape(lx, &q, why) < 0)
							return ERR_MALFORMED;
					}
					out[len++] = q;
				}
			} else {
				out[len++] = c;
			}
		}
		out[len] = '\0';
		w->text = out;
		w->len = len;
		lx->used += len + 1;
	}
}

static char *dup_word(const struct word *w)
{
	char *s = malloc(w->len + 1);
	if (s)
		memcpy(s, w->text, w->len + 1);
	return s;
}

static void entry_free(struct secret_entry *e)
{
	free(e->client);
	free(e->server);
	if (e->secret) {
		crypto_wipe(e->secret, e->secret_len);
		free(e->secret);
	}
	crypto_wipe(e->nthash, sizeof(e->nthash));
	memset(e, 0, sizeof(*e));
}

void secrets_destroy(struct secrets *s)
{
	for (size_t i = 0; i < s->count; i++)
		entry_free(&s->entries[i]);
	free(s->entries);
	s->entries = NULL;
	s->count = 0;
}

static int parse_secret(struct secret_entry *e, const struct word *w, const char **why)
{
	static const char prefix[] = "nthash:";
	const size_t plen = sizeof(prefix) - 1;
	if (!w->quoted && w->len > 0 && w->text[0] == '@') {
		*why = "secrets read from @file are not supported";
		return ERR_UNSUPPORTED;
	}
	if (w->len > SECRETS_SECRET_MAX) {
		*why = "secret longer than 256 characters";
		return ERR_LIMIT;
	}
	if (!w->quoted && w->len >= plen && strncmp(w->text, prefix, plen) == 0) {
		if (w->len != plen + 2 * SECRETS_NTHASH_SIZE) {
			*why = "nthash: needs exactly 32 hex digits";
			return ERR_MALFORMED;
		}
		for (size_t i = 0; i < SECRETS_NTHASH_SIZE; i++) {
			int hi = hex_digit_value(w->text[plen + 2 * i]), lo = hex_digit_value(w->text[plen + 2 * i + 1]);
			if (hi < 0 || lo < 0) {
				*why = "nthash: needs exactly 32 hex digits";
				return ERR_MALFORMED;
			}
			e->nthash[i] = (uint8_t)(hi << 4 | lo);
		}
		e->kind = SECRET_NTHASH;
		return 0;
	}
	e->kind = SECRET_PLAINTEXT;
	e->secret = dup_word(w);
	e->secret_len = w->len;
	return e->secret ? 0 : ERR_NOMEM;
}

static int parse_addrs(struct secret_entry *e, const struct word *words, int n, const char **why)
{
	secret_addrs_init(&e->addrs);
	for (int i = 0; i < n; i++) {
		int rc = secret_addrs_add_word(&e->addrs, words[i].text, words[i].len, why);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int parse_entry(struct secret_entry *e, const struct word *words, int n, const char **why)
{
	if (n < 3) {
		*why = "expected: client server secret [addresses...]";
		return ERR_MALFORMED;
	}
	for (int i = 0; i < 2; i++) {
		if (words[i].len == 0) {
			*why = i ? "empty server name" : "empty client name";
			return ERR_MALFORMED;
		}
		if (words[i].len > SECRETS_NAME_MAX) {
			*why = "name longer than 256 characters";
			return ERR_LIMIT;
		}
		if (memchr(words[i].text, '\0', words[i].len)) {
			*why = "NUL byte in a name";
			return ERR_MALFORMED;
		}
	}
	int rc = parse_secret(e, &words[2], why);
	if (rc < 0)
		return rc;
	rc = parse_addrs(e, words + 3, n - 3, why);
	if (rc < 0)
		return rc;
	e->client = dup_word(&words[0]);
	e->server = dup_word(&words[1]);
	return e->client && e->server ? 0 : ERR_NOMEM;
}

int secrets_parse(struct secrets *s, const char *text, size_t len, const char *filename)
{
	const char *fname = filename ? filename : "<secrets>";
	memset(s, 0, sizeof(*s));
	struct lexer lx = { .p = text, .end = text + len, .line = 1 };
	lx.scratch = malloc(len + 1);
	if (!lx.scratch)
		return fail(s, ERR_NOMEM, fname, 0, "out of memory");
	size_t cap = 0;
	int rc = 0;
	for (;;) {
		struct word words[WORDS_MAX];
		const char *why = NULL;
		unsigned line;
		int n = next_entry(&lx, words, &why, &line);
		if (n == ERR_CLOSED)
			break;
		if (n < 0) {
			rc = fail(s, n, fname, lx.line, "%s", why);
			break;
		}
		if (n == 0)
			continue;
		if (s->count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct secret_entry *grown = realloc(s->entries, ncap * sizeof(*grown));
			if (!grown) {
				rc = fail(s, ERR_NOMEM, fname, line, "out of memory");
				break;
			}
			s->entries = grown;
			cap = ncap;
		}
		struct secret_entry *e = &s->entries[s->count];
		memset(e, 0, sizeof(*e));
		e->line = line;
		rc = parse_entry(e, words, n, &why);
		if (rc < 0) {
			entry_free(e);
			rc = fail(s, rc, fname, line, "%s", why ? why : "out of memory");
			break;
		}
		s->count++;
	}
	crypto_wipe(lx.scratch, len + 1);
	free(lx.scratch);
	if (rc < 0) {
		char keep[sizeof(s->error)];
		memcpy(keep, s->error, sizeof(keep));
		secrets_destroy(s);
		memcpy(s->error, keep, sizeof(keep));
	}
	return rc;
}

static bool is_wild(const char *s)
{
	return s[0] == '*' && s[1] == '\0';
}

const struct secret_entry *secrets_lookup(const struct secrets *s, const char *client, const char *server)
{
	const struct secret_entry *best = NULL;
	int best_score = -1;
	for (size_t i = 0; i < s->count; i++) {
		const struct secret_entry *e = &s->entries[i];
		int score = 0;
		if (!is_wild(e->client)) {
			if (!client || strcmp(e->client, client) != 0)
				continue;
			score += 2;
		}
		if (!is_wild(e->server)) {
			if (!server || strcmp(e->server, server) != 0)
				continue;
			score += 1;
		}
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}

bool secret_entry_is_empty(const struct secret_entry *e)
{
	return e->kind == SECRET_PLAINTEXT && e->secret_len == 0;
}

uint32_t secret_entry_static_ip(const struct secret_entry *e)
{
	return secret_addrs_static(&e->addrs);
}

bool secret_entry_allows_ip(const struct secret_entry *e, uint32_t addr)
{
	return secret_addrs_allow(&e->addrs, addr);
}

struct line_out {
	char *buf;
	size_t cap, len;
};

static void put_char(struct line_out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct line_out *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static bool needs_quotes(const char *w)
{
	if (!*w || *w == '#')
		return true;
	for (const char *p = w; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\')
			return true;
	}
	return false;
}

static void put_word(struct line_out *o, const char *w, bool force_quotes)
{
	static const char hex[] = "0123456789abcdef";
	if (!force_quotes && !needs_quotes(w)) {
		put_str(o, w);
		return;
	}
	put_char(o, '"');
	for (const char *p = w; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\') {
			put_char(o, '\\');
			put_char(o, (char)c);
		} else if (c < ' ' || c == 0x7f) {
			/* always two hex digits: the parser reads at most two */
			put_char(o, '\\');
			put_char(o, 'x');
			put_char(o, hex[c >> 4]);
			put_char(o, hex[c & 15]);
		} else {
			put_char(o, (char)c);
		}
	}
	put_char(o, '"');
}

int secrets_format_entry(char *buf, size_t cap, const char *client, const char *server,
			 const char *secret, const uint8_t *nthash, const char *addrs)
{
	if (!client || !server || !*client || !*server || strlen(client) > SECRETS_NAME_MAX ||
	    strlen(server) > SECRETS_NAME_MAX || (!nthash && (!secret || strlen(secret) > SECRETS_SECRET_MAX)))
		return ERR_INVALID;
	struct line_out o = { buf, cap, 0 };
	/* "*" is the wildcard: written bare so it stays one. */
	put_word(&o, client, false);
	put_char(&o, ' ');
	put_word(&o, server, false);
	put_char(&o, ' ');
	if (nthash) {
		static const char hex[] = "0123456789ABCDEF";
		put_str(&o, "nthash:");
		for (size_t i = 0; i < SECRETS_NTHASH_SIZE; i++) {
			put_char(&o, hex[nthash[i] >> 4]);
			put_char(&o, hex[nthash[i] & 15]);
		}
	} else {
		put_word(&o, secret, true);
	}
	put_char(&o, ' ');
	put_str(&o, addrs && *addrs ? addrs : "*");
	put_char(&o, '\n');
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len > INT32_MAX ? ERR_INVALID : (int)o.len;
}
