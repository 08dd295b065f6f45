#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nianbao/atomicio.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/lockfile.h"
#include "nianbao/render.h"
#include "nianbao/session.h"
#include "nianbao/textedit.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"
#include "term.h"
#include "tui.h"

#define MIN_COLS 80
#define MIN_LINES 24
#define AUTOSAVE_SECONDS 30

enum pair { PAIR_COMPUTED = 1, PAIR_ERROR, PAIR_BLANK, PAIR_UNREVISED };

/* ---- requests: every key maps to one, and the help lists them ---- */

enum request {
	REQ_NONE,
	REQ_UP, REQ_DOWN, REQ_LEFT, REQ_RIGHT, REQ_NEXT, REQ_PREV,
	REQ_HOME, REQ_END,
	REQ_PREV_SECTION, REQ_NEXT_SECTION, REQ_SECTION,
	REQ_ENTER, REQ_CANCEL, REQ_BACKSPACE, REQ_DELETE, REQ_KILL_LINE,
	REQ_ZEROS, REQ_GOTO, REQ_EXTERNAL, REQ_UNDO, REQ_REDO,
	REQ_NEXT_PROBLEM, REQ_PREVIEW, REQ_SAVE, REQ_QUIT, REQ_HELP, REQ_REDRAW,
};

struct binding {
	const char *keys;    /* as shown */
	const char *help;    /* msgid */
};

static const struct binding bindings[] = {
	{"↑ ↓ ← →, Tab, Shift-Tab", N_("move between cells and fields")},
	{"PgUp / PgDn", N_("previous / next section")},
	{"Alt-1 … Alt-6", N_("go to section 1 to 6")},
	{"0-9 . -", N_("type into the current number cell (the first key replaces the value)")},
	{"Enter", N_("commit the cell and move down; on a text field, start editing it")},
	{"Esc", N_("cancel the edit in progress")},
	{"Delete", N_("blank the current cell")},
	{"Ctrl-O", N_("fill every blank cell of the current table with 0")},
	{"Ctrl-G", N_("go to a field by id (requests.new.natural) or a section by number")},
	{"Ctrl-E", N_("edit the current text field in $VISUAL / $EDITOR")},
	{"Ctrl-Z / Ctrl-Y", N_("undo / redo")},
	{"F8", N_("go to the next failing check")},
	{"F5", N_("preview the rendered report")},
	{"Ctrl-S, F2", N_("save")},
	{"Ctrl-Q, F10", N_("quit (asks first when there are unsaved changes)")},
	{"F1", N_("help")},
	{"Ctrl-K", N_("in a text field: delete to the end of the line")},
	{"Ctrl-L", N_("redraw the screen")},
};

#define CTRL(c) ((c) & 0x1f)

static enum request
request_for(const struct tkey *k, int *section)
{
	if (k->kind == TK_KEY) {
		switch (k->code) {
		case KEY_UP: return REQ_UP;
		case KEY_DOWN: return REQ_DOWN;
		case KEY_LEFT: return REQ_LEFT;
		case KEY_RIGHT: return REQ_RIGHT;
		case KEY_HOME: return REQ_HOME;
		case KEY_END: return REQ_END;
		case KEY_BTAB: return REQ_PREV;
		case KEY_PPAGE: return REQ_PREV_SECTION;
		case KEY_NPAGE: return REQ_NEXT_SECTION;
		case KEY_ENTER: return REQ_ENTER;
		case KEY_BACKSPACE: return REQ_BACKSPACE;
		case KEY_DC: return REQ_DELETE;
		case KEY_F(1): return REQ_HELP;
		case KEY_F(2): return REQ_SAVE;
		case KEY_F(5): return REQ_PREVIEW;
		case KEY_F(8): return REQ_NEXT_PROBLEM;
		case KEY_F(10): return REQ_QUIT;
		default: return REQ_NONE;
		}
	}
	if (k->kind != TK_CHAR)
		return REQ_NONE;
	if (k->alt) {
		if (k->ch >= '1' && k->ch <= '9') {
			*section = k->ch - '1';
			return REQ_SECTION;
		}
		return REQ_NONE;
	}
	switch (k->ch) {
	case '\t': return REQ_NEXT;
	case '\r': case '\n': return REQ_ENTER;
	case 27: return REQ_CANCEL;
	case 127: case CTRL('h'): return REQ_BACKSPACE;
	case CTRL('k'): return REQ_KILL_LINE;
	case CTRL('l'): return REQ_REDRAW;
	case CTRL('o'): return REQ_ZEROS;
	case CTRL('g'): return REQ_GOTO;
	case CTRL('e'): return REQ_EXTERNAL;
	case CTRL('z'): return REQ_UNDO;
	case CTRL('y'): return REQ_REDO;
	case CTRL('s'): return REQ_SAVE;
	case CTRL('q'): return REQ_QUIT;
	default: return REQ_NONE;
	}
}

/* ---- state ---- */

/* The items of a section as the editor shows them: the preface opens section 一. */
struct section_items {
	struct tpl_item *items;
	int count;
};

struct editor {
	struct session *s;
	struct section_items *sections;
	const struct template *tpl;
	char *path;
	bool readonly;
	bool locked;
	/* focus: an item of the current section; a cell of it when a table */
	int section, item, row, col;
	int scroll;
	/* a number being typed */
	bool num_editing;
	char numbuf[24];
	struct value num_before;
	/* a text field being edited in place */
	struct textedit *te;
	char *message;
	bool message_error;
	bool quit;
	time_t autosave_due;
	long autosaved_state;
	bool autosave_pending;
};

static void
say(struct editor *e, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(struct editor *e, bool error, const char *fmt, ...)
{
	free(e->message);
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&e->message, fmt, ap) < 0)
		e->message = NULL;
	va_end(ap);
	e->message_error = error;
}

static const struct tpl_item *
cur_item(const struct editor *e)
{
	const struct section_items *sec = &e->sections[e->section];
	return sec->count ? &sec->items[e->item] : NULL;
}

static struct section_items *
build_sections(const struct template *tpl)
{
	struct section_items *v = xcalloc((size_t)tpl->section_count, sizeof *v);
	for (int i = 0; i < tpl->section_count; i++) {
		const struct tpl_section *sec = &tpl->sections[i];
		int extra = i == 0 && tpl->preface >= 0;
		v[i].items = xcalloc((size_t)(sec->item_count + extra), sizeof *v[i].items);
		if (extra)
			v[i].items[0] = (struct tpl_item){ITEM_TEXT, tpl->preface};
		memcpy(v[i].items + extra, sec->items, (size_t)sec->item_count * sizeof *sec->items);
		v[i].count = sec->item_count + extra;
	}
	return v;
}

static void
free_sections(struct section_items *v, int count)
{
	for (int i = 0; i < count && v; i++)
		free(v[i].items);
	free(v);
}

static const struct tpl_table *
cur_table(const struct editor *e)
{
	const struct tpl_item *it = cur_item(e);
	return it && it->kind == ITEM_TABLE ? &e->tpl->tables[it->index] : NULL;
}

static int
cur_text(const struct editor *e)
{
	const struct tpl_item *it = cur_item(e);
	return it && it->kind == ITEM_TEXT ? it->index : -1;
}

static int
cur_cell(const struct editor *e)
{
	const struct tpl_table *t = cur_table(e);
	return t ? template_cell_at(e->tpl, (int)(t - e->tpl->tables), e->row, e->col) : -1;
}

/* ---- geometry ---- */

struct table_geom {
	int label_w;
	int col_w;
};

static struct table_geom
table_geom(const struct tpl_table *t, int width)
{
	struct table_geom g;
	int n = t->cols.leaf_count;
	g.col_w = 10;
	while (g.col_w > 7 && width - 1 - n * g.col_w < 16)
		g.col_w--;
	g.label_w = width - 1 - n * g.col_w;
	if (g.label_w > 48)
		g.label_w = 48;
	return g;
}

