#include <config.h>

/* The check compiler: the `checks:` list of a template into tpl_check records (rules are
 * compiled by formula.c). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"
#include "template_loader.h"

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
		tl_fail(l, node->pos, _("missing key '%s'"), "rule");
		return;
	}
	if (!tl_expect_kind(l, rule, YNODE_SCALAR, "rule"))
		return;
	check->rule_text = tl_keep_str(l, rule->scalar);
	check->lhs_label = tl_get_str(l, node, "lhs", false);
	check->rhs_label = tl_get_str(l, node, "rhs", false);
	const char *same = tl_get_str(l, node, "same-template", false);
	check->same_template = same && !strcmp(same, "true");
	check->uses_prev = strstr(rule->scalar, "prev(") != NULL;
	check->table = -1;
	const char *table = tl_get_str(l, node, "table", false);
	if (table) {
		check->table = template_find_table(t, table);
		if (check->table < 0) {
			tl_fail(l, ynode_get(node, "table")->pos, _("unknown table '%s'"), table);
			return;
		}
	}
	const char *per = tl_get_str(l, node, "per", false);
	check->per = PER_NONE;
	if (per && !strcmp(per, "column"))
		check->per = PER_COLUMN;
	else if (per && !strcmp(per, "row"))
		check->per = PER_ROW;
	else if (per)
		tl_fail(l, ynode_get(node, "per")->pos, _("unknown 'per' value '%s' (expected column or row)"), per);
	if (check->per != PER_NONE && check->table < 0) {
		tl_fail(l, node->pos, _("'per' needs a 'table'"));
		return;
	}
	enum rule_op op;
	size_t op_len;
	const char *at = find_operator(rule->scalar, &op, &op_len);
	if (!at) {
		tl_fail(l, rule->pos, _("a rule needs a comparison (= != < <= > >=): \"%s\""), rule->scalar);
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
		if (!tl_compile_expr(l, rule, rule->scalar, at, scope, &inst.lhs) ||
		    !tl_compile_expr(l, rule, at + op_len, rule->scalar + strlen(rule->scalar), scope, &inst.rhs))
			return;
		struct rule_instance *slot = PUSH(l, check->instances, check->instance_count);
		*slot = inst;
	}
}

static int
text_by_name(struct loader *l, const struct ynode *node)
{
	if (!tl_expect_kind(l, node, YNODE_SCALAR, _("a field")))
		return -1;
	int text = template_find_text(l->tpl, node->scalar);
	if (text < 0)
		tl_fail(l, node->pos, _("unknown text field '%s'"), node->scalar);
	return text;
}

static void
build_text_list(struct loader *l, struct tpl_check *check, const struct ynode *node)
{
	const struct ynode *fields = ynode_get(node, "fields");
	if (!fields) {
		tl_fail(l, node->pos, _("missing key '%s'"), "fields");
		return;
	}
	if (!tl_expect_kind(l, fields, YNODE_SEQUENCE, "fields"))
		return;
	for (size_t i = 0; i < fields->count; i++) {
		int text = text_by_name(l, fields->items[i]);
		if (text >= 0) {
			int *slot = PUSH(l, check->texts, check->text_count);
			*slot = text;
		}
	}
}

void
tl_parse_checks(struct loader *l, const struct ynode *root)
{
	struct template *t = l->tpl;
	int count;
	struct ynode **items = tl_get_list(l, root, "checks", &count, false);
	for (int i = 0; items && i < count; i++) {
		const struct ynode *node = items[i];
		tl_check_keys(l, node, check_keys_allowed);
		struct tpl_check *check = PUSH(l, t->checks, t->check_count);
		check->pos = node->pos;
		check->table = -1;
		check->id = tl_get_str(l, node, "id", true);
		const char *severity = tl_get_str(l, node, "severity", true);
		if (severity && !strcmp(severity, "warning"))
			check->severity = DIAG_WARNING;
		else if (severity && strcmp(severity, "error"))
			tl_fail(l, ynode_get(node, "severity")->pos, _("unknown severity '%s' (expected error or warning)"), severity);
		const char *kind = tl_get_str(l, node, "kind", true);
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
				tl_fail(l, node->pos, _("missing key '%s'"), "field");
			if (text >= 0) {
				int *slot = PUSH(l, check->texts, check->text_count);
				*slot = text;
			}
			check->mention = tl_get_str(l, node, "text", true);
		} else if (!strcmp(kind, "narrative")) {
			check->kind = CHECK_NARRATIVE;
			build_text_list(l, check, node);
		} else if (!strcmp(kind, "repeated")) {
			check->kind = CHECK_REPEATED;
			build_text_list(l, check, node);
			check->threshold = tl_get_int_in(l, node, "threshold", 50, 1, 100);
		} else if (!strcmp(kind, "thin-section")) {
			check->kind = CHECK_THIN_TEXT;
			build_text_list(l, check, node);
			check->threshold = tl_get_int_in(l, node, "min-chars", 10, 1, 10000);
		} else if (!strcmp(kind, "stale-year")) {
			check->kind = CHECK_STALE_YEAR;
			build_text_list(l, check, node);
			check->opening = -1;
			const struct ynode *opening = ynode_get(node, "opening");
			if (opening)
				check->opening = text_by_name(l, opening);
		} else {
			tl_fail(l, ynode_get(node, "kind")->pos, _("unknown check kind '%s'"), kind);
		}
	}
	free(items);
}
