#include <config.h>

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/bytescan.h"
#include "nianbao/draft.h"
#include "nianbao/i18n.h"
#include "nianbao/paths.h"

struct template_cache {
	char *dir;
	struct cached {
		char *id;
		struct template *tpl;   /* NULL when loading failed */
		struct diag_list diags; /* why it failed, replayed for every draft naming it */
	} *items;
	size_t count;
};

struct template_cache *
template_cache_new(const char *dir)
{
	struct template_cache *cache = xcalloc(1, sizeof *cache);
	cache->dir = xstrdup(dir ? dir : paths_templates_dir());
	return cache;
}

const struct template *
template_cache_get(struct template_cache *cache, const char *id, struct srcpos pos, struct diag_list *diags)
{
	struct cached *hit = NULL;
	for (size_t i = 0; i < cache->count && !hit; i++)
		if (!strcmp(cache->items[i].id, id))
			hit = &cache->items[i];
	if (!hit) {
		cache->items = xrealloc(cache->items, (cache->count + 1) * sizeof *cache->items);
		hit = &cache->items[cache->count++];
		*hit = (struct cached){.id = xstrdup(id)};
		bool plain = id[0] != '\0' && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(id);
		if (plain)
			hit->tpl = template_load_id(cache->dir, id, &hit->diags);
	}
	if (!hit->tpl) {
		if (hit->diags.count == 1 && !hit->diags.items[0].pos.file)
			diag_add(diags, DIAG_ERROR, pos, "%s", hit->diags.items[0].message);
		else if (hit->diags.count == 0)
			diag_add(diags, DIAG_ERROR, pos, _("template '%s' is not installed (see 'nianbao templates')"), id);
		else {
			diag_add(diags, DIAG_ERROR, pos, _("template '%s' is broken:"), id);
			for (size_t i = 0; i < hit->diags.count; i++)
				diag_add(diags, DIAG_ERROR, hit->diags.items[i].pos, "%s", hit->diags.items[i].message);
		}
	}
	return hit->tpl;
}

void
template_cache_free(struct template_cache *cache)
{
	if (!cache)
		return;
	for (size_t i = 0; i < cache->count; i++) {
		free(cache->items[i].id);
		template_free(cache->items[i].tpl);
		diag_free(&cache->items[i].diags);
	}
	free(cache->items);
	free(cache->dir);
	free(cache);
}

struct draft *
draft_new(const struct template *tpl)
{
	struct draft *d = xcalloc(1, sizeof *d);
	d->tpl = tpl;
	d->organization = xstrdup("");
	d->cells = xcalloc((size_t)tpl->cell_count, sizeof *d->cells);
	d->texts = xcalloc((size_t)tpl->text_count, sizeof *d->texts);
	d->cell_pos = xcalloc((size_t)tpl->cell_count, sizeof *d->cell_pos);
	d->text_pos = xcalloc((size_t)tpl->text_count, sizeof *d->text_pos);
	return d;
}

void
draft_free(struct draft *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->tpl->text_count; i++)
		free(d->texts[i]);
	free(d->texts);
	free(d->cells);
	free(d->cell_issue);
	if (d->cell_written)
		for (int i = 0; i < d->tpl->cell_count; i++)
			free(d->cell_written[i]);
	free(d->cell_written);
	free(d->cell_pos);
	free(d->text_pos);
	free(d->organization);
	free(d->previous);
	free(d->path);
	for (size_t i = 0; i < d->source_count; i++) {
		free(d->sources[i].file);
		free(d->sources[i].organization);
		free(d->sources[i].sha256);
	}
	free(d->sources);
	free(d);
}

void
draft_add_source(struct draft *d, const char *file, const char *organization, const char *sha256, int errors)
{
	d->sources = xrealloc(d->sources, (d->source_count + 1) * sizeof *d->sources);
	d->sources[d->source_count++] = (struct draft_source){
		.file = xstrdup(file),
		.organization = xstrdup(organization ? organization : ""),
		.sha256 = xstrdup(sha256 ? sha256 : ""),
		.errors = errors,
	};
}

