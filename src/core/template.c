#include <config.h>

#include "nianbao/template.h"

#include <dirent.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"
#include "nianbao/paths.h"
#include "nianbao/ynode.h"

/* ---- ownership: everything a template points to is registered here ---- */

struct template_arena {
	void **ptrs;
	size_t count;
	size_t capacity;
};

static void *
arena_keep(struct template_arena *arena, void *ptr)
{
	if (arena->count == arena->capacity) {
		arena->capacity = arena->capacity ? arena->capacity * 2 : 64;
		arena->ptrs = xrealloc(arena->ptrs, arena->capacity * sizeof *arena->ptrs);
	}
	arena->ptrs[arena->count++] = ptr;
	return ptr;
}

/* Grows an array owned by the arena to hold count + 1 elements, zeroes the new one. */
static void *
arena_push(struct template_arena *arena, void *array, int *count, size_t elem_size)
{
	int n = *count;
	if ((n & (n - 1)) == 0) {
		size_t new_cap = n ? (size_t)n * 2 : 4;
		void *grown = xrealloc(array, new_cap * elem_size);
		if (!array) {
			arena_keep(arena, grown);
		} else {
			for (size_t i = arena->count; i-- > 0;)
				if (arena->ptrs[i] == array) {
					arena->ptrs[i] = grown;
					break;
				}
		}
		array = grown;
	}
	memset((char *)array + (size_t)n * elem_size, 0, elem_size);
	*count = n + 1;
	return array;
}

#define PUSH(loader, array, count) \
	((array) = arena_push((loader)->arena, (array), &(count), sizeof *(array)), &(array)[(count) - 1])

struct loader {
	struct template *tpl;
	struct template_arena *arena;
	struct diag_list *diags;
	bool failed;
	/* include stack, to refuse cycles */
	const char *including[TEMPLATE_MAX_INCLUDE_DEPTH + 1];
	int include_depth;
	int include_count;   /* includes read so far, to stop an include bomb */
	/* trees of fragments stay alive until the template is built */
	struct ynode **fragments;
	int fragment_count;
	/* per table: the formula source of each row / column leaf (NULL if none) */
	struct ynode ***row_formulas;
	struct ynode ***col_formulas;
	int formula_table_count;
	int row_formula_tables;
};

static char *
keep_str(struct loader *l, const char *s)
{
	return s ? arena_keep(l->arena, xstrdup(s)) : NULL;
}

__attribute__((format(printf, 3, 4))) static void
fail(struct loader *l, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	msg = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	diag_add(l->diags, DIAG_ERROR, pos, "%s", msg);
	free(msg);
	l->failed = true;
}

/* ---- reading YAML nodes ---- */

static const char *
kind_name(const struct ynode *node)
{
	switch (node->kind) {
	case YNODE_SCALAR: return _("text");
	case YNODE_SEQUENCE: return _("a list");
	case YNODE_MAPPING: return _("a mapping");
	}
	return "?";
}

static bool
expect_kind(struct loader *l, const struct ynode *node, enum ynode_kind kind, const char *what)
{
	if (node->kind == kind)
		return true;
	const char *wanted = kind == YNODE_SCALAR ? _("text") : kind == YNODE_SEQUENCE ? _("a list") : _("a mapping");
	fail(l, node->pos, _("%s must be %s, not %s"), what, wanted, kind_name(node));
	return false;
}

/* Refuses keys of map that are not in allowed (a NULL-terminated list). */
static void
check_keys(struct loader *l, const struct ynode *map, const char *const *allowed)
{
	for (size_t i = 0; i + 1 < map->count; i += 2) {
		const char *key = map->items[i]->scalar;
		bool known = false;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, key))
				known = true;
		if (!known)
			fail(l, map->items[i]->pos, _("unknown key '%s'"), key);
	}
}

static const char *
get_str(struct loader *l, const struct ynode *map, const char *key, bool required)
{
	struct ynode *node = ynode_get(map, key);
	if (!node) {
		if (required)
			fail(l, map->pos, _("missing key '%s'"), key);
		return NULL;
	}
	if (!expect_kind(l, node, YNODE_SCALAR, key))
		return NULL;
	return keep_str(l, node->scalar);
}

