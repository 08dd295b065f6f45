#ifndef NIANBAO_RENDER_H
#define NIANBAO_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/draft.h"

/* The text report as published (doc/DESIGN.md §9). */

#define RENDER_DEFAULT_WIDTH 80
#define RENDER_MIN_WIDTH 60
#define RENDER_MAX_WIDTH 1000

enum render_borders { RENDER_BORDERS_ASCII, RENDER_BORDERS_UNICODE };

struct render_options {
	int width;                   /* display columns, clamped to MIN..MAX */
	enum render_borders borders;
	bool draft_mark;             /* a 草稿 mark at the top (render --force of a failing draft) */
};

/* The report as UTF-8 text with LF line ends, every line at most width display columns
 * (width.h, CJK counting two), the same bytes under every locale. Computed cells are
 * taken from draft->cells as held (the caller keeps them recomputed); blank cells print
 * empty. Returns a malloc'd NUL-terminated string and its length in *len. */
char *render_report(const struct draft *draft, const struct render_options *opt, size_t *len);

/* The two-full-width-space paragraph indent. */
#define RENDER_INDENT "\u3000\u3000"

#endif
