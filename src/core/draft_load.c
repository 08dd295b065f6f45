#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"
#include "nianbao/ynode.h"
#include "yparse.h"


struct reader {
	const char *name;
	struct draft *draft;
	struct template_cache *cache;
	struct diag_list *diags;
	bool failed;
	bool template_failed;
	int *row_line, *col_line;   /* scratch for struct seen: the largest tree of rows, of columns */
};

__attribute__((format(printf, 3, 4))) static void
error_at(struct reader *r, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(r->diags, DIAG_ERROR, pos, "%s", msg);
	free(msg);
	r->failed = true;
}

/* Line and column (in characters) of a byte offset. */
static struct srcpos
pos_of_offset(const char *name, const char *bytes, size_t offset)
{
	struct srcpos pos = {name, 1, 1};
	for (size_t i = 0; i < offset; i++) {
		if (bytes[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)bytes[i] & 0xC0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

/* Offset of the first byte that is not well-formed UTF-8, or len. */
static size_t
first_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned min;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1; min = 0x80; cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2; min = 0x800; cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3; min = 0x10000; cp = c & 0x07;
		} else {
			return i;
		}
		if (i + need >= len)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

static bool
is_null(const struct ynode *node)
{
	return ynode_is_null(node);
}

static const char *
expect_scalar(struct reader *r, const struct ynode *node, const char *what)
{
	if (node->kind == YNODE_SCALAR)
		return node->scalar;
	error_at(r, node->pos, _("'%s' must be a single value, not a list or mapping"), what);
	return NULL;
}

/* ---- items: the body as the reader meets it ---- */

/* A scalar, the start of a collection, or the end of one. */
enum item_kind { ITEM_SCALAR, ITEM_SEQUENCE, ITEM_MAPPING, ITEM_END };

struct item {
	enum item_kind kind;
	struct srcpos pos;
	const char *text;   /* ITEM_SCALAR: NUL-terminated; an event's text lasts until the next item */
	size_t len;         /* ITEM_SCALAR: text's buffer holds at least len + 1 bytes */
	bool plain;         /* ITEM_SCALAR: unquoted (so `~` means blank) */
};

/* Where items come from: libyaml's events as the file is read (yp set: the usual way, no
 * tree is built), or a tree built earlier (a value met before the draft's template was
 * known). The reader sees the same items in the same order either way. */
struct cursor {
	struct yparse *yp;
	yaml_event_t ev;                 /* events: the last item's, which owns its text */
	bool held;
	const struct ynode *first;       /* a tree: the node to give first, */
	const struct ynode *last;        /* the last one given, */
	const struct ynode *stack[YNODE_MAX_DEPTH + 1];   /* and the collections entered */
	size_t next[YNODE_MAX_DEPTH + 1];
	int top;
};

static void
cursor_release(struct cursor *c)
{
	if (c->held)
		yaml_event_delete(&c->ev);
	c->held = false;
}

/* The next item; false when the YAML is wrong (the error is in the parser's list). */
static bool
cursor_next(struct cursor *c, struct item *it)
{
	if (!c->yp) {
		const struct ynode *n = c->first;
		c->first = NULL;
		if (!n) {
			const struct ynode *coll = c->stack[c->top];
			if (c->next[c->top] == coll->count) {
				c->top--;
				*it = (struct item){.kind = ITEM_END};
				return true;
			}
			n = coll->items[c->next[c->top]++];
		}
		c->last = n;
		*it = (struct item){.pos = n->pos, .text = n->scalar, .len = n->scalar ? strlen(n->scalar) : 0, .plain = n->plain};
		it->kind = n->kind == YNODE_SCALAR ? ITEM_SCALAR : n->kind == YNODE_MAPPING ? ITEM_MAPPING : ITEM_SEQUENCE;
		if (n->kind != YNODE_SCALAR) {
			c->top++;
			c->stack[c->top] = n;
			c->next[c->top] = 0;
		}
		return true;
	}
	cursor_release(c);
	if (!yparse_event(c->yp, &c->ev))
		return false;
	c->held = true;
	const yaml_event_t *ev = &c->ev;
	if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT) {
		yparse_leave(c->yp);
		*it = (struct item){.kind = ITEM_END};
		return true;
	}
	/* (a scalar without an anchor passes yparse_enter's checks: skip the call) */
	if ((ev->type != YAML_SCALAR_EVENT || ev->data.scalar.anchor) && !yparse_enter(c->yp, ev))
		return false;
	*it = (struct item){.pos = yparse_pos(c->yp, ev->start_mark)};
	if (ev->type == YAML_SCALAR_EVENT) {
		it->kind = ITEM_SCALAR;
		it->text = (const char *)ev->data.scalar.value;
		it->len = ev->data.scalar.length;
		it->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	} else {
		it->kind = ev->type == YAML_MAPPING_START_EVENT ? ITEM_MAPPING : ITEM_SEQUENCE;
	}
	return true;
}

/* The whole node the item it starts (a collection read to its end, with every check), for
 * a value read whole or skipped; NULL when the YAML is wrong. */
static const struct ynode *
cursor_node(struct cursor *c, const struct item *it)
{
	if (c->yp)
		return yparse_rest(c->yp, &c->ev);
	if (it->kind != ITEM_SCALAR)
		c->top--;
	return c->last;
}

/* Skips the value the item it starts; false when the YAML is wrong. */
static bool
skip(struct cursor *c, const struct item *it)
{
	return it->kind == ITEM_SCALAR || cursor_node(c, it);
}

/* The text of the scalar item it, to keep (malloc'd): libyaml's copy, taken, not copied again. */
static char *
cursor_take_text(struct cursor *c, const struct item *it)
{
	if (!c->yp)
		return xstrdup(it->text);
	char *text = (char *)c->ev.data.scalar.value;
	c->ev.data.scalar.value = NULL;
	return text;
}

static bool
item_is_null(const struct item *it)
{
	if (it->kind != ITEM_SCALAR || !it->plain)
		return false;
	const char *s = it->text;
	return !s[0] || (s[0] == '~' && !s[1]) || (s[0] == 'n' && !strcmp(s, "null"));
}

enum step { STEP_KEY, STEP_END, STEP_FAIL };

/* The next key of the mapping being read, or its end. */
static enum step
next_key(struct cursor *c, struct item *key)
{
	if (!cursor_next(c, key))
		return STEP_FAIL;
	if (key->kind == ITEM_END)
		return STEP_END;
	if (key->kind != ITEM_SCALAR) {
		/* (only from events: a tree's keys are text) */
		const struct ynode *node = cursor_node(c, key);
		if (node)
			yparse_key_not_text(c->yp, node);
		return STEP_FAIL;
	}
	return STEP_KEY;
}

/* The keys of one mapping read from events, for duplicates (a tree was checked when it was
 * built): a key the template knows by its index, with the line it was first on; any other
 * by its text. */
struct seen {
	int *line;            /* index -> line of the key, 0 while not seen; NULL: no index */
	struct ynode others;  /* a mapping of the other keys */
	struct keyset other_keys;
};

static void
seen_start(struct seen *seen, int *line, int count)
{
	*seen = (struct seen){.line = line, .others = {.kind = YNODE_MAPPING}};
	if (line)
		memset(line, 0, (size_t)count * sizeof *line);
}

static void
seen_end(struct seen *seen)
{
	free(seen->other_keys.slots);
}

/* key_is_new for a key the template does not know, by its text. */
static bool
other_key_is_new(struct cursor *c, struct seen *seen, const struct item *key)
{
	struct ynode *k = yparse_scalar(c->yp, key->pos, key->text, strlen(key->text), key->plain);
	if (!yparse_add_key(c->yp, &seen->others, &seen->other_keys, k))
		return false;
	yparse_add_value(c->yp, &seen->others, NULL);
	return true;
}

/* Whether key (index in its template tree, or -1) is new in its mapping; a key given twice
 * is a YAML error. */
static inline bool
key_is_new(struct cursor *c, struct seen *seen, int index, const struct item *key)
{
	if (!c->yp)
		return true;
	if (index >= 0 && seen->line) {
		if (seen->line[index]) {
			yparse_duplicate(c->yp, key->pos, key->text, seen->line[index]);
			return false;
		}
		seen->line[index] = key->pos.line;
		return true;
	}
	return other_key_is_new(c, seen, key);
}

/* Whether key, a string in a buffer of at least key_len + 1 bytes, is leaf k's id:
 * strcmp's answer, from the ids kept side by side (nearly every key is found at once,
 * and following pointers to each id cost more than the comparing). */
static inline bool
is_leaf_id(const struct tpl_tree *tree, int k, const char *key, size_t key_len)
{
	const struct tpl_leaf_key *lk = &tree->leaf_keys[k];
	if (lk->len == TPL_KEY_LONG) {
		const struct tpl_node *node = &tree->nodes[tree->leaves[k]];
		return node->id && !strcmp(node->id, key);
	}
	size_t n = lk->len, i = 0;
	if (key_len < n)
		return false;
	for (; i + 8 <= n; i += 8) {
		uint64_t a, b;
		memcpy(&a, lk->id + i, 8);
		memcpy(&b, key + i, 8);
		if (a != b)
			return false;
	}
	for (; i < n; i++)
		if (lk->id[i] != key[i])
			return false;
	return key[n] == '\0';
}

/* The leaf of tree whose id is key (see is_leaf_id), trying leaf expected first; -1 if none. */
static int
leaf_index(const struct tpl_tree *tree, const struct item *key, int expected)
{
	if (expected < tree->leaf_count && is_leaf_id(tree, expected, key->text, key->len))
		return expected;
	for (int k = 0; k < tree->leaf_count; k++)
		if (is_leaf_id(tree, k, key->text, key->len))
			return k;
	return -1;
}

/* The next key of a mapping whose keys are the leaves of tree (NULL: any text), met
 * mostly in the tree's order: *leaf is its index (-1 when tree has no such leaf), and
 * *next the one to try first for the key after. */
static enum step
next_leaf_key(struct cursor *c, struct seen *seen, const struct tpl_tree *tree, int *next, struct item *key,
              int *leaf)
{
	enum step step = next_key(c, key);
	if (step != STEP_KEY)
		return step;
	*leaf = -1;
	if (tree) {
		*leaf = leaf_index(tree, key, *next);
		*next = *leaf + 1;
	}
	return key_is_new(c, seen, *leaf, key) ? STEP_KEY : STEP_FAIL;
}

/* ---- the body: texts and tables ---- */

static bool
read_cell(struct reader *r, struct cursor *c, int cell, const struct item *v)
{
	struct draft *d = r->draft;
	const struct tpl_cell *tc = &d->tpl->cells[cell];
	if (d->cell_pos[cell].line > 0) {
		/* the same table reached twice, as `proactive: {art20_1: …}` and `proactive.art20_1:` */
		error_at(r, v->pos, _("%s is given twice (first at line %d, column %d)"), tc->id,
		         d->cell_pos[cell].line, d->cell_pos[cell].col);
		return skip(c, v);
	}
	d->cell_pos[cell] = v->pos;
	if (v->kind != ITEM_SCALAR) {
		error_at(r, v->pos, _("%s must be a number or ~, not a list or mapping"), tc->id);
		return skip(c, v);
	}
	if (item_is_null(v)) {
		d->cells[cell] = value_blank();
		return true;
	}
	const char *s = v->text;
	if (!v->plain) {
		error_at(r, v->pos, _("%s must be a number, not text (\"%s\")"), tc->id, s);
		return true;
	}
	size_t len = v->len;   /* (a plain scalar holds no NUL) */
	/* most cells are a few digits: what value_parse gives them, without the call */
	if (len - 1 < 9 && s[0] >= '0' && s[0] <= '9') {
		int64_t units = 0;
		size_t k = 0;
		while (k < len && s[k] >= '0' && s[k] <= '9')
			units = units * 10 + (s[k++] - '0');
		if (k == len) {
			d->cells[cell].scaled = units * VALUE_SCALE;
			d->cells[cell].set = true;
			return true;
		}
	}
	/* (parsed straight into the cell, which is blank until now: a copy of a value just
	 * written field by field stalls the store buffer) */
	enum value_error err = value_parse_lenient(s, len, tc->type, &d->cells[cell]);
	if (err == VALUE_ERR_SYNTAX) {
		size_t sign = s[0] == '-' || s[0] == '+';
		size_t digits = strspn(s + sign, "0123456789");
		if (digits > 12 && digits == len - sign)
			error_at(r, v->pos, _("%s: %s is far too large for any cell"), tc->id, s);
		else if (!strcmp(s, "-0"))
			error_at(r, v->pos, _("%s: '-0' is not a valid number; write 0"), tc->id);
		else
			error_at(r, v->pos, _("%s: '%s' is not a number (write digits only, such as 12)"), tc->id, s);
		return true;
	}
	if (err != VALUE_OK) {
		if (!d->cell_issue)
			d->cell_issue = xcalloc((size_t)d->tpl->cell_count, 1);
		d->cell_issue[cell] = (unsigned char)err;
		if (!d->cell_written)
			d->cell_written = xcalloc((size_t)d->tpl->cell_count, sizeof *d->cell_written);
		free(d->cell_written[cell]);
		d->cell_written[cell] = xstrdup(s);
	}
	return true;
}

static const char *
leaf_id(const struct tpl_tree *tree, int leaf)
{
	return tree->nodes[tree->leaves[leaf]].id;
}

/* A row's mapping of columns, entered. */
static bool
read_row(struct reader *r, struct cursor *c, int table_index, int row)
{
	const struct template *tpl = r->draft->tpl;
	const struct tpl_table *table = &tpl->tables[table_index];
	struct seen seen;
	seen_start(&seen, r->col_line, table->cols.leaf_count);
	enum step step;
	int next_col = 0, col;
	struct item key, v;
	while ((step = next_leaf_key(c, &seen, &table->cols, &next_col, &key, &col)) == STEP_KEY) {
		int cell = -1;
		if (col < 0) {
			error_at(r, key.pos, _("unknown column '%s' in '%s.%s'"), key.text, table->path,
			         leaf_id(&table->rows, row));
		} else {
			cell = template_cell_at(tpl, table_index, row, col);
			if (tpl->cells[cell].formula >= 0) {
				error_at(r, key.pos, _("%s is computed by the template; remove it from the file"),
				         tpl->cells[cell].id);
				cell = -1;
			}
		}
		if (!cursor_next(c, &v) || !(cell >= 0 ? read_cell(r, c, cell, &v) : skip(c, &v))) {
			step = STEP_FAIL;
			break;
		}
	}
	seen_end(&seen);
	return step == STEP_END;
}

/* The value v of row (-1: a row the table does not have). */
static bool
read_row_value(struct reader *r, struct cursor *c, int table_index, int row, const struct item *v)
{
	const struct tpl_table *table = &r->draft->tpl->tables[table_index];
	if (row < 0 || item_is_null(v))
		return skip(c, v);
	if (v->kind != ITEM_MAPPING) {
		error_at(r, v->pos, _("'%s.%s' must be a mapping of columns, such as {%s: 0}"), table->path,
		         leaf_id(&table->rows, row), leaf_id(&table->cols, 0));
		return skip(c, v);
	}
	return read_row(r, c, table_index, row);
}

static bool
read_table(struct reader *r, struct cursor *c, int table_index, const struct item *map)
{
	const struct tpl_table *table = &r->draft->tpl->tables[table_index];
	if (item_is_null(map))
		return true;
	if (map->kind != ITEM_MAPPING) {
		error_at(r, map->pos, _("'%s' must be a mapping of rows"), table->path);
		return skip(c, map);
	}
	struct seen seen;
	seen_start(&seen, r->row_line, table->rows.leaf_count);
	enum step step;
	int next_row = 0, row;
	struct item key, v;
	while ((step = next_leaf_key(c, &seen, &table->rows, &next_row, &key, &row)) == STEP_KEY) {
		if (row < 0)
			error_at(r, key.pos, _("unknown row '%s' in '%s'"), key.text, table->path);
		if (!cursor_next(c, &v) || !read_row_value(r, c, table_index, row, &v)) {
			step = STEP_FAIL;
			break;
		}
	}
	seen_end(&seen);
	return step == STEP_END;
}

static bool read_path(struct reader *r, struct cursor *c, const char *path, struct srcpos key_pos,
                      const struct item *v);

/* A mapping whose keys continue the dotted table paths (proactive → art20_1 …), entered. */
static bool
read_parts(struct reader *r, struct cursor *c, const char *prefix)
{
	struct seen seen;
	seen_start(&seen, NULL, 0);
	enum step step;
	int unused;
	struct item key, v;
	while ((step = next_leaf_key(c, &seen, NULL, NULL, &key, &unused)) == STEP_KEY) {
		/* (the key's text lasts until the value is read) */
		char small[128];
		size_t prefix_len = strlen(prefix), key_len = strlen(key.text);
		char *path = prefix_len + key_len + 2 <= sizeof small ? small : xmalloc(prefix_len + key_len + 2);
		memcpy(path, prefix, prefix_len);
		path[prefix_len] = '.';
		memcpy(path + prefix_len + 1, key.text, key_len + 1);
		struct srcpos key_pos = key.pos;
		bool ok = cursor_next(c, &v) && read_path(r, c, path, key_pos, &v);
		if (path != small)
			free(path);
		if (!ok) {
			step = STEP_FAIL;
			break;
		}
	}
	seen_end(&seen);
	return step == STEP_END;
}

/* The value v of a key whose path (prefix.key, or the key at the top) names a table, a
 * mapping of further path parts, or nothing the template knows. */
static bool
read_path(struct reader *r, struct cursor *c, const char *path, struct srcpos key_pos, const struct item *v)
{
	const struct template *tpl = r->draft->tpl;
	int table = template_find_table(tpl, path);
	if (table >= 0)
		return read_table(r, c, table, v);
	bool is_prefix = false;
	size_t len = strlen(path);
	for (int t = 0; t < tpl->table_count && !is_prefix; t++)
		is_prefix = !strncmp(tpl->tables[t].path, path, len) && tpl->tables[t].path[len] == '.';
	if (!is_prefix) {
		error_at(r, key_pos, _("unknown key '%s' (not in template %s)"), path, tpl->id);
		return skip(c, v);
	}
	if (v->kind != ITEM_MAPPING) {
		error_at(r, v->pos, _("'%s' must be a mapping"), path);
		return skip(c, v);
	}
	return read_parts(r, c, path);
}

/* The value v of key, a key at the top that is not one of the header's. */
static bool
read_body(struct reader *r, struct cursor *c, const char *key, struct srcpos key_pos, const struct item *v)
{
	struct draft *d = r->draft;
	int text = template_find_text(d->tpl, key);
	if (text < 0)
		return read_path(r, c, key, key_pos, v);
	d->text_pos[text] = v->pos;
	if (v->kind != ITEM_SCALAR) {
		error_at(r, v->pos, _("'%s' must be a single value, not a list or mapping"), key);
		return skip(c, v);
	}
	if (!item_is_null(v))
		draft_take_text(d, text, cursor_take_text(c, v));
	return true;
}

static bool
is_header_key(const char *key)
{
	static const char *const keys[] = {"nianbao", "template", "organization", "year", "previous", "sources"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i][0] == key[0] && !strcmp(keys[i], key))
			return true;
	return false;
}

