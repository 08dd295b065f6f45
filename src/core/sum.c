#include <config.h>

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nianbao/atomicio.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/sha256.h"
#include "nianbao/sum.h"

/* How many units an error names before "and N more". */
#define NAMED_MAX 5

struct unit {
	char *path;
	char *organization;
	const char *template_id;   /* not owned (the template cache's) */
	int year;
	dev_t dev;
	ino_t ino;
	bool has_id;
	bool refused;   /* a duplicate organization: kept only for the file index */
};

/* Units with one template and year. */
struct group {
	char *template_id;
	int year;
	size_t count;
	size_t examples[NAMED_MAX];   /* unit indices */
	const struct template *tpl;   /* not owned */
};

/* Per input cell: the running total and the units where it is blank. */
struct cell_sum {
	int64_t total;
	bool overflow;
	size_t blank_count;
	size_t blank_units[NAMED_MAX];
};

/* Open addressing over unit indices + 1 (0 is empty). */
struct index {
	size_t *slots;
	size_t cap;
	size_t used;
};

struct sum {
	int year_asked;
	char *out_dir;
	struct unit *units;
	size_t count;
	size_t cap;
	struct group *groups;
	size_t group_count;
	struct cell_sum *cells;       /* for the first group's template */
	const struct template *tpl;
	struct index by_org;
	struct index by_file;
	struct draft_source *sources;
};

static uint64_t
hash_bytes(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static uint64_t
org_hash(const struct unit *u)
{
	uint64_t h = hash_bytes(u->organization, strlen(u->organization), 14695981039346656037ULL);
	return hash_bytes(&u->year, sizeof u->year, h);
}

static uint64_t
file_hash(const struct unit *u)
{
	uint64_t h = hash_bytes(&u->dev, sizeof u->dev, 14695981039346656037ULL);
	return hash_bytes(&u->ino, sizeof u->ino, h);
}

static bool
same_org(const struct unit *a, const struct unit *b)
{
	/* one organization in two years or formats is a mismatch, reported as such */
	return !strcmp(a->organization, b->organization) && a->year == b->year && !strcmp(a->template_id, b->template_id);
}

static bool
same_file(const struct unit *a, const struct unit *b)
{
	return a->has_id && b->has_id && a->dev == b->dev && a->ino == b->ino;
}

/* Finds a unit equal to units[k] (by eq) or inserts k; returns the index found or SIZE_MAX. */
static size_t
index_find_or_add(struct index *ix, const struct unit *units, size_t k, uint64_t (*hash)(const struct unit *),
                  bool (*eq)(const struct unit *, const struct unit *))
{
	if (2 * (ix->used + 1) > ix->cap) {
		size_t cap = ix->cap ? 2 * ix->cap : 64;
		size_t *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < ix->cap; i++) {
			if (!ix->slots[i])
				continue;
			size_t j = hash(&units[ix->slots[i] - 1]) & (cap - 1);
			while (slots[j])
				j = (j + 1) & (cap - 1);
			slots[j] = ix->slots[i];
		}
		free(ix->slots);
		ix->slots = slots;
		ix->cap = cap;
	}
	size_t j = hash(&units[k]) & (ix->cap - 1);
	while (ix->slots[j]) {
		if (eq(&units[ix->slots[j] - 1], &units[k]))
			return ix->slots[j] - 1;
		j = (j + 1) & (ix->cap - 1);
	}
	ix->slots[j] = k + 1;
	ix->used++;
	return SIZE_MAX;
}

struct sum *
sum_new(int year, const char *out_path)
{
	struct sum *s = xcalloc(1, sizeof *s);
	s->year_asked = year;
	char *copy = xstrdup(out_path ? out_path : "./x");
	s->out_dir = xstrdup(dirname(copy));
	free(copy);
	return s;
}

void
sum_free(struct sum *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count; i++) {
		free(s->units[i].path);
		free(s->units[i].organization);
		free(s->sources[i].file);
		free(s->sources[i].organization);
		free(s->sources[i].sha256);
	}
	for (size_t g = 0; g < s->group_count; g++)
		free(s->groups[g].template_id);
	free(s->groups);
	free(s->units);
	free(s->sources);
	free(s->cells);
	free(s->by_org.slots);
	free(s->by_file.slots);
	free(s->out_dir);
	free(s);
}

size_t
sum_count(const struct sum *s)
{
	return s->count;
}

/* "甲局 (units/a.yaml)", or the file alone when the organization is empty. */
static char *
unit_name(const struct unit *u)
{
	return u->organization[0] ? xasprintf("%s (%s)", u->organization, u->path) : xstrdup(u->path);
}

