#include <config.h>

#include "nianbao/check.h"

#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"

static struct check_result *
add_result(struct check_report *report, const struct tpl_check *check, int cell, int text, char *message)
{
	if (report->count == report->capacity) {
		report->capacity = report->capacity ? report->capacity * 2 : 32;
		report->items = xrealloc(report->items, report->capacity * sizeof *report->items);
	}
	struct check_result *r = &report->items[report->count++];
	*r = (struct check_result){
		.check = check, .severity = check->severity, .instance = -1,
		.cell = cell, .text = text, .lhs = value_blank(), .rhs = value_blank(), .message = message,
	};
	if (check->severity == DIAG_ERROR)
		report->errors++;
	else
		report->warnings++;
	return r;
}

static const char *
node_label(const struct tpl_tree *tree, int leaf)
{
	return tree->nodes[tree->leaves[leaf]].label;
}

char *
cell_describe(const struct template *tpl, int cell)
{
	const struct tpl_cell *c = &tpl->cells[cell];
	const struct tpl_table *table = &tpl->tables[c->table];
	const char *row = node_label(&table->rows, c->row);
	const char *col = node_label(&table->cols, c->col);
	if (table->rows.leaf_count == 1 && table->caption)
		return xasprintf("%s %s / %s", table->caption, row, col);
	return xasprintf("%s / %s", row, col);
}

static const char *
short_of(const struct tpl_tree *tree, int leaf)
{
	return tree->nodes[tree->leaves[leaf]].short_label;
}

/* "上一年项目数量+本年增/减": the side of a rule in the words of the template. */
static char *
describe_expr(const struct template *tpl, const struct lin_expr *expr, enum check_per per)
{
	char *out = xstrdup("");
	for (int i = 0; i < expr->term_count; i++) {
		const struct lin_term *term = &expr->terms[i];
		const struct tpl_cell *cell = &tpl->cells[term->cell];
		const struct tpl_table *table = &tpl->tables[cell->table];
		const char *name = per == PER_COLUMN ? short_of(&table->rows, cell->row)
		                 : per == PER_ROW ? short_of(&table->cols, cell->col) : cell->id;
		const char *sign = term->coef < 0 ? "-" : i ? "+" : "";
		char *next = xasprintf("%s%s%s%s", out, sign, term->prev ? _("last year's ") : "", name);
		free(out);
		out = next;
	}
	if (expr->constant || expr->term_count == 0) {
		char num[VALUE_FORMAT_MAX];
		value_format((struct value){expr->constant, true}, num, sizeof num);
		char *next = xasprintf("%s%s%s", out, expr->term_count && expr->constant >= 0 ? "+" : "", num);
		free(out);
		out = next;
	}
	return out;
}

static bool
compare(int64_t a, enum rule_op op, int64_t b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	}
	return false;
}

static const char *
op_text(enum rule_op op)
{
	static const char *const texts[] = {"=", "≠", "<", "≤", ">", "≥"};
	return texts[op];
}