static void
read_header(struct reader *r, const struct ynode *root)
{
	struct draft *d = r->draft;
	const struct ynode *node = ynode_get(root, "nianbao");
	if (!node)
		error_at(r, root->pos, _("missing 'nianbao: 1' (is this a nianbao draft?)"));
	else if (node->kind != YNODE_SCALAR || strcmp(node->scalar, "1"))
		error_at(r, node->pos, _("unsupported draft format version (expected 'nianbao: 1')"));
	if ((node = ynode_get(root, "organization"))) {
		d->org_pos = node->pos;
		const char *s = expect_scalar(r, node, "organization");
		if (s && !is_null(node)) {
			free(d->organization);
			d->organization = xstrdup(s);
		}
	}
	if ((node = ynode_get(root, "year"))) {
		d->year_pos = node->pos;
		const char *s = expect_scalar(r, node, "year");
		if (s && !is_null(node)) {
			int year = draft_year_parse(s);
			if (!node->plain && year)
				error_at(r, node->pos, _("'year' must be a number, written without quotes (year: %d), not the "
				                         "quoted text \"%s\""), year, s);
			else if (!year)
				error_at(r, node->pos, _("'year' must be a year such as 2021, not '%s'"), s);
			else
				d->year = year;
		}
	}
	if ((node = ynode_get(root, "previous"))) {
		d->previous_pos = node->pos;
		const char *s = expect_scalar(r, node, "previous");
		if (s && !is_null(node))
			d->previous = xstrdup(s);
	}
}