static struct group *
group_of(struct sum *s, const struct template *tpl, int year)
{
	for (size_t g = 0; g < s->group_count; g++)
		if (!strcmp(s->groups[g].template_id, tpl->id) && s->groups[g].year == year)
			return &s->groups[g];
	s->groups = xrealloc(s->groups, (s->group_count + 1) * sizeof *s->groups);
	struct group *g = &s->groups[s->group_count++];
	*g = (struct group){.template_id = xstrdup(tpl->id), .year = year, .tpl = tpl};
	return g;
}

bool
sum_add(struct sum *s, const struct draft *unit, const char *path, const char *sha256, int errors,
        struct diag_list *diags)
{
	if (s->count == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->units = xrealloc(s->units, s->cap * sizeof *s->units);
		s->sources = xrealloc(s->sources, s->cap * sizeof *s->sources);
	}
	size_t k = s->count;
	struct unit *u = &s->units[k];
	*u = (struct unit){.path = xstrdup(path), .organization = xstrdup(unit->organization), .template_id = unit->tpl->id,
	                   .year = unit->year};
	struct stat st;
	if (stat(path, &st) == 0) {
		u->dev = st.st_dev;
		u->ino = st.st_ino;
		u->has_id = true;
	}
	struct srcpos pos = {path, unit->org_pos.line, unit->org_pos.col};
	size_t twin = u->has_id ? index_find_or_add(&s->by_file, s->units, k, file_hash, same_file) : SIZE_MAX;
	if (twin != SIZE_MAX) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("the same file is given twice (also as %s); each unit is summed once"), s->units[twin].path);
		free(u->path);
		free(u->organization);
		return false;
	}
	twin = u->organization[0] ? index_find_or_add(&s->by_org, s->units, k, org_hash, same_org) : SIZE_MAX;
	if (twin != SIZE_MAX) {
		diag_add(diags, DIAG_ERROR, pos, _("the unit '%s' is already in the sum from %s; each unit is summed once"),
		         u->organization, s->units[twin].path);
		/* the file was indexed above: leave the unit in place so the index stays valid,
		 * but it is not summed and the sum is refused by the caller */
		u->refused = true;
		s->count++;
		s->sources[k] = (struct draft_source){.file = xstrdup(path), .organization = xstrdup(""), .sha256 = xstrdup("")};
		return false;
	}
	s->count++;
	char *rel = sum_relative_path(s->out_dir, path);
	s->sources[k] = (struct draft_source){
		.file = rel, .organization = xstrdup(unit->organization), .sha256 = xstrdup(sha256), .errors = errors};

	struct group *g = group_of(s, unit->tpl, unit->year);
	if (g->count < NAMED_MAX)
		g->examples[g->count] = k;
	g->count++;
	if (s->year_asked && unit->year != s->year_asked)
		return true;   /* reported at sum_finish with the other odd ones */
	if (!s->tpl) {
		s->tpl = unit->tpl;
		s->cells = xcalloc((size_t)s->tpl->cell_count, sizeof *s->cells);
	}
	if (unit->tpl != s->tpl)
		return true;
	const struct template *tpl = s->tpl;
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0)
			continue;
		struct cell_sum *cs = &s->cells[c];
		struct value v = unit->cells[c];
		if (!v.set) {
			if (cs->blank_count < NAMED_MAX)
				cs->blank_units[cs->blank_count] = k;
			cs->blank_count++;
		} else if (__builtin_add_overflow(cs->total, v.scaled, &cs->total)) {
			cs->overflow = true;
		}
	}
	return true;
}

/* Names up to NAMED_MAX units and "and N more". */
static char *
name_units(const struct sum *s, const size_t *which, size_t shown, size_t total)
{
	char *list = xstrdup("");
	for (size_t i = 0; i < shown; i++) {
		char *name = unit_name(&s->units[which[i]]);
		char *next = xasprintf("%s%s%s", list, i ? _(", ") : "", name);
		free(name);
		free(list);
		list = next;
	}
	if (total > shown) {
		char *more = xasprintf(P_("%s and %zu more", "%s and %zu more", total - shown), list, total - shown);
		free(list);
		list = more;
	}
	return list;
}

/* The template and year all units should share: the year asked, else the most common. */
static const struct group *
norm_group(const struct sum *s)
{
	const struct group *best = NULL;
	for (size_t g = 0; g < s->group_count; g++) {
		const struct group *gr = &s->groups[g];
		if (s->year_asked && gr->year != s->year_asked)
			continue;
		if (!best || gr->count > best->count)
			best = gr;
	}
	return best;
}