static void
run_rule(const struct draft *draft, const struct value *prev_cells, const struct tpl_check *check,
         struct check_report *report)
{
	const struct template *tpl = draft->tpl;
	for (int i = 0; i < check->instance_count; i++) {
		const struct rule_instance *inst = &check->instances[i];
		struct value lhs, rhs;
		if (!lin_eval(&inst->lhs, draft->cells, prev_cells, &lhs) ||
		    !lin_eval(&inst->rhs, draft->cells, prev_cells, &rhs))
			continue;
		if (compare(lhs.scaled, inst->op, rhs.scaled))
			continue;
		char *lhs_name = check->lhs_label ? xstrdup(check->lhs_label) : describe_expr(tpl, &inst->lhs, check->per);
		char *rhs_name = check->rhs_label ? xstrdup(check->rhs_label) : describe_expr(tpl, &inst->rhs, check->per);
		char lnum[VALUE_FORMAT_MAX], rnum[VALUE_FORMAT_MAX];
		value_format(lhs, lnum, sizeof lnum);
		value_format(rhs, rnum, sizeof rnum);
		char *sides;
		if (inst->op == OP_EQ)
			sides = xasprintf(_("%s=%s, %s=%s"), lhs_name, lnum, rhs_name, rnum);
		else
			sides = xasprintf(_("%s=%s, %s=%s (expected %s %s %s)"), lhs_name, lnum, rhs_name, rnum,
			                  lhs_name, op_text(inst->op), rhs_name);
		const struct tpl_table *table = check->table >= 0 ? &tpl->tables[check->table] : NULL;
		char *message;
		if (check->per == PER_COLUMN)
			message = xasprintf(_("%s column: %s"), short_of(&table->cols, inst->scope_leaf), sides);
		else if (check->per == PER_ROW)
			message = xasprintf(_("%s row: %s"), short_of(&table->rows, inst->scope_leaf), sides);
		else
			message = xstrdup(sides);
		free(sides);
		free(lhs_name);
		free(rhs_name);
		int cell = -1;
		for (int k = 0; k < inst->lhs.term_count && cell < 0; k++)
			if (!inst->lhs.terms[k].prev)
				cell = inst->lhs.terms[k].cell;
		for (int k = 0; k < inst->rhs.term_count && cell < 0; k++)
			if (!inst->rhs.terms[k].prev)
				cell = inst->rhs.terms[k].cell;
		struct check_result *r = add_result(report, check, cell, -1, message);
		r->instance = i;
		r->lhs = lhs;
		r->rhs = rhs;
	}
}

static bool
text_is_empty(const char *text)
{
	if (!text)
		return true;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {   /* U+3000 ideographic space */
			s += 2;
			continue;
		}
		return false;
	}
	return true;
}

static const char *
text_title(const struct template *tpl, int text)
{
	int section = tpl->texts[text].section;
	return section >= 0 ? tpl->sections[section].heading : tpl->texts[text].label;
}

/* ---- narrative ---- */

/* Decodes one UTF-8 character at s (NUL-terminated); returns its length, 1 for bad bytes. */
static int
decode(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	int len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
	unsigned v = s[0] & (0x3F >> (len - 1));
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = len == 1 ? 0xFFFD : v;
	return len;
}

static bool
ends_sentence(unsigned cp)
{
	return cp == 0x3002 /* 。 */ || cp == 0xFF1B /* ； */ || cp == ';' || cp == 0xFF01 || cp == 0xFF1F ||
	       cp == '!' || cp == '?' || cp == '\n' || cp == 0;
}