enum line_kind { LN_BLANK, LN_TEXT_LABEL, LN_TEXT_ROW, LN_CAPTION, LN_HEADER, LN_GROUP, LN_ROW };

struct line {
	enum line_kind kind;
	int item;
	int a;          /* text row index, header line, node or row leaf */
	size_t start, end;
};

struct lines {
	struct line *v;
	int count, cap;
};

static void
push(struct lines *ls, struct line l)
{
	if (ls->count == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xrealloc(ls->v, (size_t)ls->cap * sizeof *ls->v);
	}
	ls->v[ls->count++] = l;
}

static int text_width(void) { return COLS - 4; }

/* The lines of the current section, top to bottom. */
static void
layout(struct editor *e, struct lines *ls)
{
	const struct section_items *sec = &e->sections[e->section];
	ls->count = 0;
	for (int i = 0; i < sec->count; i++) {
		const struct tpl_item *it = &sec->items[i];
		if (i > 0)
			push(ls, (struct line){LN_BLANK, i, 0, 0, 0});
		if (it->kind == ITEM_TEXT) {
			push(ls, (struct line){LN_TEXT_LABEL, i, 0, 0, 0});
			bool editing = e->te && e->item == i;
			if (editing) {
				textedit_set_width(e->te, text_width());
				struct width_line rows[64];
				size_t first = 0, n;
				do {
					n = textedit_rows(e->te, first, rows, 64);
					for (size_t k = 0; k < n; k++)
						push(ls, (struct line){LN_TEXT_ROW, i, (int)(first + k), rows[k].start, rows[k].end});
					first += n;
				} while (n == 64);
			} else {
				const char *text = e->s->draft->texts[it->index];
				if (!text) {
					push(ls, (struct line){LN_TEXT_ROW, i, -1, 0, 0});
					continue;
				}
				struct width_wrap wrap;
				struct width_line row;
				width_wrap_init(&wrap, text, strlen(text), text_width() - 1);
				int k = 0;
				while (width_wrap_next(&wrap, &row))
					push(ls, (struct line){LN_TEXT_ROW, i, k++, row.start, row.end});
			}
		} else {
			const struct tpl_table *t = &e->tpl->tables[it->index];
			if (t->caption)
				push(ls, (struct line){LN_CAPTION, i, 0, 0, 0});
			push(ls, (struct line){LN_HEADER, i, 0, 0, 0});
			push(ls, (struct line){LN_HEADER, i, 1, 0, 0});
			for (int n = 0; n < t->rows.node_count; n++) {
				const struct tpl_node *node = &t->rows.nodes[n];
				if (node->leaf < 0)
					push(ls, (struct line){LN_GROUP, i, n, 0, 0});
				else
					push(ls, (struct line){LN_ROW, i, node->leaf, 0, 0});
			}
		}
	}
}

/* The line of the focus (the cursor's row when a text is being edited). */
static int
focus_line(struct editor *e, const struct lines *ls)
{
	size_t crow = 0;
	int ccol;
	if (e->te)
		textedit_cursor_position(e->te, &crow, &ccol);
	for (int i = 0; i < ls->count; i++) {
		const struct line *l = &ls->v[i];
		if (l->item != e->item)
			continue;
		if (l->kind == LN_ROW && l->a == e->row)
			return i;
		if (l->kind == LN_TEXT_LABEL && !e->te)
			return i;
		if (l->kind == LN_TEXT_ROW && e->te && l->a == (int)crow)
			return i;
	}
	return 0;
}

/* ---- drawing ---- */

/* Writes text clipped to cols display columns at the cursor; returns the columns used. */
static int
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
static void
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

static void
fill_line(int y)
{
	int x = getcurx(stdscr);
	(void)y;
	for (; x < COLS; x++)
		addch(' ');
}

/* Whether a check fails on the cell (or, with cell -1, on the text field). */
static bool
failing(const struct editor *e, int cell, int text)
{
	for (size_t i = 0; i < e->s->report.count; i++) {
		const struct check_result *r = &e->s->report.items[i];
		if (cell >= 0 ? r->cell == cell : r->text == text)
			return true;
	}
	return false;
}

static int
section_of_result(const struct editor *e, const struct check_result *r)
{
	if (r->cell >= 0)
		return e->tpl->tables[e->tpl->cells[r->cell].table].section;
	if (r->text >= 0)
		return e->tpl->texts[r->text].section;
	return -1;
}

static void
draw_title(struct editor *e)
{
	const struct draft *d = e->s->draft;
	char *base_copy = xstrdup(e->path);
	char *year = d->year ? xasprintf("%d", d->year) : xstrdup("----");
	char *title = xasprintf(" %s  %s年  %s  %s%s%s", d->organization[0] ? d->organization : _("(no organization)"),
	                        year, e->tpl->id, basename(base_copy), session_modified(e->s) ? " [+]" : "",
	                        e->readonly ? _(" [read-only]") : "");
	attron(A_REVERSE);
	move(0, 0);
	put_fit(title, COLS);
	attroff(A_REVERSE);
	free(title);
	free(year);
	free(base_copy);
}

static void
draw_sections(struct editor *e)
{
	bool *bad = xcalloc((size_t)e->tpl->section_count, sizeof *bad);
	for (size_t i = 0; i < e->s->report.count; i++) {
		const struct check_result *r = &e->s->report.items[i];
		int sec = section_of_result(e, r);
		if (sec >= 0 && r->severity == DIAG_ERROR)
			bad[sec] = true;
	}
	move(1, 0);
	int used = 0;
	for (int i = 0; i < e->tpl->section_count && used < COLS; i++) {
		const char *heading = e->tpl->sections[i].heading;
		const char *mark = strstr(heading, "、");
		char *label = i == e->section || !mark ? xstrdup(heading)
		                                       : xstrndup(heading, (size_t)(mark - heading));
		char *shown = xasprintf(" %s%s", label, bad[i] ? "!" : " ");
		int w = (int)width_of_utf8(shown, strlen(shown));
		if (i == e->section)
			attron(A_REVERSE | A_BOLD);
		else if (bad[i])
			attron(COLOR_PAIR(PAIR_ERROR));
		used += put_clipped(shown, strlen(shown), COLS - used);
		attroff(A_REVERSE | A_BOLD | COLOR_PAIR(PAIR_ERROR));
		(void)w;
		free(shown);
		free(label);
	}
	fill_line(1);
	free(bad);
}

static void
draw_cell(struct editor *e, int cell, int width, bool focused)
{
	const struct tpl_cell *c = &e->tpl->cells[cell];
	char buf[VALUE_FORMAT_MAX + 8];
	attr_t attr = 0;
	short pair = 0;
	if (focused && e->num_editing) {
		snprintf(buf, sizeof buf, "%s", e->numbuf);
	} else if (!e->s->draft->cells[cell].set) {
		strcpy(buf, "_");
		attr |= A_DIM;
		pair = PAIR_BLANK;
	} else {
		value_format(e->s->draft->cells[cell], buf, sizeof buf);
	}
	if (c->formula >= 0) {
		attr |= A_BOLD;
		pair = PAIR_COMPUTED;
	}
	if (failing(e, cell, -1)) {
		attr |= A_UNDERLINE;
		pair = PAIR_ERROR;
	}
	if (focused)
		attr |= A_REVERSE;
	int len = (int)strlen(buf);
	if (len > width - 1)
		len = width - 1;
	/* the padding stays plain, so that a changed value rewrites only its digits */
	for (int i = len; i < width; i++)
		addch(' ');
	attron(attr | COLOR_PAIR(pair));
	addnstr(buf + (int)strlen(buf) - len, len);
	attroff(attr | COLOR_PAIR(pair));
}

