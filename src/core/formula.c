#include <config.h>

/* Formulas: the compiler of the linear expressions that templates write in `formula:` and in
 * checks' rules, the order in which computed cells are evaluated, and the evaluator. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"
#include "template_loader.h"

/* ---- formulas ---- */

struct fparser {
	struct loader *l;
	const char *text;      /* the part being compiled */
	const char *at;
	struct srcpos pos;     /* of the scalar */
	int col_offset;        /* column of text[0] relative to pos */
	const char *scalar;    /* the whole scalar, for messages */
	struct scope scope;
	struct lin_term *terms;
	int term_count;
	int64_t constant;
	int depth;             /* of parentheses */
	bool error;
};

__attribute__((format(printf, 2, 0))) static void
ferror_at(struct fparser *p, const char *fmt, const char *arg)
{
	if (p->error)
		return;
	struct srcpos pos = p->pos;
	pos.col += p->col_offset + (int)(p->at - p->text);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	char *msg = xasprintf(fmt, arg);
#pragma GCC diagnostic pop
	tl_fail(p->l, pos, "%s (in \"%s\")", msg, p->scalar);
	free(msg);
	p->error = true;
}

static void
skip_space(struct fparser *p)
{
	while (*p->at == ' ')
		p->at++;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Reads NAME or TABLE.ROW.COLUMN into buf. */
static bool
read_name(struct fparser *p, char *buf, size_t size)
{
	skip_space(p);
	const char *start = p->at;
	while (is_name_char(*p->at) || (*p->at == '.' && is_name_char(p->at[1]) && p->at > start))
		p->at++;
	size_t len = (size_t)(p->at - start);
	if (len == 0 || len >= size) {
		ferror_at(p, _("expected a name%s"), "");
		return false;
	}
	memcpy(buf, start, len);
	buf[len] = '\0';
	return true;
}

static const struct tpl_tree *
scope_names(const struct fparser *p)
{
	const struct tpl_table *table = &p->l->tpl->tables[p->scope.table];
	return p->scope.per == PER_COLUMN ? &table->rows : &table->cols;
}

static int
scope_cell(const struct fparser *p, int leaf)
{
	return p->scope.per == PER_COLUMN ? template_cell_at(p->l->tpl, p->scope.table, leaf, p->scope.fixed_leaf)
	                                  : template_cell_at(p->l->tpl, p->scope.table, p->scope.fixed_leaf, leaf);
}

/* A local name's leaf index, or -1 with an error pointing at name_at. */
static int
resolve_leaf(struct fparser *p, const char *name, const char *name_at)
{
	p->at = name_at;
	if (p->scope.table < 0 || p->scope.per == PER_NONE) {
		ferror_at(p, _("'%s' is not a full cell id (TABLE.ROW.COLUMN)"), name);
		return -1;
	}
	int leaf = tl_tree_find_leaf(scope_names(p), name);
	if (leaf < 0)
		ferror_at(p, p->scope.per == PER_COLUMN ? _("unknown row '%s'") : _("unknown column '%s'"), name);
	return leaf;
}

static void
add_term(struct fparser *p, int cell, int coef, bool prev)
{
	struct lin_term *term = PUSH(p->l, p->terms, p->term_count);
	term->cell = cell;
	term->coef = coef;
	term->prev = prev;
}

static void
add_ref(struct fparser *p, const char *name, const char *name_at, int sign, bool prev)
{
	const char *after = p->at;
	p->at = name_at;
	if (strchr(name, '.')) {
		int cell = template_find_cell(p->l->tpl, name);
		if (cell < 0)
			ferror_at(p, _("unknown cell '%s'"), name);
		else
			add_term(p, cell, sign, prev);
	} else {
		int leaf = resolve_leaf(p, name, name_at);
		if (leaf >= 0)
			add_term(p, scope_cell(p, leaf), sign, prev);
	}
	if (!p->error)
		p->at = after;
}

static void parse_sum(struct fparser *p, int sign);

static void
parse_term(struct fparser *p, int sign)
{
	skip_space(p);
	if (*p->at >= '0' && *p->at <= '9') {
		const char *start = p->at;
		while ((*p->at >= '0' && *p->at <= '9') || *p->at == '.')
			p->at++;
		struct value v;
		if (value_parse(start, (size_t)(p->at - start), VALUE_MONEY, &v) != VALUE_OK) {
			ferror_at(p, _("bad number%s"), "");
			return;
		}
		p->constant += sign * v.scaled;
		return;
	}
	if (*p->at == '(') {
		if (++p->depth > TEMPLATE_MAX_PAREN_DEPTH) {
			ferror_at(p, _("parentheses nested too deep%s"), "");
			return;
		}
		p->at++;
		parse_sum(p, sign);
		p->depth--;
		skip_space(p);
		if (*p->at != ')')
			ferror_at(p, _("expected ')'%s"), "");
		else
			p->at++;
		return;
	}
	char name[192];
	skip_space(p);
	const char *name_at = p->at;
	if (!read_name(p, name, sizeof name))
		return;
	skip_space(p);
	if (*p->at == '(' && (!strcmp(name, "sum") || !strcmp(name, "prev"))) {
		p->at++;
		bool is_prev = !strcmp(name, "prev");
		if (is_prev && !p->scope.allow_prev) {
			ferror_at(p, _("prev() is only allowed in checks%s"), "");
			return;
		}
		do {
			skip_space(p);
			if (*p->at == ',')
				p->at++;
			char first[192];
			skip_space(p);
			const char *first_at = p->at;
			if (!read_name(p, first, sizeof first))
				return;
			skip_space(p);
			if (!is_prev && p->at[0] == '.' && p->at[1] == '.') {
				p->at += 2;
				char last[192];
				skip_space(p);
				const char *last_at = p->at;
				if (!read_name(p, last, sizeof last))
					return;
				const char *after = p->at;
				int a = resolve_leaf(p, first, first_at);
				int b = a < 0 ? -1 : resolve_leaf(p, last, last_at);
				if (a < 0 || b < 0)
					return;
				if (a > b) {
					p->at = first_at;
					ferror_at(p, _("range '%s' runs backwards"), first);
					return;
				}
				p->at = after;
				for (int leaf = a; leaf <= b; leaf++)
					add_term(p, scope_cell(p, leaf), sign, false);
			} else {
				add_ref(p, first, first_at, sign, is_prev);
			}
			skip_space(p);
		} while (!p->error && *p->at == ',' && !is_prev);
		if (*p->at != ')')
			ferror_at(p, _("expected ')'%s"), "");
		else
			p->at++;
		return;
	}
	add_ref(p, name, name_at, sign, false);
}

static void
parse_sum(struct fparser *p, int sign)
{
	skip_space(p);
	int term_sign = sign;
	if (*p->at == '-' || *p->at == '+') {
		term_sign = *p->at == '-' ? -sign : sign;
		p->at++;
	}
	parse_term(p, term_sign);
	for (;;) {
		if (p->error)
			return;
		skip_space(p);
		if (*p->at != '+' && *p->at != '-')
			return;
		term_sign = *p->at == '-' ? -sign : sign;
		p->at++;
		parse_term(p, term_sign);
	}
}

/* Compiles text[start, end) in scope. Returns false (error reported) on failure. */
bool
tl_compile_expr(struct loader *l, const struct ynode *src, const char *start, const char *end,
             struct scope scope, struct lin_expr *out)
{
	char *copy = xstrndup(start, (size_t)(end - start));
	struct fparser p = {
		.l = l, .text = copy, .at = copy, .pos = src->pos, .scalar = src->scalar,
		.col_offset = (src->plain ? 0 : 1) + (int)(start - src->scalar), .scope = scope,
	};
	parse_sum(&p, 1);
	skip_space(&p);
	if (!p.error && *p.at)
		ferror_at(&p, _("unexpected '%s'"), p.at);
	free(copy);
	if (p.error)
		return false;
	out->constant = p.constant;
	out->terms = p.terms;
	out->term_count = p.term_count;
	return true;
}

static void
add_formula(struct loader *l, int cell, const struct ynode *src, struct scope scope)
{
	struct template *t = l->tpl;
	struct lin_expr expr = {0};
	if (!tl_compile_expr(l, src, src->scalar, src->scalar + strlen(src->scalar), scope, &expr))
		return;
	int index = t->formula_count;
	struct tpl_formula *f = PUSH(l, t->formulas, t->formula_count);
	f->cell = cell;
	f->expr = expr;
	f->pos = src->pos;
	t->cells[cell].formula = index;
}

void
tl_build_formulas(struct loader *l)
{
	struct template *t = l->tpl;
	for (int ti = 0; ti < t->table_count; ti++) {
		const struct tpl_table *table = &t->tables[ti];
		struct ynode **row_f = l->row_formulas[ti], **col_f = l->col_formulas[ti];
		for (int r = 0; r < table->rows.leaf_count; r++)
			for (int c = 0; c < table->cols.leaf_count && !l->failed; c++) {
				int cell = template_cell_at(t, ti, r, c);
				if (col_f && col_f[c])
					add_formula(l, cell, col_f[c], (struct scope){ti, PER_ROW, r, false});
				else if (row_f && row_f[r])
					add_formula(l, cell, row_f[r], (struct scope){ti, PER_COLUMN, c, false});
			}
	}
}

/* Orders formulas so that each comes after the formulas of the cells it reads; refuses
 * cycles. Then records, for every cell, the formulas to recompute when it changes. */
void
tl_order_formulas(struct loader *l)
{
	struct template *t = l->tpl;
	int n = t->formula_count;
	if (n == 0)
		return;
	int *state = xcalloc((size_t)n, sizeof *state);   /* 0 new, 1 visiting, 2 done */
	int *order = xmalloc((size_t)n * sizeof *order);
	int *stack = xmalloc((size_t)n * sizeof *stack);
	int *next_term = xcalloc((size_t)n, sizeof *next_term);
	int placed = 0;
	for (int start = 0; start < n && !l->failed; start++) {
		if (state[start])
			continue;
		int depth = 0;
		stack[depth++] = start;
		state[start] = 1;
		while (depth > 0 && !l->failed) {
			int f = stack[depth - 1];
			const struct lin_expr *e = &t->formulas[f].expr;
			if (next_term[f] < e->term_count) {
				int dep = t->cells[e->terms[next_term[f]++].cell].formula;
				if (dep < 0 || state[dep] == 2)
					continue;
				if (state[dep] == 1) {
					char *path = xstrdup(t->cells[t->formulas[dep].cell].id);
					for (int k = depth - 1; k >= 0 && stack[k] != dep; k--) {
						char *longer = xasprintf("%s -> %s", path, t->cells[t->formulas[stack[k]].cell].id);
						free(path);
						path = longer;
					}
					tl_fail(l, t->formulas[dep].pos, _("cycle among formulas: %s -> %s"), path,
					     t->cells[t->formulas[dep].cell].id);
					free(path);
					break;
				}
				state[dep] = 1;
				stack[depth++] = dep;
				continue;
			}
			state[f] = 2;
			order[placed++] = f;
			depth--;
		}
	}
	free(stack);
	free(next_term);
	free(state);
	if (l->failed) {
		free(order);
		return;
	}
	struct tpl_formula *sorted = tl_arena_keep(l->arena, xmalloc((size_t)n * sizeof *sorted));
	for (int i = 0; i < n; i++) {
		sorted[i] = t->formulas[order[i]];
		t->cells[sorted[i].cell].formula = i;
	}
	t->formulas = sorted;
	free(order);

	/* reads[f]: every cell formula f depends on, directly or through other formulas */
	size_t words = ((size_t)t->cell_count + 63) / 64;
	uint64_t *reads = xcalloc((size_t)n * words, sizeof *reads);
	for (int f = 0; f < n; f++) {
		uint64_t *mine = reads + (size_t)f * words;
		const struct lin_expr *e = &t->formulas[f].expr;
		for (int k = 0; k < e->term_count; k++) {
			int cell = e->terms[k].cell;
			mine[cell / 64] |= UINT64_C(1) << (cell % 64);
			int dep = t->cells[cell].formula;
			if (dep >= 0)
				for (size_t w = 0; w < words; w++)
					mine[w] |= reads[(size_t)dep * words + w];
		}
	}
	t->dependents = tl_arena_keep(l->arena, xcalloc((size_t)t->cell_count, sizeof *t->dependents));
	t->dependent_count = tl_arena_keep(l->arena, xcalloc((size_t)t->cell_count, sizeof *t->dependent_count));
	for (int cell = 0; cell < t->cell_count; cell++) {
		for (int f = 0; f < n; f++)
			if (reads[(size_t)f * words + (size_t)cell / 64] & (UINT64_C(1) << (cell % 64))) {
				int *slot = PUSH(l, t->dependents[cell], t->dependent_count[cell]);
				*slot = f;
			}
	}
	free(reads);
}

/* ---- evaluation ---- */

bool
lin_eval(const struct lin_expr *expr, const struct value *cells, const struct value *prev_cells,
         struct value *out)
{
	int64_t sum = expr->constant;
	*out = value_blank();
	for (int i = 0; i < expr->term_count; i++) {
		const struct lin_term *term = &expr->terms[i];
		if (term->prev && !prev_cells)
			return false;
		struct value v = term->prev ? prev_cells[term->cell] : cells[term->cell];
		if (!v.set)
			return false;
		int64_t product;
		if (__builtin_mul_overflow(v.scaled, (int64_t)term->coef, &product) ||
		    __builtin_add_overflow(sum, product, &sum))
			return false;
	}
	out->scaled = sum;
	out->set = true;
	return true;
}

static void
recompute(const struct template *tpl, struct value *cells, int formula)
{
	const struct tpl_formula *f = &tpl->formulas[formula];
	lin_eval(&f->expr, cells, NULL, &cells[f->cell]);
}

void
template_recompute_all(const struct template *tpl, struct value *cells)
{
	for (int f = 0; f < tpl->formula_count; f++)
		recompute(tpl, cells, f);
}

void
template_recompute_from(const struct template *tpl, struct value *cells, int changed_cell)
{
	for (int i = 0; i < tpl->dependent_count[changed_cell]; i++)
		recompute(tpl, cells, tpl->dependents[changed_cell][i]);
}
