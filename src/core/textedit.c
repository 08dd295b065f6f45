#include "nianbao/textedit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/utf8.h"

struct textedit_step {
	size_t pos;
	char *removed;
	size_t removed_len;
	char *inserted;
	size_t inserted_len;
	size_t inserted_cap;
	size_t cursor_before;
	size_t cursor_after;
	bool typing;
};

struct textedit_mark {
	size_t pos;
	size_t row;
	size_t dep;
};

/* Rows between layout marks: finding any row wraps at most this many rows. */
#define TEXTEDIT_MARK_ROWS 16

struct textedit {
	char *buf;              /* NUL-terminated */
	size_t len;
	size_t cap;
	size_t cursor;
	char *entry;
	size_t entry_len;

	struct textedit_step *steps;
	size_t step_count;      /* steps held, done and undone */
	size_t done;            /* steps[0 .. done) are applied */
	size_t step_cap;
	size_t history_bytes;
	bool typing_open;       /* the next typed text may join steps[done - 1] */

	int width;
	int goal_col;           /* -1 when no vertical move is in progress */

	/* Layout marks: the start of visual row marks[i].row is marks[i].pos, for every
	 * TEXTEDIT_MARK_ROWS-th row from the text start up to a frontier, so that finding a row
	 * wraps at most that many rows from the mark before it instead of the whole text.
	 * marks[i].dep is where the text that decided it ends (width_wrap's seen): a change
	 * at or after dep leaves the mark true. marks[0] is {0, 0, 0}; mark_done says that
	 * the frontier is the last row of the text (no more marks to find). */
	struct textedit_mark *marks;
	size_t mark_count;
	size_t mark_cap;
	bool mark_done;
	size_t mark_last_row;   /* with mark_done: the index of the last row */
};

/* ---- normalisation ---- */

static size_t
put(char *out, size_t n, const char *bytes, size_t count)
{
	if (out)
		memcpy(out + n, bytes, count);
	return n + count;
}

size_t
textedit_normalize(const char *in, size_t len, char *out)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	size_t n = 0, pos = 0;
	while (pos < len) {
		unsigned char b = (unsigned char)in[pos];
		if (b >= 0x20 && b < 0x7F) {
			size_t run = pos + 1;
			while (run < len && (unsigned char)in[run] >= 0x20 && (unsigned char)in[run] < 0x7F)
				run++;
			n = put(out, n, in + pos, run - pos);
			pos = run;
			continue;
		}
		uint32_t cp;
		size_t step = utf8_decode(in + pos, len - pos, &cp);
		if (cp == UTF8_INVALID)
			n = put(out, n, replacement, 3);
		else if (cp == '\r') {
			n = put(out, n, "\n", 1);
			if (pos + 1 < len && in[pos + 1] == '\n')
				step++;
		} else if (cp == '\t')
			n = put(out, n, " ", 1);
		else if (cp == '\n' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
			n = put(out, n, "\n", 1);
		else if (cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0))
			n = put(out, n, in + pos, step);
		pos += step;
	}
	return n;
}

/* ---- buffer ---- */

static bool
reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t grown = *cap < 64 ? 64 : *cap;
	while (grown < need)
		grown = grown > SIZE_MAX / 2 ? need : grown * 2;
	char *p = realloc(*buf, grown);
	if (!p)
		return false;
	*buf = p;
	*cap = grown;
	return true;
}

static size_t
line_end(const struct textedit *te, size_t pos)
{
	const char *nl = memchr(te->buf + pos, '\n', te->len - pos);
	return nl ? (size_t)(nl - te->buf) : te->len;
}

static int
wrap_width(const struct textedit *te)
{
	return te->width - 1;
}

static void
wrap_from(const struct textedit *te, struct width_wrap *wrap, size_t start)
{
	width_wrap_init(wrap, te->buf, te->len, wrap_width(te));
	wrap->pos = start;
}

/* The text from pos on is about to change: drop the marks that it decided. */
static void
marks_before_change(struct textedit *te, size_t pos)
{
	while (te->mark_count > 1 && te->marks[te->mark_count - 1].dep > pos)
		te->mark_count--;
	te->mark_done = false;
}

