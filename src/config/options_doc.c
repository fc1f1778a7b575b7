/* SPDX-License-Identifier: BSD-2-Clause */
/* Option tables as man page lists and an example configuration file. */
#include "config/options_doc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct doc_out {
	char *buf;
	size_t cap, len;
};

static void put_n(struct doc_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->cap)
			o->buf[o->len] = s[i];
	if (o->cap)
		o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
}

static void put(struct doc_out *o, const char *s)
{
	put_n(o, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(struct doc_out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put_n(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

bool options_doc_in_ini(const struct option_def *d)
{
	/* The file is already being read when its keys are parsed. */
	return strcmp(d->name, "config") != 0;
}

/* roff text: a backslash is \e; a line must not start with a control
 * character ('.' or '\''), so such a line starts with the zero-width \&. */
static void put_roff_text(struct doc_out *o, const char *s, bool line_start)
{
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			put(o, "\\&");
		line_start = *s == '\n';
		if (*s == '\\')
			put(o, "\\e");
		else
			put_n(o, s, 1);
	}
}

/* An option name on a macro line: every '-' is the minus sign \- so the
 * name can be copied from the rendered page (a bare '-' may print as a
 * typographic hyphen). */
static void put_roff_name(struct doc_out *o, const char *name)
{
	for (; *name; name++)
		if (*name == '-')
			put(o, "\\-");
		else
			put_n(o, name, 1);
}

/* One argument of an mdoc macro line. A word that could be read as a
 * macro name (Ar, Ns, %A...) or as a delimiter (. , ( ...) gets a leading
 * \& so it is printed as itself. */
static void put_mdoc_arg(struct doc_out *o, const char *s)
{
	size_t n = strlen(s);
	bool macro_like = (n == 2 || n == 3) && (isupper((unsigned char)s[0]) || s[0] == '%') &&
			  islower((unsigned char)s[1]) && (n == 2 || islower((unsigned char)s[2]));
	bool delimiter = n == 1 && strchr(".,:;()[]?!|", s[0]);
	if (macro_like || delimiter)
		put(o, "\\&");
	if (strpbrk(s, " \t\"")) {
		put(o, "\"");
		for (; *s; s++) {
			if (*s == '"')
				put(o, "\\(dq");
			else if (*s == '\\')
				put(o, "\\e");
			else
				put_n(o, s, 1);
		}
		put(o, "\"");
		return;
	}
	put_roff_text(o, s, false);
}

/* "sessions at most" -> "Sessions at most." on text lines of at most 78
 * bytes (mandoc's lint wants input lines under 80), broken at blanks. */
static void put_sentence(struct doc_out *o, const char *help)
{
	if (!help || !help[0])
		return;
	char text[512];
	size_t n = (size_t)snprintf(text, sizeof(text), "%c%s%s", toupper((unsigned char)help[0]), help + 1,
				    strchr(".!?", help[strlen(help) - 1]) ? "" : ".");
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	for (size_t start = 0; start < n;) {
		size_t end = n;
		if (n - start > 78) {
			end = start + 78;
			while (end > start && text[end] != ' ')
				end--;
			if (end == start) /* one word longer than a line: keep it whole */
				end = start + strcspn(text + start, " ");
		}
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(end - start), text + start);
		put_roff_text(o, line, true);
		put(o, "\n");
		start = end + (end < n && text[end] == ' ');
	}
}

static void put_details_man(struct doc_out *o, const struct option_def *d, enum options_doc_form form)
{
	if (d->type == OPTION_INT && (d->min || d->max))
		putf(o, "From %d to %d.\n", d->min, d->max);
	if (d->type == OPTION_ENUM && d->choices) {
		put(o, "One of\n");
		for (int c = 0; d->choices[c]; c++) {
			put(o, ".Cm ");
			put_mdoc_arg(o, d->choices[c]);
			put(o, d->choices[c + 1] ? " ,\n" : " .\n");
		}
	}
	if (d->type == OPTION_LIST && !(d->help && strstr(d->help, "repeat")))
		put(o, form == OPTIONS_DOC_CLI ? "Repeat the option for more than one.\n"
					       : "Repeat the key for more than one.\n");
	if (d->default_value) {
		put(o, "The default is\n.Ql ");
		put_mdoc_arg(o, d->default_value);
		put(o, " .\n");
	}
}

size_t options_doc_man(const struct option_table *t, enum options_doc_form form, char *buf, size_t cap)
{
	struct doc_out o = { buf, cap, 0 };
	if (cap)
		buf[0] = '\0';
	put(&o, ".Bl -tag -width Ds\n");
	for (size_t i = 0; i < t->count; i++) {
		const struct option_def *d = &t->defs[i];
		if (form == OPTIONS_DOC_INI && !options_doc_in_ini(d))
			continue;
		if (form == OPTIONS_DOC_CLI && d->type == OPTION_BOOL) {
			put(&o, ".It Fl \\-");
			put_roff_name(&o, d->name);
			put(&o, " , Fl \\-no\\-");
			put_roff_name(&o, d->name);
			put(&o, "\n");
		} else if (form == OPTIONS_DOC_CLI) {
			put(&o, ".It Fl \\-");
			put_roff_name(&o, d->name);
			put(&o, " Ns = Ns Ar ");
			put_mdoc_arg(&o, options_metavar(d));
			put(&o, "\n");
		} else {
			put(&o, ".It Ic ");
			put_mdoc_arg(&o, d->name);
			if (d->type == OPTION_BOOL)
				put(&o, " No = Cm yes | no\n");
			else {
				put(&o, " No = Ar ");
				put_mdoc_arg(&o, options_metavar(d));
				put(&o, "\n");
			}
		}
		put_sentence(&o, d->help);
		put_details_man(&o, d, form);
	}
	if (form == OPTIONS_DOC_CLI)
		put(&o, ".It Fl \\-help , Fl h\nPrint the options with their defaults and exit.\n");
	put(&o, ".El\n");
	return o.len;
}

size_t options_doc_ini(const struct option_table *t, char *buf, size_t cap)
{
	struct doc_out o = { buf, cap, 0 };
	if (cap)
		buf[0] = '\0';
	putf(&o, "[%s]\n", t->command ? t->command : "");
	for (size_t i = 0; i < t->count; i++) {
		const struct option_def *d = &t->defs[i];
		if (!options_doc_in_ini(d))
			continue;
		putf(&o, "\n# %s", d->help ? d->help : d->name);
		if (d->type == OPTION_INT && (d->min || d->max))
			putf(&o, " (%d..%d)", d->min, d->max);
		if (d->type == OPTION_ENUM && d->choices) {
			put(&o, ": ");
			for (int c = 0; d->choices[c]; c++)
				putf(&o, "%s%s", c ? ", " : "", d->choices[c]);
		}
		if (d->type == OPTION_LIST && !(d->help && strstr(d->help, "repeat")))
			put(&o, "; repeat the key for more than one");
		if (d->type == OPTION_BOOL)
			put(&o, ": yes or no");
		put(&o, "\n");
		if (d->default_value)
			putf(&o, "#%s = %s\n", d->name, d->default_value);
		else if (d->type == OPTION_BOOL)
			putf(&o, "#%s = no\n", d->name);
		else if (d->type == OPTION_INT) /* options_init zeroes it */
			putf(&o, "#%s = 0\n", d->name);
		else if (d->type == OPTION_ENUM && d->choices)
			putf(&o, "#%s = %s\n", d->name, d->choices[0]);
		else
			putf(&o, "#%s = %s\n", d->name, options_metavar(d));
	}
	return o.len;
}