/* `sources:` (DESIGN.md §4.3): a list of {file, organization, sha256[, errors]}. */
static void
read_sources(struct reader *r, const struct ynode *list)
{
	struct draft *d = r->draft;
	d->sources_pos = list->pos;
	if (is_null(list))
		return;
	if (list->kind != YNODE_SEQUENCE) {
		error_at(r, list->pos, _("'sources' must be a list of entries such as '- file: unit.yaml'"));
		return;
	}
	for (size_t i = 0; i < list->count; i++) {
		const struct ynode *entry = list->items[i];
		if (entry->kind != YNODE_MAPPING) {
			error_at(r, entry->pos, _("each entry of 'sources' must be a mapping with file, organization and sha256"));
			continue;
		}
		const char *file = NULL, *org = "", *hash = NULL;
		int errors = 0;
		bool bad = false;
		for (size_t k = 0; k + 1 < entry->count; k += 2) {
			const struct ynode *key = entry->items[k], *value = entry->items[k + 1];
			const char *s = expect_scalar(r, value, key->scalar);
			if (!s) {
				bad = true;
				continue;
			}
			if (!strcmp(key->scalar, "file")) {
				file = is_null(value) ? NULL : s;
			} else if (!strcmp(key->scalar, "organization")) {
				org = is_null(value) ? "" : s;
			} else if (!strcmp(key->scalar, "sha256")) {
				if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64) {
					error_at(r, value->pos, _("'sha256' must be 64 lowercase hexadecimal digits"));
					bad = true;
				}
				hash = s;
			} else if (!strcmp(key->scalar, "errors")) {
				char *end;
				long n = strtol(s, &end, 10);
				if (!value->plain || !*s || *end || n < 0 || n > 1000000) {
					error_at(r, value->pos, _("'errors' must be a whole number such as 3"));
					bad = true;
				}
				errors = (int)n;
			} else {
				error_at(r, key->pos, _("unknown key '%s' in a 'sources' entry (file, organization, sha256, errors)"),
				         key->scalar);
				bad = true;
			}
		}
		if (!file || !file[0]) {
			error_at(r, entry->pos, _("a 'sources' entry needs 'file:'"));
			bad = true;
		}
		if (!hash) {
			error_at(r, entry->pos, _("a 'sources' entry needs 'sha256:'"));
			bad = true;
		}
		if (bad)
			continue;
		draft_add_source(d, file, org, hash, errors);
		d->sources[d->source_count - 1].pos = entry->pos;
	}
}