static bool
buffer_replace(struct textedit *te, size_t pos, size_t remove, const char *ins, size_t ins_len)
{
	size_t new_len = te->len - remove + ins_len;
	if (!reserve(&te->buf, &te->cap, new_len + 1))
		return false;
	marks_before_change(te, pos);
	memmove(te->buf + pos + ins_len, te->buf + pos + remove, te->len - pos - remove + 1);
	memcpy(te->buf + pos, ins, ins_len);
	te->len = new_len;
	return true;
}

static size_t
snap_forward(const struct textedit *te, size_t pos)
{
	while (!width_is_cluster_boundary(te->buf, te->len, pos))
		pos = utf8_next(te->buf, te->len, pos);
	return pos;
}

/* ---- history ---- */

static size_t
step_bytes(const struct textedit_step *step)
{
	return step->removed_len + step->inserted_cap + sizeof *step;
}

static void
step_free(struct textedit *te, struct textedit_step *step)
{
	te->history_bytes -= step_bytes(step);
	free(step->removed);
	free(step->inserted);
}

static void
history_drop_redo(struct textedit *te)
{
	while (te->step_count > te->done)
		step_free(te, &te->steps[--te->step_count]);
}

static void
history_trim(struct textedit *te)
{
	size_t drop = 0;
	size_t bytes = te->history_bytes;
	while (te->done - drop > 1
	       && (bytes > TEXTEDIT_HISTORY_BYTES || te->done - drop > TEXTEDIT_HISTORY_STEPS)) {
		bytes -= step_bytes(&te->steps[drop]);
		drop++;
	}
	if (drop == 0)
		return;
	for (size_t i = 0; i < drop; i++)
		step_free(te, &te->steps[i]);
	memmove(te->steps, te->steps + drop, (te->step_count - drop) * sizeof *te->steps);
	te->step_count -= drop;
	te->done -= drop;
}

static char *
copy_bytes(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);
	if (p && len)
		memcpy(p, s, len);
	return p;
}

/* Replaces [pos, pos + remove) with ins as a new undo step; the cursor ends at cursor_after
 * (snapped forward to a cluster boundary). */
static bool
change(struct textedit *te, size_t pos, size_t remove, const char *ins, size_t ins_len,
       size_t cursor_after, bool typing)
{
	if (te->done == te->step_cap || te->step_count == te->step_cap) {
		size_t cap = te->step_cap ? te->step_cap * 2 : 16;
		struct textedit_step *steps = realloc(te->steps, cap * sizeof *steps);
		if (!steps)
			return false;
		te->steps = steps;
		te->step_cap = cap;
	}
	struct textedit_step step = {
		.pos = pos,
		.removed = copy_bytes(te->buf + pos, remove),
		.removed_len = remove,
		.inserted = copy_bytes(ins, ins_len),
		.inserted_len = ins_len,
		.inserted_cap = ins_len,
		.cursor_before = te->cursor,
		.typing = typing,
	};
	if (!step.removed || !step.inserted || !buffer_replace(te, pos, remove, ins, ins_len)) {
		free(step.removed);
		free(step.inserted);
		return false;
	}
	te->cursor = snap_forward(te, cursor_after);
	step.cursor_after = te->cursor;
	history_drop_redo(te);
	te->steps[te->step_count++] = step;
	te->done = te->step_count;
	te->history_bytes += step_bytes(&step);
	te->typing_open = typing;
	te->goal_col = -1;
	history_trim(te);
	return true;
}

/* ---- life cycle ---- */

struct textedit *
textedit_new(const char *text, size_t len)
{
	struct textedit *te = calloc(1, sizeof *te);
	if (!te)
		return NULL;
	size_t n = textedit_normalize(text, len, NULL);
	te->buf = malloc(n + 1);
	te->entry = malloc(n ? n : 1);
	if (!te->buf || !te->entry) {
		textedit_free(te);
		return NULL;
	}
	textedit_normalize(text, len, te->buf);
	te->buf[n] = '\0';
	memcpy(te->entry, te->buf, n);
	te->len = te->entry_len = n;
	te->cap = n + 1;
	te->marks = malloc(16 * sizeof *te->marks);
	if (!te->marks) {
		textedit_free(te);
		return NULL;
	}
	te->marks[0] = (struct textedit_mark){0, 0, 0};
	te->mark_count = 1;
	te->mark_cap = 16;
	te->width = 80;
	te->goal_col = -1;
	return te;
}