static bool
get_int(struct loader *l, const struct ynode *map, const char *key, int *out)
{
	struct ynode *node = ynode_get(map, key);
	if (!node)
		return false;
	if (!expect_kind(l, node, YNODE_SCALAR, key))
		return false;
	char *end;
	long v = strtol(node->scalar, &end, 10);
	if (!node->scalar[0] || *end || v < 0 || v > 9999) {
		fail(l, node->pos, _("'%s' must be a whole number, not '%s'"), key, node->scalar);
		return false;
	}
	*out = (int)v;
	return true;
}

/* An optional whole number from lo to hi; def when absent. */
static int
get_int_in(struct loader *l, const struct ynode *map, const char *key, int def, int lo, int hi)
{
	int v;
	if (!get_int(l, map, key, &v))
		return def;
	if (v < lo || v > hi) {
		fail(l, ynode_get(map, key)->pos, _("'%s' must be from %d to %d, not %d"), key, lo, hi, v);
		return def;
	}
	return v;
}

static bool
valid_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool
valid_path(const char *s)
{
	char buf[256];
	if (strlen(s) >= sizeof buf)
		return false;
	strcpy(buf, s);
	for (char *part = strtok(buf, "."); part; part = strtok(NULL, "."))
		if (!valid_id(part))
			return false;
	return s[0] && s[strlen(s) - 1] != '.' && !strstr(s, "..");
}

/* ---- includes ---- */

static char *
sibling_path(const char *file, const char *relative)
{
	if (relative[0] == '/')
		return xstrdup(relative);
	const char *slash = strrchr(file, '/');
	if (!slash)
		return xstrdup(relative);
	return xasprintf("%.*s/%s", (int)(slash - file), file, relative);
}

/* Appends the items of seq to *out (a malloc'd array the caller frees), replacing `- include: FILE` items by the items of
 * the sequence in FILE (recursively). */
static void
expand_sequence(struct loader *l, const struct ynode *seq, struct ynode ***out, int *count)
{
	for (size_t i = 0; i < seq->count; i++) {
		struct ynode *item = seq->items[i];
		struct ynode *inc = ynode_get(item, "include");
		if (!inc) {
			*out = xrealloc(*out, (size_t)(*count + 1) * sizeof **out);
			(*out)[(*count)++] = item;
			continue;
		}
		if (item->count != 2 || !expect_kind(l, inc, YNODE_SCALAR, "include")) {
			if (item->count != 2)
				fail(l, item->pos, _("an include item has no other keys"));
			continue;
		}
		char *joined = sibling_path(item->pos.file, inc->scalar);
		char *path = keep_str(l, joined);
		free(joined);
		bool cycle = false;
		for (int d = 0; d < l->include_depth; d++)
			if (!strcmp(l->including[d], path))
				cycle = true;
		if (cycle) {
			fail(l, inc->pos, _("include cycle: '%s' includes itself"), inc->scalar);
			continue;
		}
		if (l->include_depth > TEMPLATE_MAX_INCLUDE_DEPTH) {
			fail(l, inc->pos, _("includes are nested deeper than %d levels"), TEMPLATE_MAX_INCLUDE_DEPTH);
			continue;
		}
		if (++l->include_count > TEMPLATE_MAX_INCLUDES) {
			fail(l, inc->pos, _("more than %d includes; a template needs far fewer"), TEMPLATE_MAX_INCLUDES);
			return;
		}
		struct ynode *root = ynode_load_file(path, l->diags);
		if (!root) {
			diag_add(l->diags, DIAG_ERROR, inc->pos, _("included from here"));
			l->failed = true;
			continue;
		}
		struct ynode **slot = PUSH(l, l->fragments, l->fragment_count);
		*slot = root;
		if (!expect_kind(l, root, YNODE_SEQUENCE, _("an included file")))
			continue;
		l->including[l->include_depth++] = path;
		expand_sequence(l, root, out, count);
		l->include_depth--;
	}
}

/* The items of a list-valued key, includes expanded. */
static struct ynode **
get_list(struct loader *l, const struct ynode *map, const char *key, int *count, bool required)
{
	*count = 0;
	struct ynode *node = ynode_get(map, key);
	if (!node) {
		if (required)
			fail(l, map->pos, _("missing key '%s'"), key);
		return NULL;
	}
	if (!expect_kind(l, node, YNODE_SEQUENCE, key))
		return NULL;
	struct ynode **items = NULL;
	expand_sequence(l, node, &items, count);
	for (int i = 0; i < *count; i++)
		if (!expect_kind(l, items[i], YNODE_MAPPING, key)) {
			free(items);
			*count = 0;
			return NULL;
		}
	return items;
}

/* ---- row and column trees ---- */

