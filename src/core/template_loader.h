#ifndef NIANBAO_TEMPLATE_LOADER_H
#define NIANBAO_TEMPLATE_LOADER_H

/* Private to the template loader, shared by its three parts: template.c (the file, its
 * sections, trees and cells), formula.c (the formula compiler, the order of evaluation and
 * the evaluator) and template_checks.c (the check compiler). */

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/template.h"
#include "nianbao/ynode.h"

/* ---- ownership: everything a template points to is registered here ---- */

struct template_arena {
	void **ptrs;
	size_t count;
	size_t capacity;
};

/* Registers ptr with the arena (freed with the template); returns it. */
void *tl_arena_keep(struct template_arena *arena, void *ptr);
/* Grows an array owned by the arena to hold count + 1 elements, zeroes the new one. */
void *tl_arena_push(struct template_arena *arena, void *array, int *count, size_t elem_size);

#define PUSH(loader, array, count) \
	((array) = tl_arena_push((loader)->arena, (array), &(count), sizeof *(array)), &(array)[(count) - 1])

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

/* ---- the loader's helpers (template.c) ---- */

char *tl_keep_str(struct loader *l, const char *s);
/* Adds an error at pos and marks the load failed. */
void tl_fail(struct loader *l, struct srcpos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool tl_expect_kind(struct loader *l, const struct ynode *node, enum ynode_kind kind, const char *what);
/* Refuses keys of map that are not in allowed (NULL-terminated). */
void tl_check_keys(struct loader *l, const struct ynode *map, const char *const *allowed);
const char *tl_get_str(struct loader *l, const struct ynode *map, const char *key, bool required);
int tl_get_int_in(struct loader *l, const struct ynode *map, const char *key, int def, int lo, int hi);
/* The items of a sequence, includes expanded; malloc'd array (the nodes are not owned). */
struct ynode **tl_get_list(struct loader *l, const struct ynode *map, const char *key, int *count, bool required);
int tl_tree_find_leaf(const struct tpl_tree *tree, const char *id);

/* ---- formulas (formula.c) ---- */

/* Where the bare names of an expression point. */
struct scope {
	int table;             /* -1: full references only */
	enum check_per per;    /* PER_COLUMN: names are rows; PER_ROW: names are columns */
	int fixed_leaf;        /* the column (PER_COLUMN) or row (PER_ROW) */
	bool allow_prev;
};

/* Compiles text [start, end) of the scalar src in scope into out; false (error reported)
 * when it does not compile. */
bool tl_compile_expr(struct loader *l, const struct ynode *src, const char *start, const char *end,
                     struct scope scope, struct lin_expr *out);
/* The formulas of every row and column leaf, one per computed cell. */
void tl_build_formulas(struct loader *l);
/* Orders formulas so that each comes after those it reads, refusing cycles, and records
 * every cell's dependents. */
void tl_order_formulas(struct loader *l);

/* ---- checks (template_checks.c) ---- */

/* The `checks:` list of the template file. */
void tl_parse_checks(struct loader *l, const struct ynode *root);

#endif
