#ifndef NIANBAO_DRAFT_H
#define NIANBAO_DRAFT_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/diag.h"
#include "nianbao/template.h"
#include "nianbao/value.h"

/* The report years a draft may carry; the loader refuses any other. */
#define DRAFT_YEAR_MIN 1990
#define DRAFT_YEAR_MAX 2200
/* Drafts are a few kilobytes; anything near this is not a draft. */
#define DRAFT_MAX_BYTES (16u * 1024 * 1024)
static inline bool draft_year_valid(long year) { return year >= DRAFT_YEAR_MIN && year <= DRAFT_YEAR_MAX; }
/* The year written in s ("2021"), or 0 when s is not a whole number that is a valid year. */
int draft_year_parse(const char *s);
/* The year after year, or 0 when year is unknown or the next one would not be valid. */
static inline int draft_next_year(int year) { return year && draft_year_valid((long)year + 1) ? year + 1 : 0; }

/* One unit's draft that a summed draft was made from (`sources:`, written by `nianbao sum`). */
struct draft_source {
	char *file;          /* as written: relative to the summed draft's directory, or absolute */
	char *organization;  /* the unit's organization when summed ("" when unknown) */
	char *sha256;        /* 64 lowercase hex digits of the unit file's bytes when summed */
	int errors;          /* check errors the unit had when summed with --force; 0 normally */
	struct srcpos pos;   /* where the entry is in the file; line 0 when made in memory */
};

/* A draft: the values a clerk filled in for one template (doc/DESIGN.md §4). Computed cells
 * are held too (recomputed, never read from nor written to a file). */
struct draft {
	const struct template *tpl;  /* not owned */
	char *path;                  /* where it was loaded from, NULL for a new draft */
	char *organization;          /* never NULL ("" when unknown) */
	int year;                    /* 0 when unknown, else draft_year_valid */
	char *previous;              /* `previous:` as written, NULL if none */
	struct value *cells;         /* tpl->cell_count */
	/* tpl->cell_count or NULL: a value_error found on load for a number that is well
	 * formed but out of range for its cell (-1, 1.5 in a count, 5 decimals). The value
	 * is kept as read (decimals beyond 6 cut off) and the `range` check reports it. */
	unsigned char *cell_issue;
	/* tpl->cell_count or NULL: for a cell with an issue, the number exactly as written in
	 * the file ("1.", "1.50"), so that the message quotes it; NULL for the others */
	char **cell_written;
	char **texts;                /* tpl->text_count; NULL when absent or empty */
	/* where each item was found in the file; line 0 when absent */
	struct srcpos *cell_pos;
	struct srcpos *text_pos;
	struct srcpos org_pos, year_pos, template_pos, previous_pos;
	/* `sources:`: the units a summed draft adds up (DESIGN.md §4.3); NULL and 0 otherwise */
	struct draft_source *sources;
	size_t source_count;
	struct srcpos sources_pos;
};

/* A set of loaded templates, so that checking many drafts reads each template once. */
struct template_cache;
struct template_cache *template_cache_new(const char *dir);  /* NULL: paths_templates_dir() */
/* Returns the template (owned by the cache) or NULL with an error at pos in diags. */
const struct template *template_cache_get(struct template_cache *cache, const char *id,
                                          struct srcpos pos, struct diag_list *diags);
void template_cache_free(struct template_cache *cache);

/* A blank draft: every cell blank, no texts. */
struct draft *draft_new(const struct template *tpl);
void draft_free(struct draft *draft);
struct draft *draft_clone(const struct draft *draft);

/* Reads a draft strictly; on any error returns NULL with FILE:LINE:COL diagnostics.
 * Never modifies the file. */
struct draft *draft_load(const char *path, struct template_cache *cache, struct diag_list *diags);
/* draft_load of path, whose file is open as fd with the fstat st (batch_take_file): read
 * from fd, which it closes. */
struct stat;
struct draft *draft_load_open(const char *path, int fd, const struct stat *st, struct template_cache *cache,
                              struct diag_list *diags);
struct draft *draft_load_buffer(const char *name, const char *bytes, size_t len,
                                struct template_cache *cache, struct diag_list *diags);

/* Loads the draft named by `previous:` (relative to the draft's directory). Returns NULL
 * when there is none; problems loading it are appended to diags as warnings. */
struct draft *draft_load_previous(const struct draft *draft, struct template_cache *cache,
                                  struct diag_list *diags);

/* The canonical YAML text (template order, every cell, `~` for blank, `|` blocks).
 * Returns a malloc'd NUL-terminated buffer; *len receives its length. */
char *draft_serialize(const struct draft *draft, size_t *len);

/* Saves atomically (temp file in the same directory, fsync, rename; the old file kept
 * as FILE~). On failure the file on disk is untouched and an error is added to diags. */
bool draft_save(const struct draft *draft, const char *path, struct diag_list *diags);
/* Writes a new draft at path, never replacing anything there (a file that exists, or
 * appears meanwhile, is refused with an error). For `new` and `import`. */
bool draft_save_new(const struct draft *draft, const char *path, struct diag_list *diags);

/* This year's draft started from last year's (doc/DESIGN.md §6): organization copied, year + 1,
 * the template's `carry` rows copied column by column, narrative fields copied, every other
 * cell blank; previous (may be NULL) is recorded as `previous:`. */
struct draft *draft_carry_over(const struct draft *last, const struct template *tpl, const char *previous);

/* Starts this year's draft in memory, for `new` and the editor's create prompt alike
 * (doc/DESIGN.md §6). With from, last year's draft is loaded and carried over, and the new
 * draft's `previous:` names from as seen from path. The year is year when non-zero, else
 * last year's + 1; the template is template_id when set, else the one for the year; org,
 * when set, replaces the organization. Returns NULL with the reason in diags (from cannot
 * be read, no year is known, no template). Writes nothing. */
struct draft *draft_start(const char *path, const char *from, int year, const char *template_id,
                          const char *org, struct template_cache *cache, struct diag_list *diags);

/* How a draft at new_path names last year's at last_path in `previous:`: relative to the
 * new draft's folder (2020.yaml, ../2020/2020.yaml), so that the pair can be moved or
 * copied together; the absolute path only when a folder cannot be resolved. Returns a
 * malloc'd string. */
char *draft_previous_reference(const char *last_path, const char *new_path);

/* The text as stored: LF line ends, no trailing spaces on a line, no leading or trailing
 * blank lines, no control characters but tabs. Returns a malloc'd string. */
char *draft_normalize_text(const char *text);

/* Sets a text field, normalised (copies text; "" or NULL clears it). */
void draft_set_text(struct draft *draft, int text, const char *value);
/* draft_set_text of value, a malloc'd string the draft takes over (kept as it is when it
 * is already normal, so a long text is not copied). */
void draft_take_text(struct draft *draft, int text, char *value);

/* Where a cell is in the file; for a computed or absent cell, the nearest cell that is
 * (same row, then same column, then same table), else the `template:` line. */
struct srcpos draft_cell_pos(const struct draft *draft, int cell);

/* Appends a source entry (copies the strings). */
void draft_add_source(struct draft *draft, const char *file, const char *organization,
                      const char *sha256, int errors);

/* Sets an input cell and recomputes what depends on it. */
void draft_set_cell(struct draft *draft, int cell, struct value value);

#endif
