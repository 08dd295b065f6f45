#include <config.h>

#include "nianbao/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void
out_of_memory(void)
{
	fputs("nianbao: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return xstrdup(fmt);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

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

size_t
diag_count(const struct diag_list *list, enum diag_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++)
		n += list->items[i].severity == severity;
	return n;
}

void
diag_print(const struct diag_list *list, void *stream)
{
	FILE *out = stream;
	for (size_t i = 0; i < list->count; i++) {
		const struct diag *d = &list->items[i];
		/* The keywords stay English in every locale: tools and editors parse them. */
		const char *kind = d->severity == DIAG_ERROR ? "error" : "warning";
		if (d->pos.file && d->pos.line > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", d->pos.file, d->pos.line,
			        d->pos.col > 0 ? d->pos.col : 1, kind, d->message);
		else if (d->pos.file)
			fprintf(out, "%s: %s: %s\n", d->pos.file, kind, d->message);
		else
			fprintf(out, "nianbao: %s: %s\n", kind, d->message);
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
