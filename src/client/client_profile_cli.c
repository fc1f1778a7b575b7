/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp profile add|list|del`: writing the files `connect --profile`
 * reads (client_profile.h). The settings given to `add` are checked with
 * the connect command's own option table, so a profile that was written
 * also loads. */
#include "client/client_profile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "config/ppp_policy.h"
#include "proto/auth/auth_method.h"
#include "proto/auth/mschap_crypto.h"
#include "sys/script.h"
#include "sys/sys_file.h"

#define PROFILE_MAX_SETTINGS 64

static int profile_usage(void)
{
	fprintf(stderr, "Usage: openpptp profile add NAME --server HOST --user USER [--password-file FILE] [CONNECT-OPTIONS]\n"
			"       openpptp profile del NAME\n"
			"       openpptp profile list\n"
			"Each takes --profile-dir DIR (default " CLIENT_PROFILE_DIR "). add asks for the password\n"
			"(terminal without echo, or stdin) unless --password-file; it is stored as its NT hash\n"
			"when --auth allows only MS-CHAP (the default), else as it is; the file is mode 0600.\n"
			"CONNECT-OPTIONS: any option of openpptp connect (--route, --default-route, --mppe, ...).\n");
	return 2;
}

static const struct option_def *profile_find(const char *name, bool *negated)
{
	*negated = strncmp(name, "no-", 3) == 0;
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? name : name + 3;
		if (pass == 1 && !*negated)
			break;
		for (size_t i = 0; i < client_option_table.count; i++) {
			const struct option_def *d = &client_option_table.defs[i];
			if (strcmp(d->name, want) == 0) {
				if (pass == 0)
					*negated = false;
				if (pass == 1 && d->type != OPTION_BOOL)
					return NULL;
				return d;
			}
		}
	}
	return NULL;
}

struct profile_request {
	const char *name;
	const char *dir;
	const char *password_file;
	const char *auth;
	const char *keys[PROFILE_MAX_SETTINGS];
	const char *values[PROFILE_MAX_SETTINGS];
	size_t count;
	bool has_server, has_user;
};

/* argv after "add NAME": the settings to write, in order. */
static int profile_collect(int argc, char **argv, struct profile_request *r)
{
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			fprintf(stderr, "openpptp profile: unexpected argument '%s'\n", argv[i]);
			return ERR_INVALID;
		}
		char key[64];
		const char *eq = strchr(argv[i] + 2, '=');
		size_t klen = eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2);
		if (klen >= sizeof(key)) {
			fprintf(stderr, "openpptp profile: unknown option %s\n", argv[i]);
			return ERR_INVALID;
		}
		memcpy(key, argv[i] + 2, klen);
		key[klen] = '\0';
		bool negated;
		const struct option_def *d = profile_find(key, &negated);
		if (!d) {
			fprintf(stderr, "openpptp profile: unknown option --%s (openpptp connect --help lists them)\n", key);
			return ERR_INVALID;
		}
		const char *value;
		if (d->type == OPTION_BOOL && !eq)
			value = negated ? "false" : "true";
		else if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			fprintf(stderr, "openpptp profile: --%s needs a value\n", key);
			return ERR_INVALID;
		}
		if (strcmp(d->name, "profile-dir") == 0) {
			r->dir = value;
			continue;
		}
		if (strcmp(d->name, "password-file") == 0) {
			r->password_file = value;
			continue;
		}
		if (!strcmp(d->name, "config") || !strcmp(d->name, "profile") || !strcmp(d->name, "password") ||
		    !strcmp(d->name, "password-nt-hash")) {
			fprintf(stderr, "openpptp profile: --%s cannot go into a profile (the password comes from "
					"--password-file or a prompt)\n",
				d->name);
			return ERR_INVALID;
		}
		if (r->count == PROFILE_MAX_SETTINGS) {
			fprintf(stderr, "openpptp profile: too many settings\n");
			return ERR_INVALID;
		}
		r->has_server |= strcmp(d->name, "server") == 0;
		r->has_user |= strcmp(d->name, "user") == 0;
		if (strcmp(d->name, "auth") == 0)
			r->auth = value;
		r->keys[r->count] = d->name;
		r->values[r->count++] = value;
	}
	return 0;
}

/* The connect command's parser over the same settings: the file will load. */
static int profile_check(const struct profile_request *r)
{
	static char joined[PROFILE_MAX_SETTINGS][512];
	char *args[PROFILE_MAX_SETTINGS];
	for (size_t i = 0; i < r->count; i++) {
		snprintf(joined[i], sizeof(joined[i]), "--%s=%s", r->keys[i], r->values[i]);
		args[i] = joined[i];
	}
	struct client_config cfg;
	struct options o;
	const char *positional[1];
	size_t npositional = 0;
	int rc = options_init(&o, &client_option_table, &cfg);
	if (rc == 0)
		rc = options_parse_args(&o, (int)r->count, args, positional, 1, &npositional);
	if (rc < 0)
		fprintf(stderr, "openpptp profile: %s\n", options_error(&o));
	options_destroy(&o);
	return rc < 0 ? ERR_INVALID : 0;
}

static int profile_read_secret(const struct profile_request *r, char *password, size_t size)
{
	if (!r->password_file)
		return sys_read_password("Password: ", password, size) > 0 ? 0 : ERR_INVALID;
	char *text;
	size_t len;
	if (sys_read_file(r->password_file, 4096, &text, &len) < 0)
		return ERR_INVALID;
	size_t n = strcspn(text, "\r\n");
	if (n >= size)
		n = size - 1;
	memcpy(password, text, n);
	password[n] = '\0';
	crypto_wipe(text, len);
	free(text);
	return n ? 0 : ERR_INVALID;
}

static int profile_add(const char *name, int argc, char **argv)
{
	struct profile_request r = { .name = name, .dir = CLIENT_PROFILE_DIR, .auth = "mschapv2" };
	if (profile_collect(argc, argv, &r) < 0 || profile_check(&r) < 0)
		return 2;
	if (!r.has_server || !r.has_user) {
		fprintf(stderr, "openpptp profile add: --server and --user are required\n");
		return 2;
	}
	char path[4096];
	if (client_profile_path(r.dir, name, path, sizeof(path)) < 0) {
		fprintf(stderr, "openpptp profile: '%s': a profile name is letters, digits, '.', '_' and '-'\n", name);
		return 2;
	}
	unsigned auth;
	char err[160];
	if (ppp_policy_parse_auth(r.auth, &auth, err, sizeof(err)) < 0) {
		fprintf(stderr, "openpptp profile: %s\n", err);
		return 2;
	}
	char password[256], secret[256];
	if (profile_read_secret(&r, password, sizeof(password)) < 0) {
		fprintf(stderr, "openpptp profile: no password (use --password-file, stdin or a terminal)\n");
		return 1;
	}
	bool as_hash = !(auth & ~(AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1)));
	if (as_hash) {
		uint8_t hash[MSCHAP_NT_HASH_SIZE];
		int rc = mschap_nt_password_hash(password, strlen(password), hash);
		crypto_wipe(password, sizeof(password));
		if (rc < 0) {
			fprintf(stderr, "openpptp profile: the password is not valid UTF-8\n");
			return 1;
		}
		client_nt_hash_format(hash, secret);
		crypto_wipe(hash, sizeof(hash));
	} else {
		memcpy(secret, password, sizeof(secret));
		crypto_wipe(password, sizeof(password));
	}
	char text[16384];
	int len = client_profile_format(text, sizeof(text), name, r.keys, r.values, r.count,
					as_hash ? "password-nt-hash" : "password", secret);
	crypto_wipe(secret, sizeof(secret));
	if (len < 0) {
		fprintf(stderr, "openpptp profile: the settings are too long\n");
		return 2;
	}
	(void)mkdir(r.dir, 0700);
	struct stat st;
	bool existed = stat(path, &st) == 0;
	int rc = sys_write_file_atomic(path, text, (size_t)len, 0600);
	crypto_wipe(text, sizeof(text));
	if (rc < 0) {
		fprintf(stderr, "openpptp profile: cannot write %s: %s\n", path, error_name(rc));
		return 1;
	}
	printf("%s %s (password stored %s); connect with: openpptp connect --profile %s\n",
	       existed ? "replaced" : "wrote", path, as_hash ? "as its NT hash" : "as given: --auth allows more than MS-CHAP",
	       name);
	return 0;
}

static int profile_list(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "openpptp profile: cannot read %s: %s\n", dir, strerror(errno));
		return 1;
	}
	const struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char name[CLIENT_PROFILE_NAME_MAX + 1];
		if (n <= 5 || n - 5 > CLIENT_PROFILE_NAME_MAX || strcmp(e->d_name + n - 5, ".conf") != 0)
			continue;
		memcpy(name, e->d_name, n - 5);
		name[n - 5] = '\0';
		if (!client_profile_name_ok(name))
			continue;
		struct client_config cfg;
		struct options o;
		const char *server = "?", *user = "?";
		if (options_init(&o, &client_option_table, &cfg) == 0 && client_profile_load(&o, dir, name) == 0) {
			server = cfg.server ? cfg.server : "?";
			user = cfg.user ? cfg.user : "?";
		}
		printf("%-20s server %-24s user %s\n", name, server, user);
		options_destroy(&o);
	}
	closedir(d);
	return 0;
}

static int profile_del(const char *dir, const char *name)
{
	char path[4096];
	if (client_profile_path(dir, name, path, sizeof(path)) < 0) {
		fprintf(stderr, "openpptp profile: '%s': not a profile name\n", name);
		return 2;
	}
	if (unlink(path) < 0) {
		fprintf(stderr, "openpptp profile: cannot remove %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("removed %s\n", path);
	return 0;
}

/* --profile-dir DIR or --profile-dir=DIR anywhere in argv (list, del). */
static const char *profile_dir_arg(int argc, char **argv, int *used)
{
	const char *dir = CLIENT_PROFILE_DIR;
	*used = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--profile-dir") == 0 && i + 1 < argc) {
			dir = argv[++i];
			*used += 2;
		} else if (strncmp(argv[i], "--profile-dir=", 14) == 0) {
			dir = argv[i] + 14;
			*used += 1;
		}
	}
	return dir;
}

int client_profile_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return profile_usage();
	const char *verb = argv[1];
	if (strcmp(verb, "add") == 0 && argc >= 3 && argv[2][0] != '-')
		return profile_add(argv[2], argc - 3, argv + 3);
	int used;
	const char *dir = profile_dir_arg(argc - 2, argv + 2, &used);
	if (strcmp(verb, "list") == 0 && used == argc - 2)
		return profile_list(dir);
	if (strcmp(verb, "del") == 0 && argc >= 3 && argv[2][0] != '-' && used == argc - 3)
		return profile_del(dir, argv[2]);
	return profile_usage();
}
