#ifndef NIANBAO_TEXTEDIT_H
#define NIANBAO_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/width.h"

/* The editing model of one multi-line text field. The text is always valid UTF-8 whose only
 * control character is '\n'; the cursor is a byte offset that is always a cluster boundary
 * (width.h): never inside a multi-byte or wide character, never between a character and
 * its combining marks. Functions that return bool and change the text return false, with
 * nothing changed, when memory runs out or when there is nothing to do. */
struct textedit;

/* Undo history beyond this many bytes of saved text drops its oldest steps (the latest
 * step is always kept). */
#define TEXTEDIT_HISTORY_BYTES ((size_t)64 << 20)
#define TEXTEDIT_HISTORY_STEPS 10000

/* Input normalisation, applied to the entry text and to everything inserted: CR LF and lone
 * CR become LF, and so do VT, FF, NEL, U+2028 and U+2029; a tab becomes one space; other
 * controls (C0, DEL, C1) are dropped; each bad UTF-8 sequence (maximal subpart) becomes
 * U+FFFD. Writes to out (if not NULL) and returns the length of the result, which is at
 * most 3 * len; call with out NULL to size the buffer. */
size_t textedit_normalize(const char *in, size_t len, char *out);

/* A field holding the normalised text, cursor at 0, layout width 80, empty history. The
 * normalised text is the "text on entry" for textedit_revert and textedit_modified.
 * NULL when memory runs out. */
struct textedit *textedit_new(const char *text, size_t len);
void textedit_free(struct textedit *te);

/* The current text, NUL-terminated, valid until the next change. */
const char *textedit_text(const struct textedit *te, size_t *len);
size_t textedit_cursor(const struct textedit *te);
/* Moves the cursor to pos (clamped to the text), or to the cluster boundary before it. */
void textedit_set_cursor(struct textedit *te, size_t pos);

/* Typed keys and input-method bursts, inserted at the cursor, which ends after them.
 * Coalescing: the text joins the previous undo step when that step is also typing,
 * nothing else (cursor move, deletion, undo, paste) happened in between, neither contains
 * a newline, and the last character typed before was not a space or a punctuation mark
 * (，。、；：？！ ,.;:?!, U+3000); so a word and the spaces or punctuation after it, or a
 * Chinese clause up to its comma, is one step. */
bool textedit_type(struct textedit *te, const char *s, size_t len);
/* Pasted text, inserted at the cursor as one undo step of its own. */
bool textedit_paste(struct textedit *te, const char *s, size_t len);

/* Deletes the cluster before / after the cursor; each deletion is one undo step. */
bool textedit_delete_backward(struct textedit *te);
bool textedit_delete_forward(struct textedit *te);
/* Deletes from the cursor to the end of its (hard) line; at the end of a line, joins the
 * next line to it by deleting the newline. */
bool textedit_delete_to_line_end(struct textedit *te);

/* Cursor moves; each returns whether the cursor moved. Up and down keep the display
 * column the vertical movement started from (the goal column), landing on the left of a
 * wide character that the column falls inside, or at the end of a shorter row; they do
 * nothing on the first / last visual row. Home / end go to the first / last cursor
 * position of the visual row (on a soft-wrapped row the last position is before its last
 * character, since the position after it is the start of the next row). */
bool textedit_move_left(struct textedit *te);
bool textedit_move_right(struct textedit *te);
bool textedit_move_up(struct textedit *te);
bool textedit_move_down(struct textedit *te);
bool textedit_move_row_start(struct textedit *te);
bool textedit_move_row_end(struct textedit *te);
bool textedit_move_text_start(struct textedit *te);
bool textedit_move_text_end(struct textedit *te);

/* Layout. width is the number of screen columns of the field (minimum 2). Text wraps with
 * width_wrap at width - 1 columns, so that a cursor after a full row still has a column of
 * its own; hard newlines are kept. */
void textedit_set_width(struct textedit *te, int width);
int textedit_width(const struct textedit *te);

/* The layout is windowed: the field keeps the start of every 16th visual row from the text
 * start up to the furthest row asked for, and a change keeps those that the text before it
 * decided. So a call costs the rows it returns plus at most 16 rows, plus, once, the
 * rows between the furthest row asked for before and the one asked for now; after a
 * change, the rows from shortly before it to the one asked for. Nothing lays out rows
 * after the last one asked for. */

/* Fills rows with up to max visual rows starting at visual row first (0-based), offsets
 * into textedit_text; returns how many were stored (fewer at the end of the text). The
 * rows are those of width_wrap over the whole text. */
size_t textedit_rows(struct textedit *te, size_t first, struct width_line *rows, size_t max);

/* The number of visual rows (at least 1). This lays out the whole text once after every
 * change at or before its end; a screen should ask only for the rows it shows. */
size_t textedit_row_count(struct textedit *te);

/* The cursor's visual row and display column. The column is below the field width; it is
 * clamped to width - 1 only inside spaces that hang past the wrap edge. */
void textedit_cursor_position(struct textedit *te, size_t *row, int *col);

/* Undo / redo one step, restoring the text and the cursor as they were. */
bool textedit_undo(struct textedit *te);
bool textedit_redo(struct textedit *te);

/* Whether the text differs from the text on entry. */
bool textedit_modified(const struct textedit *te);
/* Restores the text on entry (cursor at 0), as one undo step; false if not modified. */
bool textedit_revert(struct textedit *te);

#endif