/* Plainer words for what libyaml said of a file it refused (diags[before...]): a file that
 * is not UTF-8 gets one message at the first bad byte, and a tab gets named. */
static void
explain_yaml_errors(const char *name, const char *bytes, size_t len, struct diag_list *diags, size_t before)
{
	/* libyaml reads every byte to the end of a file it accepts, and refuses bad UTF-8;
	 * so the encoding is checked only here, to replace what libyaml says about it (or
	 * about anything before it) with the plain message. */
	size_t bad = first_bad_utf8((const unsigned char *)bytes, len);
	if (bad < len) {
		diag_truncate(diags, before);
		diag_add(diags, DIAG_ERROR, pos_of_offset(name, bytes, bad),
		         _("the file is not UTF-8 (byte 0x%02X); save it as UTF-8"), (unsigned char)bytes[bad]);
		return;
	}
	/* say plainly when a tab is what libyaml stumbled on */
	for (size_t i = before; i < diags->count; i++) {
		struct srcpos pos = diags->items[i].pos;
		const char *line = bytes;
		for (int l = 1; l < pos.line && line; l++) {
			line = memchr(line, '\n', len - (size_t)(line - bytes));
			line = line ? line + 1 : NULL;
		}
		size_t rest = line ? len - (size_t)(line - bytes) : 0;
		const char *eol = line ? memchr(line, '\n', rest) : NULL;
		if (line && memchr(line, '\t', eol ? (size_t)(eol - line) : rest) &&
		    !strstr(diags->items[i].message, "tab")) {
			char *more = xasprintf(_("%s (tabs are not allowed in YAML indentation; use spaces)"),
			                       diags->items[i].message);
			free(diags->items[i].message);
			diags->items[i].message = more;
		}
	}
}

