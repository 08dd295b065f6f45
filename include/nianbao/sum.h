#ifndef NIANBAO_SUM_H
#define NIANBAO_SUM_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/diag.h"
#include "nianbao/draft.h"

/* The level's totals from its units' drafts (`nianbao sum`, DESIGN.md §4.3): units are
 * added one at a time and freed by the caller, so memory grows only by what the result
 * records of each unit (its source entry and organization). */
struct sum;

/* year 0: the units' own year. out_path is where the result will be written; source file
 * names are recorded relative to its directory. */
struct sum *sum_new(int year, const char *out_path);
void sum_free(struct sum *sum);

/* Adds one unit, loaded from path (whose bytes hash to sha256); errors is the number of
 * check errors it has (recorded in its source entry, see --force). A unit already added
 * (same organization, or the same file) is refused with an error naming both files, and
 * false is returned; so is a unit whose year differs from the year asked for. A template
 * or year differing from the other units' is found at sum_finish. */
bool sum_add(struct sum *sum, const struct draft *unit, const char *path, const char *sha256, int errors,
             struct diag_list *diags);

/* How many units were added. */
size_t sum_count(const struct sum *sum);

/* The summed draft, or NULL with errors when the units do not share one template and
 * year (naming the odd ones out and what differs) or none was added. Cells blank in any
 * unit stay blank, with an error naming those units; a total beyond what a cell may hold
 * is left blank with an error. The narrative is empty; organization is organization. */
struct draft *sum_finish(struct sum *sum, struct template_cache *cache, const char *organization,
                         struct diag_list *diags);

/* The `sum-sources` check (DESIGN.md §5) of a summed draft: a warning for each source
 * whose file is gone or has changed since (content hash), and for each input cell whose
 * value is not the sum of the sources' values as they are now. Sources are read from
 * the draft's directory. Nothing is added for a draft without `sources:`. */
void sum_check_sources(const struct draft *draft, struct template_cache *cache, struct diag_list *diags);

/* How `to` is named from directory `from_dir` (both as given; resolved with realpath):
 * a relative path ("units/a.yaml", "../2021/a.yaml"), or the absolute path when either
 * cannot be resolved. Returns a malloc'd string. */
char *sum_relative_path(const char *from_dir, const char *to);

/* The SHA-256 of a file's bytes as 64 hex digits into out; false with an error added
 * when it cannot be read. */
bool sum_hash_file(const char *path, char out[65], struct diag_list *diags);

#endif
