#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"
#include "nianbao/session.h"

static bool
same_text(const char *a, const char *b)
{
	return (a ? a : "")[0] == (b ? b : "")[0] && !strcmp(a ? a : "", b ? b : "");
}

static void
rerun_checks(struct session *s)
{
	check_report_clear(&s->report);
	checks_run(s->draft, s->prev, &s->report);
}

struct session *
session_new(struct draft *draft, struct draft *prev)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->draft = draft;
	s->prev = prev;
	template_recompute_all(draft->tpl, draft->cells);
	rerun_checks(s);
	return s;
}

static void
step_free(struct session_step *step)
{
	for (int i = 0; i < step->count; i++) {
		free(step->changes[i].text_before);
		free(step->changes[i].text_after);
	}
	free(step->changes);
	step->changes = NULL;
	step->count = 0;
}

void
session_free(struct session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->undo_count + s->redo_count; i++)
		step_free(&s->undo[i]);
	free(s->undo);
	if (s->open) {
		step_free(s->open);
		free(s->open);
	}
	check_report_free(&s->report);
	draft_free(s->draft);
	draft_free(s->prev);
	free(s);
}

static void
step_add(struct session_step *step, struct session_change change)
{
	step->changes = xrealloc(step->changes, (size_t)(step->count + 1) * sizeof *step->changes);
	step->changes[step->count++] = change;
}

/* Adds a change to the open group, or pushes it as a step of its own; drops the redo tail. */
static void
record(struct session *s, struct session_change change)
{
	if (s->open) {
		step_add(s->open, change);
		return;
	}
	for (int i = s->undo_count; i < s->undo_count + s->redo_count; i++)
		step_free(&s->undo[i]);
	s->redo_count = 0;
	if (s->undo_count == s->undo_cap) {
		s->undo_cap = s->undo_cap ? s->undo_cap * 2 : 64;
		s->undo = xrealloc(s->undo, (size_t)s->undo_cap * sizeof *s->undo);
	}
	struct session_step step = {.id = ++s->next_id};
	step_add(&step, change);
	s->undo[s->undo_count++] = step;
}

void
session_preview_cell(struct session *s, int cell, struct value value)
{
	draft_set_cell(s->draft, cell, value);
	if (s->draft->cell_issue)
		s->draft->cell_issue[cell] = 0;
	rerun_checks(s);
}

void
session_commit_cell(struct session *s, int cell, struct value before)
{
	struct value after = s->draft->cells[cell];
	if (after.set == before.set && after.scaled == before.scaled && !(s->draft->cell_issue && s->draft->cell_issue[cell]))
		return;
	record(s, (struct session_change){.cell = cell, .text = -1, .before = before, .after = after});
}

void
session_set_cell(struct session *s, int cell, struct value value)
{
	struct value before = s->draft->cells[cell];
	if (before.set == value.set && before.scaled == value.scaled)
		return;
	session_preview_cell(s, cell, value);
	record(s, (struct session_change){.cell = cell, .text = -1, .before = before, .after = value});
}

void
session_set_text(struct session *s, int text, const char *value)
{
	char *before = s->draft->texts[text] ? xstrdup(s->draft->texts[text]) : NULL;
	draft_set_text(s->draft, text, value);
	const char *now = s->draft->texts[text];
	if (same_text(before, now)) {
		free(before);
		return;
	}
	rerun_checks(s);
	record(s, (struct session_change){.cell = -1, .text = text, .text_before = before,
	                                  .text_after = now ? xstrdup(now) : NULL});
}

bool
session_text_cancel(struct session *s, int text, const char *typed)
{
	bool was_saved = !session_modified(s);
	char *entry = xstrdup(s->draft->texts[text] ? s->draft->texts[text] : "");
	long before = session_state(s);
	session_set_text(s, text, typed);
	bool changed = session_state(s) != before;
	if (changed) {
		session_set_text(s, text, entry);
		if (was_saved)
			session_mark_saved(s);
	}
	free(entry);
	return changed;
}

void
session_begin(struct session *s)
{
	if (!s->open)
		s->open = xcalloc(1, sizeof *s->open);
}

