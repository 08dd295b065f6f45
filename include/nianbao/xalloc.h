#ifndef NIANBAO_XALLOC_H
#define NIANBAO_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation that never returns NULL: out of memory prints "nianbao: out of memory" and
 * aborts (a clerk's draft is never half-built from a failed allocation). A size of 0
 * allocates 1 byte. (diag.h includes this header, for the code that found it there.) */

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