void
textedit_free(struct textedit *te)
{
	if (!te)
		return;
	for (size_t i = 0; i < te->step_count; i++) {
		free(te->steps[i].removed);
		free(te->steps[i].inserted);
	}
	free(te->steps);
	free(te->marks);
	free(te->buf);
	free(te->entry);
	free(te);
}

const char *
textedit_text(const struct textedit *te, size_t *len)
{
	if (len)
		*len = te->len;
	return te->buf;
}

size_t
textedit_cursor(const struct textedit *te)
{
	return te->cursor;
}

static bool
set_cursor(struct textedit *te, size_t pos)
{
	te->typing_open = false;
	if (pos == te->cursor)
		return false;
	te->cursor = pos;
	return true;
}

void
textedit_set_cursor(struct textedit *te, size_t pos)
{
	if (pos > te->len)
		pos = te->len;
	while (pos > 0 && pos < te->len && ((unsigned char)te->buf[pos] & 0xC0) == 0x80)
		pos--;
	while (!width_is_cluster_boundary(te->buf, te->len, pos))
		pos = utf8_prev(te->buf, te->len, pos);
	te->goal_col = -1;
	set_cursor(te, pos);
}

/* ---- editing ---- */

static bool
ends_typing_step(const char *s, size_t len)
{
	size_t last = utf8_prev(s, len, len);
	uint32_t cp;
	utf8_decode(s + last, len - last, &cp);
	switch (cp) {
	case ' ': case ',': case '.': case ';': case ':': case '?': case '!':
	case 0x3000: case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A:
	case 0xFF1F: case 0xFF01:
		return true;
	default:
		return false;
	}
}

static bool
insert_normalized(struct textedit *te, const char *s, size_t len, bool typing)
{
	if (len == 0)
		return false;
	bool newline = memchr(s, '\n', len) != NULL;
	struct textedit_step *last = te->done ? &te->steps[te->done - 1] : NULL;
	if (typing && !newline && te->typing_open && last && last->typing
	    && te->step_count == te->done && last->pos + last->inserted_len == te->cursor
	    && !memchr(last->inserted, '\n', last->inserted_len)
	    && !ends_typing_step(last->inserted, last->inserted_len)) {
		size_t old_cap = last->inserted_cap;
		if (!reserve(&last->inserted, &last->inserted_cap, last->inserted_len + len))
			return false;
		te->history_bytes += last->inserted_cap - old_cap;
		if (!buffer_replace(te, te->cursor, 0, s, len))
			return false;
		memcpy(last->inserted + last->inserted_len, s, len);
		last->inserted_len += len;
		te->cursor = snap_forward(te, te->cursor + len);
		last->cursor_after = te->cursor;
		te->goal_col = -1;
		return true;
	}
	return change(te, te->cursor, 0, s, len, te->cursor + len, typing && !newline);
}

static bool
insert(struct textedit *te, const char *s, size_t len, bool typing)
{
	size_t n = textedit_normalize(s, len, NULL);
	if (n == len && n < 256) {
		char small[256];
		textedit_normalize(s, len, small);
		return insert_normalized(te, small, n, typing);
	}
	char *clean = malloc(n ? n : 1);
	if (!clean)
		return false;
	textedit_normalize(s, len, clean);
	bool ok = insert_normalized(te, clean, n, typing);
	free(clean);
	return ok;
}

bool
textedit_type(struct textedit *te, const char *s, size_t len)
{
	return insert(te, s, len, true);
}

bool
textedit_paste(struct textedit *te, const char *s, size_t len)
{
	return insert(te, s, len, false);
}

bool
textedit_delete_backward(struct textedit *te)
{
	if (te->cursor == 0)
		return false;
	size_t from = width_cluster_prev(te->buf, te->len, te->cursor);
	return change(te, from, te->cursor - from, "", 0, from, false);
}

bool
textedit_delete_forward(struct textedit *te)
{
	if (te->cursor == te->len)
		return false;
	size_t to = width_cluster_next(te->buf, te->len, te->cursor, NULL);
	return change(te, te->cursor, to - te->cursor, "", 0, te->cursor, false);
}

bool
textedit_delete_to_line_end(struct textedit *te)
{
	if (te->cursor == te->len)
		return false;
	size_t to = line_end(te, te->cursor);
	if (to == te->cursor)
		to++;
	return change(te, te->cursor, to - te->cursor, "", 0, te->cursor, false);
}

