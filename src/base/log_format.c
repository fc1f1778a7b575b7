/* SPDX-License-Identifier: BSD-2-Clause */
/* Log line formats (see log_format.h). */
#include "base/log_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int log_syslog_priority(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_ERROR: return 3;
	case LOG_LEVEL_WARN: return 4;
	case LOG_LEVEL_INFO: return 6;
	case LOG_LEVEL_DEBUG: return 7;
	}
	return 6;
}

/* Copy the word starting at text (up to a space or the end) into out. */
static void log_word(const char *text, char *out, size_t size)
{
	size_t n = strcspn(text, " ");
	if (n >= size)
		n = size - 1;
	memcpy(out, text, n);
	out[n] = '\0';
}

static bool log_is_address_port(const char *word)
{
	size_t n = strcspn(word, " ");
	size_t digits_dots = strspn(word, "0123456789.");
	return digits_dots > 0 && digits_dots < n && word[digits_dots] == ':';
}

void log_fields_from_tag(const char *tag, struct log_fields *f)
{
	memset(f, 0, sizeof(*f));
	if (!tag)
		return;
	if (log_is_address_port(tag)) {
		log_word(tag, f->session, sizeof(f->session));
		size_t n = strcspn(f->session, ":");
		memcpy(f->peer, f->session, n < sizeof(f->peer) ? n : sizeof(f->peer) - 1);
	}
	const char *p = strstr(tag, " peer ");
	if (p && !f->peer[0])
		log_word(p + 6, f->peer, sizeof(f->peer));
	p = strstr(tag, " call ");
	if (p && p[6] >= '0' && p[6] <= '9')
		log_word(p + 6, f->call_id, sizeof(f->call_id));
	p = strstr(tag, " user ");
	if (p) /* the rest of the tag: a user name may hold spaces */
		snprintf(f->user, sizeof(f->user), "%s", p + 6);
}

static size_t log_clamp(int n, size_t size)
{
	if (n < 0)
		return 0;
	return (size_t)n >= size ? size - 1 : (size_t)n;
}

size_t log_format_stderr(char *out, size_t size, enum log_level level, const char *tag, const char *message)
{
	if (tag && tag[0])
		return log_clamp(snprintf(out, size, "openpptp: %s: [%s] %s", log_level_name(level), tag, message),
				 size);
	return log_clamp(snprintf(out, size, "openpptp: %s: %s", log_level_name(level), message), size);
}

size_t log_format_prefixed(char *out, size_t size, enum log_level level, const char *tag, const char *message)
{
	int prio = log_syslog_priority(level);
	if (tag && tag[0])
		return log_clamp(snprintf(out, size, "<%d>[%s] %s", prio, tag, message), size);
	return log_clamp(snprintf(out, size, "<%d>%s", prio, message), size);
}

struct log_out {
	char *buf;
	size_t size, used;
};

static void log_out_raw(struct log_out *o, const char *text, bool clean)
{
	for (; *text && o->used + 1 < o->size; text++) {
		unsigned char c = (unsigned char)*text;
		o->buf[o->used++] = clean && c < 0x20 ? ' ' : (char)c;
	}
	o->buf[o->used] = '\0';
}

/* "KEY=value\n", or nothing when value is empty. */
static void log_out_field(struct log_out *o, const char *key, const char *value)
{
	if (!value || !value[0])
		return;
	log_out_raw(o, key, false);
	log_out_raw(o, "=", false);
	log_out_raw(o, value, true);
	log_out_raw(o, "\n", false);
}

size_t log_format_journal(char *out, size_t size, enum log_level level, const char *identifier, const char *tag,
			  const char *message)
{
	if (size < 2)
		return 0;
	struct log_out o = { out, size - 1, 0 }; /* room for the closing newline */
	out[0] = '\0';
	char prio[4], text[640];
	snprintf(prio, sizeof(prio), "%d", log_syslog_priority(level));
	if (tag && tag[0])
		snprintf(text, sizeof(text), "[%s] %s", tag, message);
	else
		snprintf(text, sizeof(text), "%s", message);
	struct log_fields f;
	log_fields_from_tag(tag, &f);
	log_out_field(&o, "PRIORITY", prio);
	log_out_field(&o, "SYSLOG_IDENTIFIER", identifier);
	log_out_field(&o, "SESSION", f.session);
	log_out_field(&o, "PEER", f.peer);
	log_out_field(&o, "USER", f.user);
	log_out_field(&o, "CALL_ID", f.call_id);
	log_out_field(&o, "MESSAGE", text); /* last: a cut line loses only text */
	/* journald drops a last field that does not end in a newline. */
	if (o.used && out[o.used - 1] != '\n') {
		out[o.used++] = '\n';
		out[o.used] = '\0';
	}
	return o.used;
}