static const char *const leaf_col_keys[] = {"id", "label", "short", "type", "unit", "formula", NULL};
static const char *const leaf_row_keys[] = {"id", "label", "short", "formula", NULL};
static const char *const group_col_keys[] = {"group", "columns", NULL};
static const char *const group_row_keys[] = {"group", "rows", NULL};

static void
parse_tree_level(struct loader *l, struct ynode **items, int count, bool columns, int depth,
                 int parent, struct tpl_tree *tree, struct ynode ***formulas, int *formula_count)
{
	const char *children_key = columns ? "columns" : "rows";
	for (int i = 0; i < count; i++) {
		struct ynode *item = items[i];
		int index = tree->node_count;
		struct tpl_node *node = PUSH(l, tree->nodes, tree->node_count);
		node->depth = depth;
		node->parent = parent;
		node->pos = item->pos;
		node->first_leaf = tree->leaf_count;
		node->leaf = -1;
		if (depth + 1 > tree->depth)
			tree->depth = depth + 1;
		if (ynode_get(item, "group")) {
			check_keys(l, item, columns ? group_col_keys : group_row_keys);
			node->label = get_str(l, item, "group", true);
			node->short_label = node->label;
			int child_count;
			struct ynode **children = get_list(l, item, children_key, &child_count, true);
			if (children && child_count == 0)
				fail(l, item->pos, _("group '%s' is empty"), node->label ? node->label : "");
			if (children)
				parse_tree_level(l, children, child_count, columns, depth + 1, index, tree,
				                 formulas, formula_count);
			free(children);
			node = &tree->nodes[index];  /* the array may have moved */
			node->leaf_count = tree->leaf_count - node->first_leaf;
			continue;
		}
		check_keys(l, item, columns ? leaf_col_keys : leaf_row_keys);
		node->id = get_str(l, item, "id", true);
		node->label = get_str(l, item, "label", true);
		const char *short_label = get_str(l, item, "short", false);
		node->short_label = short_label ? short_label : node->label ? node->label : "";
		if (!node->label)
			node->label = "";
		node->type = VALUE_COUNT;
		if (columns) {
			const char *type = get_str(l, item, "type", false);
			if (type && !strcmp(type, "signed"))
				node->type = VALUE_SIGNED;
			else if (type && !strcmp(type, "money"))
				node->type = VALUE_MONEY;
			else if (type && strcmp(type, "count"))
				fail(l, ynode_get(item, "type")->pos,
				     _("unknown type '%s' (expected count, signed or money)"), type);
			node->unit = get_str(l, item, "unit", false);
		}
		if (node->id && !valid_id(node->id))
			fail(l, ynode_get(item, "id")->pos, _("invalid id '%s' (use a-z, 0-9 and _)"), node->id);
		for (int k = 0; node->id && k < tree->node_count - 1; k++)
			if (tree->nodes[k].id && !strcmp(tree->nodes[k].id, node->id))
				fail(l, ynode_get(item, "id")->pos, _("duplicate id '%s' (first at line %d)"),
				     node->id, tree->nodes[k].pos.line);
		struct ynode *formula = ynode_get(item, "formula");
		if (formula && !expect_kind(l, formula, YNODE_SCALAR, "formula"))
			formula = NULL;
		node->computed = formula != NULL;
		node->leaf = tree->leaf_count;
		node->leaf_count = 1;
		int *leaf_slot = PUSH(l, tree->leaves, tree->leaf_count);
		*leaf_slot = index;
		struct ynode **fslot = PUSH(l, *formulas, *formula_count);
		*fslot = formula;
	}
}

static void
parse_tree(struct loader *l, const struct ynode *table_node, bool columns, struct tpl_tree *tree,
           struct ynode ***formulas)
{
	int count;
	struct ynode **items = get_list(l, table_node, columns ? "columns" : "rows", &count, true);
	int formula_count = 0;
	*formulas = NULL;
	if (items) {
		if (count == 0)
			fail(l, table_node->pos, columns ? _("a table needs columns") : _("a table needs rows"));
		parse_tree_level(l, items, count, columns, 0, -1, tree, formulas, &formula_count);
	}
	free(items);
}

static int
tree_find_leaf(const struct tpl_tree *tree, const char *id)
{
	for (int i = 0; i < tree->leaf_count; i++)
		if (!strcmp(tree->nodes[tree->leaves[i]].id ? tree->nodes[tree->leaves[i]].id : "", id))
			return i;
	return -1;
}

/* ---- sections, texts, tables ---- */

