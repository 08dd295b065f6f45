#ifndef NIANBAO_STRBUF_H
#define NIANBAO_STRBUF_H

#include <stddef.h>
#include <stdint.h>

/* A growable string: the one buffer the core builds text in (a draft's YAML, a report).
 * s is NUL-terminated once anything was added (NULL before); allocation never fails
 * (xalloc.h). Start with struct strbuf b = {0}. */
struct strbuf {
	char *s;
	size_t len, cap;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n spaces (none when n <= 0). */
void strbuf_spaces(struct strbuf *b, int n);
/* The UTF-8 encoding of code point cp. */
void strbuf_cp(struct strbuf *b, uint32_t cp);
/* Hands the text over (never NULL: "" when empty), *len its length when len is not NULL;
 * the buffer is empty again. */
char *strbuf_take(struct strbuf *b, size_t *len);
void strbuf_free(struct strbuf *b);

#endif