/* ---- the whole file ---- */

/* The top mapping as read: every key, with the value of those read whole (the header's,
 * and the body's met before the template was known). */
struct root {
	struct ynode keys;
	struct keyset key_set;
	const struct ynode *other;   /* the root, when it is not a mapping */
};

/* Starts the draft once `template:` is read, so that the body can be read as it comes. */
static void
start_draft(struct reader *r, const struct ynode *tnode, struct diag_list *diags)
{
	if (tnode->kind != YNODE_SCALAR)
		return;   /* said below, once the file is known to be YAML */
	const struct template *tpl = template_cache_get(r->cache, tnode->scalar, tnode->pos, diags);
	if (!tpl) {
		r->template_failed = true;
		return;
	}
	struct draft *d = draft_new(tpl);
	r->draft = d;
	d->template_pos = tnode->pos;
	int rows = 1, cols = 1;
	for (int t = 0; t < tpl->table_count; t++) {
		if (tpl->tables[t].rows.leaf_count > rows)
			rows = tpl->tables[t].rows.leaf_count;
		if (tpl->tables[t].cols.leaf_count > cols)
			cols = tpl->tables[t].cols.leaf_count;
	}
	r->row_line = xcalloc((size_t)rows, sizeof *r->row_line);
	r->col_line = xcalloc((size_t)cols, sizeof *r->col_line);
}