static int
chinese_digit(unsigned cp)
{
	static const unsigned digits[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
	for (int i = 0; i < 10; i++)
		if (cp == digits[i])
			return i;
	if (cp == 0x3007)   /* 〇 */
		return 0;
	if (cp == 0x4E24)   /* 两 */
		return 2;
	return -1;
}

static int
chinese_unit(unsigned cp)
{
	return cp == 0x5341 ? 10 : cp == 0x767E ? 100 : cp == 0x5343 ? 1000 : cp == 0x4E07 ? 10000 : 0;
}

static bool
is_count_unit(unsigned cp)
{
	/* 件 个 条 宗 次 起 项 */
	return cp == 0x4EF6 || cp == 0x4E2A || cp == 0x6761 || cp == 0x5B97 || cp == 0x6B21 || cp == 0x8D77 ||
	       cp == 0x9879;
}

/* Reads a number (Arabic, fullwidth, or Chinese numerals) at s; returns bytes read, 0 if none. */
static int
read_number(const unsigned char *s, int64_t *out)
{
	const unsigned char *p = s;
	unsigned cp;
	int len = decode(p, &cp);
	int64_t v = 0;
	int digits = 0;
	bool arabic = (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
	if (arabic) {
		for (;;) {
			len = decode(p, &cp);
			int d = cp >= '0' && cp <= '9' ? (int)(cp - '0') : cp >= 0xFF10 && cp <= 0xFF19 ? (int)(cp - 0xFF10) : -1;
			if (d < 0 && (cp == ',' || cp == 0xFF0C) && digits && p[len] >= '0' && p[len] <= '9')
				d = -2;   /* 1,234 */
			if (d == -1)
				break;
			if (d >= 0 && v < INT64_C(100000000000))
				v = v * 10 + d;
			digits++;
			p += len;
		}
		*out = v;
		return (int)(p - s);
	}
	int64_t section = 0, pending = 0;
	bool any = false;
	for (;;) {
		len = decode(p, &cp);
		int d = chinese_digit(cp), u = chinese_unit(cp);
		if (d >= 0) {
			pending = d;
		} else if (u) {
			if (u == 10000) {
				section = (section + pending) * u;
			} else {
				section += (pending || any ? pending : 1) * u;
				if (!pending && !any)
					section = u;
			}
			pending = 0;
		} else {
			break;
		}
		any = true;
		p += len;
	}
	*out = section + pending;
	return any ? (int)(p - s) : 0;
}

/* Finds the number stated after a keyword at text: skips a few filler characters, stops
 * at the end of the sentence, and needs a count unit after the number. */
static bool
stated_number(const unsigned char *text, int64_t *out)
{
	const unsigned char *p = text;
	for (int skipped = 0; skipped <= 6; skipped++) {
		unsigned cp;
		int len = decode(p, &cp);
		if (ends_sentence(cp))
			return false;
		int64_t v;
		int n = read_number(p, &v);
		if (n > 0) {
			const unsigned char *after = p + n;
			while (*after == ' ')
				after++;
			decode(after, &cp);
			if (!is_count_unit(cp))
				return false;
			*out = v;
			return true;
		}
		p += len;
	}
	return false;
}

static void
run_narrative(const struct draft *draft, const struct tpl_check *check, struct check_report *report)
{
	const struct template *tpl = draft->tpl;
	for (int p = 0; p < check->phrase_count; p++) {
		const struct narrative_phrase *phrase = &check->phrases[p];
		struct value table = value_units(0);
		bool known = phrase->cell_count > 0;
		for (int c = 0; c < phrase->cell_count && known; c++) {
			struct value v = draft->cells[phrase->cells[c]];
			known = v.set;
			table.scaled += v.scaled;
		}
		if (!known)
			continue;
		bool reported = false;
		for (int t = 0; t < check->text_count && !reported; t++) {
			const char *text = draft->texts[check->texts[t]];
			if (!text)
				continue;
			for (int kind = 0; kind < 2 && !reported; kind++) {
				int count = kind == 0 ? phrase->word_count : phrase->none_count;
				const char **words = kind == 0 ? phrase->words : phrase->none;
				for (int w = 0; w < count && !reported; w++) {
					for (const char *at = strstr(text, words[w]); at && !reported;
					     at = strstr(at + 1, words[w])) {
						int64_t stated = 0;
						if (kind == 0 && !stated_number((const unsigned char *)at + strlen(words[w]), &stated))
							continue;
						if (stated * VALUE_SCALE == table.scaled)
							continue;
						/* quote the statement: the keyword and up to the unit */
						const char *end = at + strlen(words[w]);
						if (kind == 0) {
							unsigned cp;
							for (int guard = 0; guard < 24; guard++) {
								int len = decode((const unsigned char *)end, &cp);
								end += len;
								if (is_count_unit(cp) || ends_sentence(cp))
									break;
							}
						}
						char num[VALUE_FORMAT_MAX];
						value_format(table, num, sizeof num);
						char *cells = cell_describe(tpl, phrase->cells[0]);
						char *message = xasprintf(_("%s says \"%.*s\", but the table has %s (%s)"),
						                          text_title(tpl, check->texts[t]), (int)(end - at), at,
						                          num, cells);
						free(cells);
						struct check_result *r = add_result(report, check, phrase->cells[0], check->texts[t], message);
						r->lhs = (struct value){stated * VALUE_SCALE, true};
						r->rhs = table;
						reported = true;
					}
				}
			}
		}
	}
}

/* ---- the run ---- */

static struct value *
map_previous(const struct draft *draft, const struct draft *prev)
{
	const struct template *tpl = draft->tpl;
	struct value *mapped = xcalloc((size_t)tpl->cell_count, sizeof *mapped);
	if (prev->tpl == tpl) {
		memcpy(mapped, prev->cells, (size_t)tpl->cell_count * sizeof *mapped);
		return mapped;
	}
	for (int c = 0; c < tpl->cell_count; c++) {
		int there = template_find_cell(prev->tpl, tpl->cells[c].id);
		if (there >= 0)
			mapped[c] = prev->cells[there];
	}
	return mapped;
}

/* Errors first, then warnings, each in template order. */
static void
errors_first(struct check_report *report)
{
	struct check_result *sorted = xmalloc(report->count * sizeof *sorted);
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < report->count; i++)
			if ((report->items[i].severity == DIAG_ERROR) == (pass == 0))
				sorted[n++] = report->items[i];
	memcpy(report->items, sorted, n * sizeof *sorted);
	free(sorted);
}

void
checks_run(const struct draft *draft, const struct draft *prev, struct check_report *out)
{
	const struct template *tpl = draft->tpl;
	struct value *prev_cells = prev ? map_previous(draft, prev) : NULL;
	for (int k = 0; k < tpl->check_count; k++) {
		const struct tpl_check *check = &tpl->checks[k];
		switch (check->kind) {
		case CHECK_RULE:
			if (check->uses_prev && (!prev || (check->same_template && strcmp(prev->tpl->id, tpl->id))))
				break;
			run_rule(draft, prev_cells, check, out);
			break;
		case CHECK_BLANK:
			for (int c = 0; c < tpl->cell_count; c++)
				if (tpl->cells[c].formula < 0 && !draft->cells[c].set) {
					char *where = cell_describe(tpl, c);
					add_result(out, check, c, -1, xasprintf(_("%s is blank (%s)"), where, tpl->cells[c].id));
					free(where);
				}
			break;
		case CHECK_RANGE:
			for (int c = 0; c < tpl->cell_count; c++) {
				if (tpl->cells[c].formula >= 0)
					continue;
				enum value_error err = draft->cell_issue && draft->cell_issue[c]
				                           ? (enum value_error)draft->cell_issue[c]
				                           : value_check_range(draft->cells[c], tpl->cells[c].type);
				if (err == VALUE_OK)
					continue;
				char *where = cell_describe(tpl, c);
				char num[VALUE_FORMAT_MAX];
				value_format(draft->cells[c], num, sizeof num);
				add_result(out, check, c, -1, xasprintf(_("%s: %s %s"), where, num, _(value_error_msgid(err))));
				free(where);
			}
			break;
		case CHECK_TEMPLATE_YEAR:
			if (!draft->year)
				add_result(out, check, -1, -1,
				           xstrdup(_("the report has no year: the printed title needs it, and the template "
				                     "cannot be checked against it")));
			if (draft->year && ((tpl->year_from && draft->year < tpl->year_from) ||
			                    (tpl->year_to && draft->year > tpl->year_to))) {
				char *range = tpl->year_from && tpl->year_to ? xasprintf(_("%d to %d"), tpl->year_from, tpl->year_to)
				            : tpl->year_from ? xasprintf(_("%d and later"), tpl->year_from)
				                             : xasprintf(_("up to %d"), tpl->year_to);
				add_result(out, check, -1, -1,
				           xasprintf(_("the report is for %d, but template %s (%s) is for the years %s"),
				                     draft->year, tpl->id, tpl->basis ? tpl->basis : tpl->name, range));
				free(range);
			}
			break;
		case CHECK_REQUIRED_TEXT:
			for (int t = 0; t < check->text_count; t++)
				if (text_is_empty(draft->texts[check->texts[t]]))
					add_result(out, check, -1, check->texts[t],
					           xasprintf(_("%s is empty"), text_title(tpl, check->texts[t])));
			break;
		case CHECK_MENTION:
			for (int t = 0; t < check->text_count; t++) {
				const char *text = draft->texts[check->texts[t]];
				if (!text_is_empty(text) && !strstr(text, check->mention))
					add_result(out, check, -1, check->texts[t],
					           xasprintf(_("%s does not mention %s"), text_title(tpl, check->texts[t]),
					                     check->mention));
			}
			break;
		case CHECK_NARRATIVE:
			run_narrative(draft, check, out);
			break;
		}
	}
	free(prev_cells);
	if (out->count > 1)
		errors_first(out);
}

void
check_report_clear(struct check_report *report)
{
	for (size_t i = 0; i < report->count; i++)
		free(report->items[i].message);
	report->count = 0;
	report->errors = report->warnings = 0;
}

void
check_report_free(struct check_report *report)
{
	check_report_clear(report);
	free(report->items);
	report->items = NULL;
	report->capacity = 0;
}
