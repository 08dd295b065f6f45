#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "editor.h"
#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "nianbao/lockfile.h"
#include "nianbao/narrate.h"
#include "nianbao/paste.h"
#include "nianbao/render.h"
#include "nianbao/utf8.h"

/* The editor's commands: each key's request (keys.c) runs one of these, which change the
 * focus or call the session; draw.c then shows the result. */

/* ---- state ---- */

void
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

const struct tpl_item *
cur_item(const struct editor *e)
{
	const struct section_items *sec = &e->sections[e->section];
	return sec->count ? &sec->items[e->item] : NULL;
}

struct section_items *
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

void
free_sections(struct section_items *v, int count)
{
	for (int i = 0; i < count && v; i++)
		free(v[i].items);
	free(v);
}

const struct tpl_table *
cur_table(const struct editor *e)
{
	const struct tpl_item *it = cur_item(e);
	return it && it->kind == ITEM_TABLE ? &e->tpl->tables[it->index] : NULL;
}

int
cur_text(const struct editor *e)
{
	const struct tpl_item *it = cur_item(e);
	return it && it->kind == ITEM_TEXT ? it->index : -1;
}

int
cur_cell(const struct editor *e)
{
	const struct tpl_table *t = cur_table(e);
	return t ? template_cell_at(e->tpl, (int)(t - e->tpl->tables), e->row, e->col) : -1;
}


/* ---- number cells: the rules are the session's ---- */

static void
refused(struct editor *e, enum session_refusal r, int cell, enum value_error err)
{
	if (r == SESSION_OK)
		return;
	char *msg = session_refusal_message(e->s, r, cell, err);
	say(e, true, "%s", msg);
	free(msg);
}

/* Commits the number being typed; false (with a message) when it is not a number yet. */
static bool
num_commit(struct editor *e)
{
	enum value_error err = VALUE_OK;
	enum session_refusal r = session_num_commit(e->s, &err);
	refused(e, r, session_num_cell(e->s), err);
	return r == SESSION_OK;
}

static void
num_type(struct editor *e, uint32_t ch)
{
	int cell = cur_cell(e);
	enum value_error err = VALUE_OK;
	refused(e, session_num_type(e->s, cell, ch, &err), cell, err);
}

/* ---- text fields ---- */

