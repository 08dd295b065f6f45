#include <config.h>

#include "nianbao/check.h"

#include <stdlib.h>
#include <string.h>

#include "nianbao/claims.h"
#include "nianbao/i18n.h"
#include "nianbao/textcheck.h"
#include "nianbao/utf8.h"

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

/* The text on one line, cut after max characters with "…". */
static char *
quote_text(const char *text, int max)
{
	size_t len = strlen(text), at = 0;
	char *out = xmalloc(len + 4);
	size_t w = 0;
	int chars = 0;
	bool space = false;
	while (at < len) {
		uint32_t c;
		size_t step = utf8_decode(text + at, len - at, &c);
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = w > 0;
			at += step;
			continue;
		}
		if (chars == max) {
			memcpy(out + w, "…", strlen("…"));
			w += strlen("…");
			break;
		}
		/* a line break between two words of Latin script is a space; between ideographs, nothing */
		if (space && c < 0x80 && w && (unsigned char)out[w - 1] < 0x80)
			out[w++] = ' ';
		space = false;
		if (c != UTF8_INVALID) {
			memcpy(out + w, text + at, step);
			w += step;
			chars++;
		}
		at += step;
	}
	out[w] = 0;
	return out;
}


/* Every claim a text field makes about the tables (claims.h), against the cells. */
static void
run_narrative(const struct draft *draft, const struct tpl_check *check, struct check_report *report)
{
	const struct template *tpl = draft->tpl;
	for (int t = 0; t < check->text_count; t++) {
		const char *text = draft->texts[check->texts[t]];
		if (!text)
			continue;
		struct claim *claims;
		size_t n = claims_scan(text, draft->year, &claims);
		for (size_t i = 0; i < n; i++) {
			const struct claim *c = &claims[i];
			struct value table;
			int cell;
			if (claims_verify(tpl, draft->cells, c, &table, &cell) != CLAIM_CONTRADICTS)
				continue;
			/* one warning per quantity and stated number in a field */
			bool again = false;
			for (size_t j = 0; j < i && !again; j++)
				again = claims[j].quantity == c->quantity && claims[j].column == c->column &&
				        claims[j].unit == c->unit && claims[j].mantissa == c->mantissa &&
				        claims[j].decimals == c->decimals;
			if (again)
				continue;
			char stated[VALUE_FORMAT_MAX], num[VALUE_FORMAT_MAX];
			claims_format_stated(c, stated, sizeof stated);
			value_format(table, num, sizeof num);
			char *what = claims_describe(tpl, c);
			const char *title = text_title(tpl, check->texts[t]);
			char *span = xasprintf("%.*s", (int)(c->end - c->start), text + c->start);
			char *shown = quote_text(span, 60);
			free(span);
			int quote = (int)strlen(shown);
			char *message;
			if (c->unit == CLAIM_UNIT_PERCENT)
				message = xasprintf(_("%s says \"%.*s\" (%s), but the table gives %s%% (%s)"), title, quote,
				                    shown, stated, num, what);
			else if (c->unit == CLAIM_UNIT_MONEY)
				message = xasprintf(_("%s says \"%.*s\" (%s 万元), but the table has %s 万元 (%s)"), title, quote,
				                    shown, stated, num, what);
			else
				message = xasprintf(_("%s says \"%.*s\" (%s), but the table has %s (%s)"), title, quote,
				                    shown, stated, num, what);
			free(what);
			free(shown);
			struct check_result *r = add_result(report, check, cell, check->texts[t], message);
			if (c->unit == CLAIM_UNIT_PERCENT) {
				r->lhs = value_blank();
				r->rhs = value_blank();
			} else {
				int64_t div = 1;
				for (int d = 0; d < c->decimals; d++)
					div *= 10;
				r->lhs = (struct value){c->mantissa * VALUE_SCALE / div, true};
				r->rhs = table;
			}
		}
		free(claims);
	}
}

/* ---- repetition, stale years ---- */

static void
run_repeated(const struct draft *draft, const struct draft *prev, const struct tpl_check *check,
             struct check_report *report)
{
	const struct template *tpl = draft->tpl;
	for (int t = 0; t < check->text_count; t++) {
		int text = check->texts[t];
		int there = template_find_text(prev->tpl, tpl->texts[text].id);
		if (there < 0 || text_is_empty(draft->texts[text]) || text_is_empty(prev->texts[there]))
			continue;
		int share = textcheck_repeated_share(draft->texts[text], prev->texts[there]);
		if (share < check->threshold)
			continue;
		struct check_result *r = add_result(
			report, check, -1, text,
			xasprintf(_("%s repeats last year's text: %d%% of it is the same (the limit is %d%%)"),
			          text_title(tpl, text), share, check->threshold));
		r->lhs = value_units(share);
		r->rhs = value_units(check->threshold);
	}
}

