#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "nianbao/i18n.h"
#include "nianbao/report.h"
#include "nianbao/width.h"

/* Text on the screen, for every screen: clipped or fitted to display columns, questions and
 * help wrapped, and the notice that the window is too small. */

/* Writes text clipped to cols display columns at the cursor; returns the columns used. */
int
put_clipped(const char *s, size_t len, int cols)
{
	int used = 0;
	size_t pos = 0;
	while (pos < len) {
		int w;
		size_t next = width_cluster_next(s, len, pos, &w);
		if (used + w > cols)
			break;
		if (s[pos] == '\t' || (unsigned char)s[pos] < 32) {
			addch(' ');
			used++;
		} else {
			addnstr(s + pos, (int)(next - pos));
			used += w;
		}
		pos = next;
	}
	return used;
}

/* Like put_clipped, but marks a cut with ".." and pads to cols. */
void
put_fit(const char *s, int cols)
{
	size_t len = strlen(s);
	int w = (int)width_of_utf8(s, len);
	if (w <= cols) {
		int used = put_clipped(s, len, cols);
		for (; used < cols; used++)
			addch(' ');
		return;
	}
	int used = put_clipped(s, len, cols - 2);
	addstr("..");
	for (used += 2; used < cols; used++)
		addch(' ');
}

void
fill_line(int y)
{
	int x = getcurx(stdscr);
	(void)y;
	for (; x < COLS; x++)
		addch(' ');
}

bool
too_small(void)
{
	if (COLS >= MIN_COLS && LINES >= MIN_LINES)
		return false;
	erase();
	char *msg = xasprintf(_("The window is too small: %d×%d. nianbao needs at least %d×%d."),
	                      COLS, LINES, MIN_COLS, MIN_LINES);
	struct width_wrap wrap;
	struct width_line l;
	width_wrap_init(&wrap, msg, strlen(msg), COLS > 2 ? COLS - 1 : 1);
	for (int y = 0; y < LINES && width_wrap_next(&wrap, &l); y++) {
		move(y, 0);
		put_clipped(msg + l.start, l.end - l.start, COLS);
	}
	free(msg);
	move(0, 0);
	refresh();
	return true;
}

void
draw_question(const char *question, int last)
{
	struct width_wrap wrap;
	struct width_line l;
	int y = last - report_lines_at(question, COLS - 1) + 1;
	if (y < 0)
		y = 0;
	width_wrap_init(&wrap, question, strlen(question), COLS - 1);
	attron(A_BOLD);
	for (; y <= last && width_wrap_next(&wrap, &l); y++) {
		move(y, 0);
		put_clipped(question + l.start, l.end - l.start, COLS);
		fill_line(y);
	}
	attroff(A_BOLD);
}

/* Appends text to *out wrapped at width columns, every line after the first of each
 * paragraph preceded by indent spaces. */
void
append_wrapped(char **out, const char *text, int width, int indent)
{
	struct width_wrap wrap;
	struct width_line l;
	width_wrap_init(&wrap, text, strlen(text), width < 10 ? 10 : width);
	bool first = true;
	while (width_wrap_next(&wrap, &l)) {
		char *next = xasprintf("%s%*s%.*s\n", *out, first ? 0 : indent, "", (int)(l.end - l.start),
		                       text + l.start);
		free(*out);
		*out = next;
		first = l.next > 0 && text[l.next - 1] == '\n';
	}
}