static const char *const text_keys[] = {"text", "label", "hint", NULL};
static const char *const table_keys[] = {"table", "caption", "stub", "corner", "layout", "columns", "rows", NULL};

static int
add_text(struct loader *l, const struct ynode *item, const char *id_key, int section, bool optional)
{
	struct template *t = l->tpl;
	int index = t->text_count;
	struct tpl_text *text = PUSH(l, t->texts, t->text_count);
	text->id = get_str(l, item, id_key, true);
	text->label = get_str(l, item, "label", true);
	text->hint = get_str(l, item, "hint", false);
	text->optional = optional;
	text->section = section;
	text->pos = item->pos;
	if (!text->label)
		text->label = "";
	if (text->id && !valid_id(text->id))
		fail(l, item->pos, _("invalid id '%s' (use a-z, 0-9 and _)"), text->id);
	return index;
}

static int
add_table(struct loader *l, const struct ynode *item, int section)
{
	struct template *t = l->tpl;
	check_keys(l, item, table_keys);
	int index = t->table_count;
	struct tpl_table *table = PUSH(l, t->tables, t->table_count);
	table->path = get_str(l, item, "table", true);
	table->caption = get_str(l, item, "caption", false);
	table->stub = get_str(l, item, "stub", false);
	table->corner = get_str(l, item, "corner", false);
	table->section = section;
	table->pos = item->pos;
	const char *layout = get_str(l, item, "layout", false);
	if (layout && !strcmp(layout, "flat"))
		table->layout = LAYOUT_FLAT;
	else if (layout && strcmp(layout, "grid"))
		fail(l, ynode_get(item, "layout")->pos, _("unknown layout '%s' (expected grid or flat)"), layout);
	if (table->path && !valid_path(table->path))
		fail(l, item->pos, _("invalid table path '%s'"), table->path);
	struct ynode **row_f, **col_f;
	parse_tree(l, item, false, &table->rows, &row_f);
	table = &t->tables[index];
	parse_tree(l, item, true, &table->cols, &col_f);
	struct ynode ***r = PUSH(l, l->row_formulas, l->row_formula_tables);
	*r = row_f;
	struct ynode ***c = PUSH(l, l->col_formulas, l->formula_table_count);
	*c = col_f;
	return index;
}

static void
parse_sections(struct loader *l, const struct ynode *root)
{
	struct template *t = l->tpl;
	int count;
	struct ynode **sections = get_list(l, root, "sections", &count, true);
	for (int s = 0; sections && s < count; s++) {
		static const char *const section_keys[] = {"heading", "items", NULL};
		check_keys(l, sections[s], section_keys);
		struct tpl_section *section = PUSH(l, t->sections, t->section_count);
		section->heading = get_str(l, sections[s], "heading", true);
		int item_count;
		struct ynode **items = get_list(l, sections[s], "items", &item_count, true);
		for (int i = 0; items && i < item_count; i++) {
			struct tpl_item item = {0};
			if (ynode_get(items[i], "text")) {
				check_keys(l, items[i], text_keys);
				item.kind = ITEM_TEXT;
				item.index = add_text(l, items[i], "text", s, false);
			} else if (ynode_get(items[i], "table")) {
				item.kind = ITEM_TABLE;
				item.index = add_table(l, items[i], s);
			} else {
				fail(l, items[i]->pos, _("a section item needs 'text' or 'table'"));
				continue;
			}
			section = &t->sections[s];
			struct tpl_item *slot = PUSH(l, section->items, section->item_count);
			*slot = item;
		}
		free(items);
	}
	free(sections);
}

