/* SPDX-License-Identifier: BSD-2-Clause */
/* Option tables: typed settings from INI text and the command line. */
#include "config/options.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

static void *field(const struct options *o, const struct option_def *d)
{
	return (uint8_t *)o->cfg + d->offset;
}

__attribute__((format(printf, 2, 0)))
static void set_error(struct options *o, const char *fmt, va_list ap)
{
	vsnprintf(o->error, sizeof(o->error), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): false positive, va_start is in fail() */
}

__attribute__((format(printf, 3, 4)))
static int fail(struct options *o, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(o, fmt, ap);
	va_end(ap);
	return err;
}

const char *options_error(const struct options *o)
{
	return o->error;
}

static void list_clear(struct option_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

static void clear_field(struct options *o, const struct option_def *d)
{
	void *f = field(o, d);
	switch (d->type) {
	case OPTION_STRING:
		free(*(char **)f);
		*(char **)f = NULL;
		break;
	case OPTION_INT:
	case OPTION_ENUM:
		*(int *)f = 0;
		break;
	case OPTION_BOOL:
		*(bool *)f = false;
		break;
	case OPTION_IPV4:
		*(uint32_t *)f = 0;
		break;
	case OPTION_IPV4_RANGE:
		memset(f, 0, sizeof(struct ipv4_range));
		break;
	case OPTION_LIST:
		list_clear(f);
		break;
	}
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return ERR_INVALID;
}

static int parse_int(const char *v, int min, int max, int *out)
{
	if (min == 0 && max == 0) {
		min = INT_MIN;
		max = INT_MAX;
	}
	const char *p = v;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return ERR_INVALID;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return ERR_INVALID;
	*out = (int)n;
	return 0;
}

/* Set one option from text; on error, o->error says why without a location
 * prefix (the caller adds file:line or the option name). */
static int set_value(struct options *o, const struct option_def *d, const char *v)
{
	void *f = field(o, d);
	switch (d->type) {
	case OPTION_STRING: {
		char *copy = strdup(v);
		if (!copy)
			return fail(o, ERR_NOMEM, "out of memory");
		free(*(char **)f);
		*(char **)f = copy;
		return 0;
	}
	case OPTION_INT:
		if (parse_int(v, d->min, d->max, f) < 0) {
			if (d->min || d->max)
				return fail(o, ERR_INVALID, "'%s' is not an integer from %d to %d", v, d->min, d->max);
			return fail(o, ERR_INVALID, "'%s' is not an integer", v);
		}
		return 0;
	case OPTION_BOOL:
		if (parse_bool(v, f) < 0)
			return fail(o, ERR_INVALID, "'%s' is not yes/no, true/false, on/off or 1/0", v);
		return 0;
	case OPTION_IPV4:
		if (ipv4_parse(v, f) < 0)
			return fail(o, ERR_INVALID, "'%s' is not an IPv4 address (a.b.c.d)", v);
		return 0;
	case OPTION_IPV4_RANGE: {
		int rc = ipv4_range_parse(v, f);
		if (rc == ERR_INVALID)
			return fail(o, ERR_INVALID, "'%s' is an empty range or a network with host bits set", v);
		if (rc < 0)
			return fail(o, ERR_INVALID, "'%s' is not an IPv4 range (a.b.c.d-e.f.g.h, a.b.c.d-h, a.b.c.d/n or a.b.c.d)", v);
		return 0;
	}
	case OPTION_LIST: {
		struct option_list *l = f;
		char *copy = strdup(v);
		char **items = copy ? realloc(l->items, (l->count + 1) * sizeof(*items)) : NULL;
		if (!items) {
			free(copy);
			return fail(o, ERR_NOMEM, "out of memory");
		}
		items[l->count++] = copy;
		l->items = items;
		return 0;
	}
	case OPTION_ENUM:
		for (int i = 0; d->choices && d->choices[i]; i++) {
			if (strcmp(v, d->choices[i]) == 0) {
				*(int *)f = i;
				return 0;
			}
		}
		{
			char list[160] = "";
			size_t used = 0;
			for (int i = 0; d->choices && d->choices[i] && used < sizeof(list); i++) {
				int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", d->choices[i]);
				if (n < 0)
					break;
				used += (size_t)n;
			}
			return fail(o, ERR_INVALID, "'%s' is not one of: %s", v, list);
		}
	}
	return fail(o, ERR_INVALID, "bad option type");
}

int options_init(struct options *o, const struct option_table *t, void *cfg)
{
	memset(o, 0, sizeof(*o));
	o->table = t;
	o->cfg = cfg;
	if (t->count > OPTIONS_MAX)
		return fail(o, ERR_INVALID, "option table too large");
	for (size_t i = 0; i < t->count; i++) {
		const struct option_def *d = &t->defs[i];
		/* Raw zero first: the field may hold garbage on entry. */
		void *f = field(o, d);
		switch (d->type) {
		case OPTION_STRING:
			*(char **)f = NULL;
			break;
		case OPTION_LIST:
			memset(f, 0, sizeof(struct option_list));
			break;
		default:
			clear_field(o, d);
			break;
		}
	}
	for (size_t i = 0; i < t->count; i++) {
		const struct option_def *d = &t->defs[i];
		if (!d->default_value)
			continue;
		int rc = set_value(o, d, d->default_value);
		if (rc < 0) {
			char why[sizeof(o->error)];
			snprintf(why, sizeof(why), "%s", o->error);
			return fail(o, rc, "default of %s: %s", d->name, why);
		}
	}
	return 0;
}

void options_destroy(struct options *o)
{
	if (!o->table)
		return;
	for (size_t i = 0; i < o->table->count; i++) {
		const struct option_def *d = &o->table->defs[i];
		if (d->type == OPTION_STRING || d->type == OPTION_LIST)
			clear_field(o, d);
	}
}

/* Find by name; `_` in the query matches `-` in the table. */
static const struct option_def *find(const struct options *o, const char *name, size_t len, size_t *index)
{
	for (size_t i = 0; i < o->table->count; i++) {
		const char *n = o->table->defs[i].name;
		if (strlen(n) != len)
			continue;
		size_t k = 0;
		while (k < len && (name[k] == n[k] || (name[k] == '_' && n[k] == '-')))
			k++;
		if (k == len) {
			*index = i;
			return &o->table->defs[i];
		}
	}
	return NULL;
}

bool options_is_set(const struct options *o, const char *name)
{
	size_t i;
	return find(o, name, strlen(name), &i) && (o->set_by_cli[i] || o->set_by_ini[i]);
}

/* A list given in a source replaces the defaults rather than appending to
 * them: clear it on its first occurrence in that source. */
static int set_from(struct options *o, size_t i, const char *v, bool *seen)
{
	const struct option_def *d = &o->table->defs[i];
	if (d->type == OPTION_LIST && !seen[i])
		clear_field(o, d);
	seen[i] = true;
	return set_value(o, d, v);
}

int options_parse_args(struct options *o, int argc, char *const argv[],
		       const char **positional, size_t max_positional, size_t *npositional)
{
	size_t npos = 0;
	bool only_positional = false;
	*npositional = 0;
	for (int a = 0; a < argc; a++) {
		const char *arg = argv[a];
		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			if (npos == max_positional)
				return fail(o, ERR_INVALID, "unexpected argument '%s'", arg);
			positional[npos++] = arg;
			*npositional = npos;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			return OPTIONS_HELP;
		if (arg[1] != '-')
			return fail(o, ERR_INVALID, "unknown option '%s' (options are --long; see --help)", arg);
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		size_t i;
		const struct option_def *d = find(o, name, nlen, &i);
		const char *value = eq ? eq + 1 : NULL;
		if (!d && !eq && nlen > 3 && strncmp(name, "no-", 3) == 0) {
			d = find(o, name + 3, nlen - 3, &i);
			if (d && d->type == OPTION_BOOL)
				value = "no";
			else
				d = NULL;
		}
		if (!d)
			return fail(o, ERR_INVALID, "unknown option '--%.*s' (see --help)", (int)(nlen > 64 ? 64 : nlen), name);
		if (!value) {
			if (d->type == OPTION_BOOL)
				value = "yes";
			else if (a + 1 < argc)
				value = argv[++a];
			else
				return fail(o, ERR_INVALID, "option '--%s' needs a value", d->name);
		}
		int rc = set_from(o, i, value, o->set_by_cli);
		if (rc < 0) {
			char why[sizeof(o->error)];
			snprintf(why, sizeof(why), "%s", o->error);
			return fail(o, rc, "option '--%s': %s", d->name, why);
		}
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Decode the value part of a line [p, end) into out (cap >= end - p + 1). */
static int ini_value(const char *p, const char *end, char *out, const char **why)
{
	size_t n = 0;
	while (p < end && is_blank(*p))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		char q = *p++;
		for (;;) {
			if (p == end) {
				*why = "unterminated quote";
				return ERR_MALFORMED;
			}
			char c = *p++;
			if (c == q)
				break;
			if (c == '\\' && q == '"') {
				if (p == end) {
					*why = "unterminated quote";
					return ERR_MALFORMED;
				}
				c = *p++;
				switch (c) {
				case '\\': case '"': case '\'':
					break;
				case 'n':
					c = '\n';
					break;
				case 't':
					c = '\t';
					break;
				default:
					*why = "unknown escape in quotes (use \\\\ \\\" \\n \\t)";
					return ERR_MALFORMED;
				}
			}
			out[n++] = c;
		}
		while (p < end && is_blank(*p))
			p++;
		if (p < end && *p != '#' && *p != ';') {
			*why = "text after the closing quote";
			return ERR_MALFORMED;
		}
		out[n] = '\0';
		return 0;
	}
	const char *start = p;
	while (p < end) {
		if ((*p == '#' || *p == ';') && (p == start || is_blank(p[-1])))
			break;
		p++;
	}
	while (p > start && is_blank(p[-1]))
		p--;
	memcpy(out, start, (size_t)(p - start));
	out[p - start] = '\0';
	return 0;
}

int options_parse_ini(struct options *o, const char *text, size_t len, const char *filename)
{
	const char *fname = filename ? filename : "<config>";
	const char *p = text, *end = text + len;
	unsigned line = 0;
	bool applies = true;
	char *value = NULL;
	size_t value_cap = 0;
	int rc = 0;
	while (p < end && rc == 0) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *s = p, *e = eol;
		p = eol < end ? eol + 1 : end;
		if (memchr(s, '\0', (size_t)(e - s))) {
			rc = fail(o, ERR_MALFORMED, "%s:%u: NUL byte in line", fname, line);
			break;
		}
		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(e - s));
			const char *after = close ? close + 1 : e;
			while (after < e && is_blank(*after))
				after++;
			if (!close || (after < e && *after != '#' && *after != ';')) {
				rc = fail(o, ERR_MALFORMED, "%s:%u: malformed section header", fname, line);
				break;
			}
			const char *ns = s + 1, *ne = close;
			while (ns < ne && is_blank(*ns))
				ns++;
			while (ne > ns && is_blank(ne[-1]))
				ne--;
			size_t nlen = (size_t)(ne - ns);
			applies = o->table->command && strlen(o->table->command) == nlen &&
				  strncmp(ns, o->table->command, nlen) == 0;
			continue;
		}
		if (!applies)
			continue;
		const char *k = s;
		while (k < e && is_key_char(*k))
			k++;
		size_t klen = (size_t)(k - s);
		const char *rest = k;
		while (rest < e && is_blank(*rest))
			rest++;
		bool has_eq = rest < e && *rest == '=';
		if (klen == 0 || (!has_eq && rest < e && *rest != '#' && *rest != ';')) {
			rc = fail(o, ERR_MALFORMED, "%s:%u: expected 'key = value'", fname, line);
			break;
		}
		size_t i;
		const struct option_def *d = find(o, s, klen, &i);
		if (!d) {
			rc = fail(o, ERR_INVALID, "%s:%u: unknown option '%.*s'", fname, line,
				  (int)(klen > 64 ? 64 : klen), s);
			break;
		}
		size_t need = (size_t)(e - rest) + 1;
		if (need < sizeof("yes"))
			need = sizeof("yes"); /* a bare bool key becomes "yes" */
		if (need > value_cap) {
			char *grown = realloc(value, need);
			if (!grown) {
				rc = fail(o, ERR_NOMEM, "%s:%u: out of memory", fname, line);
				break;
			}
			value = grown;
			value_cap = need;
		}
		if (has_eq) {
			const char *why = NULL;
			if (ini_value(rest + 1, e, value, &why) < 0) {
				rc = fail(o, ERR_MALFORMED, "%s:%u: %s: %s", fname, line, d->name, why);
				break;
			}
		} else if (d->type == OPTION_BOOL) {
			memcpy(value, "yes", sizeof("yes"));
		} else {
			rc = fail(o, ERR_MALFORMED, "%s:%u: option '%s' needs '= value'", fname, line, d->name);
			break;
		}
		if (o->set_by_cli[i])
			continue; /* the command line wins */
		int set = set_from(o, i, value, o->set_by_ini);
		if (set < 0) {
			char why[sizeof(o->error)];
			snprintf(why, sizeof(why), "%s", o->error);
			rc = fail(o, set, "%s:%u: %s: %s", fname, line, d->name, why);
		}
	}
	free(value);
	return rc;
}

