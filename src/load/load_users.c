/* SPDX-License-Identifier: BSD-2-Clause */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "load/load_internal.h"

/* One line: a user name (no blanks), blanks, then the password — the rest
 * of the line, trailing blanks and a CR dropped, so a password may hold
 * spaces. Blank lines and lines starting with # are skipped. */
int load_users_parse(char *text, struct load_credential **creds, size_t *n, const char **why)
{
	*creds = NULL;
	*n = 0;
	size_t cap = 0;
	for (char *line = text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		while (len && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		while (isspace((unsigned char)*line))
			line++;
		if (*line && *line != '#') {
			char *sep = line + strcspn(line, " \t");
			if (!*sep) {
				*why = "a line has a user name but no password";
				free(*creds);
				*creds = NULL;
				*n = 0;
				return ERR_INVALID;
			}
			*sep++ = '\0';
			while (isspace((unsigned char)*sep))
				sep++;
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				struct load_credential *c = realloc(*creds, cap * sizeof(*c));
				if (!c) {
					free(*creds);
					*creds = NULL;
					*n = 0;
					return ERR_NOMEM;
				}
				*creds = c;
			}
			(*creds)[(*n)++] = (struct load_credential){ .user = line, .password = sep };
		}
		line = next;
	}
	if (*n == 0) {
		*why = "no 'user password' line";
		return ERR_INVALID;
	}
	return 0;
}