/* Numbers every cell and refuses ids used twice. */
static void
build_cells(struct loader *l)
{
	struct template *t = l->tpl;
	for (int ti = 0; ti < t->table_count; ti++) {
		struct tpl_table *table = &t->tables[ti];
		if (!table->path)
			continue;
		for (int tj = 0; tj < ti; tj++)
			if (t->tables[tj].path && !strcmp(t->tables[tj].path, table->path))
				fail(l, table->pos, _("duplicate table '%s' (first at line %d)"), table->path,
				     t->tables[tj].pos.line);
		for (int x = 0; x < t->text_count; x++)
			if (t->texts[x].id && !strcmp(t->texts[x].id, table->path))
				fail(l, table->pos, _("table '%s' has the id of a text field"), table->path);
		table->first_cell = t->cell_count;
		if ((long)table->rows.leaf_count * table->cols.leaf_count > TEMPLATE_MAX_CELLS - t->cell_count) {
			fail(l, table->pos, _("table '%s' makes the template larger than %d cells"), table->path,
			     TEMPLATE_MAX_CELLS);
			return;
		}
		for (int r = 0; r < table->rows.leaf_count; r++) {
			const struct tpl_node *row = &table->rows.nodes[table->rows.leaves[r]];
			for (int c = 0; c < table->cols.leaf_count; c++) {
				const struct tpl_node *col = &table->cols.nodes[table->cols.leaves[c]];
				struct tpl_cell *cell = PUSH(l, t->cells, t->cell_count);
				cell->id = arena_keep(l->arena, xasprintf("%s.%s.%s", table->path, row->id ? row->id : "",
				                                            col->id ? col->id : ""));
				cell->table = ti;
				cell->row = r;
				cell->col = c;
				cell->type = col->type;
				cell->formula = -1;
			}
		}
	}
	for (int a = 0; a < t->text_count; a++)
		for (int b = 0; b < a; b++)
			if (t->texts[a].id && t->texts[b].id && !strcmp(t->texts[a].id, t->texts[b].id))
				fail(l, t->texts[a].pos, _("duplicate text field '%s' (first at line %d)"),
				     t->texts[a].id, t->texts[b].pos.line);
}

/* ---- formulas ---- */

struct scope {
	int table;             /* -1: full references only */
	enum check_per per;    /* PER_COLUMN: names are rows; PER_ROW: names are columns */
	int fixed_leaf;        /* the column (PER_COLUMN) or row (PER_ROW) */
	bool allow_prev;
};

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
	fail(p->l, pos, "%s (in \"%s\")", msg, p->scalar);
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
	int leaf = tree_find_leaf(scope_names(p), name);
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
static bool
compile_expr(struct loader *l, const struct ynode *src, const char *start, const char *end,
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
	if (!compile_expr(l, src, src->scalar, src->scalar + strlen(src->scalar), scope, &expr))
		return;
	int index = t->formula_count;
	struct tpl_formula *f = PUSH(l, t->formulas, t->formula_count);
	f->cell = cell;
	f->expr = expr;
	f->pos = src->pos;
	t->cells[cell].formula = index;
}

static void
build_formulas(struct loader *l)
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
static void
order_formulas(struct loader *l)
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
					fail(l, t->formulas[dep].pos, _("cycle among formulas: %s -> %s"), path,
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
	struct tpl_formula *sorted = arena_keep(l->arena, xmalloc((size_t)n * sizeof *sorted));
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
	t->dependents = arena_keep(l->arena, xcalloc((size_t)t->cell_count, sizeof *t->dependents));
	t->dependent_count = arena_keep(l->arena, xcalloc((size_t)t->cell_count, sizeof *t->dependent_count));
	for (int cell = 0; cell < t->cell_count; cell++) {
		for (int f = 0; f < n; f++)
			if (reads[(size_t)f * words + (size_t)cell / 64] & (UINT64_C(1) << (cell % 64))) {
				int *slot = PUSH(l, t->dependents[cell], t->dependent_count[cell]);
				*slot = f;
			}
	}
	free(reads);
}

/* ---- checks ---- */

static const char *const check_keys_allowed[] = {
	"id", "severity", "kind", "table", "per", "rule", "lhs", "rhs", "same-template",
	"fields", "field", "text", "threshold", "min-chars", "opening", NULL,
};

static const char *
find_operator(const char *rule, enum rule_op *op, size_t *op_len)
{
	int depth = 0;
	for (const char *s = rule; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		if (depth)
			continue;
		static const struct { const char *text; enum rule_op op; } ops[] = {
			{"<=", OP_LE}, {">=", OP_GE}, {"!=", OP_NE}, {"=", OP_EQ}, {"<", OP_LT}, {">", OP_GT},
		};
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (!strncmp(s, ops[i].text, strlen(ops[i].text))) {
				*op = ops[i].op;
				*op_len = strlen(ops[i].text);
				return s;
			}
	}
	return NULL;
}