struct draft *
draft_clone(const struct draft *src)
{
	const struct template *tpl = src->tpl;
	struct draft *d = draft_new(tpl);
	free(d->organization);
	d->organization = xstrdup(src->organization);
	d->year = src->year;
	d->previous = src->previous ? xstrdup(src->previous) : NULL;
	d->path = src->path ? xstrdup(src->path) : NULL;
	memcpy(d->cells, src->cells, (size_t)tpl->cell_count * sizeof *d->cells);
	memcpy(d->cell_pos, src->cell_pos, (size_t)tpl->cell_count * sizeof *d->cell_pos);
	memcpy(d->text_pos, src->text_pos, (size_t)tpl->text_count * sizeof *d->text_pos);
	if (src->cell_issue) {
		d->cell_issue = xmalloc((size_t)tpl->cell_count);
		memcpy(d->cell_issue, src->cell_issue, (size_t)tpl->cell_count);
	}
	if (src->cell_written) {
		d->cell_written = xcalloc((size_t)tpl->cell_count, sizeof *d->cell_written);
		for (int i = 0; i < tpl->cell_count; i++)
			d->cell_written[i] = src->cell_written[i] ? xstrdup(src->cell_written[i]) : NULL;
	}
	for (int i = 0; i < tpl->text_count; i++)
		d->texts[i] = src->texts[i] ? xstrdup(src->texts[i]) : NULL;
	d->org_pos = src->org_pos;
	d->year_pos = src->year_pos;
	d->template_pos = src->template_pos;
	d->previous_pos = src->previous_pos;
	for (size_t i = 0; i < src->source_count; i++) {
		const struct draft_source *s = &src->sources[i];
		draft_add_source(d, s->file, s->organization, s->sha256, s->errors);
		d->sources[i].pos = s->pos;
	}
	d->sources_pos = src->sources_pos;
	return d;
}

char *
draft_normalize_text(const char *text)
{
	size_t len = strlen(text);
	char *out = xmalloc(len + 1);
	size_t n = 0, line_start = 0;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\r' && text[i + 1] == '\n')
			continue;
		if (c == '\r')
			c = '\n';
		if (c == '\n' || c == '\0') {
			while (n > line_start && (out[n - 1] == ' ' || out[n - 1] == '\t'))
				n--;
			if (c == '\0')
				break;
			out[n++] = '\n';
			line_start = n;
			continue;
		}
		if (c < 0x20 && c != '\t')
			continue;   /* other control characters cannot be kept in a YAML block */
		if (c == 0x7f)
			continue;
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == '\n')
		n--;
	size_t start = 0;
	while (start < n && out[start] == '\n')
		start++;
	memmove(out, out + start, n - start);
	out[n - start] = '\0';
	return out;
}

/* Whether draft_normalize_text would return text as it is, or with only its trailing line
 * ends cut (as a YAML block scalar keeps one); stores the length to keep in *len. One light
 * pass, so that a text read from a file is copied once, not rebuilt byte by byte. */
static bool
text_is_normal(const char *text, size_t *len)
{
	const unsigned char *p = (const unsigned char *)text;
	if (p[0] == '\n')
		return false;
	size_t n = strlen(text);
	if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		return false;   /* a trailing space at the end */
	size_t i = 0;
	for (;; i++) {
		/* to the next control character, eight bytes at a time (bytescan.h) */
		i = bytescan_control(text, i, n);
		unsigned char c = p[i];
		if (c == '\0')
			break;
		if (c == '\n') {
			if (p[i - 1] == ' ' || p[i - 1] == '\t')
				return false;   /* a trailing space (i > 0: p[0] is no line end) */
			size_t j = i + 1;
			while (p[j] == '\n')
				j++;
			if (p[j] == '\0')
				break;          /* trailing line ends, cut */
			i = j - 1;
		} else if (c != '\t') {
			return false;       /* CR or another control character */
		}
	}
	*len = i;
	return true;
}

void
draft_take_text(struct draft *d, int text, char *value)
{
	free(d->texts[text]);
	d->texts[text] = NULL;
	size_t len;
	if (text_is_normal(value, &len)) {
		value[len] = '\0';
		if (len)
			d->texts[text] = value;
		else
			free(value);
		return;
	}
	char *norm = draft_normalize_text(value);
	free(value);
	if (norm[0])
		d->texts[text] = norm;
	else
		free(norm);
}

void
draft_set_text(struct draft *d, int text, const char *value)
{
	if (value) {
		draft_take_text(d, text, xstrdup(value));
	} else {
		free(d->texts[text]);
		d->texts[text] = NULL;
	}
}

int
draft_year_parse(const char *s)
{
	char *end;
	long year = strtol(s, &end, 10);
	return *s && !*end && draft_year_valid(year) ? (int)year : 0;
}

void
draft_set_cell(struct draft *d, int cell, struct value value)
{
	d->cells[cell] = value;
	if (d->cell_issue)
		d->cell_issue[cell] = VALUE_OK;
	template_recompute_from(d->tpl, d->cells, cell);
}

