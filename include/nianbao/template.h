#ifndef NIANBAO_TEMPLATE_H
#define NIANBAO_TEMPLATE_H

/* Limits that no real template comes near; a template beyond one is refused with an error
 * naming it (a template file itself is at most YNODE_MAX_FILE_BYTES, a regular file). */
#define TEMPLATE_MAX_INCLUDES 64        /* include: items read, in all */
#define TEMPLATE_MAX_INCLUDE_DEPTH 8    /* includes within includes */
#define TEMPLATE_MAX_PAREN_DEPTH 16     /* parentheses within a formula or rule */
#define TEMPLATE_MAX_CELLS 5000         /* cells of all tables (a real one has about 200) */

#include <stdbool.h>
#include <stdint.h>

#include "nianbao/diag.h"
#include "nianbao/value.h"

/* A template is one official version of the report (a forms/ YAML file, see forms/FORMAT.md),
 * loaded once and read-only afterwards. Every cell of every table and every narrative
 * field has a dense index; drafts store values in arrays indexed the same way. */

/* A node of a row or column tree, in document (preorder) order. */
struct tpl_node {
	const char *id;        /* leaf id; NULL for a group */
	size_t id_len;         /* strlen(id) */
	const char *label;
	const char *short_label; /* never NULL: the label when the template gives none */
	int depth;             /* 0 for top-level nodes */
	int parent;            /* node index, -1 at top level */
	int first_leaf;        /* leaf index of the first leaf under this node (itself for a leaf) */
	int leaf_count;        /* 1 for a leaf */
	int leaf;              /* leaf index, -1 for a group */
	/* leaf columns only */
	enum value_type type;
	const char *unit;      /* NULL if none */
	bool computed;         /* has a formula (row or column) */
	struct srcpos pos;
};

/* A leaf's id kept beside the others' (struct tpl_tree's leaf_keys), so that a draft's
 * key is looked up without following pointers: NUL-padded; len is TPL_KEY_LONG when the
 * id does not fit (then compare with the node's id). */
#define TPL_KEY_BYTES 31
#define TPL_KEY_LONG 0xFF
struct tpl_leaf_key {
	char id[TPL_KEY_BYTES];
	unsigned char len;
};

struct tpl_tree {
	struct tpl_node *nodes;
	int node_count;
	int *leaves;           /* leaf index -> node index */
	int leaf_count;
	int depth;             /* number of levels (1 for a flat list) */
	struct tpl_leaf_key *leaf_keys;   /* leaf index -> its id */
};

enum tpl_layout { LAYOUT_GRID, LAYOUT_FLAT };

struct tpl_table {
	const char *path;      /* "requests", "proactive.art20_1" */
	const char *caption;   /* may be NULL */
	const char *stub;      /* may be NULL */
	const char *corner;    /* may be NULL */
	enum tpl_layout layout;
	struct tpl_tree rows;
	struct tpl_tree cols;
	int first_cell;        /* cell index of (row leaf 0, col leaf 0); row-major */
	int section;
	struct srcpos pos;
};

struct tpl_text {
	const char *id;        /* "overview" */
	const char *label;
	const char *hint;      /* may be NULL */
	bool optional;         /* the preface */
	int section;           /* -1 for the preface */
	struct srcpos pos;
};

enum tpl_item_kind { ITEM_TEXT, ITEM_TABLE };
struct tpl_item {
	enum tpl_item_kind kind;
	int index;             /* into texts or tables */
};

struct tpl_section {
	const char *heading;   /* "一、总体情况" */
	struct tpl_item *items;
	int item_count;
};

struct tpl_cell {
	const char *id;        /* "requests.new.natural" */
	int table;
	int row;               /* row leaf index */
	int col;               /* col leaf index */
	enum value_type type;
	int formula;           /* index into formulas, -1 for an input cell */
};

/* A linear expression: constant + sum(coef * cell). prev terms read last year's draft. */
struct lin_term {
	int cell;
	int coef;              /* +1 or -1 (or a small integer from repeated terms) */
	bool prev;
};
struct lin_expr {
	int64_t constant;      /* scaled by VALUE_SCALE */
	struct lin_term *terms;
	int term_count;
};

struct tpl_formula {
	int cell;              /* the computed cell */
	struct lin_expr expr;
	struct srcpos pos;
};

enum rule_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

/* One instantiated comparison of a rule check (a `per: column` rule has one per column). */
struct rule_instance {
	struct lin_expr lhs;
	struct lin_expr rhs;
	enum rule_op op;
	int scope_leaf;        /* the column (per: column) or row (per: row) leaf, -1 if none */
};