static void
build_rule(struct loader *l, struct tpl_check *check, const struct ynode *node)
{
	struct template *t = l->tpl;
	const struct ynode *rule = ynode_get(node, "rule");
	if (!rule) {
		fail(l, node->pos, _("missing key '%s'"), "rule");
		return;
	}
	if (!expect_kind(l, rule, YNODE_SCALAR, "rule"))
		return;
	check->rule_text = keep_str(l, rule->scalar);
	check->lhs_label = get_str(l, node, "lhs", false);
	check->rhs_label = get_str(l, node, "rhs", false);
	const char *same = get_str(l, node, "same-template", false);
	check->same_template = same && !strcmp(same, "true");
	check->uses_prev = strstr(rule->scalar, "prev(") != NULL;
	check->table = -1;
	const char *table = get_str(l, node, "table", false);
	if (table) {
		check->table = template_find_table(t, table);
		if (check->table < 0) {
			fail(l, ynode_get(node, "table")->pos, _("unknown table '%s'"), table);
			return;
		}
	}
	const char *per = get_str(l, node, "per", false);
	check->per = PER_NONE;
	if (per && !strcmp(per, "column"))
		check->per = PER_COLUMN;
	else if (per && !strcmp(per, "row"))
		check->per = PER_ROW;
	else if (per)
		fail(l, ynode_get(node, "per")->pos, _("unknown 'per' value '%s' (expected column or row)"), per);
	if (check->per != PER_NONE && check->table < 0) {
		fail(l, node->pos, _("'per' needs a 'table'"));
		return;
	}
	enum rule_op op;
	size_t op_len;
	const char *at = find_operator(rule->scalar, &op, &op_len);
	if (!at) {
		fail(l, rule->pos, _("a rule needs a comparison (= != < <= > >=): \"%s\""), rule->scalar);
		return;
	}
	int instances = 1;
	if (check->per == PER_COLUMN)
		instances = t->tables[check->table].cols.leaf_count;
	else if (check->per == PER_ROW)
		instances = t->tables[check->table].rows.leaf_count;
	for (int i = 0; i < instances; i++) {
		struct scope scope = {check->table, check->per, i, true};
		struct rule_instance inst = {.op = op, .scope_leaf = check->per == PER_NONE ? -1 : i};
		if (!compile_expr(l, rule, rule->scalar, at, scope, &inst.lhs) ||
		    !compile_expr(l, rule, at + op_len, rule->scalar + strlen(rule->scalar), scope, &inst.rhs))
			return;
		struct rule_instance *slot = PUSH(l, check->instances, check->instance_count);
		*slot = inst;
	}
}

static int
text_by_name(struct loader *l, const struct ynode *node)
{
	if (!expect_kind(l, node, YNODE_SCALAR, _("a field")))
		return -1;
	int text = template_find_text(l->tpl, node->scalar);
	if (text < 0)
		fail(l, node->pos, _("unknown text field '%s'"), node->scalar);
	return text;
}

static void
build_text_list(struct loader *l, struct tpl_check *check, const struct ynode *node)
{
	const struct ynode *fields = ynode_get(node, "fields");
	if (!fields) {
		fail(l, node->pos, _("missing key '%s'"), "fields");
		return;
	}
	if (!expect_kind(l, fields, YNODE_SEQUENCE, "fields"))
		return;
	for (size_t i = 0; i < fields->count; i++) {
		int text = text_by_name(l, fields->items[i]);
		if (text >= 0) {
			int *slot = PUSH(l, check->texts, check->text_count);
			*slot = text;
		}
	}
}