void
session_end(struct session *s)
{
	struct session_step *step = s->open;
	if (!step)
		return;
	s->open = NULL;
	if (!step->count) {
		free(step);
		return;
	}
	/* push the collected changes as one step */
	struct session_change *changes = step->changes;
	int count = step->count;
	free(step);
	record(s, changes[0]);
	struct session_step *top = &s->undo[s->undo_count - 1];
	for (int i = 1; i < count; i++)
		step_add(top, changes[i]);
	free(changes);
}

static void
apply(struct session *s, const struct session_step *step, bool forward, int *cell, int *text)
{
	*cell = *text = -1;
	for (int k = 0; k < step->count; k++) {
		const struct session_change *c = &step->changes[forward ? k : step->count - 1 - k];
		if (c->cell >= 0) {
			draft_set_cell(s->draft, c->cell, forward ? c->after : c->before);
			if (s->draft->cell_issue)
				s->draft->cell_issue[c->cell] = 0;
		} else {
			draft_set_text(s->draft, c->text, forward ? c->text_after : c->text_before);
		}
	}
	if (step->count) {
		*cell = step->changes[0].cell;
		*text = step->changes[0].text;
	}
	rerun_checks(s);
}

bool
session_undo(struct session *s, int *cell, int *text)
{
	if (s->num.active) {
		*cell = s->num.cell;
		*text = -1;
		session_num_cancel(s);
		return true;
	}
	if (s->open || !s->undo_count)
		return false;
	s->undo_count--;
	s->redo_count++;
	apply(s, &s->undo[s->undo_count], false, cell, text);
	return true;
}

bool
session_redo(struct session *s, int *cell, int *text)
{
	session_num_cancel(s);
	if (s->open || !s->redo_count)
		return false;
	apply(s, &s->undo[s->undo_count], true, cell, text);
	s->undo_count++;
	s->redo_count--;
	return true;
}

void
session_count_differences(const struct draft *a, const struct draft *b, int *cells, int *texts)
{
	*cells = *texts = 0;
	if (a->tpl != b->tpl) {
		*cells = a->tpl->cell_count;
		*texts = a->tpl->text_count;
		return;
	}
	for (int i = 0; i < a->tpl->cell_count; i++)
		if (a->tpl->cells[i].formula < 0 &&
		    (a->cells[i].set != b->cells[i].set || a->cells[i].scaled != b->cells[i].scaled))
			(*cells)++;
	for (int i = 0; i < a->tpl->text_count; i++)
		if (!same_text(a->texts[i], b->texts[i]))
			(*texts)++;
}

bool
session_text_unrevised(const struct session *s, int text)
{
	if (!s->prev || s->prev->tpl->text_count == 0 || !s->draft->texts[text])
		return false;
	int other = template_find_text(s->prev->tpl, s->draft->tpl->texts[text].id);
	return other >= 0 && same_text(s->draft->texts[text], s->prev->texts[other]);
}

/* ---- typing a number ---- */

static enum session_refusal
cell_guard(const struct session *s, int cell)
{
	if (s->draft->tpl->cells[cell].formula >= 0)
		return SESSION_COMPUTED;
	if (s->readonly)
		return SESSION_READONLY;
	return SESSION_OK;
}

enum session_refusal
session_num_type(struct session *s, int cell, uint32_t ch, enum value_error *err)
{
	enum value_error dummy;
	if (!err)
		err = &dummy;
	*err = VALUE_OK;
	enum session_refusal r = cell_guard(s, cell);
	if (r != SESSION_OK)
		return r;
	enum value_type type = s->draft->tpl->cells[cell].type;
	bool typing_here = s->num.active && s->num.cell == cell && s->num.text[0];
	if (!numentry_allows(type, ch) && !(ch == ' ' && typing_here))
		return SESSION_NOT_ALLOWED;
	if (s->num.active && s->num.cell != cell)
		session_num_cancel(s);
	if (!s->num.active)
		numentry_start(&s->num, cell, type, s->draft->cells[cell]);
	struct value v;
	enum value_error parsed;
	switch (numentry_type(&s->num, ch, &v, &parsed)) {
	case NUMENTRY_TAKEN:
		if (parsed == VALUE_OK)
			session_preview_cell(s, cell, v);
		return SESSION_OK;
	case NUMENTRY_FULL: return SESSION_OK;
	case NUMENTRY_NOT_ALLOWED: return SESSION_NOT_ALLOWED;
	case NUMENTRY_RANGE: *err = parsed; return SESSION_OUT_OF_RANGE;
	case NUMENTRY_MINUS_NOT_FIRST: return SESSION_MINUS_NOT_FIRST;
	case NUMENTRY_SECOND_POINT: return SESSION_SECOND_POINT;
	case NUMENTRY_SPACED: return SESSION_SPACED;
	}
	return SESSION_OK;
}

