#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"
#include "nianbao/ynode.h"


struct reader {
	const char *name;
	struct draft *draft;
	struct template_cache *cache;
	struct diag_list *diags;
	bool failed;
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

static void
read_cell(struct reader *r, int cell, const struct ynode *node)
{
	struct draft *d = r->draft;
	const struct tpl_cell *c = &d->tpl->cells[cell];
	if (d->cell_pos[cell].line > 0) {
		/* the same table reached twice, as `proactive: {art20_1: …}` and `proactive.art20_1:` */
		error_at(r, node->pos, _("%s is given twice (first at line %d, column %d)"), c->id,
		         d->cell_pos[cell].line, d->cell_pos[cell].col);
		return;
	}
	d->cell_pos[cell] = node->pos;
	if (node->kind != YNODE_SCALAR) {
		error_at(r, node->pos, _("%s must be a number or ~, not a list or mapping"), c->id);
		return;
	}
	if (is_null(node)) {
		d->cells[cell] = value_blank();
		return;
	}
	if (!node->plain) {
		error_at(r, node->pos, _("%s must be a number, not text (\"%s\")"), c->id, node->scalar);
		return;
	}
	struct value v;
	enum value_error err = value_parse_lenient(node->scalar, strlen(node->scalar), c->type, &v);
	if (err == VALUE_ERR_SYNTAX) {
		const char *s = node->scalar;
		size_t digits = strspn(s + (s[0] == '-' || s[0] == '+'), "0123456789");
		if (digits > 0 && digits == strlen(s + (s[0] == '-' || s[0] == '+')) && digits > 12)
			error_at(r, node->pos, _("%s: %s is far too large for any cell"), c->id, s);
		else if (!strcmp(s, "-0"))
			error_at(r, node->pos, _("%s: '-0' is not a valid number; write 0"), c->id);
		else
			error_at(r, node->pos, _("%s: '%s' is not a number (write digits only, such as 12)"), c->id, s);
		return;
	}
	d->cells[cell] = v;
	if (err != VALUE_OK) {
		if (!d->cell_issue)
			d->cell_issue = xcalloc((size_t)d->tpl->cell_count, 1);
		d->cell_issue[cell] = (unsigned char)err;
		if (!d->cell_written)
			d->cell_written = xcalloc((size_t)d->tpl->cell_count, sizeof *d->cell_written);
		free(d->cell_written[cell]);
		d->cell_written[cell] = xstrdup(node->scalar);
	}
}

/* The leaf of tree whose id is id, trying leaf expected first; -1 if none. */
static int
leaf_index(const struct tpl_tree *tree, const char *id, int expected)
{
	if (expected < tree->leaf_count && !strcmp(tree->nodes[tree->leaves[expected]].id, id))
		return expected;
	for (int k = 0; k < tree->leaf_count; k++)
		if (!strcmp(tree->nodes[tree->leaves[k]].id, id))
			return k;
	return -1;
}

static void
read_table(struct reader *r, int table_index, const struct ynode *map)
{
	const struct template *tpl = r->draft->tpl;
	const struct tpl_table *table = &tpl->tables[table_index];
	if (is_null(map))
		return;
	if (map->kind != YNODE_MAPPING) {
		error_at(r, map->pos, _("'%s' must be a mapping of rows"), table->path);
		return;
	}
	/* rows and columns are written in the template's order: try the one after the last
	 * found first, then all (ids are unique within a tree, so the answer is the same) */
	int next_row = 0;
	for (size_t i = 0; i + 1 < map->count; i += 2) {
		const struct ynode *key = map->items[i], *row_node = map->items[i + 1];
		int row = leaf_index(&table->rows, key->scalar, next_row);
		next_row = row + 1;
		if (row < 0) {
			error_at(r, key->pos, _("unknown row '%s' in '%s'"), key->scalar, table->path);
			continue;
		}
		if (is_null(row_node))
			continue;
		if (row_node->kind != YNODE_MAPPING) {
			error_at(r, row_node->pos, _("'%s.%s' must be a mapping of columns, such as {%s: 0}"),
			         table->path, key->scalar, table->cols.nodes[table->cols.leaves[0]].id);
			continue;
		}
		int next_col = 0;
		for (size_t j = 0; j + 1 < row_node->count; j += 2) {
			const struct ynode *col_key = row_node->items[j];
			int col = leaf_index(&table->cols, col_key->scalar, next_col);
			next_col = col + 1;
			if (col < 0) {
				error_at(r, col_key->pos, _("unknown column '%s' in '%s.%s'"), col_key->scalar, table->path,
				         key->scalar);
				continue;
			}
			int cell = template_cell_at(tpl, table_index, row, col);
			if (tpl->cells[cell].formula >= 0) {
				error_at(r, col_key->pos, _("%s is computed by the template; remove it from the file"),
				         tpl->cells[cell].id);
				continue;
			}
			read_cell(r, cell, row_node->items[j + 1]);
		}
	}
}

/* Walks a mapping whose keys continue the dotted table paths (proactive → art20_1 …). */
static void
read_tables(struct reader *r, const struct ynode *map, const char *prefix)
{
	const struct template *tpl = r->draft->tpl;
	size_t prefix_len = strlen(prefix);
	for (size_t i = 0; i + 1 < map->count; i += 2) {
		const struct ynode *key = map->items[i], *value = map->items[i + 1];
		char *path = xasprintf("%s%s%s", prefix, prefix_len ? "." : "", key->scalar);
		int table = template_find_table(tpl, path);
		if (table >= 0) {
			read_table(r, table, value);
		} else {
			bool is_prefix = false;
			size_t len = strlen(path);
			for (int t = 0; t < tpl->table_count && !is_prefix; t++)
				is_prefix = !strncmp(tpl->tables[t].path, path, len) && tpl->tables[t].path[len] == '.';
			if (!is_prefix)
				error_at(r, key->pos, _("unknown key '%s' (not in template %s)"), path, tpl->id);
			else if (value->kind != YNODE_MAPPING)
				error_at(r, value->pos, _("'%s' must be a mapping"), path);
			else
				read_tables(r, value, path);
		}
		free(path);
	}
}

static bool
is_header_key(const char *key)
{
	static const char *const keys[] = {"nianbao", "template", "organization", "year", "previous", "sources"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(keys[i], key))
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

static struct draft *
read_draft(struct reader *r, const struct ynode *root)
{
	if (root->kind != YNODE_MAPPING) {
		error_at(r, root->pos, _("a draft must be a mapping of keys such as 'template:'"));
		return NULL;
	}
	const struct ynode *tnode = ynode_get(root, "template");
	if (!tnode) {
		error_at(r, root->pos, _("missing 'template:' (for example 'template: gov-info-2021')"));
		return NULL;
	}
	if (tnode->kind != YNODE_SCALAR) {
		error_at(r, tnode->pos, _("'template' must be a template id such as gov-info-2021"));
		return NULL;
	}
	const struct template *tpl = template_cache_get(r->cache, tnode->scalar, tnode->pos, r->diags);
	if (!tpl) {
		r->failed = true;
		return NULL;
	}
	struct draft *d = draft_new(tpl);
	r->draft = d;
	d->template_pos = tnode->pos;
	read_header(r, root);
	const struct ynode *sources = ynode_get(root, "sources");
	if (sources)
		read_sources(r, sources);
	for (size_t i = 0; i + 1 < root->count; i += 2) {
		const struct ynode *key = root->items[i], *value = root->items[i + 1];
		if (is_header_key(key->scalar))
			continue;
		int text = template_find_text(tpl, key->scalar);
		if (text >= 0) {
			d->text_pos[text] = value->pos;
			const char *s = expect_scalar(r, value, key->scalar);
			if (s && !is_null(value))
				draft_set_text(d, text, s);
			continue;
		}
		struct ynode single = {.kind = YNODE_MAPPING, .pos = root->pos, .count = 2};
		struct ynode *pair[2] = {(struct ynode *)key, (struct ynode *)value};
		single.items = pair;
		read_tables(r, &single, "");
	}
	template_recompute_all(tpl, d->cells);
	return d;
}

struct draft *
draft_load_buffer(const char *name, const char *bytes, size_t len, struct template_cache *cache,
                  struct diag_list *diags)
{
	struct reader r = {.name = name, .cache = cache, .diags = diags};
	/* A byte-order mark is what Windows editors put first; it carries no meaning here. */
	if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
		bytes += 3;
		len -= 3;
	}
	const char *nul = memchr(bytes, '\0', len);
	if (nul) {
		error_at(&r, pos_of_offset(name, bytes, (size_t)(nul - bytes)),
		         _("the file contains a NUL byte; it is not a text file"));
		return NULL;
	}
	size_t space = 0;
	while (space < len && bytes[space] && strchr(" \t\r\n", bytes[space]))
		space++;
	if (space == len) {
		error_at(&r, (struct srcpos){name, 1, 1}, _("the file is empty"));
		return NULL;
	}
	size_t before = diags->count;
	struct ynode *root = ynode_load_buffer(name, bytes, len, diags);
	if (!root) {
		/* libyaml reads every byte to the end of a file it accepts, and refuses bad UTF-8;
		 * so the encoding is checked only here, to replace what libyaml says about it (or
		 * about anything before it) with the plain message. */
		size_t bad = first_bad_utf8((const unsigned char *)bytes, len);
		if (bad < len) {
			for (size_t i = before; i < diags->count; i++) {
				free(diags->items[i].message);
				free((char *)diags->items[i].pos.file);
			}
			diags->count = before;
			error_at(&r, pos_of_offset(name, bytes, bad),
			         _("the file is not UTF-8 (byte 0x%02X); save it as UTF-8"), (unsigned char)bytes[bad]);
			return NULL;
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
		return NULL;
	}
	struct draft *d = read_draft(&r, root);
	ynode_free(root);
	if (r.failed || !d) {
		draft_free(d);
		return NULL;
	}
	return d;
}

struct draft *
draft_load(const char *path, struct template_cache *cache, struct diag_list *diags)
{
	size_t len;
	char *bytes = read_file(path, DRAFT_MAX_BYTES, &len, diags);
	if (!bytes)
		return NULL;
	struct draft *d = draft_load_buffer(path, bytes, len, cache, diags);
	free(bytes);
	if (d)
		d->path = xstrdup(path);
	return d;
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