/* Copies last year's row `from` into this year's row `to`, column by column id. */
static void
carry_row(struct draft *d, const struct draft *last, const struct tpl_carry *carry)
{
	const struct template *tpl = d->tpl;
	const char *dot = strrchr(carry->to, '.');
	char *table_path = xstrndup(carry->to, (size_t)(dot - carry->to));
	int table = template_find_table(tpl, table_path);
	free(table_path);
	if (table < 0)
		return;
	const struct tpl_table *t = &tpl->tables[table];
	for (int c = 0; c < t->cols.leaf_count; c++) {
		const char *col = t->cols.nodes[t->cols.leaves[c]].id;
		char *to_id = xasprintf("%s.%s", carry->to, col);
		char *from_id = xasprintf("%s.%s", carry->from, col);
		int to = template_find_cell(tpl, to_id), from = template_find_cell(last->tpl, from_id);
		if (to >= 0 && from >= 0 && tpl->cells[to].formula < 0)
			draft_set_cell(d, to, last->cells[from]);
		free(to_id);
		free(from_id);
	}
}

struct draft *
draft_carry_over(const struct draft *last, const struct template *tpl, const char *previous)
{
	struct draft *d = draft_new(tpl);
	free(d->organization);
	d->organization = xstrdup(last->organization);
	d->year = draft_next_year(last->year);
	d->previous = previous ? xstrdup(previous) : NULL;
	for (int c = 0; c < tpl->carry_count; c++)
		carry_row(d, last, &tpl->carries[c]);
	for (int x = 0; x < tpl->text_count; x++) {
		int there = template_find_text(last->tpl, tpl->texts[x].id);
		if (there >= 0 && last->texts[there])
			d->texts[x] = xstrdup(last->texts[there]);
	}
	return d;
}

struct srcpos
draft_cell_pos(const struct draft *d, int cell)
{
	if (d->cell_pos[cell].line)
		return d->cell_pos[cell];
	const struct template *tpl = d->tpl;
	const struct tpl_cell *c = &tpl->cells[cell];
	const struct tpl_table *table = &tpl->tables[c->table];
	/* a computed cell: the first located cell of its row, else of its column, else of its table */
	for (int col = 0; col < table->cols.leaf_count; col++) {
		int other = template_cell_at(tpl, c->table, c->row, col);
		if (d->cell_pos[other].line)
			return d->cell_pos[other];
	}
	for (int row = 0; row < table->rows.leaf_count; row++) {
		int other = template_cell_at(tpl, c->table, row, c->col);
		if (d->cell_pos[other].line)
			return d->cell_pos[other];
	}
	for (int other = table->first_cell; other < table->first_cell + table->rows.leaf_count * table->cols.leaf_count; other++)
		if (d->cell_pos[other].line)
			return d->cell_pos[other];
	return d->template_pos;
}

/* The relative path from directory from to directory to, both absolute and canonical,
 * ending in '/' unless empty ("" when they are the same). */
static char *
relative_dir(const char *from, const char *to)
{
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool from_end = from[i] == '\0' || from[i] == '/', to_end = to[i] == '\0' || to[i] == '/';
		if (from_end && to_end)
			common = i;
		if (from[i] != to[i] || !from[i])
			break;
	}
	/* from[common] and to[common] end the last shared component */
	int ups = 0;
	for (const char *p = from + common; *p; p++)
		if (*p == '/' && p[1])
			ups++;
	const char *down = to + common;
	while (*down == '/')
		down++;
	size_t len = (size_t)ups * 3 + strlen(down) + 2;
	char *out = xmalloc(len);
	out[0] = '\0';
	for (int i = 0; i < ups; i++)
		strcat(out, "../");
	if (*down) {
		strcat(out, down);
		strcat(out, "/");
	}
	return out;
}

char *
draft_previous_reference(const char *last_path, const char *new_path)
{
	char *last_copy = xstrdup(last_path), *new_copy = xstrdup(new_path), *base_copy = xstrdup(last_path);
	char *last_dir = realpath(dirname(last_copy), NULL);
	char *new_dir = realpath(dirname(new_copy), NULL);
	char *ref;
	if (last_dir && new_dir) {
		char *rel = relative_dir(new_dir, last_dir);
		ref = xasprintf("%s%s", rel, basename(base_copy));
		free(rel);
	} else {
		char *abs = realpath(last_path, NULL);
		ref = abs ? abs : xstrdup(last_path);
	}
	free(last_dir);
	free(new_dir);
	free(last_copy);
	free(new_copy);
	free(base_copy);
	return ref;
}