struct draft *
sum_finish(struct sum *s, struct template_cache *cache, const char *organization, struct diag_list *diags)
{
	(void)cache;
	if (s->count == 0) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("no unit drafts to sum"));
		return NULL;
	}
	const struct group *norm = norm_group(s);
	bool mismatch = false;
	if (!norm) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0},
		         _("no unit draft is for the year %d asked for with --year"), s->year_asked);
		return NULL;
	}
	for (size_t g = 0; g < s->group_count; g++) {
		const struct group *gr = &s->groups[g];
		if (gr == norm)
			continue;
		mismatch = true;
		char *names = name_units(s, gr->examples, gr->count < NAMED_MAX ? gr->count : NAMED_MAX, gr->count);
		if (strcmp(gr->template_id, norm->template_id) && gr->year != norm->year)
			diag_add(diags, DIAG_ERROR, (struct srcpos){0},
			         P_("%s: template %s and year %d, while %zu unit has template %s and year %d",
			            "%s: template %s and year %d, while %zu units have template %s and year %d", norm->count),
			         names, gr->template_id, gr->year, norm->count, norm->template_id, norm->year);
		else if (strcmp(gr->template_id, norm->template_id))
			diag_add(diags, DIAG_ERROR, (struct srcpos){0},
			         P_("%s: template %s, while %zu unit has template %s",
			            "%s: template %s, while %zu units have template %s", norm->count),
			         names, gr->template_id, norm->count, norm->template_id);
		else
			diag_add(diags, DIAG_ERROR, (struct srcpos){0},
			         P_("%s: year %d, while %zu unit is for %d", "%s: year %d, while %zu units are for %d",
			            norm->count),
			         names, gr->year, norm->count, norm->year);
		free(names);
	}
	if (s->year_asked && norm->year != s->year_asked)
		mismatch = true;
	if (mismatch) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){0},
		         _("all units must share one template and year; nothing was summed"));
		return NULL;
	}
	const struct template *tpl = norm->tpl;
	if (tpl != s->tpl) {
		/* the first unit was the odd one out, so the totals are for the wrong template */
		diag_add(diags, DIAG_ERROR, (struct srcpos){0}, _("internal: the totals are not for %s"), tpl->id);
		return NULL;
	}
	struct draft *d = draft_new(tpl);
	free(d->organization);
	d->organization = xstrdup(organization ? organization : "");
	d->year = norm->year;
	for (int c = 0; c < tpl->cell_count; c++) {
		if (tpl->cells[c].formula >= 0)
			continue;
		const struct cell_sum *cs = &s->cells[c];
		if (cs->blank_count) {
			char *names = name_units(s, cs->blank_units, cs->blank_count < NAMED_MAX ? cs->blank_count : NAMED_MAX,
			                         cs->blank_count);
			char *what = cell_describe(tpl, c);
			diag_add(diags, DIAG_ERROR, (struct srcpos){0},
			         P_("%s (%s) is left blank: it is blank in %zu unit: %s",
			            "%s (%s) is left blank: it is blank in %zu units: %s", cs->blank_count),
			         tpl->cells[c].id, what, cs->blank_count, names);
			free(what);
			free(names);
			continue;
		}
		struct value v = {cs->total, true};
		if (cs->overflow || value_check_range(v, tpl->cells[c].type) != VALUE_OK) {
			char *what = cell_describe(tpl, c);
			diag_add(diags, DIAG_ERROR, (struct srcpos){0},
			         _("%s (%s) is left blank: the total is more than a cell can hold"), tpl->cells[c].id, what);
			free(what);
			continue;
		}
		d->cells[c] = v;
	}
	template_recompute_all(tpl, d->cells);
	/* the entries move into the draft (no copy: a level may have thousands of units) */
	d->sources = xcalloc(s->count, sizeof *d->sources);
	for (size_t i = 0; i < s->count; i++) {
		struct draft_source *src = &s->sources[i];
		if (s->units[i].refused)
			continue;
		d->sources[d->source_count++] = *src;
		*src = (struct draft_source){0};
	}
	return d;
}

char *
sum_relative_path(const char *from_dir, const char *to)
{
	char *dir = realpath(from_dir, NULL);
	char *to_copy = xstrdup(to);
	char *to_dir = realpath(dirname(to_copy), NULL);
	free(to_copy);
	char *base_copy = xstrdup(to);
	char *base = xstrdup(basename(base_copy));
	free(base_copy);
	char *result;
	/* units and the level's draft on unrelated paths (/tmp and /home): the absolute path */
	bool unrelated = dir && to_dir && strcmp(dir, "/") && strcmp(to_dir, "/") &&
	                 strcspn(dir + 1, "/") == strcspn(to_dir + 1, "/") &&
	                 !strncmp(dir, to_dir, strcspn(dir + 1, "/") + 1)
	                     ? false
	                     : dir && to_dir;
	if (unrelated) {
		result = xasprintf("%s%s%s", to_dir, strcmp(to_dir, "/") ? "/" : "", base);
	} else if (!dir || !to_dir) {
		result = to[0] == '/' || !to_dir ? xstrdup(to) : xasprintf("%s/%s", to_dir, base);
	} else {
		/* the shared leading directories, then ".." for each of from's remaining ones */
		size_t common = 0;
		for (size_t i = 0;; i++) {
			bool end_a = dir[i] == '\0' || dir[i] == '/', end_b = to_dir[i] == '\0' || to_dir[i] == '/';
			if (end_a && end_b)
				common = i;
			if (dir[i] != to_dir[i] || !dir[i])
				break;
		}
		if (!strcmp(dir, "/"))
			common = 0;
		char *ups = xstrdup("");
		for (const char *p = dir + common; *p; p++)
			if (*p == '/' && p[1]) {
				char *next = xasprintf("%s../", ups);
				free(ups);
				ups = next;
			}
		const char *rest = to_dir + common;
		while (*rest == '/')
			rest++;
		result = xasprintf("%s%s%s%s", ups, rest, *rest ? "/" : "", base);
		free(ups);
	}
	free(dir);
	free(to_dir);
	free(base);
	return result;
}

