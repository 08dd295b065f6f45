#ifndef NIANBAO_TUI_EDITOR_H
#define NIANBAO_TUI_EDITOR_H

/* The editor's private state, shared by its parts (doc/DESIGN.md §11):
 *   keys.c    the key table: every key, the command it runs, and its line in the help;
 *   draw.c    geometry and drawing of the main screen;
 *   textout.c text clipped, fitted and wrapped for every screen;
 *   prompt.c  the one modal loop that reads keys, the pager and the prompts;
 *   focus.c   the cursor's moves, Ctrl-G and F8;
 *   editor.c  the commands;
 *   start.c   opening a draft (create, lock, recover) and the main screen.
 * Editing rules live in the core (session, textedit); this layer turns keys into calls
 * and the session's state into a screen. */

#include <stdbool.h>
#include <time.h>

#include "nianbao/guard.h"
#include "nianbao/session.h"
#include "nianbao/template.h"
#include "nianbao/textedit.h"
#include "term.h"

#define MIN_COLS 80
#define MIN_LINES 24

#define CTRL(c) ((c) & 0x1f)

enum pair { PAIR_COMPUTED = 1, PAIR_ERROR, PAIR_BLANK, PAIR_UNREVISED };

/* ---- keys.c ---- */

/* What a key asks for; every key maps to one (keys.c), and the help lists them. */
enum request {
	REQ_NONE,
	REQ_UP, REQ_DOWN, REQ_LEFT, REQ_RIGHT, REQ_NEXT, REQ_PREV,
	REQ_HOME, REQ_END, REQ_FIRST, REQ_LAST, REQ_CLEAR,
	REQ_PREV_SECTION, REQ_NEXT_SECTION, REQ_SECTION,
	REQ_ENTER, REQ_CANCEL, REQ_BACKSPACE, REQ_DELETE, REQ_KILL_LINE,
	REQ_ZEROS, REQ_GOTO, REQ_EXTERNAL, REQ_NARRATE, REQ_UNDO, REQ_REDO,
	REQ_NEXT_PROBLEM, REQ_PREVIEW, REQ_SAVE, REQ_QUIT, REQ_HELP, REQ_REDRAW,
	/* the pager's own */
	REQ_PAGE_CLOSE, REQ_PAGE_DOWN,
};

/* Which screen reads the key: a screen's own bindings come first, then the editor's. */
enum keymap { KEYMAP_EDITOR, KEYMAP_PAGER };

/* The request for a key; for REQ_SECTION, *section receives the section (0-based). */
enum request key_request(enum keymap map, const struct tkey *k, int *section);

/* One help entry: the keys as shown and what they do (translated). Returns false past the
 * last. For tests and for the help page. */
bool key_help_entry(size_t i, const char **keys, const char **help);

/* ---- the state ---- */

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
	bool locked;        /* read-only is the session's: e->s->readonly */
	/* focus: an item of the current section; a cell of it when a table */
	int section, item, row, col;
	int scroll;
	/* a text field being edited in place */
	struct textedit *te;
	char *message;
	bool message_error;
	bool quit;
	enum { PROMPT_NONE, PROMPT_LINE, PROMPT_YES_NO } prompt;   /* a question is up (the key hints say so) */
	time_t autosave_due;
	long autosaved_state;
	bool autosave_pending;
	struct save_guard guard;   /* changes on disk by others; a failing autosave */
	bool ending;               /* the terminal or the key script is gone: last autosave */
	bool work_lost;            /* the autosave failed as the session ended: exit status 1 */
};

/* ---- editor.c: state and commands ---- */

void say(struct editor *e, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const struct tpl_item *cur_item(const struct editor *e);
const struct tpl_table *cur_table(const struct editor *e);
int cur_text(const struct editor *e);
int cur_cell(const struct editor *e);
struct section_items *build_sections(const struct template *tpl);
void free_sections(struct section_items *v, int count);
/* Runs the command of one key. */
void handle_key(struct editor *e, const struct tkey *k);
/* Writes the autosave when there are changes it does not have yet. */
void autosave(struct editor *e);

/* ---- focus.c: where the cursor is and how it moves ---- */

void focus_section(struct editor *e, int section);
void focus_cell(struct editor *e, int cell);
void focus_text(struct editor *e, int text);
/* Up or down a row, on to the item above or below at the ends. */
void move_vertical(struct editor *e, int dir);
/* Tab (dir 1) and Shift-Tab (-1): the next cell or field, across tables and sections. */
void move_tab(struct editor *e, int dir);
/* From the focus, through the table in reading order (dir +1 or -1), to the first input
 * cell, the focus included; false (focus unchanged) when there is none that way. */
bool to_input_cell(struct editor *e, int dir);
/* Enter in a number cell: down to the next input cell of the column. */
void move_enter(struct editor *e);
/* Ctrl-G. */
void go_to(struct editor *e);
/* F8. */
void next_problem(struct editor *e);

/* ---- draw.c ---- */

/* Draws the main screen (or says the window is too small). */
void draw(struct editor *e);
/* What a mouse click at (x, y) of the last frame lands on: a section's name, a cell, or
 * a text field. */
enum hit_kind { HIT_NONE, HIT_CELL, HIT_TEXT, HIT_SECTION };
struct hit {
	enum hit_kind kind;
	int section, item, row, col;
};
bool draw_hit(struct editor *e, int x, int y, struct hit *h);
/* The width text fields wrap at. */
int text_width(void);

/* ---- textout.c ---- */

/* When the window is below MIN_COLS x MIN_LINES: says so on the screen, returns true. */
bool too_small(void);
/* Writes text clipped to cols display columns at the cursor; returns the columns used. */
int put_clipped(const char *s, size_t len, int cols);
/* Like put_clipped, but marks a cut with ".." and pads to cols. */
void put_fit(const char *s, int cols);
/* Blanks the rest of the cursor's line. */
void fill_line(int y);
/* Draws a question wrapped over as many lines as it needs, ending on line last. */
void draw_question(const char *question, int last);
/* Appends text to *out wrapped at width columns, every line after the first of each
 * paragraph preceded by indent spaces. */
void append_wrapped(char **out, const char *text, int width, int indent);

/* ---- prompt.c ---- */

/* A modal screen: draw shows it, key handles one key and returns false when the screen is
 * done. The key's text is freed by the loop. */
struct screen {
	void (*draw)(struct screen *sc);
	bool (*key)(struct screen *sc, const struct tkey *k);
	struct editor *e;     /* NULL before a draft is open */
};

/* The one loop that reads keys, for every screen: it redraws, handles resize, SIGINT and
 * the autosave timer (when e is set), and stops at hangup or the end of input. Returns
 * true when the screen finished, false on hangup or the end of input. */
bool screen_run(struct screen *sc);

/* A scrollable page of text (help, preview). */
void pager(struct editor *e, const char *title, const char *text);
/* Asks a yes/no question above the key hints: returns 'y', 'n' or 0 (Esc). */
int ask(struct editor *e, const char *question);
/* Reads a line on the status line; returns a malloc'd string, or NULL on Esc. A pre-filled
 * initial answer is replaced by the first character typed (an arrow or Backspace edits it). */
char *ask_line(struct editor *e, const char *question, const char *initial);
/* F1. */
void show_help(struct editor *e);
/* Ctrl-E: the current text field in $VISUAL or $EDITOR. */
void external_edit(struct editor *e);

#endif