/* Reads every event of the file: the header and anything before the template whole, the
 * rest of the body into the draft as it comes. false when the YAML is wrong. */
static bool
read_events(struct reader *r, struct yparse *yp, struct root *root, struct diag_list *template_diags)
{
	struct cursor c = {.yp = yp, .top = -1};
	if (!yparse_root(yp, &c.ev))
		return false;
	c.held = true;
	if (c.ev.type != YAML_MAPPING_START_EVENT) {
		root->other = yparse_node(yp, &c.ev);
		cursor_release(&c);
		return root->other && yparse_finish(yp);
	}
	bool ok = yparse_enter(yp, &c.ev);
	root->keys = (struct ynode){.kind = YNODE_MAPPING, .pos = yparse_pos(yp, c.ev.start_mark)};
	bool read_whole = false;   /* once a body value is read whole, so is the rest, in order */
	while (ok) {
		struct item key, v;
		enum step step = next_key(&c, &key);
		if (step != STEP_KEY) {
			ok = step == STEP_END;
			break;
		}
		struct ynode *k = yparse_scalar(yp, key.pos, key.text, strlen(key.text), key.plain);
		if (!(ok = yparse_add_key(yp, &root->keys, &root->key_set, k) && cursor_next(&c, &v)))
			break;
		const struct ynode *whole = NULL;
		bool header = is_header_key(k->scalar);
		if (header || !r->draft || read_whole) {
			read_whole |= !header;
			if (!(ok = (whole = cursor_node(&c, &v)) != NULL))
				break;
			if (!strcmp(k->scalar, "template") && !read_whole)
				start_draft(r, whole, template_diags);
		} else {
			ok = read_body(r, &c, k->scalar, k->pos, &v);
		}
		yparse_add_value(yp, &root->keys, (struct ynode *)whole);
	}
	cursor_release(&c);
	return ok && yparse_finish(yp);
}