static void
parse_checks(struct loader *l, const struct ynode *root)
{
	struct template *t = l->tpl;
	int count;
	struct ynode **items = get_list(l, root, "checks", &count, false);
	for (int i = 0; items && i < count; i++) {
		const struct ynode *node = items[i];
		check_keys(l, node, check_keys_allowed);
		struct tpl_check *check = PUSH(l, t->checks, t->check_count);
		check->pos = node->pos;
		check->table = -1;
		check->id = get_str(l, node, "id", true);
		const char *severity = get_str(l, node, "severity", true);
		if (severity && !strcmp(severity, "warning"))
			check->severity = DIAG_WARNING;
		else if (severity && strcmp(severity, "error"))
			fail(l, ynode_get(node, "severity")->pos, _("unknown severity '%s' (expected error or warning)"), severity);
		const char *kind = get_str(l, node, "kind", true);
		if (!kind)
			continue;
		if (!strcmp(kind, "rule")) {
			check->kind = CHECK_RULE;
			build_rule(l, check, node);
		} else if (!strcmp(kind, "blank")) {
			check->kind = CHECK_BLANK;
		} else if (!strcmp(kind, "range")) {
			check->kind = CHECK_RANGE;
		} else if (!strcmp(kind, "template-year")) {
			check->kind = CHECK_TEMPLATE_YEAR;
		} else if (!strcmp(kind, "organization")) {
			check->kind = CHECK_ORGANIZATION;
		} else if (!strcmp(kind, "required-text")) {
			check->kind = CHECK_REQUIRED_TEXT;
			build_text_list(l, check, node);
		} else if (!strcmp(kind, "mention")) {
			check->kind = CHECK_MENTION;
			const struct ynode *field = ynode_get(node, "field");
			int text = field ? text_by_name(l, field) : -1;
			if (!field)
				fail(l, node->pos, _("missing key '%s'"), "field");
			if (text >= 0) {
				int *slot = PUSH(l, check->texts, check->text_count);
				*slot = text;
			}
			check->mention = get_str(l, node, "text", true);
		} else if (!strcmp(kind, "narrative")) {
			check->kind = CHECK_NARRATIVE;
			build_text_list(l, check, node);
		} else if (!strcmp(kind, "repeated")) {
			check->kind = CHECK_REPEATED;
			build_text_list(l, check, node);
			check->threshold = get_int_in(l, node, "threshold", 50, 1, 100);
		} else if (!strcmp(kind, "thin-section")) {
			check->kind = CHECK_THIN_TEXT;
			build_text_list(l, check, node);
			check->threshold = get_int_in(l, node, "min-chars", 10, 1, 10000);
		} else if (!strcmp(kind, "stale-year")) {
			check->kind = CHECK_STALE_YEAR;
			build_text_list(l, check, node);
			check->opening = -1;
			const struct ynode *opening = ynode_get(node, "opening");
			if (opening)
				check->opening = text_by_name(l, opening);
		} else {
			fail(l, ynode_get(node, "kind")->pos, _("unknown check kind '%s'"), kind);
		}
	}
	free(items);
}

static void
parse_carries(struct loader *l, const struct ynode *root)
{
	struct template *t = l->tpl;
	int count;
	struct ynode **items = get_list(l, root, "carry", &count, false);
	for (int i = 0; items && i < count; i++) {
		static const char *const carry_keys[] = {"to", "from", NULL};
		check_keys(l, items[i], carry_keys);
		struct tpl_carry *carry = PUSH(l, t->carries, t->carry_count);
		carry->to = get_str(l, items[i], "to", true);
		carry->from = get_str(l, items[i], "from", true);
		if (!carry->to || !carry->from)
			continue;
		const char *dot = strrchr(carry->to, '.');
		char *table = dot ? xstrndup(carry->to, (size_t)(dot - carry->to)) : xstrdup("");
		int ti = template_find_table(t, table);
		if (ti < 0 || tree_find_leaf(&t->tables[ti].rows, dot + 1) < 0)
			fail(l, ynode_get(items[i], "to")->pos, _("unknown row '%s'"), carry->to);
		free(table);
		if (!valid_path(carry->from) || !strchr(carry->from, '.'))
			fail(l, ynode_get(items[i], "from")->pos, _("invalid row path '%s'"), carry->from);
	}
	free(items);
}

/* ---- the whole file ---- */

static const char *const top_keys[] = {
	"nianbao-template", "id", "name", "basis", "years", "title", "preface", "sections", "checks", "carry", NULL,
};

struct template *
template_load(const char *path, struct diag_list *diags)
{
	struct ynode *root = ynode_load_file(path, diags);
	if (!root)
		return NULL;
	struct template *t = xcalloc(1, sizeof *t);
	t->arena = xcalloc(1, sizeof *t->arena);
	t->preface = -1;
	struct loader l = {.tpl = t, .arena = t->arena, .diags = diags};
	t->path = keep_str(&l, path);
	l.including[l.include_depth++] = t->path;

	if (expect_kind(&l, root, YNODE_MAPPING, _("a template"))) {
		check_keys(&l, root, top_keys);
		int version = 0;
		if (!get_int(&l, root, "nianbao-template", &version) || version != 1)
			fail(&l, root->pos, _("not a nianbao template (expected 'nianbao-template: 1')"));
		t->id = get_str(&l, root, "id", true);
		t->name = get_str(&l, root, "name", true);
		t->basis = get_str(&l, root, "basis", false);
		t->title = get_str(&l, root, "title", true);
		const struct ynode *years = ynode_get(root, "years");
		if (years && expect_kind(&l, years, YNODE_MAPPING, "years")) {
			static const char *const year_keys[] = {"from", "to", NULL};
			check_keys(&l, years, year_keys);
			get_int(&l, years, "from", &t->year_from);
			get_int(&l, years, "to", &t->year_to);
		}
		const struct ynode *preface = ynode_get(root, "preface");
		if (preface && expect_kind(&l, preface, YNODE_MAPPING, "preface")) {
			static const char *const preface_keys[] = {"id", "label", "hint", NULL};
			check_keys(&l, preface, preface_keys);
			t->preface = add_text(&l, preface, "id", -1, true);
		}
		parse_sections(&l, root);
		if (!l.failed) {
			build_cells(&l);
			build_formulas(&l);
			order_formulas(&l);
		}
		if (!l.failed) {
			parse_checks(&l, root);
			parse_carries(&l, root);
		}
	}
	for (int i = 0; i < l.fragment_count; i++)
		ynode_free(l.fragments[i]);
	ynode_free(root);
	if (l.failed) {
		template_free(t);
		return NULL;
	}
	return t;
}

