/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp status`, `openpptp kick` (talk to a running server over its
 * control socket) and `openpptp user add|del|list` (edit the secrets file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "config/secrets.h"
#include "proto/auth/mschap_crypto.h"
#include "server/server.h"
#include "sys/script.h"
#include "sys/sys_file.h"
#include "sys/unix_socket.h"

static const char *arg_value(int argc, char **argv, const char *name, const char *fallback)
{
	size_t len = strlen(name);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], name) == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=')
			return argv[i] + len + 1;
	}
	return fallback;
}

static bool arg_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

static int control_request(const char *path, const char *request)
{
	int fd = unix_connect(path);
	if (fd < 0) {
		fprintf(stderr, "openpptp: no server answers on %s (is it running? --control-socket PATH)\n", path);
		return 1;
	}
	char line[512];
	int n = snprintf(line, sizeof(line), "%s\n", request);
	if (unix_write_all(fd, line, (size_t)n) < 0) {
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	char buf[65536];
	ssize_t got;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)got, stdout);
	close(fd);
	return 0;
}

int server_status_main(int argc, char **argv)
{
	if (arg_flag(argc, argv, "--help")) {
		printf("Usage: openpptp status [--json] [--control-socket PATH]\n");
		return 0;
	}
	const char *path = arg_value(argc, argv, "--control-socket", SERVER_DEFAULT_CONTROL_SOCKET);
	return control_request(path, arg_flag(argc, argv, "--json") ? "status json" : "status");
}

int server_kick_main(int argc, char **argv)
{
	const char *path = arg_value(argc, argv, "--control-socket", SERVER_DEFAULT_CONTROL_SOCKET);
	const char *who = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--control-socket") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] != '-')
			who = argv[i];
	}
	if (!who) {
		fprintf(stderr, "Usage: openpptp kick USER|ADDRESS [--control-socket PATH]\n");
		return 2;
	}
	char request[300];
	snprintf(request, sizeof(request), "kick %s", who);
	return control_request(path, request);
}

/* Keep every line of the file except the entries for `user`. */
static size_t drop_user_lines(const char *text, size_t len, const char *user, char *out)
{
	size_t used = 0, pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		size_t line_len = end - pos + (end < len ? 1 : 0);
		struct secrets one;
		bool drop = false;
		if (secrets_parse(&one, text + pos, end - pos, "line") == 0) {
			drop = one.count == 1 && strcmp(one.entries[0].client, user) == 0;
			secrets_destroy(&one);
		}
		if (!drop) {
			memcpy(out + used, text + pos, line_len);
			used += line_len;
		}
		pos = end + 1;
	}
	return used;
}

int server_user_main(int argc, char **argv)
{
	const char *file = arg_value(argc, argv, "--secrets", "/etc/ppp/chap-secrets");
	const char *verb = argc > 1 ? argv[1] : "";
	const char *name = argc > 2 && argv[2][0] != '-' ? argv[2] : NULL;
	if (strcmp(verb, "list") == 0) {
		char *text;
		size_t len;
		if (sys_read_file(file, 16 << 20, &text, &len) < 0) {
			fprintf(stderr, "openpptp user: cannot read %s\n", file);
			return 1;
		}
		struct secrets s;
		int rc = secrets_parse(&s, text, len, file);
		crypto_wipe(text, len);
		free(text);
		if (rc < 0) {
			fprintf(stderr, "openpptp user: %s\n", s.error);
			return 1;
		}
		for (size_t i = 0; i < s.count; i++)
			printf("%-24s server %-12s %s\n", s.entries[i].client, s.entries[i].server,
			       s.entries[i].kind == SECRET_NTHASH ? "nt-hash" : "plaintext");
		secrets_destroy(&s);
		return 0;
	}
	if ((strcmp(verb, "add") != 0 && strcmp(verb, "del") != 0) || !name) {
		fprintf(stderr, "Usage: openpptp user add NAME [--secrets FILE] [--nt-hash] [--ip ADDRESS]\n"
				"       openpptp user del NAME [--secrets FILE]\n"
				"       openpptp user list [--secrets FILE]\n"
				"The password is read from the terminal without echo, or from stdin.\n");
		return 2;
	}
	char *text = NULL;
	size_t len = 0;
	if (sys_read_file(file, 16 << 20, &text, &len) < 0) {
		text = NULL;
		len = 0;
	}
	char *kept = malloc(len + 1024);
	if (!kept) {
		free(text);
		return 1;
	}
	size_t used = text ? drop_user_lines(text, len, name, kept) : 0;
	if (text) {
		crypto_wipe(text, len);
		free(text);
	}
	if (strcmp(verb, "add") == 0) {
		char password[256];
		if (sys_read_password("Password: ", password, sizeof(password)) <= 0) {
			fprintf(stderr, "openpptp user: no password given\n");
			free(kept);
			return 1;
		}
		uint8_t nthash[16];
		bool use_hash = arg_flag(argc, argv, "--nt-hash");
		if (use_hash && mschap_nt_password_hash(password, strlen(password), nthash) < 0) {
			fprintf(stderr, "openpptp user: the password is not valid UTF-8\n");
			crypto_wipe(password, sizeof(password));
			free(kept);
			return 1;
		}
		if (used && kept[used - 1] != '\n')
			kept[used++] = '\n';
		int n = secrets_format_entry(kept + used, 1000, name, "*", use_hash ? NULL : password,
					     use_hash ? nthash : NULL, arg_value(argc, argv, "--ip", "*"));
		crypto_wipe(password, sizeof(password));
		crypto_wipe(nthash, sizeof(nthash));
		if (n < 0 || n >= 1000) {
			fprintf(stderr, "openpptp user: cannot write an entry for '%s'\n", name);
			free(kept);
			return 1;
		}
		used += (size_t)n;
	}
	int rc = sys_write_file_atomic(file, kept, used, 0600);
	crypto_wipe(kept, used);
	free(kept);
	if (rc < 0) {
		fprintf(stderr, "openpptp user: cannot write %s: %s\n", file, error_name(rc));
		return 1;
	}
	printf("%s %s in %s\n", strcmp(verb, "add") == 0 ? "added" : "removed", name, file);
	return 0;
}
