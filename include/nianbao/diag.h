#ifndef NIANBAO_DIAG_H
#define NIANBAO_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nianbao/xalloc.h"

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
/* Drops the diagnostics from index count on. */
void diag_truncate(struct diag_list *list, size_t count);
/* Appends every diagnostic of from to to, in order, and leaves from empty. */
void diag_move(struct diag_list *to, struct diag_list *from);
size_t diag_count(const struct diag_list *list, enum diag_severity severity);
/* Whether a terminal would act on cp rather than show it: C0, DEL, C1, the line and
 * paragraph separators, and the bidi embeddings, overrides and isolates (U+202A-202E,
 * U+2066-2069). */
bool diag_is_control(uint32_t cp);
/* s[0..len) as it may be shown on a terminal: every diag_is_control character is written
 * as a visible escape (\x1b, \u202e, \n, \t, \r), and each byte that is not UTF-8 as
 * \xNN. With keep_lines, newlines and tabs stay as they are. Returns a malloc'd string.
 * Every path that prints draft, template or report text or a file name uses it. */
char *diag_escape_text(const char *s, size_t len, bool keep_lines);
/* diag_escape_text of a whole string, newlines escaped too (one line, no forged lines) */
char *diag_escape(const char *s);
/* Removes from s[0..*len) every diag_is_control character but newlines, and bytes that
 * are not UTF-8; a tab becomes a space. Updates *len (s stays NUL-terminated) and returns
 * how many were removed. For report text sent to a terminal or a file. */
size_t diag_strip_controls(char *s, size_t *len);
/* fputs of diag_escape(s) */
void diag_fputs(const char *s, void *stream);
/* Prints each as "FILE:LINE:COL: error: MESSAGE" (GNU form) to stream, file name and
 * message escaped (diag_escape). */
void diag_print(const struct diag_list *list, void *stream);
void diag_free(struct diag_list *list);


#endif