/* ---- undo ---- */

bool
textedit_undo(struct textedit *te)
{
	if (te->done == 0)
		return false;
	struct textedit_step *step = &te->steps[te->done - 1];
	if (!buffer_replace(te, step->pos, step->inserted_len, step->removed, step->removed_len))
		return false;
	te->done--;
	te->cursor = step->cursor_before;
	te->typing_open = false;
	te->goal_col = -1;
	return true;
}

bool
textedit_redo(struct textedit *te)
{
	if (te->done == te->step_count)
		return false;
	struct textedit_step *step = &te->steps[te->done];
	if (!buffer_replace(te, step->pos, step->removed_len, step->inserted, step->inserted_len))
		return false;
	te->done++;
	te->cursor = step->cursor_after;
	te->typing_open = false;
	te->goal_col = -1;
	return true;
}

bool
textedit_modified(const struct textedit *te)
{
	return te->len != te->entry_len || memcmp(te->buf, te->entry, te->len) != 0;
}

bool
textedit_revert(struct textedit *te)
{
	if (!textedit_modified(te))
		return false;
	return change(te, 0, te->len, te->entry, te->entry_len, 0, false);
}

/* ---- layout ---- */

void
textedit_set_width(struct textedit *te, int width)
{
	if (width < 2)
		width = 2;
	if (width == te->width)
		return;
	te->width = width;
	te->mark_count = 1;
	te->mark_done = false;
}

int
textedit_width(const struct textedit *te)
{
	return te->width;
}

/* Wraps TEXTEDIT_MARK_ROWS rows on from the frontier and marks where they end (or notes
 * that the text ends first). */
static void
marks_extend(struct textedit *te)
{
	struct textedit_mark last = te->marks[te->mark_count - 1];
	struct width_wrap wrap;
	struct width_line line;
	wrap_from(te, &wrap, last.pos);
	size_t row = last.row, dep = last.dep;
	for (int k = 0; k < TEXTEDIT_MARK_ROWS; k++, row++) {
		width_wrap_next(&wrap, &line);
		if (wrap.seen > dep)
			dep = wrap.seen;
		if (wrap.done) {
			te->mark_done = true;
			te->mark_last_row = row;
			return;
		}
	}
	if (te->mark_count == te->mark_cap) {
		size_t cap = te->mark_cap * 2;
		struct textedit_mark *marks = realloc(te->marks, cap * sizeof *marks);
		if (!marks) {
			/* no memory: lay out from the frontier on, slower but right */
			te->mark_done = true;
			te->mark_last_row = SIZE_MAX;
			return;
		}
		te->marks = marks;
		te->mark_cap = cap;
	}
	te->marks[te->mark_count++] = (struct textedit_mark){wrap.pos, row, dep};
}

/* The last mark at or before byte pos (by_row false) or visual row row (by_row true),
 * with marks found far enough that at most TEXTEDIT_MARK_ROWS rows separate it from
 * what is sought, unless memory ran out. */