static void
run_stale_year(const struct draft *draft, const struct tpl_check *check, struct check_report *report)
{
	const struct template *tpl = draft->tpl;
	for (int t = 0; t < check->text_count; t++) {
		int text = check->texts[t];
		size_t at, len;
		int stale = textcheck_stale_year(draft->texts[text], draft->year, text == check->opening, &at, &len);
		if (!stale)
			continue;
		char *sentence = xasprintf("%.*s", (int)len, draft->texts[text] + at);
		char *shown = quote_text(sentence, 60);
		struct check_result *r = add_result(
			report, check, -1, text,
			xasprintf(_("%s names the year %d in \"%s\", but the report is for %d"), text_title(tpl, text), stale,
			          shown, draft->year));
		r->lhs = value_units(stale);
		r->rhs = value_units(draft->year);
		free(shown);
		free(sentence);
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
				/* a number as written in the file is quoted exactly ("'1.' must be a whole number") */
				const char *written = draft->cell_issue && draft->cell_issue[c] && draft->cell_written
				                      ? draft->cell_written[c] : NULL;
				char *shown = written ? xasprintf("'%s'", written) : xstrdup(num);
				add_result(out, check, c, -1, xasprintf(_("%s: %s %s"), where, shown, _(value_error_msgid(err))));
				free(shown);
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
		case CHECK_ORGANIZATION:
			if (!draft->organization || !draft->organization[strspn(draft->organization, " \t")])
				add_result(out, check, -1, -1,
				           xstrdup(_("the organization is empty: the printed title needs it")));
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
		case CHECK_REPEATED:
			if (prev)
				run_repeated(draft, prev, check, out);
			break;
		case CHECK_STALE_YEAR:
			run_stale_year(draft, check, out);
			break;
		case CHECK_THIN_TEXT:
			for (int t = 0; t < check->text_count; t++) {
				const char *text = draft->texts[check->texts[t]];
				if (text_is_empty(text))
					continue;   /* empty-section says so */
				size_t chars = textcheck_content_chars(text, (size_t)check->threshold);
				if (chars >= (size_t)check->threshold)
					continue;
				char *shown = quote_text(text, 24);
				add_result(out, check, -1, check->texts[t],
				           xasprintf(_("%s says only \"%s\" (%zu characters, fewer than %d): say what the problems "
				                       "were and how they are being improved"),
				                     text_title(tpl, check->texts[t]), shown, chars, check->threshold));
				free(shown);
			}
			break;
		}
	}
	free(prev_cells);
	if (out->count > 1)
		errors_first(out);
}

const char *
check_id_help(const char *id)
{
	static const struct {
		const char *id, *help;
	} ids[] = {
		{"balance", N_("for each column of 三: 一 + 二 = （七）总计 + 四, with both sums")},
		{"blank", N_("a cell is blank: blank is not 0")},
		{"range", N_("a number out of range for its cell (negative, too large, too many decimals)")},
		{"template-year", N_("the template does not fit the report's year")},
		{"empty-section", N_("一, 五 or 六 is empty")},
		{"organization", N_("the organization is empty")},
		{"carry-over", N_("二、上年结转 against last year's 四、结转下年度继续办理, per column")},
		{"in-force", N_("现行有效 against last year's 现行有效 + 本年制发 − 本年废止")},
		{"narrative", N_("a number a text states (收到申请27件, 予以公开13件, 占48%, 未收到…) against the "
		                 "table, with both numbers")},
		{"fee-mention", N_("六 does not mention 信息处理费")},
		{"repeated", N_("the share of a section's text that repeats last year's, against the template's "
		                "limit (50%)")},
		{"stale-year", N_("a year in the statistics period or the opening of 一 that is not the report's")},
		{"thin-section", N_("五 says only 无 or next to nothing (fewer than 10 characters)")},
		{"sum-sources", N_("a summed draft against its units' files")},
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (!strcmp(ids[i].id, id))
			return _(ids[i].help);
	return NULL;
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

struct srcpos
check_result_pos(const struct draft *d, const struct check_result *r)
{
	struct srcpos pos = {0};
	if (r->cell >= 0)
		pos = draft_cell_pos(d, r->cell);
	else if (r->text >= 0)
		pos = d->text_pos[r->text];
	else if (r->check->kind == CHECK_TEMPLATE_YEAR)
		pos = d->year_pos.line ? d->year_pos : d->template_pos;
	if (!pos.line)
		pos = d->template_pos;
	pos.file = d->path;
	return pos;
}
