#ifndef NIANBAO_SESSION_H
#define NIANBAO_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/check.h"
#include "nianbao/draft.h"
#include "nianbao/numentry.h"

/* An editing session over one draft: every change to a cell or a text field goes through
 * it, so that totals and checks stay current and every change can be undone and redone.
 * Curses-free; the editor and the tests drive it. */

struct session_change {
	int cell;                  /* -1 for a text change */
	int text;                  /* -1 for a cell change */
	struct value before, after;
	char *text_before, *text_after;
};

struct session_step {
	struct session_change *changes;
	int count;
	long id;                   /* unique within the session */
};

struct session {
	struct draft *draft;          /* owned */
	struct draft *prev;           /* last year's, owned, may be NULL */
	struct check_report report;   /* current after every change */
	struct session_step *undo;
	int undo_count, undo_cap;
	int redo_count;               /* steps above undo_count that redo can replay */
	long next_id;
	long saved_id;                /* the id of the top undo step when last saved, 0 at load */
	struct session_step *open;    /* a group being collected, or NULL */
	bool readonly;                /* every change is refused (another editor has the draft) */
	struct numentry num;          /* a number being typed, when num.active */
};

/* Why the session refused a change; session_refusal_message says it in words. */
enum session_refusal {
	SESSION_OK,
	SESSION_READONLY,          /* the draft is open read-only */
	SESSION_COMPUTED,          /* a total computed from other cells */
	SESSION_NOT_ALLOWED,       /* a character the cell's type never takes */
	SESSION_OUT_OF_RANGE,      /* the number would be too large or too precise */
	SESSION_MINUS_NOT_FIRST,   /* a minus sign after the first character */
	SESSION_SECOND_POINT,      /* a second decimal point */
	SESSION_NOT_A_VALUE,       /* committing a text that is not a value ("-", ".") */
	SESSION_SPACED,            /* typed, but the text holds a space: it will not be taken */
};

/* Takes ownership of draft and prev (may be NULL) and runs the checks. */
struct session *session_new(struct draft *draft, struct draft *prev);
void session_free(struct session *s);

/* Sets an input cell as one undo step (or part of the open group); recomputes totals and
 * reruns the checks. No-op when the value is unchanged. */
void session_set_cell(struct session *s, int cell, struct value value);
/* Sets a cell without recording an undo step: for the value of a cell while it is being
 * typed; the caller commits with session_commit_cell, or puts back the old value. */
void session_preview_cell(struct session *s, int cell, struct value value);
/* Records the change of a previewed cell from before to its current value as one step. */
void session_commit_cell(struct session *s, int cell, struct value before);
/* Sets a text field (normalised as draft_set_text does) as one undo step. */
void session_set_text(struct session *s, int text, const char *value);

/* Esc in a text field whose text was typed over: the field keeps the text it had on entry,
 * but typed is recorded as an undo step followed by the step back, so that Ctrl-Z brings
 * what was typed back; a draft that was saved stays unmodified. Returns whether there is
 * something for Ctrl-Z to bring back (false when typed normalises to the same text). */
bool session_text_cancel(struct session *s, int text, const char *typed);

/* Groups the changes between begin and end into one undo step (Ctrl-O). */
void session_begin(struct session *s);
void session_end(struct session *s);

/* ---- typing a number into a cell (the rules of doc/DESIGN.md §7) ----
 * The first character replaces the value; the cell shows the value typed so far at once
 * (totals and checks follow) without an undo step; commit makes the change one undo step,
 * cancel puts the old value back. A refused key changes nothing. */

/* Types ch into cell: refused for a computed cell, a read-only draft, a character the
 * cell's type never takes, a number out of range, a misplaced '-' or a second '.'. Starts
 * typing when none is going on (typing into another cell is cancelled first). *err gets
 * the value error of SESSION_OUT_OF_RANGE (may be NULL). */
enum session_refusal session_num_type(struct session *s, int cell, uint32_t ch, enum value_error *err);
/* Starts typing into cell with its value as the text (Backspace on a saved value). */
enum session_refusal session_num_edit(struct session *s, int cell);
/* Removes the last character typed. */
void session_num_backspace(struct session *s);
/* Ends the typing, keeping its value as one undo step; SESSION_NOT_A_VALUE (with *err, may
 * be NULL) when the text is not a value, and the typing goes on. SESSION_OK when none. */
enum session_refusal session_num_commit(struct session *s, enum value_error *err);
/* Ends the typing, putting the cell's old value back. */
void session_num_cancel(struct session *s);
static inline bool session_num_active(const struct session *s) { return s->num.active; }
/* The cell being typed into, or -1; the text typed so far. */
static inline int session_num_cell(const struct session *s) { return s->num.active ? s->num.cell : -1; }
static inline const char *session_num_text(const struct session *s) { return s->num.text; }

/* Blanks an input cell as one undo step (typing going on is cancelled first). */
enum session_refusal session_blank_cell(struct session *s, int cell);
/* Fills every blank input cell of table with 0 as one undo step; *filled gets the count. */
enum session_refusal session_fill_zeros(struct session *s, int table, int *filled);

/* The refusal in words, translated, malloc'd: err is the value error that came with it,
 * cell the cell concerned (for its type), -1 when none. */
char *session_refusal_message(const struct session *s, enum session_refusal r, int cell, enum value_error err);

/* Undo / redo one step; returns false when there is none. *cell and *text receive where
 * the step changed something first (-1 when not a cell / text), for the cursor. While a
 * number is being typed, undo only cancels the typing (returning its cell), and redo
 * cancels it before redoing. */
bool session_undo(struct session *s, int *cell, int *text);
bool session_redo(struct session *s, int *cell, int *text);

/* Whether the draft differs from the file: undoing back to the saved state clears it. */
static inline long session_state(const struct session *s) { return s->undo_count ? s->undo[s->undo_count - 1].id : 0; }
static inline bool session_modified(const struct session *s) { return session_state(s) != s->saved_id; }
static inline void session_mark_saved(struct session *s) { s->saved_id = session_state(s); }
/* A session whose draft does not match its file from the start (recovered, or new). */
static inline void session_mark_unsaved(struct session *s) { s->saved_id = -1; }

/* The number of input cells and of text fields whose values differ between two drafts of
 * the same template (what a recovery would change). */
void session_count_differences(const struct draft *a, const struct draft *b, int *cells, int *texts);

/* Whether text field text is still last year's text, copied by carry-over and not yet
 * revised (false when last year is unknown or used another template). */
bool session_text_unrevised(const struct session *s, int text);

#endif