static struct textedit_mark
mark_before(struct textedit *te, bool by_row, size_t pos, size_t row)
{
	for (;;) {
		const struct textedit_mark *last = &te->marks[te->mark_count - 1];
		if (te->mark_done || (by_row ? last->row > row : last->pos > pos))
			break;
		marks_extend(te);
	}
	size_t lo = 0, hi = te->mark_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (by_row ? te->marks[mid].row <= row : te->marks[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return te->marks[lo];
}

/* The visual row holding pos: a row holds [start, next), and the last row of a hard line
 * also holds the position of its newline (or the end of the text). Stores the row's
 * index in *index when index is not NULL. */
static struct width_line
row_at(struct textedit *te, size_t pos, size_t *index)
{
	struct textedit_mark mark = mark_before(te, false, pos, 0);
	struct width_wrap wrap;
	struct width_line row;
	size_t i = mark.row;
	wrap_from(te, &wrap, mark.pos);
	while (width_wrap_next(&wrap, &row)) {
		if (pos < row.next || wrap.done)
			break;
		i++;
	}
	if (index)
		*index = i;
	return row;
}

static bool
last_in_line(const struct textedit *te, const struct width_line *row)
{
	return row->hard || row->next == te->len;
}

/* Last cursor position on the row. */
static size_t
row_last_pos(const struct textedit *te, const struct width_line *row)
{
	if (row->hard)
		return row->next - 1;
	if (row->next == te->len)
		return te->len;
	return width_cluster_prev(te->buf, te->len, row->next);
}

static int
cols_between(const struct textedit *te, size_t from, size_t to)
{
	return (int)width_of_utf8(te->buf + from, to - from);
}

/* The position on row closest to col without passing it. */
static size_t
pos_at_col(const struct textedit *te, const struct width_line *row, int col)
{
	size_t last = row_last_pos(te, row);
	size_t pos = row->start;
	int at = 0;
	while (pos < last) {
		int w;
		size_t next = width_cluster_next(te->buf, te->len, pos, &w);
		if (at + w > col || next > last)
			break;
		at += w;
		pos = next;
	}
	return pos;
}

void
textedit_cursor_position(struct textedit *te, size_t *row, int *col)
{
	size_t index;
	struct width_line line = row_at(te, te->cursor, &index);
	int c = cols_between(te, line.start, te->cursor);
	if (row)
		*row = index;
	if (col)
		*col = c < te->width - 1 ? c : te->width - 1;
}

size_t
textedit_rows(struct textedit *te, size_t first, struct width_line *rows, size_t max)
{
	struct textedit_mark mark = mark_before(te, true, 0, first);
	struct width_wrap wrap;
	struct width_line row;
	size_t index = mark.row, stored = 0;
	wrap_from(te, &wrap, mark.pos);
	while (stored < max && width_wrap_next(&wrap, &row)) {
		if (index++ >= first)
			rows[stored++] = row;
	}
	return stored;
}

size_t
textedit_row_count(struct textedit *te)
{
	mark_before(te, true, 0, SIZE_MAX);
	if (te->mark_last_row != SIZE_MAX)
		return te->mark_last_row + 1;
	struct textedit_mark mark = te->marks[te->mark_count - 1];
	struct width_wrap wrap;
	struct width_line row;
	size_t count = mark.row;
	wrap_from(te, &wrap, mark.pos);
	while (width_wrap_next(&wrap, &row))
		count++;
	return count;
}

/* ---- moves ---- */

static bool
move_to(struct textedit *te, size_t pos)
{
	te->goal_col = -1;
	return set_cursor(te, pos);
}

bool
textedit_move_left(struct textedit *te)
{
	return move_to(te, width_cluster_prev(te->buf, te->len, te->cursor));
}

bool
textedit_move_right(struct textedit *te)
{
	return move_to(te, width_cluster_next(te->buf, te->len, te->cursor, NULL));
}

bool
textedit_move_text_start(struct textedit *te)
{
	return move_to(te, 0);
}

bool
textedit_move_text_end(struct textedit *te)
{
	return move_to(te, te->len);
}

bool
textedit_move_row_start(struct textedit *te)
{
	struct width_line row = row_at(te, te->cursor, NULL);
	return move_to(te, row.start);
}

bool
textedit_move_row_end(struct textedit *te)
{
	struct width_line row = row_at(te, te->cursor, NULL);
	return move_to(te, row_last_pos(te, &row));
}

static bool
move_vertically(struct textedit *te, const struct width_line *current, const struct width_line *target)
{
	int goal = te->goal_col >= 0 ? te->goal_col : cols_between(te, current->start, te->cursor);
	set_cursor(te, pos_at_col(te, target, goal));
	te->goal_col = goal;
	return true;
}

bool
textedit_move_up(struct textedit *te)
{
	size_t index;
	struct width_line row = row_at(te, te->cursor, &index), prev;
	if (index == 0) {
		te->typing_open = false;
		return false;
	}
	textedit_rows(te, index - 1, &prev, 1);
	return move_vertically(te, &row, &prev);
}

bool
textedit_move_down(struct textedit *te)
{
	struct width_line row = row_at(te, te->cursor, NULL);
	if (!last_in_line(te, &row) || row.hard) {
		struct width_wrap wrap;
		struct width_line next;
		wrap_from(te, &wrap, row.next);
		width_wrap_next(&wrap, &next);
		return move_vertically(te, &row, &next);
	}
	te->typing_open = false;
	return false;
}