/* The header of a table: the leaf columns' short labels, wrapped over two lines. */
static void
draw_header(struct editor *e, const struct tpl_table *t, int line, struct table_geom g)
{
	move(getcury(stdscr), 0);
	if (line == 0)
		put_fit(t->stub ? t->stub : "", g.label_w);
	else
		put_fit("", g.label_w);
	for (int c = 0; c < t->cols.leaf_count; c++) {
		const struct tpl_node *n = &t->cols.nodes[t->cols.leaves[c]];
		const char *label = n->short_label;
		struct width_wrap wrap;
		struct width_line row = {0};
		width_wrap_init(&wrap, label, strlen(label), g.col_w - 1);
		bool have = width_wrap_next(&wrap, &row);
		if (line == 1)
			have = width_wrap_next(&wrap, &row);
		addch(' ');
		attron(A_BOLD);
		int used = 0;
		if (have) {
			int pad = g.col_w - 1 - row.cols;
			for (int i = 0; i < pad; i++)
				addch(' ');
			used = pad + put_clipped(label + row.start, row.end - row.start, g.col_w - 1);
		}
		for (; used < g.col_w - 1; used++)
			addch(' ');
		attroff(A_BOLD);
	}
	(void)e;
}

static void
draw_line(struct editor *e, const struct line *l, int y)
{
	const struct tpl_item *it = &e->sections[e->section].items[l->item];
	bool focused_item = l->item == e->item;
	move(y, 0);
	switch (l->kind) {
	case LN_BLANK:
		break;
	case LN_TEXT_LABEL: {
		const struct tpl_text *t = &e->tpl->texts[it->index];
		attr_t a = A_BOLD | (focused_item && !e->te ? A_REVERSE : 0);
		if (failing(e, -1, it->index))
			a |= A_UNDERLINE;
		attron(a);
		char *label = xasprintf("%s%s", t->label, t->optional ? _(" (optional)") : "");
		put_clipped(label, strlen(label), COLS / 2);
		free(label);
		attroff(a);
		if (session_text_unrevised(e->s, it->index)) {
			attron(COLOR_PAIR(PAIR_UNREVISED) | A_UNDERLINE);
			addstr("  ");
			addstr(_("[last year's text, not yet revised]"));
			attroff(COLOR_PAIR(PAIR_UNREVISED) | A_UNDERLINE);
		}
		if (focused_item && e->te)
			addstr(_("  (editing: Tab keeps, Esc restores)"));
		break;
	}
	case LN_TEXT_ROW: {
		move(y, 2);
		if (l->a < 0) {
			const struct tpl_text *t = &e->tpl->texts[it->index];
			attron(A_DIM | COLOR_PAIR(PAIR_BLANK));
			char *empty = t->hint ? xasprintf(_("(empty: %s)"), t->hint) : xstrdup(_("(empty)"));
			put_clipped(empty, strlen(empty), text_width());
			free(empty);
			attroff(A_DIM | COLOR_PAIR(PAIR_BLANK));
			break;
		}
		const char *text = focused_item && e->te ? textedit_text(e->te, NULL) : e->s->draft->texts[it->index];
		put_clipped(text + l->start, l->end - l->start, text_width());
		break;
	}
	case LN_CAPTION:
		attron(A_BOLD);
		put_fit(e->tpl->tables[it->index].caption, COLS);
		attroff(A_BOLD);
		break;
	case LN_HEADER: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		draw_header(e, t, l->a, table_geom(t, COLS));
		break;
	}
	case LN_GROUP: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		const struct tpl_node *n = &t->rows.nodes[l->a];
		for (int i = 0; i < n->depth; i++)
			addstr("  ");
		put_clipped(n->short_label, strlen(n->short_label), COLS - 2 * n->depth);
		break;
	}
	case LN_ROW: {
		const struct tpl_table *t = &e->tpl->tables[it->index];
		struct table_geom g = table_geom(t, COLS);
		const struct tpl_node *n = &t->rows.nodes[t->rows.leaves[l->a]];
		char *label = xasprintf("%*s%s", 2 * n->depth, "", n->short_label);
		if (focused_item && l->a == e->row)
			attron(A_BOLD);
		put_fit(label, g.label_w);
		attroff(A_BOLD);
		free(label);
		for (int c = 0; c < t->cols.leaf_count; c++) {
			int cell = template_cell_at(e->tpl, it->index, l->a, c);
			draw_cell(e, cell, g.col_w, focused_item && l->a == e->row && c == e->col);
		}
		break;
	}
	}
	fill_line(y);
}

static char *
node_path(const struct tpl_tree *tree, int node)
{
	char *path = xstrdup(tree->nodes[node].label);
	for (int p = tree->nodes[node].parent; p >= 0; p = tree->nodes[p].parent) {
		char *longer = xasprintf("%s › %s", tree->nodes[p].label, path);
		free(path);
		path = longer;
	}
	return path;
}

/* The full labels of the focus, on the line above the status. */
static void
draw_help_line(struct editor *e, int y)
{
	move(y, 0);
	char *text = NULL;
	const struct tpl_table *t = cur_table(e);
	int ti = cur_text(e);
	if (t) {
		/* the full paths when they fit, else the labels of the row and the column */
		char *row = node_path(&t->rows, t->rows.leaves[e->row]);
		char *col = node_path(&t->cols, t->cols.leaves[e->col]);
		int cell = cur_cell(e);
		const char *computed = e->tpl->cells[cell].formula >= 0 ? _(" (computed)") : "";
		text = xasprintf("%s%s: %s | %s", e->tpl->cells[cell].id, computed, row, col);
		if ((int)width_of_utf8(text, strlen(text)) > COLS) {
			free(text);
			text = xasprintf("%s%s: %s | %s", e->tpl->cells[cell].id, computed,
			                 t->rows.nodes[t->rows.leaves[e->row]].label,
			                 t->cols.nodes[t->cols.leaves[e->col]].label);
		}
		free(row);
		free(col);
	} else if (ti >= 0) {
		const struct tpl_text *tx = &e->tpl->texts[ti];
		text = tx->hint ? xasprintf("%s: %s: %s", tx->id, tx->label, tx->hint) : xasprintf("%s: %s", tx->id, tx->label);
	}
	attron(A_DIM);
	if (text)
		put_fit(text, COLS);
	attroff(A_DIM);
	fill_line(y);
	free(text);
}

static void
draw_status(struct editor *e, int y)
{
	move(y, 0);
	if (e->message) {
		attron(e->message_error ? A_BOLD | COLOR_PAIR(PAIR_ERROR) : A_BOLD);
		put_fit(e->message, COLS);
		attroff(A_BOLD | COLOR_PAIR(PAIR_ERROR));
		return;
	}
	const struct check_report *r = &e->s->report;
	char *text;
	if (!r->errors && !r->warnings) {
		text = xstrdup(_("No problems found."));
	} else {
		char *errs = xasprintf(P_("%d error", "%d errors", r->errors), r->errors);
		char *warns = xasprintf(P_("%d warning", "%d warnings", r->warnings), r->warnings);
		text = xasprintf(_("%s, %s: %s"), errs, warns, r->items[0].message);
		free(errs);
		free(warns);
	}
	if (r->errors)
		attron(COLOR_PAIR(PAIR_ERROR));
	put_fit(text, COLS);
	attroff(COLOR_PAIR(PAIR_ERROR));
	free(text);
}

static void
draw_hints(int y)
{
	move(y, 0);
	attron(A_REVERSE);
	put_fit(_(" F1 help  ^S save  ^Q quit  ^Z/^Y undo/redo  ^G go to  F8 next problem  "
	          "F5 preview  ^O zeros  ^E $EDITOR  PgUp/PgDn section"), COLS);
	attroff(A_REVERSE);
}

static bool
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