static void
text_begin(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0 || e->te)
		return;
	if (e->s->readonly) {
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
	bool recoverable = textedit_modified(e->te) && session_text_cancel(e->s, cur_text(e), textedit_text(e->te, NULL));
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

/* Appends the standard sentences written from the tables (narrate.h) to the current text
 * field, as one undo step; nothing changes while a cell they need is blank. */
static void
insert_narrative(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0) {
		say(e, true, _("Ctrl-T writes into a text field; move to one first."));
		return;
	}
	if (e->s->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	const struct draft *d = e->s->draft;
	const char *old = d->texts[ti] ? d->texts[ti] : "";
	char *text = xstrdup(old);
	for (int s = 0; s < NARRATE_SECTION_COUNT; s++) {
		int blank = -1;
		char *p = narrate_section(d, (enum narrate_section)s, &blank);
		if (!p) {
			char *where = cell_describe(e->tpl, blank);
			say(e, true, _("%s is blank (%s); fill it in first: the sentences are written only from "
			               "numbers that are there."),
			    where, e->tpl->cells[blank].id);
			free(where);
			free(text);
			return;
		}
		char *joined = xasprintf("%s%s%s", text, *text ? "\n" : "", p);
		free(text);
		free(p);
		text = joined;
	}
	session_set_text(e->s, ti, text);
	free(text);
	say(e, false, _("The sentences written from the tables were added at the end; Ctrl-Z takes them back."));
}

/* ---- saving, autosave ---- */

static bool
save(struct editor *e)
{
	if (e->s->readonly) {
		say(e, true, _("The draft is open read-only; it was not saved. (Another editor holds it.)"));
		return false;
	}
	if (guard_changed_on_disk(&e->guard, e->path)) {
		int answer = ask(e, _("The draft was changed on disk since you opened it (by another program or "
		                      "person). y overwrites their version, n saves yours under another name, Esc cancels."));
		if (answer == 0) {
			say(e, false, _("Not saved. The file on disk is as the other program left it."));
			return false;
		}
		if (answer == 'n') {
			char *name = ask_line(e, _("Save a copy under the name:"), "");
			struct diag_list diags = {0};
			if (name && name[0] && draft_save_new(e->s->draft, name, &diags))
				say(e, false, _("Saved a copy as %s; the draft itself was not saved."), name);
			else
				say(e, true, _("NOT SAVED: %s"), diags.count ? diags.items[0].message : _("no name given"));
			diag_free(&diags);
			free(name);
			return false;
		}
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
	guard_saved(&e->guard, e->path);
	session_mark_saved(e->s);
	autosave_remove(e->path);
	e->autosaved_state = session_state(e->s);
	char *base_copy = xstrdup(e->path);
	char *warning = guard_autosave_warning(&e->guard);
	if (warning)
		say(e, true, _("Saved %s. But: %s"), basename(base_copy), warning);
	else
		say(e, false, _("Saved %s."), basename(base_copy));
	free(warning);
	free(base_copy);
	return true;
}

/* Writes the autosave when there are changes it does not have yet. */
void
autosave(struct editor *e)
{
	/* a number or a text being typed counts as a change too */
	bool typing = session_num_active(e->s) || (e->te && textedit_modified(e->te));
	if (e->s->readonly || (!session_modified(e->s) && !typing))
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
	bool ok = autosave_write(e->path, yaml, len, &diags);
	guard_autosave_result(&e->guard, ok, &diags);
	if (ok) {
		e->autosaved_state = session_state(e->s);
		e->autosave_pending = false;
	} else if (term_hangup || e->ending) {
		/* the connection is gone and the autosave cannot be written: a copy elsewhere */
		char *rescue = guard_rescue(e->path, yaml, len);
		char *shown = diag_escape(e->path), *where = diag_escape(rescue ? rescue : "");
		fprintf(stderr, rescue ? _("nianbao: the autosave of %s failed; the unsaved work was written to %s\n")
		                       : _("nianbao: the autosave of %s failed; the unsaved work is lost%s\n"),
		        shown, where);
		free(shown);
		free(where);
		free(rescue);
		e->work_lost = true;
	}
	diag_free(&diags);
	free(yaml);
	draft_free(copy);
}

static void
fill_zeros(struct editor *e)
{
	const struct tpl_table *t = cur_table(e);
	if (!t) {
		say(e, true, _("Ctrl-O fills the blanks of a table; move to a table first."));
		return;
	}
	int filled;
	enum session_refusal r = session_fill_zeros(e->s, (int)(t - e->tpl->tables), &filled);
	if (r != SESSION_OK)
		refused(e, r, -1, VALUE_OK);
	else
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
	/* the first lines say how to make the Word and web versions of the same report */
	const char *path = e->s->draft->path ? e->s->draft->path : "DRAFT.yaml";
	size_t stem = strlen(path);
	if (stem > 5 && !strcmp(path + stem - 5, ".yaml"))
		stem -= 5;
	char *how = xasprintf(_("Word document for sign-off: nianbao render -o %.*s.docx %s\n"
	                        "Web page for the portal:    nianbao render -o %.*s.html %s\n"),
	                      (int)stem, path, path, (int)stem, path, path);
	char *page = xasprintf("%s\n%s", how, text);
	pager(e, _(" Preview of the report (render)"), page);
	free(page);
	free(how);
	free(text);
}

/* ---- quitting ---- */

static void
request_quit(struct editor *e)
{
	if (!settle(e))
		return;
	if (!session_modified(e->s) || e->s->readonly) {
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

/* Ctrl-U: empties the current text field as one undo step (what was being typed is kept
 * first, as its own step). */
static void
clear_text(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0)
		return;
	if (e->s->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	if (!e->s->draft->texts[ti] || !e->s->draft->texts[ti][0])
		return;
	session_set_text(e->s, ti, NULL);
	say(e, false, _("The text field is cleared (Ctrl-Z brings it back)."));
}

/* ---- the mouse ---- */

/* A click moves to the cell, field or section under it; the wheel moves three rows. What
 * is being typed is kept first, as with any move. */
static void
mouse(struct editor *e, const struct tkey *k)
{
	if (COLS < MIN_COLS || LINES < MIN_LINES || (k->code != TMOUSE_PRESS && k->code != TMOUSE_WHEEL_UP &&
	                                              k->code != TMOUSE_WHEEL_DOWN))
		return;
	if (k->code == TMOUSE_PRESS && k->ch != 0)
		return;   /* the left button only */
	if (e->te && k->code != TMOUSE_PRESS)
		return;   /* the wheel does not leave a text being edited */
	if (!settle(e))
		return;
	if (k->code != TMOUSE_PRESS) {
		for (int i = 0; i < 3; i++)
			move_vertical(e, k->code == TMOUSE_WHEEL_UP ? -1 : 1);
		return;
	}
	struct hit h;
	if (!draw_hit(e, k->x, k->y, &h))
		return;
	if (h.kind == HIT_SECTION) {
		focus_section(e, h.section);
	} else {
		e->item = h.item;
		e->row = h.kind == HIT_CELL ? h.row : 0;
		e->col = h.kind == HIT_CELL ? h.col : 0;
	}
}

/* ---- paste ---- */

/* A paste into a table: a block from a spreadsheet, from the cell under the cursor to
 * the right and down, all or nothing (nianbao/paste.h). */
static void
paste_block(struct editor *e, const char *text, size_t len)
{
	if (e->s->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	if (!num_commit(e))
		return;
	struct paste_block *b = paste_parse(text, len);
	struct paste_result r;
	bool ok = paste_apply(e->s, cur_cell(e), b, &r);
	char *msg = paste_message(e->tpl, &r);
	say(e, !ok || r.mismatches, "%s", msg);
	free(msg);
	paste_result_free(&r);
	paste_block_free(b);
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
	case REQ_FIRST: textedit_move_text_start(te); break;
	case REQ_LAST: textedit_move_text_end(te); break;
	case REQ_CLEAR: text_keep(e); clear_text(e); break;
	case REQ_BACKSPACE: textedit_delete_backward(te); break;
	case REQ_DELETE: textedit_delete_forward(te); break;
	case REQ_KILL_LINE: textedit_delete_to_line_end(te); break;
	case REQ_CANCEL: text_cancel(e); break;
	case REQ_NEXT: text_keep(e); move_tab(e, 1); break;
	case REQ_PREV: text_keep(e); move_tab(e, -1); break;
	default: break;
	}
}

void
handle_key(struct editor *e, const struct tkey *k)
{
	int section = 0;
	enum request req = key_request(KEYMAP_EDITOR, k, &section);
	if (k->kind == TK_RESIZE)
		return;
	if (k->kind == TK_MOUSE) {
		mouse(e, k);
		return;
	}
	if (k->kind == TK_UNKNOWN) {
		say(e, true, _("Unknown key: nothing was typed (F1 lists the keys)."));
		return;
	}
	/* while the window is too small to show the draft, keys do not change it */
	if ((COLS < MIN_COLS || LINES < MIN_LINES) && req != REQ_QUIT && req != REQ_SAVE && req != REQ_REDRAW)
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
	case REQ_NARRATE:
		if (settle(e))
			insert_narrative(e);
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
			case REQ_CLEAR: clear_text(e); break;
			default: break;
			}
		}
		return;
	}
	if (!cur_table(e))
		return;
	/* a number cell */
	if (k->kind == TK_PASTE) {
		paste_block(e, k->text, k->len);
		return;
	}
	if (k->kind == TK_CHAR && !k->alt && k->ch >= 32 && k->ch != 127) {
		num_type(e, k->ch);
		return;
	}
	switch (req) {
	case REQ_ENTER:
		if (num_commit(e))
			move_enter(e);
		break;
	case REQ_CANCEL:
		session_num_cancel(e->s);
		break;
	case REQ_BACKSPACE:
		/* on a saved value, Backspace edits it: 402 becomes 40 */
		if (!session_num_active(e->s))
			refused(e, session_num_edit(e->s, cur_cell(e)), cur_cell(e), VALUE_OK);
		session_num_backspace(e->s);
		break;
	case REQ_DELETE:
		refused(e, session_blank_cell(e->s, cur_cell(e)), cur_cell(e), VALUE_OK);
		break;
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
	case REQ_FIRST:
		if (num_commit(e)) {
			e->row = e->col = 0;
			to_input_cell(e, 1);
		}
		break;
	case REQ_LAST:
		if (num_commit(e)) {
			e->row = cur_table(e)->rows.leaf_count - 1;
			e->col = cur_table(e)->cols.leaf_count - 1;
			to_input_cell(e, -1);
		}
		break;
	case REQ_CLEAR:
		say(e, true, _("Ctrl-U clears a text field; Delete blanks a cell."));
		break;
	case REQ_END: if (num_commit(e)) e->col = cur_table(e)->cols.leaf_count - 1; break;
	case REQ_NEXT: if (num_commit(e)) move_tab(e, 1); break;
	case REQ_PREV: if (num_commit(e)) move_tab(e, -1); break;
	default:
		break;
	}
}

