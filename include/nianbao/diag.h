#ifndef NIANBAO_DIAG_H
#define NIANBAO_DIAG_H

#include <stdbool.h>
#include <stddef.h>

/* A position in a source file; line and col are 1-based, 0 when unknown. */
struct srcpos {
	const char *file;
	int line;
	int col;
};

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_severity severity;
	struct srcpos pos;   /* pos.file is the diagnostic's own copy */
	char *message;   /* translated, without the "FILE:LINE:COL: error: " prefix */
};

/* A growing list of diagnostics; loaders append, callers print. */
struct diag_list {
	struct diag *items;
	size_t count;
	size_t capacity;
};

void diag_add(struct diag_list *list, enum diag_severity severity, struct srcpos pos,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
size_t diag_count(const struct diag_list *list, enum diag_severity severity);
/* Prints each as "FILE:LINE:COL: error: MESSAGE" (GNU form) to stream. */
void diag_print(const struct diag_list *list, void *stream);
void diag_free(struct diag_list *list);

/* printf into a new heap string; aborts on out-of-memory. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
