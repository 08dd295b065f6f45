#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "nianbao/i18n.h"

/* Where the cursor is and how it moves: arrows, Tab, Enter's move down, sections, Ctrl-G
 * (by id, section or Chinese label) and F8 (the next failing check). */

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

void
focus_section(struct editor *e, int section)
{
	if (section < 0 || section >= e->tpl->section_count)
		return;
	e->section = section;
	e->item = e->row = e->col = 0;
	e->scroll = 0;
	focus_item(e, 0, false);
}

void
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

void
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

void
move_vertical(struct editor *e, int dir)
{
	const struct tpl_table *t = cur_table(e);
	if (t && e->row + dir >= 0 && e->row + dir < t->rows.leaf_count) {
		e->row += dir;
		return;
	}
	focus_item(e, e->item + dir, dir < 0);
}

static bool
computed_at(const struct editor *e, const struct tpl_table *t, int row, int col)
{
	return e->tpl->cells[t->first_cell + row * t->cols.leaf_count + col].formula >= 0;
}

/* From the focus, steps through the table's cells in reading order (dir +1 or -1) to the
 * first input cell, the focus itself included; false (focus unchanged) when there is none
 * that way. */
bool
to_input_cell(struct editor *e, int dir)
{
	const struct tpl_table *t = cur_table(e);
	if (!t)
		return false;
	int cols = t->cols.leaf_count, count = t->rows.leaf_count * cols;
	for (int pos = e->row * cols + e->col; pos >= 0 && pos < count; pos += dir)
		if (!computed_at(e, t, pos / cols, pos % cols)) {
			e->row = pos / cols;
			e->col = pos % cols;
			return true;
		}
	return false;
}

/* Tab and Shift-Tab: the next or previous input cell (totals are skipped: a row is typed
 * across its input cells, then the next row), or field, or section. */
void
move_tab(struct editor *e, int dir)
{
	const struct tpl_table *t = cur_table(e);
	if (t) {
		int pos = e->row * t->cols.leaf_count + e->col + dir;
		if (pos >= 0 && pos < t->rows.leaf_count * t->cols.leaf_count) {
			int row = e->row, col = e->col;
			e->row = pos / t->cols.leaf_count;
			e->col = pos % t->cols.leaf_count;
			if (to_input_cell(e, dir))
				return;
			e->row = row;
			e->col = col;
		}
	}
	int before = e->item;
	focus_item(e, e->item + dir, false);
	if (e->item != before && dir < 0 && cur_table(e)) {
		t = cur_table(e);
		e->row = t->rows.leaf_count - 1;
		e->col = t->cols.leaf_count - 1;
		to_input_cell(e, -1);
	} else if (e->item != before && dir > 0) {
		e->col = 0;
		to_input_cell(e, 1);
	} else if (e->item == before) {
		/* past the last or first item: on to the next or previous section */
		int section = e->section + dir;
		if (section >= 0 && section < e->tpl->section_count) {
			focus_section(e, section);
			if (dir < 0) {
				focus_item(e, e->sections[section].count - 1, true);
				if ((t = cur_table(e))) {
					e->col = t->cols.leaf_count - 1;
					to_input_cell(e, -1);
				}
			} else {
				to_input_cell(e, 1);
			}
		}
	}
}

/* Enter in a number cell: down to the next input cell of the column (a total row is
 * skipped; the arrows still reach it), or on to the next item. */
void
move_enter(struct editor *e)
{
	const struct tpl_table *t = cur_table(e);
	if (t)
		for (int row = e->row + 1; row < t->rows.leaf_count; row++)
			if (!computed_at(e, t, row, e->col)) {
				e->row = row;
				return;
			}
	if (!t) {
		move_vertical(e, 1);
		return;
	}
	focus_item(e, e->item + 1, false);
	if (cur_table(e) && cur_table(e) != t)
		to_input_cell(e, 1);
}

/* ---- go to ---- */

/* Ctrl-G by label: the text fields and the table rows whose Chinese label holds the
 * words; one goes there, several are offered as a numbered choice. Returns false when
 * none matches. */