enum session_refusal
session_num_edit(struct session *s, int cell)
{
	enum session_refusal r = cell_guard(s, cell);
	if (r != SESSION_OK)
		return r;
	if (s->num.active && s->num.cell == cell)
		return SESSION_OK;
	if (s->num.active)
		session_num_cancel(s);
	numentry_start(&s->num, cell, s->draft->tpl->cells[cell].type, s->draft->cells[cell]);
	/* a held value is at most 999999999 with its decimals: it fits */
	value_format(s->draft->cells[cell], s->num.text, sizeof s->num.text);
	return SESSION_OK;
}

void
session_num_backspace(struct session *s)
{
	if (s->num.active)
		session_preview_cell(s, s->num.cell, numentry_backspace(&s->num));
}

enum session_refusal
session_num_commit(struct session *s, enum value_error *err)
{
	if (!s->num.active)
		return SESSION_OK;
	struct value v;
	enum value_error e = numentry_value(&s->num, &v);
	if (err)
		*err = e;
	if (e != VALUE_OK)
		return SESSION_NOT_A_VALUE;
	session_preview_cell(s, s->num.cell, v);
	session_commit_cell(s, s->num.cell, s->num.before);
	s->num.active = false;
	return SESSION_OK;
}

void
session_num_cancel(struct session *s)
{
	if (!s->num.active)
		return;
	session_preview_cell(s, s->num.cell, s->num.before);
	s->num.active = false;
}

enum session_refusal
session_blank_cell(struct session *s, int cell)
{
	session_num_cancel(s);
	enum session_refusal r = s->readonly ? SESSION_READONLY : cell_guard(s, cell);
	if (r == SESSION_OK)
		session_set_cell(s, cell, value_blank());
	return r;
}

enum session_refusal
session_fill_zeros(struct session *s, int table, int *filled)
{
	const struct template *tpl = s->draft->tpl;
	const struct tpl_table *t = &tpl->tables[table];
	*filled = 0;
	if (s->readonly)
		return SESSION_READONLY;
	session_begin(s);
	for (int r = 0; r < t->rows.leaf_count; r++)
		for (int c = 0; c < t->cols.leaf_count; c++) {
			int cell = template_cell_at(tpl, table, r, c);
			if (tpl->cells[cell].formula < 0 && !s->draft->cells[cell].set) {
				session_set_cell(s, cell, value_units(0));
				(*filled)++;
			}
		}
	session_end(s);
	return SESSION_OK;
}

char *
session_refusal_message(const struct session *s, enum session_refusal r, int cell, enum value_error err)
{
	enum value_type type = cell >= 0 ? s->draft->tpl->cells[cell].type : VALUE_COUNT;
	switch (r) {
	case SESSION_OK: return xstrdup("");
	case SESSION_READONLY: return xstrdup(_("The draft is open read-only."));
	case SESSION_COMPUTED:
		return xstrdup(_("This cell is a total computed from other cells; it cannot be typed into."));
	case SESSION_NOT_ALLOWED:
		return xstrdup(type == VALUE_MONEY ? _("Only digits and a decimal point can be typed here.")
		               : type == VALUE_SIGNED ? _("Only digits and a minus sign can be typed here.")
		                                      : _("Only digits can be typed here."));
	case SESSION_OUT_OF_RANGE: return xstrdup(_(value_error_msgid(err)));
	case SESSION_MINUS_NOT_FIRST: return xstrdup(_("A minus sign goes first."));
	case SESSION_SECOND_POINT: return xstrdup(_("There is a decimal point already."));
	case SESSION_SPACED:
		return xasprintf(_("A number has no spaces in it: \"%s\" will not be taken as one number."), s->num.text);
	case SESSION_NOT_A_VALUE:
		return xasprintf(_("\"%s\" is not a value for this cell: %s"), s->num.text, _(value_error_msgid(err)));
	}
	return xstrdup("?");
}