static void
draw(struct editor *e)
{
	if (too_small())
		return;
	erase();
	draw_title(e);
	draw_sections(e);
	int top = 2, body = LINES - 5;
	struct lines ls = {0};
	layout(e, &ls);
	int f = focus_line(e, &ls);
	/* keep the focus in view, with the table's caption and header when they fit */
	int first = f;
	for (int i = f; i >= 0 && ls.v[i].item == e->item && f - i < body; i--)
		if (ls.v[i].kind == LN_CAPTION || ls.v[i].kind == LN_HEADER || ls.v[i].kind == LN_TEXT_LABEL)
			first = i;
	if (first < e->scroll)
		e->scroll = first;
	if (f >= e->scroll + body)
		e->scroll = f - body + 1;
	if (e->scroll > ls.count - 1)
		e->scroll = ls.count > 0 ? ls.count - 1 : 0;
	if (e->scroll < 0)
		e->scroll = 0;
	for (int y = 0; y < body && e->scroll + y < ls.count; y++)
		draw_line(e, &ls.v[e->scroll + y], top + y);
	draw_help_line(e, LINES - 3);
	draw_status(e, LINES - 2);
	draw_hints(LINES - 1);
	/* the cursor */
	int cy = top + f - e->scroll, cx = 0;
	const struct tpl_table *t = cur_table(e);
	if (e->te) {
		size_t row;
		int col;
		textedit_cursor_position(e->te, &row, &col);
		cx = 2 + col;
	} else if (t) {
		struct table_geom g = table_geom(t, COLS);
		cx = g.label_w + (e->col + 1) * g.col_w - 1;
	}
	if (cy >= top && cy < top + body)
		move(cy, cx);
	curs_set(t || e->te ? 1 : 0);
	free(ls.v);
	refresh();
}

/* ---- a scrollable page (help, preview) ---- */

static void
pager(struct editor *e, const char *title, const char *text)
{
	/* split into lines once */
	int count = 0, cap = 256;
	const char **starts = xmalloc((size_t)cap * sizeof *starts);
	for (const char *p = text; *p;) {
		if (count == cap) {
			cap *= 2;
			starts = xrealloc(starts, (size_t)cap * sizeof *starts);
		}
		starts[count++] = p;
		const char *eol = strchr(p, '\n');
		p = eol ? eol + 1 : p + strlen(p);
	}
	int top = 0;
	for (;;) {
		if (!too_small()) {
			erase();
			attron(A_REVERSE);
			move(0, 0);
			put_fit(title, COLS);
			attroff(A_REVERSE);
			int body = LINES - 2;
			if (top > count - body)
				top = count - body;
			if (top < 0)
				top = 0;
			for (int y = 0; y < body && top + y < count; y++) {
				const char *s = starts[top + y];
				const char *eol = strchr(s, '\n');
				move(1 + y, 0);
				put_clipped(s, eol ? (size_t)(eol - s) : strlen(s), COLS);
			}
			move(LINES - 1, 0);
			attron(A_REVERSE);
			char *hint = xasprintf(_(" lines %d-%d of %d   ↑↓ PgUp PgDn Home End scroll   q, Esc close"),
			                       count ? top + 1 : 0, top + body < count ? top + body : count, count);
			put_fit(hint, COLS);
			free(hint);
			attroff(A_REVERSE);
			curs_set(0);
			refresh();
		}
		struct tkey k;
		int r = term_read(&k, -1);
		if (r < 0 || term_hangup)
			break;
		if (r == 0)
			continue;
		int body = LINES - 2;
		if (k.kind == TK_KEY) {
			switch (k.code) {
			case KEY_UP: top--; break;
			case KEY_DOWN: top++; break;
			case KEY_PPAGE: top -= body; break;
			case KEY_NPAGE: top += body; break;
			case KEY_HOME: top = 0; break;
			case KEY_END: top = count; break;
			case KEY_F(1): case KEY_F(5): case KEY_F(10): goto done;
			}
		} else if (k.kind == TK_CHAR && (k.ch == 'q' || k.ch == 27 || k.ch == CTRL('q'))) {
			break;
		} else if (k.kind == TK_CHAR && k.ch == ' ') {
			top += body;
		} else if (k.kind == TK_PASTE) {
			free(k.text);
		}
	}
done:
	free(starts);
	(void)e;
}

/* Appends text to *out wrapped at width columns, every line after the first of each
 * paragraph preceded by indent spaces. */
static void
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

static void
show_help(struct editor *e)
{
	enum { KEYS_W = 24, HELP_AT = 2 + KEYS_W + 2 };
	char *text = xstrdup("");
	for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++) {
		int w = (int)width_of_utf8(bindings[i].keys, strlen(bindings[i].keys));
		char *line = xasprintf("%s  %s%*s  ", text, bindings[i].keys, w < KEYS_W ? KEYS_W - w : 0, "");
		free(text);
		text = line;
		append_wrapped(&text, _(bindings[i].help), COLS - 1 - HELP_AT, HELP_AT);
	}
	char *blank = xasprintf("%s\n", text);
	free(text);
	text = blank;
	append_wrapped(&text,
	               _("Blank cells show _ and are not 0. Computed cells (totals) are bold and cannot be "
	                 "edited. Cells and fields that fail a check are underlined; sections with "
	                 "errors are marked with !.\n"
	                 "The draft is autosaved every 30 seconds while it has unsaved changes."),
	               COLS - 1, 0);
	pager(e, _(" nianbao help"), text);
	free(text);
}

static void
show_preview(struct editor *e)
{
	struct render_options opt = {.width = COLS < RENDER_MIN_WIDTH ? RENDER_MIN_WIDTH : COLS,
	                             .borders = RENDER_BORDERS_ASCII,
	                             .draft_mark = e->s->report.errors > 0};
	if (opt.width > 120)
		opt.width = 120;
	size_t len;
	char *text = render_report(e->s->draft, &opt, &len);
	pager(e, _(" Preview of the report (render)"), text);
	free(text);
}

/* ---- prompts ---- */