#define GOTO_CHOICES 9
struct goto_place {
	int cell, text;
	const char *label;
};

static bool
go_to_label(struct editor *e, const char *words)
{
	struct goto_place found[GOTO_CHOICES];
	int count = 0, more = 0;
	for (int t = 0; t < e->tpl->text_count; t++)
		if (strstr(e->tpl->texts[t].label, words)) {
			if (count < GOTO_CHOICES)
				found[count++] = (struct goto_place){-1, t, e->tpl->texts[t].label};
			else
				more++;
		}
	for (int ti = 0; ti < e->tpl->table_count; ti++) {
		const struct tpl_table *t = &e->tpl->tables[ti];
		for (int n = 0; n < t->rows.node_count; n++) {
			const struct tpl_node *node = &t->rows.nodes[n];
			if (!strstr(node->label, words) && !strstr(node->short_label, words))
				continue;
			int cell = t->first_cell + node->first_leaf * t->cols.leaf_count;
			bool seen = false;
			for (int k = 0; k < count; k++)
				seen |= found[k].cell == cell;
			if (seen)
				continue;
			if (count < GOTO_CHOICES)
				found[count++] = (struct goto_place){cell, -1, node->label};
			else
				more++;
		}
	}
	if (!count)
		return false;
	int pick = 0;
	if (count > 1) {
		char *q = xasprintf(_("%d places match \"%s\"; type the number of one:"), count + more, words);
		for (int k = 0; k < count; k++) {
			const char *heading = found[k].cell >= 0
				? e->tpl->sections[e->tpl->tables[e->tpl->cells[found[k].cell].table].section].heading
				: e->tpl->texts[found[k].text].section >= 0 ? e->tpl->sections[e->tpl->texts[found[k].text].section].heading : "";
			const char *comma = strstr(heading, "、");
			char *longer = xasprintf("%s  %d %.*s %s", q, k + 1, (int)(comma ? (size_t)(comma - heading) : strlen(heading)),
			                         heading, found[k].label);
			free(q);
			q = longer;
		}
		char *answer = ask_line(e, q, "");
		free(q);
		if (!answer)
			return true;
		pick = atoi(answer) - 1;
		free(answer);
		if (pick < 0 || pick >= count) {
			say(e, true, _("No such choice."));
			return true;
		}
	}
	if (found[pick].cell >= 0)
		focus_cell(e, found[pick].cell);
	else
		focus_text(e, found[pick].text);
	return true;
}

void
go_to(struct editor *e)
{
	char *answer = ask_line(e, _("Go to (a label such as 行政许可, a field id, or section 1-6):"), "");
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
		else if (!go_to_label(e, a))
			say(e, true, _("No field, row or section \"%s\". Type part of a label (行政许可, 结转, 复议) or an id "
			               "(requests.new.natural, overview)."), a);
	}
	free(answer);
}

/* The next failing check after the focus, in the order of the form. */
void
next_problem(struct editor *e)
{
	const struct check_report *r = &e->s->report;
	if (!r->count) {
		say(e, false, _("No problems found."));
		return;
	}
	/* real errors first, then the cells still to fill, then warnings; within each, order
	 * the located results by (section, item, row, col) and take the first after the focus */
	long here = ((long)e->section * 1000 + e->item) * 1000000L + (long)e->row * 1000 + e->col;
	long best = -1, first = -1;
	size_t best_i = 0, first_i = 0;
	for (int kind = 0; kind < 3 && first < 0; kind++)
		for (size_t i = 0; i < r->count; i++) {
			const struct check_result *c = &r->items[i];
			bool blank = !strcmp(c->check->id, "blank");
			if (kind != (c->severity != DIAG_ERROR ? 2 : blank ? 1 : 0))
				continue;
			struct editor probe = *e;
			if (c->cell >= 0)
				focus_cell(&probe, c->cell);
			else if (c->text >= 0)
				focus_text(&probe, c->text);
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
