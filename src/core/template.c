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
#include "template_loader.h"

/* ---- ownership: everything a template points to is registered here ---- */

void *
tl_arena_keep(struct template_arena *arena, void *ptr)
{
	if (arena->count == arena->capacity) {
		arena->capacity = arena->capacity ? arena->capacity * 2 : 64;
		arena->ptrs = xrealloc(arena->ptrs, arena->capacity * sizeof *arena->ptrs);
	}
	arena->ptrs[arena->count++] = ptr;
	return ptr;
}

/* Grows an array owned by the arena to hold count + 1 elements, zeroes the new one. */
void *
tl_arena_push(struct template_arena *arena, void *array, int *count, size_t elem_size)
{
	int n = *count;
	if ((n & (n - 1)) == 0) {
		size_t new_cap = n ? (size_t)n * 2 : 4;
		void *grown = xrealloc(array, new_cap * elem_size);
		if (!array) {
			tl_arena_keep(arena, grown);
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

char *
tl_keep_str(struct loader *l, const char *s)
{
	return s ? tl_arena_keep(l->arena, xstrdup(s)) : NULL;
}

__attribute__((format(printf, 3, 4))) void
tl_fail(struct loader *l, struct srcpos pos, const char *fmt, ...)
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

bool
tl_expect_kind(struct loader *l, const struct ynode *node, enum ynode_kind kind, const char *what)
{
	if (node->kind == kind)
		return true;
	const char *wanted = kind == YNODE_SCALAR ? _("text") : kind == YNODE_SEQUENCE ? _("a list") : _("a mapping");
	tl_fail(l, node->pos, _("%s must be %s, not %s"), what, wanted, kind_name(node));
	return false;
}

/* Refuses keys of map that are not in allowed (a NULL-terminated list). */
void
tl_check_keys(struct loader *l, const struct ynode *map, const char *const *allowed)
{
	for (size_t i = 0; i + 1 < map->count; i += 2) {
		const char *key = map->items[i]->scalar;
		bool known = false;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, key))
				known = true;
		if (!known)
			tl_fail(l, map->items[i]->pos, _("unknown key '%s'"), key);
	}
}

const char *
tl_get_str(struct loader *l, const struct ynode *map, const char *key, bool required)
{
	struct ynode *node = ynode_get(map, key);
	if (!node) {
		if (required)
			tl_fail(l, map->pos, _("missing key '%s'"), key);
		return NULL;
	}
	if (!tl_expect_kind(l, node, YNODE_SCALAR, key))
		return NULL;
	return tl_keep_str(l, node->scalar);
}

static bool
get_int(struct loader *l, const struct ynode *map, const char *key, int *out)
{
	struct ynode *node = ynode_get(map, key);
	if (!node)
		return false;
	if (!tl_expect_kind(l, node, YNODE_SCALAR, key))
		return false;
	char *end;
	long v = strtol(node->scalar, &end, 10);
	if (!node->scalar[0] || *end || v < 0 || v > 9999) {
		tl_fail(l, node->pos, _("'%s' must be a whole number, not '%s'"), key, node->scalar);
		return false;
	}
	*out = (int)v;
	return true;
}

/* An optional whole number from lo to hi; def when absent. */
int
tl_get_int_in(struct loader *l, const struct ynode *map, const char *key, int def, int lo, int hi)
{
	int v;
	if (!get_int(l, map, key, &v))
		return def;
	if (v < lo || v > hi) {
		tl_fail(l, ynode_get(map, key)->pos, _("'%s' must be from %d to %d, not %d"), key, lo, hi, v);
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
		if (item->count != 2 || !tl_expect_kind(l, inc, YNODE_SCALAR, "include")) {
			if (item->count != 2)
				tl_fail(l, item->pos, _("an include item has no other keys"));
			continue;
		}
		char *joined = sibling_path(item->pos.file, inc->scalar);
		char *path = tl_keep_str(l, joined);
		free(joined);
		bool cycle = false;
		for (int d = 0; d < l->include_depth; d++)
			if (!strcmp(l->including[d], path))
				cycle = true;
		if (cycle) {
			tl_fail(l, inc->pos, _("include cycle: '%s' includes itself"), inc->scalar);
			continue;
		}
		if (l->include_depth > TEMPLATE_MAX_INCLUDE_DEPTH) {
			tl_fail(l, inc->pos, _("includes are nested deeper than %d levels"), TEMPLATE_MAX_INCLUDE_DEPTH);
			continue;
		}
		if (++l->include_count > TEMPLATE_MAX_INCLUDES) {
			tl_fail(l, inc->pos, _("more than %d includes; a template needs far fewer"), TEMPLATE_MAX_INCLUDES);
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
		if (!tl_expect_kind(l, root, YNODE_SEQUENCE, _("an included file")))
			continue;
		l->including[l->include_depth++] = path;
		expand_sequence(l, root, out, count);
		l->include_depth--;
	}
}

/* The items of a list-valued key, includes expanded. */
struct ynode **
tl_get_list(struct loader *l, const struct ynode *map, const char *key, int *count, bool required)
{
	*count = 0;
	struct ynode *node = ynode_get(map, key);
	if (!node) {
		if (required)
			tl_fail(l, map->pos, _("missing key '%s'"), key);
		return NULL;
	}
	if (!tl_expect_kind(l, node, YNODE_SEQUENCE, key))
		return NULL;
	struct ynode **items = NULL;
	expand_sequence(l, node, &items, count);
	for (int i = 0; i < *count; i++)
		if (!tl_expect_kind(l, items[i], YNODE_MAPPING, key)) {
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
			tl_check_keys(l, item, columns ? group_col_keys : group_row_keys);
			node->label = tl_get_str(l, item, "group", true);
			node->short_label = node->label;
			int child_count;
			struct ynode **children = tl_get_list(l, item, children_key, &child_count, true);
			if (children && child_count == 0)
				tl_fail(l, item->pos, _("group '%s' is empty"), node->label ? node->label : "");
			if (children)
				parse_tree_level(l, children, child_count, columns, depth + 1, index, tree,
				                 formulas, formula_count);
			free(children);
			node = &tree->nodes[index];  /* the array may have moved */
			node->leaf_count = tree->leaf_count - node->first_leaf;
			continue;
		}
		tl_check_keys(l, item, columns ? leaf_col_keys : leaf_row_keys);
		node->id = tl_get_str(l, item, "id", true);
		node->id_len = node->id ? strlen(node->id) : 0;
		node->label = tl_get_str(l, item, "label", true);
		const char *short_label = tl_get_str(l, item, "short", false);
		node->short_label = short_label ? short_label : node->label ? node->label : "";
		if (!node->label)
			node->label = "";
		node->type = VALUE_COUNT;
		if (columns) {
			const char *type = tl_get_str(l, item, "type", false);
			if (type && !strcmp(type, "signed"))
				node->type = VALUE_SIGNED;
			else if (type && !strcmp(type, "money"))
				node->type = VALUE_MONEY;
			else if (type && strcmp(type, "count"))
				tl_fail(l, ynode_get(item, "type")->pos,
				     _("unknown type '%s' (expected count, signed or money)"), type);
			node->unit = tl_get_str(l, item, "unit", false);
		}
		if (node->id && !valid_id(node->id))
			tl_fail(l, ynode_get(item, "id")->pos, _("invalid id '%s' (use a-z, 0-9 and _)"), node->id);
		for (int k = 0; node->id && k < tree->node_count - 1; k++)
			if (tree->nodes[k].id && !strcmp(tree->nodes[k].id, node->id))
				tl_fail(l, ynode_get(item, "id")->pos, _("duplicate id '%s' (first at line %d)"),
				     node->id, tree->nodes[k].pos.line);
		struct ynode *formula = ynode_get(item, "formula");
		if (formula && !tl_expect_kind(l, formula, YNODE_SCALAR, "formula"))
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
	struct ynode **items = tl_get_list(l, table_node, columns ? "columns" : "rows", &count, true);
	int formula_count = 0;
	*formulas = NULL;
	if (items) {
		if (count == 0)
			tl_fail(l, table_node->pos, columns ? _("a table needs columns") : _("a table needs rows"));
		parse_tree_level(l, items, count, columns, 0, -1, tree, formulas, &formula_count);
	}
	free(items);
	tree->leaf_keys = tl_arena_keep(l->arena, xcalloc((size_t)tree->leaf_count + 1, sizeof *tree->leaf_keys));
	for (int k = 0; k < tree->leaf_count; k++) {
		const struct tpl_node *leaf = &tree->nodes[tree->leaves[k]];
		struct tpl_leaf_key *key = &tree->leaf_keys[k];
		if (leaf->id && leaf->id_len < TPL_KEY_BYTES) {
			memcpy(key->id, leaf->id, leaf->id_len);
			key->len = (unsigned char)leaf->id_len;
		} else {
			key->len = TPL_KEY_LONG;
		}
	}
}

int
tl_tree_find_leaf(const struct tpl_tree *tree, const char *id)
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
	text->id = tl_get_str(l, item, id_key, true);
	text->label = tl_get_str(l, item, "label", true);
	text->hint = tl_get_str(l, item, "hint", false);
	text->optional = optional;
	text->section = section;
	text->pos = item->pos;
	if (!text->label)
		text->label = "";
	if (text->id && !valid_id(text->id))
		tl_fail(l, item->pos, _("invalid id '%s' (use a-z, 0-9 and _)"), text->id);
	return index;
}

static int
add_table(struct loader *l, const struct ynode *item, int section)
{
	struct template *t = l->tpl;
	tl_check_keys(l, item, table_keys);
	int index = t->table_count;
	struct tpl_table *table = PUSH(l, t->tables, t->table_count);
	table->path = tl_get_str(l, item, "table", true);
	table->caption = tl_get_str(l, item, "caption", false);
	table->stub = tl_get_str(l, item, "stub", false);
	table->corner = tl_get_str(l, item, "corner", false);
	table->section = section;
	table->pos = item->pos;
	const char *layout = tl_get_str(l, item, "layout", false);
	if (layout && !strcmp(layout, "flat"))
		table->layout = LAYOUT_FLAT;
	else if (layout && strcmp(layout, "grid"))
		tl_fail(l, ynode_get(item, "layout")->pos, _("unknown layout '%s' (expected grid or flat)"), layout);
	if (table->path && !valid_path(table->path))
		tl_fail(l, item->pos, _("invalid table path '%s'"), table->path);
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
	struct ynode **sections = tl_get_list(l, root, "sections", &count, true);
	for (int s = 0; sections && s < count; s++) {
		static const char *const section_keys[] = {"heading", "items", NULL};
		tl_check_keys(l, sections[s], section_keys);
		struct tpl_section *section = PUSH(l, t->sections, t->section_count);
		section->heading = tl_get_str(l, sections[s], "heading", true);
		int item_count;
		struct ynode **items = tl_get_list(l, sections[s], "items", &item_count, true);
		for (int i = 0; items && i < item_count; i++) {
			struct tpl_item item = {0};
			if (ynode_get(items[i], "text")) {
				tl_check_keys(l, items[i], text_keys);
				item.kind = ITEM_TEXT;
				item.index = add_text(l, items[i], "text", s, false);
			} else if (ynode_get(items[i], "table")) {
				item.kind = ITEM_TABLE;
				item.index = add_table(l, items[i], s);
			} else {
				tl_fail(l, items[i]->pos, _("a section item needs 'text' or 'table'"));
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
				tl_fail(l, table->pos, _("duplicate table '%s' (first at line %d)"), table->path,
				     t->tables[tj].pos.line);
		for (int x = 0; x < t->text_count; x++)
			if (t->texts[x].id && !strcmp(t->texts[x].id, table->path))
				tl_fail(l, table->pos, _("table '%s' has the id of a text field"), table->path);
		table->first_cell = t->cell_count;
		if ((long)table->rows.leaf_count * table->cols.leaf_count > TEMPLATE_MAX_CELLS - t->cell_count) {
			tl_fail(l, table->pos, _("table '%s' makes the template larger than %d cells"), table->path,
			     TEMPLATE_MAX_CELLS);
			return;
		}
		for (int r = 0; r < table->rows.leaf_count; r++) {
			const struct tpl_node *row = &table->rows.nodes[table->rows.leaves[r]];
			for (int c = 0; c < table->cols.leaf_count; c++) {
				const struct tpl_node *col = &table->cols.nodes[table->cols.leaves[c]];
				struct tpl_cell *cell = PUSH(l, t->cells, t->cell_count);
				cell->id = tl_arena_keep(l->arena, xasprintf("%s.%s.%s", table->path, row->id ? row->id : "",
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
				tl_fail(l, t->texts[a].pos, _("duplicate text field '%s' (first at line %d)"),
				     t->texts[a].id, t->texts[b].pos.line);
}

static void
parse_carries(struct loader *l, const struct ynode *root)
{
	struct template *t = l->tpl;
	int count;
	struct ynode **items = tl_get_list(l, root, "carry", &count, false);
	for (int i = 0; items && i < count; i++) {
		static const char *const carry_keys[] = {"to", "from", NULL};
		tl_check_keys(l, items[i], carry_keys);
		struct tpl_carry *carry = PUSH(l, t->carries, t->carry_count);
		carry->to = tl_get_str(l, items[i], "to", true);
		carry->from = tl_get_str(l, items[i], "from", true);
		if (!carry->to || !carry->from)
			continue;
		const char *dot = strrchr(carry->to, '.');
		char *table = dot ? xstrndup(carry->to, (size_t)(dot - carry->to)) : xstrdup("");
		int ti = template_find_table(t, table);
		if (ti < 0 || tl_tree_find_leaf(&t->tables[ti].rows, dot + 1) < 0)
			tl_fail(l, ynode_get(items[i], "to")->pos, _("unknown row '%s'"), carry->to);
		free(table);
		if (!valid_path(carry->from) || !strchr(carry->from, '.'))
			tl_fail(l, ynode_get(items[i], "from")->pos, _("invalid row path '%s'"), carry->from);
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
	t->path = tl_keep_str(&l, path);
	l.including[l.include_depth++] = t->path;

	if (tl_expect_kind(&l, root, YNODE_MAPPING, _("a template"))) {
		tl_check_keys(&l, root, top_keys);
		int version = 0;
		if (!get_int(&l, root, "nianbao-template", &version) || version != 1)
			tl_fail(&l, root->pos, _("not a nianbao template (expected 'nianbao-template: 1')"));
		t->id = tl_get_str(&l, root, "id", true);
		t->name = tl_get_str(&l, root, "name", true);
		t->basis = tl_get_str(&l, root, "basis", false);
		t->title = tl_get_str(&l, root, "title", true);
		const struct ynode *years = ynode_get(root, "years");
		if (years && tl_expect_kind(&l, years, YNODE_MAPPING, "years")) {
			static const char *const year_keys[] = {"from", "to", NULL};
			tl_check_keys(&l, years, year_keys);
			get_int(&l, years, "from", &t->year_from);
			get_int(&l, years, "to", &t->year_to);
		}
		const struct ynode *preface = ynode_get(root, "preface");
		if (preface && tl_expect_kind(&l, preface, YNODE_MAPPING, "preface")) {
			static const char *const preface_keys[] = {"id", "label", "hint", NULL};
			tl_check_keys(&l, preface, preface_keys);
			t->preface = add_text(&l, preface, "id", -1, true);
		}
		parse_sections(&l, root);
		if (!l.failed) {
			build_cells(&l);
			tl_build_formulas(&l);
			tl_order_formulas(&l);
		}
		if (!l.failed) {
			tl_parse_checks(&l, root);
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
		if (tpl->texts[i].id && tpl->texts[i].id[0] == id[0] && !strcmp(tpl->texts[i].id, id))
			return i;
	return -1;
}

int
template_find_table(const struct template *tpl, const char *path)
{
	for (int i = 0; i < tpl->table_count; i++)
		if (tpl->tables[i].path && tpl->tables[i].path[0] == path[0] && !strcmp(tpl->tables[i].path, path))
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