/* After the file is read as YAML: what the old reader of a whole tree would say, in the
 * same order (template, header, sources, body); the body read as it came is in body. */
static struct draft *
finish_draft(struct reader *r, struct root *root, struct diag_list *template_diags, struct diag_list *body)
{
	diag_move(r->diags, template_diags);
	if (root->other) {
		error_at(r, root->other->pos, _("a draft must be a mapping of keys such as 'template:'"));
		return NULL;
	}
	const struct ynode *tnode = ynode_get(&root->keys, "template");
	if (!tnode) {
		error_at(r, root->keys.pos, _("missing 'template:' (for example 'template: gov-info-2021')"));
		return NULL;
	}
	if (tnode->kind != YNODE_SCALAR) {
		error_at(r, tnode->pos, _("'template' must be a template id such as gov-info-2021"));
		return NULL;
	}
	if (!r->draft && !r->template_failed)
		start_draft(r, tnode, r->diags);
	if (!r->draft) {
		r->failed = true;
		return NULL;
	}
	struct draft *d = r->draft;
	read_header(r, &root->keys);
	const struct ynode *sources = ynode_get(&root->keys, "sources");
	if (sources)
		read_sources(r, sources);
	for (size_t i = 0; i + 1 < root->keys.count; i += 2) {
		const struct ynode *key = root->keys.items[i], *value = root->keys.items[i + 1];
		if (!value || is_header_key(key->scalar))
			continue;
		struct cursor c = {.first = value, .top = -1};
		struct item v;
		cursor_next(&c, &v);
		read_body(r, &c, key->scalar, key->pos, &v);
	}
	diag_move(r->diags, body);
	template_recompute_all(d->tpl, d->cells);
	return d;
}

/* Reads the draft from yp's events. When the file is not YAML a reader can take, NULL
 * with only YAML's errors added to diags, and *yaml_ok false. */
static struct draft *
load_events(const char *name, struct yparse *yp, struct template_cache *cache, struct diag_list *diags,
            bool *yaml_ok)
{
	/* YAML's errors (the first stops the reading) come alone: what was said of the draft
	 * before one was found is dropped; else the template's, the header's and the body's,
	 * in that order */
	struct reader r = {.name = name, .cache = cache};
	struct diag_list yaml_errors = {0}, template_diags = {0}, body = {0};
	yp->diags = &yaml_errors;
	struct root root = {0};
	r.diags = &body;
	*yaml_ok = read_events(&r, yp, &root, &template_diags);
	r.diags = diags;
	diag_move(diags, &yaml_errors);
	struct draft *d = NULL;
	if (*yaml_ok)
		d = finish_draft(&r, &root, &template_diags, &body);
	free(root.key_set.slots);
	free(r.row_line);
	free(r.col_line);
	diag_free(&template_diags);
	diag_free(&body);
	if (!d || r.failed) {
		draft_free(r.draft);
		return NULL;
	}
	return d;
}

