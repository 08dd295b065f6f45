#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/width.h"

/* The one place a key is bound (doc/DESIGN.md §7): dispatch and the help both read this
 * table. A help entry starts at a binding with help text and shows the keys of the
 * bindings that follow it up to the next one with help text; a binding with shown NULL is
 * an alias that the help does not list (Ctrl-H for Backspace, Enter's other codes). */
struct key_binding {
	enum keymap map;
	enum tkey_kind kind;   /* TK_KEY: code is a curses KEY_*; TK_CHAR: code is the character */
	int code;
	bool alt;
	unsigned mods;         /* TK_KEY: the modifiers it needs (TMOD_*); 0: with any or none */
	enum request req;      /* REQ_NONE: not a binding, only a line of the help */
	const char *shown;     /* the key as the help shows it, with its separator from the one before */
	const char *help;      /* msgid */
};

#define KEY(c) TK_KEY, (c), false, 0
#define CTRL_KEY(c) TK_KEY, (c), false, TMOD_CTRL
#define CHR(c) TK_CHAR, (c), false, 0
#define ALT(c) TK_CHAR, (c), true, 0

static const struct key_binding key_table[] = {
	{KEYMAP_EDITOR, KEY(KEY_UP), REQ_UP, "↑", N_("move between cells and fields")},
	{KEYMAP_EDITOR, KEY(KEY_DOWN), REQ_DOWN, " ↓", NULL},
	{KEYMAP_EDITOR, KEY(KEY_LEFT), REQ_LEFT, " ←", NULL},
	{KEYMAP_EDITOR, KEY(KEY_RIGHT), REQ_RIGHT, " →", NULL},
	{KEYMAP_EDITOR, CHR('\t'), REQ_NEXT, ", Tab", NULL},
	{KEYMAP_EDITOR, KEY(KEY_BTAB), REQ_PREV, ", Shift-Tab", NULL},
	{KEYMAP_EDITOR, KEY(KEY_HOME), REQ_HOME, "Home",
	 N_("first / last cell of the row; in a text field, start / end of the line")},
	{KEYMAP_EDITOR, KEY(KEY_END), REQ_END, " / End", NULL},
	{KEYMAP_EDITOR, CTRL_KEY(KEY_HOME), REQ_FIRST, "Ctrl-Home",
	 N_("first / last input cell of the table; in a text field, start / end of the text")},
	{KEYMAP_EDITOR, CTRL_KEY(KEY_END), REQ_LAST, " / Ctrl-End", NULL},
	{KEYMAP_EDITOR, KEY(KEY_PPAGE), REQ_PREV_SECTION, "PgUp", N_("previous / next section")},
	{KEYMAP_EDITOR, KEY(KEY_NPAGE), REQ_NEXT_SECTION, " / PgDn", NULL},
	{KEYMAP_EDITOR, ALT('1'), REQ_SECTION, "Alt-1", N_("go to section 1 to 6")},
	{KEYMAP_EDITOR, ALT('2'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('3'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('4'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('5'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('6'), REQ_SECTION, " … Alt-6", NULL},
	{KEYMAP_EDITOR, ALT('7'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('8'), REQ_SECTION, NULL, NULL},
	{KEYMAP_EDITOR, ALT('9'), REQ_SECTION, NULL, NULL},
	/* characters are typed into the field under the cursor, not bound */
	{KEYMAP_EDITOR, CHR(0), REQ_NONE, "0-9 . -",
	 N_("type into the current number cell (the first key replaces the value)")},
	{KEYMAP_EDITOR, CHR('\r'), REQ_ENTER, "Enter",
	 N_("commit the cell and move down; on a text field, start editing it")},
	{KEYMAP_EDITOR, CHR('\n'), REQ_ENTER, NULL, NULL},
	{KEYMAP_EDITOR, KEY(KEY_ENTER), REQ_ENTER, NULL, NULL},
	{KEYMAP_EDITOR, CHR(27), REQ_CANCEL, "Esc", N_("cancel the edit in progress")},
	{KEYMAP_EDITOR, KEY(KEY_DC), REQ_DELETE, "Delete", N_("blank the current cell")},
	{KEYMAP_EDITOR, KEY(KEY_BACKSPACE), REQ_BACKSPACE, "Backspace",
	 N_("delete the character before the cursor (in a number being typed or a text field)")},
	{KEYMAP_EDITOR, CHR(127), REQ_BACKSPACE, NULL, NULL},
	{KEYMAP_EDITOR, CHR(CTRL('h')), REQ_BACKSPACE, NULL, NULL},
	{KEYMAP_EDITOR, CHR(CTRL('o')), REQ_ZEROS, "Ctrl-O", N_("fill every blank cell of the current table with 0")},
	{KEYMAP_EDITOR, CHR(CTRL('g')), REQ_GOTO, "Ctrl-G",
	 N_("go to a field by label (行政许可, 结转), by id (requests.new.natural), or a section by number")},
	{KEYMAP_EDITOR, CHR(CTRL('e')), REQ_EXTERNAL, "Ctrl-E", N_("edit the current text field in $VISUAL / $EDITOR (without them, nano)")},
	{KEYMAP_EDITOR, CHR(CTRL('t')), REQ_NARRATE, "Ctrl-T",
	 N_("add to the current text field the standard sentences written from the tables (narrate)")},
	{KEYMAP_EDITOR, CHR(CTRL('z')), REQ_UNDO, "Ctrl-Z", N_("undo / redo")},
	{KEYMAP_EDITOR, CHR(CTRL('y')), REQ_REDO, " / Ctrl-Y", NULL},
	{KEYMAP_EDITOR, KEY(KEY_F(8)), REQ_NEXT_PROBLEM, "F8", N_("go to the next failing check")},
	{KEYMAP_EDITOR, KEY(KEY_F(5)), REQ_PREVIEW, "F5", N_("preview the rendered report")},
	{KEYMAP_EDITOR, CHR(CTRL('s')), REQ_SAVE, "Ctrl-S", N_("save")},
	{KEYMAP_EDITOR, KEY(KEY_F(2)), REQ_SAVE, ", F2", NULL},
	{KEYMAP_EDITOR, CHR(CTRL('q')), REQ_QUIT, "Ctrl-Q", N_("quit (asks first when there are unsaved changes)")},
	{KEYMAP_EDITOR, KEY(KEY_F(10)), REQ_QUIT, ", F10", NULL},
	{KEYMAP_EDITOR, KEY(KEY_F(1)), REQ_HELP, "F1", N_("help")},
	{KEYMAP_EDITOR, CHR(CTRL('k')), REQ_KILL_LINE, "Ctrl-K", N_("in a text field: delete to the end of the line")},
	{KEYMAP_EDITOR, CHR(CTRL('u')), REQ_CLEAR, "Ctrl-U", N_("clear the current text field (one undo step)")},
	{KEYMAP_EDITOR, CHR(CTRL('l')), REQ_REDRAW, "Ctrl-L", N_("redraw the screen")},
	/* the pager: besides these, the moves above scroll and F1, F5, Esc, Ctrl-Q, F10 close */
	{KEYMAP_PAGER, CHR('q'), REQ_PAGE_CLOSE, NULL, NULL},
	{KEYMAP_PAGER, ALT('q'), REQ_PAGE_CLOSE, NULL, NULL},
	{KEYMAP_PAGER, CHR(' '), REQ_PAGE_DOWN, NULL, NULL},
	{KEYMAP_PAGER, ALT(' '), REQ_PAGE_DOWN, NULL, NULL},
};

#define KEY_COUNT (sizeof key_table / sizeof *key_table)

/* A binding with modifiers (Ctrl-Home) wins over the same key without (Home); a binding
 * without takes the key with any modifiers (Ctrl-Up moves as Up does). */
static enum request
lookup(enum keymap map, const struct tkey *k, int *section)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < KEY_COUNT; i++) {
			const struct key_binding *b = &key_table[i];
			if (b->map != map || b->req == REQ_NONE || b->kind != k->kind)
				continue;
			if (pass == 0 ? !b->mods || b->mods != (k->mods & (TMOD_CTRL | TMOD_SHIFT | TMOD_ALT)) : b->mods != 0)
				continue;
			if (k->kind == TK_KEY ? b->code != k->code : (b->code != (int)k->ch || b->alt != k->alt))
				continue;
			if (b->req == REQ_SECTION)
				*section = b->code - '1';
			return b->req;
		}
	return REQ_NONE;
}

enum request
key_request(enum keymap map, const struct tkey *k, int *section)
{
	if (k->kind != TK_KEY && k->kind != TK_CHAR)
		return REQ_NONE;
	enum request req = lookup(map, k, section);
	if (req == REQ_NONE && map != KEYMAP_EDITOR)
		req = lookup(KEYMAP_EDITOR, k, section);
	return req;
}

bool
key_help_entry(size_t n, const char **keys, const char **help)
{
	static char shown[128];
	size_t seen = 0, i = 0;
	for (; i < KEY_COUNT; i++)
		if (key_table[i].map == KEYMAP_EDITOR && key_table[i].help && seen++ == n)
			break;
	if (i == KEY_COUNT)
		return false;
	*help = _(key_table[i].help);
	shown[0] = '\0';
	for (size_t j = i; j < KEY_COUNT && (j == i || !key_table[j].help); j++)
		if (key_table[j].map == KEYMAP_EDITOR && key_table[j].shown)
			strncat(shown, key_table[j].shown, sizeof shown - strlen(shown) - 1);
	*keys = shown;
	return true;
}

void
show_help(struct editor *e)
{
	enum { KEYS_W = 24, HELP_AT = 2 + KEYS_W + 2 };
	char *text = xstrdup("");
	const char *keys, *help;
	for (size_t i = 0; key_help_entry(i, &keys, &help); i++) {
		int w = (int)width_of_utf8(keys, strlen(keys));
		char *line = xasprintf("%s  %s%*s  ", text, keys, w < KEYS_W ? KEYS_W - w : 0, "");
		free(text);
		text = line;
		append_wrapped(&text, help, COLS - 1 - HELP_AT, HELP_AT);
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
	/* the checks of this draft's template, by the id shown in [] in each message */
	char *head = xasprintf("%s\n%s\n", text, _("Checks (the id in [ ] of each message):"));
	free(text);
	text = head;
	for (int k = 0; k < e->tpl->check_count; k++) {
		const struct tpl_check *check = &e->tpl->checks[k];
		bool seen = false;
		for (int j = 0; j < k; j++)
			seen |= !strcmp(e->tpl->checks[j].id, check->id);
		const char *what = check_id_help(check->id);
		if (seen || !what)
			continue;
		int w = (int)width_of_utf8(check->id, strlen(check->id));
		/* indented under the heading, apart from the key entries above */
		char *line = xasprintf("%s    %s%*s", text, check->id, w < KEYS_W ? KEYS_W - w : 0, "");
		free(text);
		text = line;
		append_wrapped(&text, what, COLS - 1 - HELP_AT, HELP_AT);
	}
	pager(e, _(" nianbao help"), text);
	free(text);
}
