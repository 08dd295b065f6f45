#include <config.h>

#include "nianbao/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/utf8.h"

void
diag_add(struct diag_list *list, enum diag_severity severity, struct srcpos pos, const char *fmt, ...)
{
	if (list->count == list->capacity) {
		list->capacity = list->capacity ? list->capacity * 2 : 8;
		list->items = xrealloc(list->items, list->capacity * sizeof *list->items);
	}
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = &list->items[list->count++];
	d->severity = severity;
	d->pos = pos;
	d->pos.file = pos.file ? xstrdup(pos.file) : NULL;
	d->message = xvasprintf(fmt, ap);
	va_end(ap);
}

void
diag_truncate(struct diag_list *list, size_t count)
{
	for (size_t i = count; i < list->count; i++) {
		free(list->items[i].message);
		free((char *)list->items[i].pos.file);
	}
	if (count < list->count)
		list->count = count;
}

void
diag_move(struct diag_list *to, struct diag_list *from)
{
	if (to->count + from->count > to->capacity) {
		to->capacity = to->count + from->count;
		to->items = xrealloc(to->items, to->capacity * sizeof *to->items);
	}
	if (from->count)
		memcpy(to->items + to->count, from->items, from->count * sizeof *from->items);
	to->count += from->count;
	free(from->items);
	*from = (struct diag_list){0};
}

size_t
diag_count(const struct diag_list *list, enum diag_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++)
		n += list->items[i].severity == severity;
	return n;
}

bool
diag_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

char *
diag_escape_text(const char *s, size_t len, bool keep_lines)
{
	char *out = xmalloc(len * 4 + 1), *o = out;   /* the longest escape, \xNN, replaces 1 byte */
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_INVALID) {
			for (size_t k = 0; k < n; k++)
				o += sprintf(o, "\\x%02x", (unsigned char)s[i + k]);
		} else if (cp == '\n' && keep_lines) {
			*o++ = '\n';
		} else if (cp == '\t' && keep_lines) {
			*o++ = '\t';
		} else if (cp == '\n') {
			o += sprintf(o, "\\n");
		} else if (cp == '\t') {
			o += sprintf(o, "\\t");
		} else if (cp == '\r') {
			o += sprintf(o, "\\r");
		} else if (cp < 0xa0 && diag_is_control(cp)) {
			o += sprintf(o, "\\x%02x", (unsigned)cp);
		} else if (diag_is_control(cp)) {
			o += sprintf(o, "\\u%04x", (unsigned)cp);
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
		i += n;
	}
	*o = '\0';
	return out;
}

char *
diag_escape(const char *s)
{
	return diag_escape_text(s, strlen(s), false);
}

size_t
diag_strip_controls(char *s, size_t *len)
{
	size_t in = 0, out = 0, removed = 0;
	while (in < *len) {
		uint32_t cp;
		size_t n = utf8_decode(s + in, *len - in, &cp);
		if (cp == '\t') {
			s[out++] = ' ';
		} else if (cp != '\n' && (cp == UTF8_INVALID || diag_is_control(cp))) {
			removed++;
		} else {
			memmove(s + out, s + in, n);
			out += n;
		}
		in += n;
	}
	s[out] = '\0';
	*len = out;
	return removed;
}

void
diag_fputs(const char *s, void *stream)
{
	char *safe = diag_escape(s);
	fputs(safe, stream);
	free(safe);
}

void
diag_print(const struct diag_list *list, void *stream)
{
	FILE *out = stream;
	for (size_t i = 0; i < list->count; i++) {
		const struct diag *d = &list->items[i];
		/* The keywords stay English in every locale: tools and editors parse them. */
		const char *kind = d->severity == DIAG_ERROR ? "error" : "warning";
		/* the message and the file name may quote a hostile draft: never let it reach the
		 * terminal raw, nor forge a line of its own */
		char *file = d->pos.file ? diag_escape(d->pos.file) : NULL;
		char *message = diag_escape(d->message);
		if (file && d->pos.line > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", file, d->pos.line, d->pos.col > 0 ? d->pos.col : 1, kind,
			        message);
		else if (file)
			fprintf(out, "%s: %s: %s\n", file, kind, message);
		else
			fprintf(out, "nianbao: %s: %s\n", kind, message);
		free(file);
		free(message);
	}
}

void
diag_free(struct diag_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].message);
		free((char *)list->items[i].pos.file);
	}
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}
