/* SPDX-License-Identifier: BSD-2-Clause */
/* Profile files: names, paths, loading, the text written (client_profile.h). */
#include "client/client_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth_method.h"
#include "sys/sys_file.h"

bool client_profile_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > CLIENT_PROFILE_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int client_profile_path(const char *dir, const char *name, char *out, size_t size)
{
	if (!client_profile_name_ok(name))
		return ERR_INVALID;
	int n = snprintf(out, size, "%s/%s.conf", dir && dir[0] ? dir : CLIENT_PROFILE_DIR, name);
	return n < 0 || (size_t)n >= size ? ERR_NOSPACE : 0;
}

int client_profile_load(struct options *o, const char *dir, const char *name)
{
	char path[4096];
	int rc = client_profile_path(dir, name, path, sizeof(path));
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: --profile %s: %s\n", name,
			rc == ERR_INVALID ? "a profile name is letters, digits, '.', '_' and '-'" : "path too long");
		return ERR_INVALID;
	}
	char *text;
	size_t len;
	rc = sys_read_file(path, 1 << 20, &text, &len);
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: no profile %s: cannot read %s: %s (openpptp profile add creates it)\n",
			name, path, error_name(rc));
		return ERR_INVALID;
	}
	rc = options_parse_ini(o, text, len, path);
	crypto_wipe(text, len);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: %s\n", options_error(o));
		return ERR_INVALID;
	}
	return 0;
}

int client_profile_apply(struct options *o, const struct client_config *cfg)
{
	if (!cfg->profile)
		return 0;
	if (cfg->config) {
		fprintf(stderr, "openpptp connect: give --profile or --config, not both\n");
		return ERR_INVALID;
	}
	return client_profile_load(o, cfg->profile_dir, cfg->profile);
}

int client_profile_secret(const struct client_config *cfg, unsigned auth, char *password, size_t password_size,
			  uint8_t nt_hash[16], bool *has_nt_hash)
{
	*has_nt_hash = false;
	if (cfg->password) {
		if (strlen(cfg->password) >= password_size) {
			fprintf(stderr, "openpptp connect: password = is too long\n");
			return ERR_INVALID;
		}
		snprintf(password, password_size, "%s", cfg->password);
		return 0;
	}
	if (client_nt_hash_parse(cfg->password_nt_hash, nt_hash) < 0) {
		fprintf(stderr, "openpptp connect: password-nt-hash: needs 32 hex digits\n");
		return ERR_INVALID;
	}
	if (auth & ~(AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1))) {
		fprintf(stderr, "openpptp connect: password-nt-hash works with MS-CHAP only: --auth mschapv2 or mschapv1\n");
		return ERR_INVALID;
	}
	*has_nt_hash = true;
	return 0;
}

int client_nt_hash_parse(const char *text, uint8_t hash[16])
{
	if (!text || strlen(text) != 32)
		return ERR_INVALID;
	for (int i = 0; i < 16; i++) {
		int hi = hex_digit_value(text[2 * i]), lo = hex_digit_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return ERR_INVALID;
		hash[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void client_nt_hash_format(const uint8_t hash[16], char text[33])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		text[2 * i] = digits[hash[i] >> 4];
		text[2 * i + 1] = digits[hash[i] & 15];
	}
	text[32] = '\0';
}

struct profile_out {
	char *buf;
	size_t size, used;
	bool full;
};

static void profile_put(struct profile_out *o, const char *text, size_t n)
{
	if (o->full || o->used + n >= o->size) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->used, text, n);
	o->used += n;
	o->buf[o->used] = '\0';
}

static void profile_puts(struct profile_out *o, const char *text)
{
	profile_put(o, text, strlen(text));
}

static const char *profile_escape(char c)
{
	switch (c) {
	case '\\': return "\\\\";
	case '"': return "\\\"";
	case '\n': return "\\n";
	case '\t': return "\\t";
	default: return NULL;
	}
}

/* key = "value", escaped as options.h's INI reader reads it back. */
static void profile_line(struct profile_out *o, const char *key, const char *value)
{
	profile_puts(o, key);
	profile_puts(o, " = \"");
	for (const char *p = value; *p; p++) {
		const char *esc = profile_escape(*p);
		if (esc)
			profile_puts(o, esc);
		else
			profile_put(o, p, 1);
	}
	profile_puts(o, "\"\n");
}

int client_profile_format(char *out, size_t size, const char *name, const char *const *keys,
			  const char *const *values, size_t count, const char *secret_key, const char *secret)
{
	struct profile_out o = { out, size, 0, size == 0 };
	if (size)
		out[0] = '\0';
	profile_puts(&o, "# openpptp client profile \"");
	profile_puts(&o, name);
	profile_puts(&o, "\", written by `openpptp profile add` (keys: openpptp.conf(5)).\n"
			 "# openpptp connect --profile NAME; systemctl enable --now openpptp-client@NAME\n"
			 "[connect]\n");
	for (size_t i = 0; i < count; i++)
		profile_line(&o, keys[i], values[i]);
	if (secret_key && secret)
		profile_line(&o, secret_key, secret);
	return o.full ? ERR_NOSPACE : (int)o.used;
}