enum check_kind {
	CHECK_RULE,
	CHECK_BLANK,
	CHECK_RANGE,
	CHECK_TEMPLATE_YEAR,
	CHECK_ORGANIZATION,    /* the organization is empty */
	CHECK_REQUIRED_TEXT,
	CHECK_MENTION,
	CHECK_NARRATIVE,
	CHECK_REPEATED,
	CHECK_STALE_YEAR,
	CHECK_THIN_TEXT,
};
enum check_per { PER_NONE, PER_COLUMN, PER_ROW };

struct tpl_check {
	const char *id;        /* "balance" */
	enum diag_severity severity;
	enum check_kind kind;
	struct srcpos pos;
	/* CHECK_RULE */
	int table;             /* -1 when the rule uses full references only */
	enum check_per per;
	const char *rule_text;
	const char *lhs_label; /* may be NULL */
	const char *rhs_label; /* may be NULL */
	bool uses_prev;
	bool same_template;
	struct rule_instance *instances;
	int instance_count;
	/* CHECK_REQUIRED_TEXT, CHECK_MENTION, CHECK_NARRATIVE and the text checks */
	int *texts;
	int text_count;
	const char *mention;   /* CHECK_MENTION */
	int threshold;         /* CHECK_REPEATED: percent; CHECK_THIN_TEXT: fewest characters */
	int opening;           /* CHECK_STALE_YEAR: the text whose opening sentences name the year, -1 */
};

/* Carry-over from last year (doc/DESIGN.md §6): this year's row `to` starts from last year's
 * row `from`, column by column (matched by column id). Both are "TABLE.ROW" paths. */
struct tpl_carry {
	const char *to;
	const char *from;
};

struct template {
	const char *id;        /* "gov-info-2021" */
	const char *name;
	const char *basis;     /* "国办公开办函〔2021〕30号" */
	const char *title;     /* "政府信息公开工作年度报告" */
	int year_from;         /* 0 if unbounded */
	int year_to;           /* 0 if unbounded */
	const char *path;
	int preface;           /* text index of the preface, -1 if none */

	struct tpl_section *sections;
	int section_count;
	struct tpl_text *texts;
	int text_count;
	struct tpl_table *tables;
	int table_count;
	struct tpl_cell *cells;
	int cell_count;
	struct tpl_formula *formulas;  /* in evaluation (topological) order */
	int formula_count;
	struct tpl_check *checks;
	int check_count;
	struct tpl_carry *carries;
	int carry_count;

	/* for each cell, the formulas that must be recomputed when it changes, in order */
	int **dependents;
	int *dependent_count;

	struct template_arena *arena;  /* owns every string and array above */
};

/* Loads and validates a template file. On failure returns NULL and appends errors
 * with file, line and column to diags. */
struct template *template_load(const char *path, struct diag_list *diags);
void template_free(struct template *tpl);

/* Finds "ID.yaml" in paths_templates_dir() (or dir when non-NULL). */
struct template *template_load_id(const char *dir, const char *id, struct diag_list *diags);

/* Lookups; return -1 when absent. */
int template_find_cell(const struct template *tpl, const char *id);
int template_find_text(const struct template *tpl, const char *id);
int template_find_table(const struct template *tpl, const char *path);
static inline int template_cell_at(const struct template *tpl, int table, int row, int col)
{
	return tpl->tables[table].first_cell + row * tpl->tables[table].cols.leaf_count + col;
}
/* The id of the installed template whose `years` cover year (doc/DESIGN.md §2: <= 2020 ->
 * gov-info-2019, >= 2021 -> gov-info-2021 with the shipped forms). Returns a malloc'd
 * id, or NULL with an error in diags. dir NULL means paths_templates_dir(). */
char *template_id_for_year(const char *dir, int year, struct diag_list *diags);

/* Installed templates (sorted by id); returns count, *out is a malloc'd array of
 * loaded templates the caller frees with template_free + free. */
int template_list(const char *dir, struct template ***out, struct diag_list *diags);

/* Evaluates expr against cells (and prev_cells for prev terms, NULL if unknown).
 * Returns false (and a blank value) when a cell it reads is blank or prev is unknown. */
bool lin_eval(const struct lin_expr *expr, const struct value *cells,
              const struct value *prev_cells, struct value *out);

/* Recomputes every computed cell, or only those depending on changed_cell. */
void template_recompute_all(const struct template *tpl, struct value *cells);
void template_recompute_from(const struct template *tpl, struct value *cells, int changed_cell);

#endif