/* Draws a question wrapped over as many lines as it needs, ending on line last. */
static void
draw_question(const char *question, int last)
{
	struct width_wrap wrap;
	struct width_line l;
	int count = 0;
	width_wrap_init(&wrap, question, strlen(question), COLS - 1);
	while (width_wrap_next(&wrap, &l))
		count++;
	int y = last - count + 1;
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

/* Asks a yes/no question above the key hints: returns 'y', 'n' or 0 (Esc). */
static int
ask(struct editor *e, const char *question)
{
	for (;;) {
		if (e)
			draw(e);
		else if (!too_small())
			erase();
		if (!too_small()) {
			draw_question(question, LINES - 2);
			curs_set(1);
			refresh();
		}
		struct tkey k;
		int r = term_read(&k, -1);
		if (r < 0 || term_hangup)
			return 0;
		if (r == 0)
			continue;
		if (k.kind == TK_PASTE)
			free(k.text);
		if (k.kind != TK_CHAR)
			continue;
		if (k.ch == 'y' || k.ch == 'Y')
			return 'y';
		if (k.ch == 'n' || k.ch == 'N')
			return 'n';
		if (k.ch == 27)
			return 0;
	}
}

/* Reads a line on the status line; returns a malloc'd string, or NULL on Esc. */
static char *
ask_line(struct editor *e, const char *question, const char *initial)
{
	struct textedit *te = textedit_new(initial, strlen(initial));
	textedit_move_text_end(te);
	char *result = NULL;
	for (;;) {
		if (e)
			draw(e);
		else if (!too_small())
			erase();
		if (!too_small()) {
			/* the question above, the answer on the status line */
			draw_question(question, LINES - 3);
			move(LINES - 2, 0);
			addstr("> ");
			int used = 2;
			size_t len;
			const char *text = textedit_text(te, &len);
			size_t cur = textedit_cursor(te);
			int room = COLS - used - 1;
			/* show the end of a long answer */
			size_t from = 0;
			while ((int)width_of_utf8(text + from, cur - from) >= room && from < cur)
				from = width_cluster_next(text, len, from, NULL);
			int x = used + (int)width_of_utf8(text + from, cur - from);
			put_clipped(text + from, len - from, room);
			fill_line(LINES - 2);
			move(LINES - 2, x);
			curs_set(1);
			refresh();
		}
		struct tkey k;
		int r = term_read(&k, -1);
		if (r < 0 || term_hangup)
			break;
		if (r == 0)
			continue;
		if (k.kind == TK_PASTE) {
			for (size_t i = 0; i < k.len; i++)
				if (k.text[i] == '\n')
					k.text[i] = ' ';
			textedit_paste(te, k.text, k.len);
			free(k.text);
		} else if (k.kind == TK_KEY) {
			switch (k.code) {
			case KEY_LEFT: textedit_move_left(te); break;
			case KEY_RIGHT: textedit_move_right(te); break;
			case KEY_HOME: textedit_move_text_start(te); break;
			case KEY_END: textedit_move_text_end(te); break;
			case KEY_BACKSPACE: textedit_delete_backward(te); break;
			case KEY_DC: textedit_delete_forward(te); break;
			case KEY_ENTER: result = xstrdup(textedit_text(te, NULL)); goto out;
			}
		} else if (k.kind == TK_CHAR) {
			if (k.ch == '\r' || k.ch == '\n') {
				result = xstrdup(textedit_text(te, NULL));
				break;
			}
			if (k.ch == 27)
				break;
			if (k.ch == 127 || k.ch == CTRL('h')) {
				textedit_delete_backward(te);
			} else if (k.ch >= 32 && !k.alt) {
				char buf[UTF8_MAX_BYTES];
				size_t n = utf8_encode((uint32_t)k.ch, buf);
				textedit_type(te, buf, n);
			}
		}
	}
out:
	textedit_free(te);
	curs_set(0);
	return result;
}

/* ---- focus moves ---- */

static void
focus_item(struct editor *e, int item, bool from_below)
{
	if (item < 0 || item >= e->sections[e->section].count)
		return;
	e->item = item;
	const struct tpl_table *t = cur_table(e);
	if (t) {
		e->row = from_below ? t->rows.leaf_count - 1 : 0;
		if (e->col >= t->cols.leaf_count)
			e->col = t->cols.leaf_count - 1;
	} else {
		e->row = e->col = 0;
	}
}

static void
focus_section(struct editor *e, int section)
{
	if (section < 0 || section >= e->tpl->section_count)
		return;
	e->section = section;
	e->item = e->row = e->col = 0;
	e->scroll = 0;
	focus_item(e, 0, false);
}

static void
focus_cell(struct editor *e, int cell)
{
	const struct tpl_cell *c = &e->tpl->cells[cell];
	const struct tpl_table *t = &e->tpl->tables[c->table];
	const struct section_items *sec = &e->sections[t->section];
	for (int i = 0; i < sec->count; i++)
		if (sec->items[i].kind == ITEM_TABLE && sec->items[i].index == c->table) {
			if (e->section != t->section)
				e->scroll = 0;
			e->section = t->section;
			e->item = i;
			e->row = c->row;
			e->col = c->col;
			return;
		}
}

static void
focus_text(struct editor *e, int text)
{
	int section = e->tpl->texts[text].section;
	if (section < 0)
		section = 0;   /* the preface sits at the top of section 一 */
	const struct section_items *sec = &e->sections[section];
	for (int i = 0; i < sec->count; i++)
		if (sec->items[i].kind == ITEM_TEXT && sec->items[i].index == text) {
			if (e->section != section)
				e->scroll = 0;
			e->section = section;
			e->item = i;
			e->row = e->col = 0;
			return;
		}
}

static void
move_vertical(struct editor *e, int dir)
{
	const struct tpl_table *t = cur_table(e);
	if (t && e->row + dir >= 0 && e->row + dir < t->rows.leaf_count) {
		e->row += dir;
		return;
	}
	focus_item(e, e->item + dir, dir < 0);
}

static void
move_tab(struct editor *e, int dir)
{
	const struct tpl_table *t = cur_table(e);
	if (t) {
		int pos = e->row * t->cols.leaf_count + e->col + dir;
		if (pos >= 0 && pos < t->rows.leaf_count * t->cols.leaf_count) {
			e->row = pos / t->cols.leaf_count;
			e->col = pos % t->cols.leaf_count;
			return;
		}
	}
	int before = e->item;
	focus_item(e, e->item + dir, false);
	if (e->item != before && dir < 0 && cur_table(e)) {
		t = cur_table(e);
		e->row = t->rows.leaf_count - 1;
		e->col = t->cols.leaf_count - 1;
	} else if (e->item != before && dir > 0) {
		e->col = 0;
	} else if (e->item == before) {
		/* past the last or first item: on to the next or previous section */
		int section = e->section + dir;
		if (section >= 0 && section < e->tpl->section_count) {
			focus_section(e, section);
			if (dir < 0) {
				focus_item(e, e->sections[section].count - 1, true);
				if ((t = cur_table(e)))
					e->col = t->cols.leaf_count - 1;
			}
		}
	}
}

/* ---- number cells ---- */

static void
num_cancel(struct editor *e)
{
	if (!e->num_editing)
		return;
	session_preview_cell(e->s, cur_cell(e), e->num_before);
	e->num_editing = false;
}

/* Commits the number being typed; false (with a message) when it is not a number yet. */
static bool
num_commit(struct editor *e)
{
	if (!e->num_editing)
		return true;
	int cell = cur_cell(e);
	struct value v = value_blank();
	if (e->numbuf[0]) {
		enum value_error err = value_parse(e->numbuf, strlen(e->numbuf), e->tpl->cells[cell].type, &v);
		if (err != VALUE_OK) {
			say(e, true, _("\"%s\" is not a value for this cell: %s"), e->numbuf, _(value_error_msgid(err)));
			return false;
		}
	}
	session_preview_cell(e->s, cell, v);
	session_commit_cell(e->s, cell, e->num_before);
	e->num_editing = false;
	return true;
}

static void
num_type(struct editor *e, wchar_t ch)
{
	int cell = cur_cell(e);
	const struct tpl_cell *c = &e->tpl->cells[cell];
	if (c->formula >= 0) {
		say(e, true, _("This cell is a total computed from other cells; it cannot be typed into."));
		return;
	}
	if (e->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	bool allowed = (ch >= '0' && ch <= '9') || (ch == '.' && c->type == VALUE_MONEY) ||
	               (ch == '-' && c->type == VALUE_SIGNED);
	if (!allowed) {
		say(e, true, c->type == VALUE_MONEY ? _("Only digits and a decimal point can be typed here.")
		             : c->type == VALUE_SIGNED ? _("Only digits and a minus sign can be typed here.")
		                                       : _("Only digits can be typed here."));
		return;
	}
	if (!e->num_editing) {
		e->num_editing = true;
		e->num_before = e->s->draft->cells[cell];
		e->numbuf[0] = '\0';
	}
	size_t len = strlen(e->numbuf);
	if (len + 2 > sizeof e->numbuf)
		return;
	char next[sizeof e->numbuf + 2];
	snprintf(next, sizeof next, "%s%c", e->numbuf, (char)ch);
	struct value v;
	enum value_error err = value_parse(next, strlen(next), c->type, &v);
	if (err == VALUE_ERR_TOO_LARGE || err == VALUE_ERR_DECIMALS) {
		say(e, true, "%s", _(value_error_msgid(err)));
		return;
	}
	if (ch == '-' && len > 0) {
		say(e, true, _("A minus sign goes first."));
		return;
	}
	if (ch == '.' && strchr(e->numbuf, '.')) {
		say(e, true, _("There is a decimal point already."));
		return;
	}
	strcpy(e->numbuf, next);
	if (err == VALUE_OK)
		session_preview_cell(e->s, cell, v);
}

static void
num_backspace(struct editor *e)
{
	if (!e->num_editing)
		return;
	size_t len = strlen(e->numbuf);
	if (len)
		e->numbuf[len - 1] = '\0';
	struct value v = value_blank();
	if (e->numbuf[0])
		value_parse(e->numbuf, strlen(e->numbuf), e->tpl->cells[cur_cell(e)].type, &v);
	session_preview_cell(e->s, cur_cell(e), v);
}

/* ---- text fields ---- */

static void
text_begin(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0 || e->te)
		return;
	if (e->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	const char *text = e->s->draft->texts[ti] ? e->s->draft->texts[ti] : "";
	e->te = textedit_new(text, strlen(text));
	textedit_set_width(e->te, text_width());
	textedit_move_text_end(e->te);
}

/* Leaves the text field being edited, keeping its text. */
static void
text_keep(struct editor *e)
{
	if (!e->te)
		return;
	if (textedit_modified(e->te))
		session_set_text(e->s, cur_text(e), textedit_text(e->te, NULL));
	textedit_free(e->te);
	e->te = NULL;
}

/* Esc in a text field: the text goes back to what it was on entry, as an undo step of its
 * own, so that Ctrl-Z brings back what was typed. */
static void
text_cancel(struct editor *e)
{
	if (!e->te)
		return;
	int ti = cur_text(e);
	bool recoverable = false;
	if (textedit_modified(e->te)) {
		bool was_saved = !session_modified(e->s);
		char *entry = xstrdup(e->s->draft->texts[ti] ? e->s->draft->texts[ti] : "");
		long before = session_state(e->s);
		session_set_text(e->s, ti, textedit_text(e->te, NULL));
		if (session_state(e->s) != before) {
			session_set_text(e->s, ti, entry);
			if (was_saved)
				session_mark_saved(e->s);
			recoverable = true;
		}
		free(entry);
	}
	textedit_free(e->te);
	e->te = NULL;
	if (recoverable)
		say(e, false, _("Edit cancelled; the text is as it was. Ctrl-Z brings back what you typed."));
	else
		say(e, false, _("Edit cancelled; the text is as it was."));
}

/* Leaves whatever is being edited, keeping it; false when a number does not parse. */
static bool
settle(struct editor *e)
{
	text_keep(e);
	return num_commit(e);
}

/* Opens the text in $VISUAL or $EDITOR (no shell: the words of the variable are argv). */
static void
external_edit(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0) {
		say(e, true, _("Ctrl-E edits a text field; move to one first."));
		return;
	}
	if (e->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	const char *tmpdir = getenv("TMPDIR");
	char *path = xasprintf("%s/nianbao-%s-XXXXXX.txt", tmpdir && *tmpdir ? tmpdir : "/tmp", e->tpl->texts[ti].id);
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		say(e, true, _("Cannot create a temporary file: %s"), strerror(errno));
		free(path);
		return;
	}
	const char *text = e->s->draft->texts[ti] ? e->s->draft->texts[ti] : "";
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len && (len == 0 || write(fd, "\n", 1) == 1);
	close(fd);
	char *words = xstrdup(editor);
	char *argv[34];
	int argc = 0;
	char *save;
	for (char *w = strtok_r(words, " \t", &save); w && argc < 32; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc++] = path;
	argv[argc] = NULL;
	int status = -1;
	if (ok) {
		term_suspend();
		pid_t pid = fork();
		if (pid == 0) {
			execvp(argv[0], argv);
			fprintf(stderr, "nianbao: %s: %s\n", argv[0], strerror(errno));
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		term_resume();
	}
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		say(e, true, _("The editor %s did not finish cleanly; the text is unchanged."), argv[0]);
	} else {
		struct diag_list diags = {0};
		size_t n;
		char *edited = read_file(path, 16u << 20, &n, &diags);
		if (!edited) {
			say(e, true, "%s", diags.count ? diags.items[0].message : "?");
		} else {
			size_t clean_len = textedit_normalize(edited, n, NULL);
			char *clean = xmalloc(clean_len + 1);
			textedit_normalize(edited, n, clean);
			clean[clean_len] = '\0';
			session_set_text(e->s, ti, clean);
			free(clean);
			free(edited);
		}
		diag_free(&diags);
	}
	unlink(path);
	free(path);
	free(words);
}

/* ---- saving, autosave ---- */

static bool
save(struct editor *e)
{
	if (e->readonly) {
		say(e, true, _("The draft is open read-only; it was not saved. (Another editor holds it.)"));
		return false;
	}
	struct diag_list diags = {0};
	if (!draft_save(e->s->draft, e->path, &diags)) {
		char *msg = diags.count ? xasprintf("%s: %s", diags.items[0].pos.file ? diags.items[0].pos.file : e->path,
		                                    diags.items[0].message)
		                        : xstrdup("?");
		say(e, true, _("NOT SAVED: %s. Your changes are still here; fix the cause and save again."), msg);
		free(msg);
		diag_free(&diags);
		return false;
	}
	diag_free(&diags);
	session_mark_saved(e->s);
	autosave_remove(e->path);
	e->autosaved_state = session_state(e->s);
	char *base_copy = xstrdup(e->path);
	say(e, false, _("Saved %s."), basename(base_copy));
	free(base_copy);
	return true;
}

/* Writes the autosave when there are changes it does not have yet. */
static void
autosave(struct editor *e)
{
	/* a number or a text being typed counts as a change too */
	bool typing = e->num_editing || (e->te && textedit_modified(e->te));
	if (e->readonly || (!session_modified(e->s) && !typing))
		return;
	if (session_state(e->s) == e->autosaved_state && !e->autosave_pending && !typing)
		return;
	struct draft *copy = NULL;
	const struct draft *d = e->s->draft;
	if (e->te) {
		copy = draft_clone(d);
		draft_set_text(copy, cur_text(e), textedit_text(e->te, NULL));
		d = copy;
	}
	size_t len;
	char *yaml = draft_serialize(d, &len);
	struct diag_list diags = {0};
	if (autosave_write(e->path, yaml, len, &diags)) {
		e->autosaved_state = session_state(e->s);
		e->autosave_pending = false;
	}
	diag_free(&diags);
	free(yaml);
	draft_free(copy);
}

/* ---- go to ---- */

static void
go_to(struct editor *e)
{
	char *answer = ask_line(e, _("Go to (field id or section 1-6):"), "");
	if (!answer)
		return;
	char *a = answer;
	while (*a == ' ')
		a++;
	size_t n = strlen(a);
	while (n && a[n - 1] == ' ')
		a[--n] = '\0';
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
	int section = -1;
	if (n == 1 && a[0] >= '1' && a[0] <= '9')
		section = a[0] - '1';
	for (int i = 0; i < 9; i++)
		if (!strcmp(a, numerals[i]))
			section = i;
	int cell = template_find_cell(e->tpl, a), text = template_find_text(e->tpl, a);
	if (section >= 0 && section < e->tpl->section_count) {
		focus_section(e, section);
	} else if (cell >= 0) {
		focus_cell(e, cell);
	} else if (text >= 0) {
		focus_text(e, text);
	} else {
		/* a table ("requests") or a row ("requests.new"): its first cell */
		int found = -1;
		for (int i = 0; i < e->tpl->cell_count && found < 0; i++) {
			const char *id = e->tpl->cells[i].id;
			if (!strncmp(id, a, n) && id[n] == '.')
				found = i;
		}
		if (found >= 0)
			focus_cell(e, found);
		else
			say(e, true, _("No field or section \"%s\". Ids look like requests.new.natural or overview."), a);
	}
	free(answer);
}

/* The next failing check after the focus, in the order of the form. */
static void
next_problem(struct editor *e)
{
	const struct check_report *r = &e->s->report;
	if (!r->count) {
		say(e, false, _("No problems found."));
		return;
	}
	/* order every located result by (section, item, row, col) and take the first after the focus */
	long here = ((long)e->section * 1000 + e->item) * 1000000L + (long)e->row * 1000 + e->col;
	long best = -1, first = -1;
	size_t best_i = 0, first_i = 0;
	for (size_t i = 0; i < r->count; i++) {
		struct editor probe = *e;
		if (r->items[i].cell >= 0)
			focus_cell(&probe, r->items[i].cell);
		else if (r->items[i].text >= 0)
			focus_text(&probe, r->items[i].text);
		else
			continue;
		long key = ((long)probe.section * 1000 + probe.item) * 1000000L + (long)probe.row * 1000 + probe.col;
		if (key > here && (best < 0 || key < best)) {
			best = key;
			best_i = i;
		}
		if (first < 0 || key < first) {
			first = key;
			first_i = i;
		}
	}
	if (first < 0) {
		say(e, true, "%s", r->items[0].message);
		return;
	}
	size_t pick = best >= 0 ? best_i : first_i;
	if (r->items[pick].cell >= 0)
		focus_cell(e, r->items[pick].cell);
	else
		focus_text(e, r->items[pick].text);
	say(e, r->items[pick].severity == DIAG_ERROR, "[%s] %s", r->items[pick].check->id, r->items[pick].message);
}

static void
fill_zeros(struct editor *e)
{
	const struct tpl_table *t = cur_table(e);
	if (!t) {
		say(e, true, _("Ctrl-O fills the blanks of a table; move to a table first."));
		return;
	}
	if (e->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	int table = (int)(t - e->tpl->tables), filled = 0;
	session_begin(e->s);
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < t->cols.leaf_count; c++) {
			int cell = template_cell_at(e->tpl, table, r, c);
			if (e->tpl->cells[cell].formula < 0 && !e->s->draft->cells[cell].set) {
				session_set_cell(e->s, cell, value_units(0));
				filled++;
			}
		}
	session_end(e->s);
	say(e, false, P_("Filled %d blank cell with 0 (Ctrl-Z undoes it).",
	                 "Filled %d blank cells with 0 (Ctrl-Z undoes it).", filled), filled);
}

static void
undo_redo(struct editor *e, bool redo)
{
	if (e->te) {
		if (redo)
			textedit_redo(e->te);
		else
			textedit_undo(e->te);
		return;
	}
	if (e->num_editing) {
		num_cancel(e);
		if (!redo)
			return;
	}
	int cell, text;
	if (!(redo ? session_redo(e->s, &cell, &text) : session_undo(e->s, &cell, &text))) {
		say(e, false, redo ? _("Nothing to redo.") : _("Nothing to undo."));
		return;
	}
	if (cell >= 0)
		focus_cell(e, cell);
	else if (text >= 0)
		focus_text(e, text);
	e->autosave_pending = true;
}

/* ---- quitting ---- */

static void
request_quit(struct editor *e)
{
	if (!settle(e))
		return;
	if (!session_modified(e->s) || e->readonly) {
		e->quit = true;
		return;
	}
	int answer = ask(e, _("Save the changes before quitting? y saves and quits, n quits without saving, "
	                      "Esc goes back"));
	if (answer == 'y') {
		if (save(e))
			e->quit = true;
	} else if (answer == 'n') {
		e->quit = true;
	}
}

/* ---- keys ---- */

static void
handle_text_key(struct editor *e, const struct tkey *k, enum request req)
{
	struct textedit *te = e->te;
	if (k->kind == TK_PASTE) {
		textedit_paste(te, k->text, k->len);
		return;
	}
	if (k->kind == TK_CHAR && !k->alt && (k->ch >= 32 && k->ch != 127)) {
		char buf[UTF8_MAX_BYTES];
		size_t n = utf8_encode((uint32_t)k->ch, buf);
		textedit_type(te, buf, n);
		return;
	}
	switch (req) {
	case REQ_ENTER: textedit_type(te, "\n", 1); break;
	case REQ_LEFT: textedit_move_left(te); break;
	case REQ_RIGHT: textedit_move_right(te); break;
	case REQ_UP: textedit_move_up(te); break;
	case REQ_DOWN: textedit_move_down(te); break;
	case REQ_HOME: textedit_move_row_start(te); break;
	case REQ_END: textedit_move_row_end(te); break;
	case REQ_BACKSPACE: textedit_delete_backward(te); break;
	case REQ_DELETE: textedit_delete_forward(te); break;
	case REQ_KILL_LINE: textedit_delete_to_line_end(te); break;
	case REQ_CANCEL: text_cancel(e); break;
	case REQ_NEXT: text_keep(e); move_tab(e, 1); break;
	case REQ_PREV: text_keep(e); move_tab(e, -1); break;
	default: break;
	}
}

static void
handle_key(struct editor *e, struct tkey *k)
{
	int section = 0;
	enum request req = request_for(k, &section);
	if (k->kind == TK_RESIZE)
		return;
	bool was_editing_text = e->te != NULL;
	/* requests that work the same everywhere */
	switch (req) {
	case REQ_SAVE:
		if (settle(e))
			save(e);
		return;
	case REQ_QUIT: request_quit(e); return;
	case REQ_HELP: show_help(e); return;
	case REQ_REDRAW: clearok(curscr, TRUE); return;
	case REQ_PREVIEW:
		if (settle(e))
			show_preview(e);
		return;
	case REQ_NEXT_PROBLEM:
		if (settle(e))
			next_problem(e);
		return;
	case REQ_GOTO:
		if (settle(e))
			go_to(e);
		return;
	case REQ_UNDO: undo_redo(e, false); return;
	case REQ_REDO: undo_redo(e, true); return;
	case REQ_PREV_SECTION:
	case REQ_NEXT_SECTION:
		if (settle(e))
			focus_section(e, e->section + (req == REQ_NEXT_SECTION ? 1 : -1));
		return;
	case REQ_SECTION:
		if (settle(e))
			focus_section(e, section);
		return;
	case REQ_EXTERNAL:
		if (settle(e))
			external_edit(e);
		return;
	default:
		break;
	}
	if (was_editing_text) {
		handle_text_key(e, k, req);
		return;
	}
	int ti = cur_text(e);
	if (ti >= 0) {
		if (req == REQ_ENTER) {
			text_begin(e);
		} else if (k->kind == TK_PASTE || (k->kind == TK_CHAR && !k->alt && k->ch >= 32 && k->ch != 127)) {
			text_begin(e);
			if (e->te)
				handle_text_key(e, k, req);
		} else {
			switch (req) {
			case REQ_UP: case REQ_LEFT: move_vertical(e, -1); break;
			case REQ_DOWN: case REQ_RIGHT: move_vertical(e, 1); break;
			case REQ_NEXT: move_tab(e, 1); break;
			case REQ_PREV: move_tab(e, -1); break;
			case REQ_ZEROS: fill_zeros(e); break;
			default: break;
			}
		}
		return;
	}
	if (!cur_table(e))
		return;
	/* a number cell */
	if (k->kind == TK_PASTE) {
		for (size_t i = 0; i < k->len; i++)
			if (k->text[i] != '\n' && k->text[i] != ' ')
				num_type(e, (unsigned char)k->text[i]);
		return;
	}
	if (k->kind == TK_CHAR && !k->alt && k->ch >= 32 && k->ch != 127) {
		num_type(e, k->ch);
		return;
	}
	switch (req) {
	case REQ_ENTER:
		if (num_commit(e))
			move_vertical(e, 1);
		break;
	case REQ_CANCEL:
		num_cancel(e);
		break;
	case REQ_BACKSPACE:
		if (e->num_editing)
			num_backspace(e);
		break;
	case REQ_DELETE: {
		int cell = cur_cell(e);
		num_cancel(e);
		if (e->readonly)
			say(e, true, _("The draft is open read-only."));
		else if (e->tpl->cells[cell].formula >= 0)
			say(e, true, _("This cell is a total computed from other cells; it cannot be typed into."));
		else
			session_set_cell(e->s, cell, value_blank());
		break;
	}
	case REQ_ZEROS:
		if (num_commit(e))
			fill_zeros(e);
		break;
	case REQ_UP: if (num_commit(e)) move_vertical(e, -1); break;
	case REQ_DOWN: if (num_commit(e)) move_vertical(e, 1); break;
	case REQ_LEFT:
		if (num_commit(e) && e->col > 0)
			e->col--;
		break;
	case REQ_RIGHT:
		if (num_commit(e) && e->col + 1 < cur_table(e)->cols.leaf_count)
			e->col++;
		break;
	case REQ_HOME: if (num_commit(e)) e->col = 0; break;
	case REQ_END: if (num_commit(e)) e->col = cur_table(e)->cols.leaf_count - 1; break;
	case REQ_NEXT: if (num_commit(e)) move_tab(e, 1); break;
	case REQ_PREV: if (num_commit(e)) move_tab(e, -1); break;
	default:
		break;
	}
}

/* ---- start-up: creating, locking, recovering ---- */

/* Asks whether to create a missing draft, and its organization and year. */
static struct draft *
ask_create(struct tui_options *opt)
{
	char *q = xasprintf(_("%s does not exist. Create a new draft there? (y/n)"), opt->path);
	int answer = ask(NULL, q);
	free(q);
	if (answer != 'y')
		return NULL;
	/* this year's report usually starts from last year's (DESIGN.md §6) */
	char *prompt = xstrdup(_("Last year's draft to start from (Enter for none):"));
	for (;;) {
		char *from = ask_line(NULL, prompt, "");
		free(prompt);
		if (!from)
			return NULL;
		if (!*from) {
			free(from);
			break;
		}
		struct diag_list diags = {0};
		struct draft *last = draft_load(from, opt->cache, &diags);
		struct draft *d = NULL;
		if (last) {
			int year = draft_next_year(last->year);
			char *id = year ? template_id_for_year(NULL, year, &diags) : NULL;
			const struct template *tpl = id ? template_cache_get(opt->cache, id, (struct srcpos){0}, &diags) : NULL;
			if (tpl) {
				char *ref = draft_previous_reference(from, opt->path);
				d = draft_carry_over(last, tpl, ref);
				d->year = year;
				free(ref);
			}
			free(id);
		}
		char *why = !diags.count ? xstrdup(_("it has no year"))
		          : diags.items[0].pos.line ? xasprintf("%s:%d: %s", diags.items[0].pos.file ? diags.items[0].pos.file : from,
		                                                diags.items[0].pos.line, diags.items[0].message)
		                                    : xasprintf("%s: %s", from, diags.items[0].message);
		diag_free(&diags);
		draft_free(last);
		free(from);
		if (d) {
			free(why);
			return d;
		}
		prompt = xasprintf(_("Cannot start from it (%s). Last year's draft (Enter for none):"), why);
		free(why);
	}
	char *org = ask_line(NULL, _("Organization (机关名称):"), "");
	if (!org)
		return NULL;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char *def = xasprintf("%d", tm.tm_year + 1900 - 1);
	int year = 0;
	while (!year) {
		char *y = ask_line(NULL, _("Year of the report:"), def);
		if (!y)
			break;
		year = draft_year_parse(y);
		free(y);
	}
	free(def);
	struct draft *d = NULL;
	if (year) {
		struct diag_list diags = {0};
		char *id = template_id_for_year(NULL, year, &diags);
		const struct template *tpl = id ? template_cache_get(opt->cache, id, (struct srcpos){0}, &diags) : NULL;
		if (tpl) {
			d = draft_new(tpl);
			free(d->organization);
			d->organization = org;
			org = NULL;
			d->year = year;
		}
		free(id);
		diag_free(&diags);
	}
	free(org);
	return d;
}

int
tui_run(struct tui_options *opt)
{
	if (!term_start(opt->keyscript)) {
		draft_free(opt->draft);
		return 2;
	}
	struct draft *d = opt->draft;
	opt->draft = NULL;
	bool created = false;
	if (!d) {
		d = ask_create(opt);
		if (!d) {
			term_stop();
			return 0;
		}
		created = true;
	}
	struct editor e = {0};
	e.path = xstrdup(opt->path);
	e.tpl = d->tpl;
	e.sections = build_sections(e.tpl);
	if (has_colors()) {
		init_pair(PAIR_COMPUTED, COLOR_CYAN, -1);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_BLANK, COLOR_YELLOW, -1);
		init_pair(PAIR_UNREVISED, COLOR_MAGENTA, -1);
	}

	/* the lock */
	struct lock_owner owner;
	struct diag_list diags = {0};
	enum lock_result lock = lock_acquire(e.path, &owner, &diags);
	if (lock == LOCK_TAKEN) {
		e.locked = true;
	} else {
		char *q = lock == LOCK_HELD
			? xasprintf(_("%s is open in another editor: user %s on %s, process %ld. Open it read-only? (y/n)"),
			            opt->path, owner.user, owner.host, owner.pid)
			: xasprintf(_("%s cannot be locked (%s). Open it read-only? (y/n)"), opt->path,
			            diags.count ? diags.items[0].message : "?");
		int answer = ask(NULL, q);
		free(q);
		if (answer != 'y') {
			diag_free(&diags);
			draft_free(d);
			free_sections(e.sections, e.tpl->section_count);
			free(e.path);
			term_stop();
			return 0;
		}
		e.readonly = true;
	}
	diag_free(&diags);

	/* a newer autosave */
	bool recovered = false;
	time_t when = e.readonly ? 0 : autosave_newer(e.path);
	if (when) {
		char *auto_path = autosave_path_for(e.path);
		struct draft *saved = draft_load(auto_path, opt->cache, &diags);
		if (saved && saved->tpl == d->tpl) {
			int cells, texts;
			session_count_differences(d, saved, &cells, &texts);
			char stamp[64];
			struct tm tm;
			localtime_r(&when, &tm);
			strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
			int answer = 'y';
			if (!opt->recover) {
				char *q = xasprintf(_("An autosave from %s is newer than the draft (cells changed: %d; text fields "
				                      "changed: %d). Recover it? (y/n)"), stamp, cells, texts);
				answer = ask(NULL, q);
				free(q);
			}
			if (answer == 'y') {
				free(saved->path);
				saved->path = d->path ? xstrdup(d->path) : NULL;
				draft_free(d);
				d = saved;
				saved = NULL;
				recovered = true;
			}
		}
		draft_free(saved);
		diag_free(&diags);
		free(auto_path);
	}

	struct diag_list prev_diags = {0};
	struct draft *prev = draft_load_previous(d, opt->cache, &prev_diags);
	diag_free(&prev_diags);
	e.s = session_new(d, prev);
	if (created || recovered)
		session_mark_unsaved(e.s);
	e.autosaved_state = session_state(e.s);
	if (recovered)
		say(&e, false, _("Recovered the autosave. Save (Ctrl-S) to keep it."));
	else if (e.readonly)
		say(&e, true, _("Read-only: another editor has this draft; changes cannot be saved."));
	focus_section(&e, 0);
	e.autosave_due = time(NULL) + AUTOSAVE_SECONDS;

	while (!e.quit) {
		if (term_hangup) {
			autosave(&e);
			break;
		}
		if (term_interrupt) {
			term_interrupt = 0;
			say(&e, true, _("Ctrl-C does not quit: use Ctrl-Q (or F10)."));
		}
		draw(&e);
		struct tkey k;
		int r = term_read(&k, 1000);
		if (r < 0) {
			autosave(&e);
			break;
		}
		if (r == 0) {
			if (time(NULL) >= e.autosave_due) {
				autosave(&e);
				e.autosave_due = time(NULL) + AUTOSAVE_SECONDS;
			}
			continue;
		}
		free(e.message);
		e.message = NULL;
		long before = session_state(e.s);
		handle_key(&e, &k);
		free(k.text);
		if (session_state(e.s) != before)
			e.autosave_pending = true;
		if (!term_scripted() && time(NULL) >= e.autosave_due) {
			autosave(&e);
			e.autosave_due = time(NULL) + AUTOSAVE_SECONDS;
		}
	}
	bool clean = e.quit;
	if (clean)
		autosave_remove(e.path);
	if (e.locked)
		lock_release(e.path);
	term_stop();
	textedit_free(e.te);
	session_free(e.s);
	free_sections(e.sections, e.tpl->section_count);
	free(e.message);
	free(e.path);
	return 0;
}