bool
sum_hash_file(const char *path, char out[65], struct diag_list *diags)
{
	size_t len;
	char *bytes = read_file(path, DRAFT_MAX_BYTES, &len, diags);
	if (!bytes)
		return false;
	sha256_hex_of(bytes, len, out);
	free(bytes);
	return true;
}

void
sum_check_sources(const struct draft *d, struct template_cache *cache, struct diag_list *diags)
{
	if (!d->source_count)
		return;
	const struct template *tpl = d->tpl;
	char *copy = xstrdup(d->path ? d->path : "./x");
	char *dir = xstrdup(dirname(copy));
	free(copy);
	int64_t *totals = xcalloc((size_t)tpl->cell_count, sizeof *totals);
	bool *blank = xcalloc((size_t)tpl->cell_count, sizeof *blank);
	bool complete = true;   /* every source read and of the same template */
	for (size_t i = 0; i < d->source_count; i++) {
		const struct draft_source *src = &d->sources[i];
		struct srcpos pos = src->pos.line ? src->pos : d->sources_pos;
		pos.file = d->path;
		char *path = src->file[0] == '/' || !strcmp(dir, ".") ? xstrdup(src->file) : xasprintf("%s/%s", dir, src->file);
		struct diag_list inner = {0};
		size_t len;
		char *bytes = read_file(path, DRAFT_MAX_BYTES, &len, &inner);
		if (!bytes) {
			diag_add(diags, DIAG_WARNING, pos, _("[sum-sources] the unit %s cannot be read any more (%s)"), path,
			         inner.count ? inner.items[0].message : "?");
			diag_free(&inner);
			free(path);
			complete = false;
			continue;
		}
		char hex[SHA256_HEX_SIZE];
		sha256_hex_of(bytes, len, hex);
		if (strcmp(hex, src->sha256))
			diag_add(diags, DIAG_WARNING, pos, _("[sum-sources] the unit %s has changed since it was summed; sum again"),
			         path);
		struct draft *unit = draft_load_buffer(path, bytes, len, cache, &inner);
		free(bytes);
		if (!unit || unit->tpl != tpl) {
			if (unit)
				diag_add(diags, DIAG_WARNING, pos, _("[sum-sources] the unit %s is now of template %s, not %s"), path,
				         unit->tpl->id, tpl->id);
			else
				diag_add(diags, DIAG_WARNING, pos, _("[sum-sources] the unit %s cannot be read any more (%s)"), path,
				         inner.count ? inner.items[0].message : "?");
			complete = false;
		} else {
			for (int c = 0; c < tpl->cell_count; c++) {
				if (!unit->cells[c].set)
					blank[c] = true;
				else
					totals[c] += unit->cells[c].scaled;
			}
		}
		draft_free(unit);
		diag_free(&inner);
		free(path);
	}
	if (complete) {
		for (int c = 0; c < tpl->cell_count; c++) {
			if (tpl->cells[c].formula >= 0)
				continue;
			struct value have = d->cells[c];
			bool same = blank[c] ? !have.set : have.set && have.scaled == totals[c];
			if (same)
				continue;
			char a[VALUE_FORMAT_MAX] = "~", b[VALUE_FORMAT_MAX] = "~";
			if (have.set)
				value_format(have, a, sizeof a);
			if (!blank[c])
				value_format((struct value){totals[c], true}, b, sizeof b);
			char *what = cell_describe(tpl, c);
			struct srcpos pos = draft_cell_pos(d, c);
			pos.file = d->path;
			diag_add(diags, DIAG_WARNING, pos,
			         _("[sum-sources] %s (%s) is %s, but the units add up to %s"), tpl->cells[c].id, what, a, b);
			free(what);
		}
	}
	free(totals);
	free(blank);
	free(dir);
}