void
template_free(struct template *tpl)
{
	if (!tpl)
		return;
	for (size_t i = 0; i < tpl->arena->count; i++)
		free(tpl->arena->ptrs[i]);
	free(tpl->arena->ptrs);
	free(tpl->arena);
	free(tpl);
}

struct template *
template_load_id(const char *dir, const char *id, struct diag_list *diags)
{
	if (!valid_path(id) && strchr(id, '/')) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("invalid template id '%s'"), id);
		return NULL;
	}
	char *path = xasprintf("%s/%s.yaml", dir ? dir : paths_templates_dir(), id);
	struct diag_list quiet = {0};
	struct template *t = template_load(path, &quiet);
	if (!t && quiet.count == 1 && strstr(quiet.items[0].message, "cannot open")) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0},
		         _("template '%s' is not installed (looked for %s)"), id, path);
	} else {
		for (size_t i = 0; i < quiet.count; i++)
			diag_add(diags, quiet.items[i].severity, quiet.items[i].pos, "%s", quiet.items[i].message);
		if (t && strcmp(t->id ? t->id : "", id)) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){path, 1, 1},
			         _("the file declares id '%s', not '%s'"), t->id ? t->id : "", id);
			template_free(t);
			t = NULL;
		}
	}
	diag_free(&quiet);
	free(path);
	return t;
}

int
template_find_cell(const struct template *tpl, const char *id)
{
	for (int i = 0; i < tpl->cell_count; i++)
		if (!strcmp(tpl->cells[i].id, id))
			return i;
	return -1;
}

int
template_find_text(const struct template *tpl, const char *id)
{
	for (int i = 0; i < tpl->text_count; i++)
		if (tpl->texts[i].id && !strcmp(tpl->texts[i].id, id))
			return i;
	return -1;
}

int
template_find_table(const struct template *tpl, const char *path)
{
	for (int i = 0; i < tpl->table_count; i++)
		if (tpl->tables[i].path && !strcmp(tpl->tables[i].path, path))
			return i;
	return -1;
}

static int
compare_ids(const void *a, const void *b)
{
	const struct template *ta = *(struct template *const *)a, *tb = *(struct template *const *)b;
	return strcmp(ta->id, tb->id);
}

int
template_list(const char *dir, struct template ***out, struct diag_list *diags)
{
	if (!dir)
		dir = paths_templates_dir();
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){dir, 0, 0}, _("cannot read the template directory"));
		return 0;
	}
	int count = 0;
	struct dirent *entry;
	while ((entry = readdir(d))) {
		size_t len = strlen(entry->d_name);
		if (len < 6 || strcmp(entry->d_name + len - 5, ".yaml") || entry->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, entry->d_name);
		struct template *t = template_load(path, diags);
		free(path);
		if (!t)
			continue;
		*out = xrealloc(*out, (size_t)(count + 1) * sizeof **out);
		(*out)[count++] = t;
	}
	closedir(d);
	if (count > 1)
		qsort(*out, (size_t)count, sizeof **out, compare_ids);
	return count;
}

char *
template_id_for_year(const char *dir, int year, struct diag_list *diags)
{
	struct template **all;
	int count = template_list(dir, &all, diags);
	char *id = NULL;
	for (int i = 0; i < count; i++) {
		const struct template *t = all[i];
		if (!id && (!t->year_from || year >= t->year_from) && (!t->year_to || year <= t->year_to))
			id = xstrdup(t->id);
		template_free(all[i]);
	}
	free(all);
	if (!id)
		diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("no installed template covers the year %d"), year);
	return id;
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