struct draft *
draft_load_buffer(const char *name, const char *bytes, size_t len, struct template_cache *cache,
                  struct diag_list *diags)
{
	/* A byte-order mark is what Windows editors put first; it carries no meaning here. */
	if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
		bytes += 3;
		len -= 3;
	}
	const char *nul = memchr(bytes, '\0', len);
	if (nul) {
		diag_add(diags, DIAG_ERROR, pos_of_offset(name, bytes, (size_t)(nul - bytes)),
		         _("the file contains a NUL byte; it is not a text file"));
		return NULL;
	}
	size_t space = 0;
	while (space < len && bytes[space] && strchr(" \t\r\n", bytes[space]))
		space++;
	if (space == len) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){name, 1, 1}, _("the file is empty"));
		return NULL;
	}
	size_t before = diags->count;
	struct yparse yp;
	yparse_open(&yp, name, bytes, len, NULL);
	bool yaml_ok;
	struct draft *d = load_events(name, &yp, cache, diags, &yaml_ok);
	yparse_close(&yp);
	if (!yaml_ok)
		explain_yaml_errors(name, bytes, len, diags, before);
	return d;
}

/* A draft is read straight from its file into libyaml (no copy of the whole file) when it
 * is a regular file within the limit that libyaml reads to its end. Anything else, such
 * as a file that is not YAML or has a NUL byte, is read again by draft_load_buffer, which
 * says what is wrong. */
struct fd_input {
	int fd;
	size_t total;
	bool started;
	bool failed;
};

static int
read_fd(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct fd_input *in = data;
	ssize_t n;
	do
		n = read(in->fd, buffer, size);
	while (n < 0 && errno == EINTR);
	in->total += n > 0 ? (size_t)n : 0;
	/* (a first read too short to hold a byte-order mark is left to the other way) */
	if (n < 0 || in->total > DRAFT_MAX_BYTES || (!in->started && n > 0 && n < 3)) {
		in->failed = true;
		return 0;
	}
	if (!in->started && n >= 3 && !memcmp(buffer, "\xEF\xBB\xBF", 3)) {
		memmove(buffer, buffer + 3, (size_t)n - 3);
		n -= 3;
	}
	in->started = true;
	*size_read = (size_t)n;
	return 1;
}

/* The draft at path read straight from its open file fd (closed here) with the fstat st;
 * *done false when it must be read the other way (nothing is added to diags then). */
static struct draft *
load_fd(const char *path, int fd, const struct stat *st, struct template_cache *cache, struct diag_list *diags,
        bool *done)
{
	*done = false;
	if (!S_ISREG(st->st_mode) || (uintmax_t)st->st_size > DRAFT_MAX_BYTES) {
		close(fd);
		return NULL;
	}
	struct fd_input in = {.fd = fd};
	struct yparse yp;
	yparse_open_input(&yp, path, read_fd, &in, NULL);
	size_t before = diags->count;
	bool yaml_ok;
	struct draft *d = load_events(path, &yp, cache, diags, &yaml_ok);
	yparse_close(&yp);
	close(fd);
	if (yaml_ok && !in.failed) {
		*done = true;
		return d;
	}
	draft_free(d);
	diag_truncate(diags, before);
	return NULL;
}

struct draft *
draft_load_open(const char *path, int fd, const struct stat *st, struct template_cache *cache,
                struct diag_list *diags)
{
	bool done = false;
	struct draft *d = fd >= 0 ? load_fd(path, fd, st, cache, diags, &done) : NULL;
	if (!done) {
		size_t len;
		char *bytes = read_file(path, DRAFT_MAX_BYTES, &len, diags);
		if (!bytes)
			return NULL;
		d = draft_load_buffer(path, bytes, len, cache, diags);
		free(bytes);
	}
	if (d)
		d->path = xstrdup(path);
	return d;
}

struct draft *
draft_load(const char *path, struct template_cache *cache, struct diag_list *diags)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) != 0) {
		close(fd);
		fd = -1;
	}
	return draft_load_open(path, fd, &st, cache, diags);
}

struct draft *
draft_load_previous(const struct draft *d, struct template_cache *cache, struct diag_list *diags)
{
	if (!d->previous || !d->previous[0])
		return NULL;
	char *path;
	const char *slash = d->path ? strrchr(d->path, '/') : NULL;
	if (d->previous[0] == '/' || !slash)
		path = xstrdup(d->previous);
	else
		path = xasprintf("%.*s/%s", (int)(slash - d->path), d->path, d->previous);
	struct diag_list inner = {0};
	struct draft *prev = draft_load(path, cache, &inner);
	if (!prev) {
		struct srcpos pos = d->previous_pos;
		pos.file = d->path;
		diag_add(diags, DIAG_WARNING, pos,
		         _("last year's draft %s could not be read; the carry-over checks were skipped"), path);
		for (size_t i = 0; i < inner.count; i++)
			diag_add(diags, DIAG_WARNING, inner.items[i].pos, "%s", inner.items[i].message);
	}
	diag_free(&inner);
	free(path);
	return prev;
}