struct text_out {
	char *buf;
	size_t cap, len;
};

__attribute__((format(printf, 2, 0)))
static void vout(struct text_out *t, const char *fmt, va_list ap)
{
	size_t room = t->len < t->cap ? t->cap - t->len : 0;
	int n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	if (n > 0)
		t->len += (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void out(struct text_out *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vout(t, fmt, ap);
	va_end(ap);
}

const char *options_metavar(const struct option_def *d)
{
	if (d->metavar)
		return d->metavar;
	switch (d->type) {
	case OPTION_INT:
		return "N";
	case OPTION_IPV4:
		return "ADDR";
	case OPTION_IPV4_RANGE:
		return "RANGE";
	case OPTION_ENUM:
		return "WORD";
	default:
		return "TEXT";
	}
}

size_t options_help(const struct option_table *t, char *buf, size_t cap)
{
	struct text_out o = { buf, cap, 0 };
	if (cap)
		buf[0] = '\0';
	out(&o, "Usage: openpptp %s %s\n", t->command ? t->command : "", t->usage ? t->usage : "[options]");
	if (t->summary)
		out(&o, "%s\n", t->summary);
	out(&o, "\nOptions (each is also a key in the configuration file, [%s] section;\n"
		"the command line wins):\n", t->command ? t->command : "");
	for (size_t i = 0; i < t->count; i++) {
		const struct option_def *d = &t->defs[i];
		char head[96];
		if (d->type == OPTION_BOOL)
			snprintf(head, sizeof(head), "--[no-]%s", d->name);
		else
			snprintf(head, sizeof(head), "--%s=%s", d->name, options_metavar(d));
		out(&o, "  %-30s%s%s", head, strlen(head) >= 30 ? "\n                                " : "",
		    d->help ? d->help : "");
		if (d->type == OPTION_INT && (d->min || d->max))
			out(&o, " (%d..%d)", d->min, d->max);
		if (d->type == OPTION_ENUM && d->choices) {
			out(&o, " (");
			for (int c = 0; d->choices[c]; c++)
				out(&o, "%s%s", c ? ", " : "", d->choices[c]);
			out(&o, ")");
		}
		if (d->type == OPTION_LIST)
			out(&o, " (repeatable)");
		if (d->default_value)
			out(&o, " [default: %s]", d->default_value);
		out(&o, "\n");
	}
	out(&o, "  %-30s%s\n", "--help", "show this text");
	return o.len;
}
