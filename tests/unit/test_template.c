#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "shipped.h"

#include "nianbao/template.h"
#include "nianbao/ynode.h"

static char tmpdir[] = "/tmp/nianbao-test-template.XXXXXX";

static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEAD "nianbao-template: 1\nid: t\nname: test\ntitle: 报告\nyears: {from: 2021}\n"

static const char small[] = HEAD
	"sections:\n"
	"  - heading: 一、总体情况\n"
	"    items:\n"
	"      - {text: overview, label: 总体情况}\n"
	"  - heading: 三、申请\n"
	"    items:\n"
	"      - table: requests\n"
	"        columns:\n"
	"          - {id: a, label: 甲}\n"
	"          - {id: b, label: 乙}\n"
	"          - {id: total, label: 总计, formula: \"sum(a..b)\"}\n"
	"        rows:\n"
	"          - {id: new, label: 一、新收}\n"
	"          - group: 三、结果\n"
	"            rows:\n"
	"              - {id: granted, label: （一）予以公开}\n"
	"              - {id: denied, label: （二）不予公开}\n"
	"              - {id: results_total, label: （三）总计, formula: \"sum(granted..denied)\"}\n"
	"          - {id: carried_out, label: 四、结转}\n"
	"checks:\n"
	"  - {id: balance, severity: error, kind: rule, table: requests, per: column,\n"
	"     rule: \"new = results_total + carried_out\", lhs: 一, rhs: 三+四}\n"
	"  - {id: carry-over, severity: warning, kind: rule, table: requests, per: column,\n"
	"     rule: \"new >= prev(carried_out)\"}\n"
	"  - {id: blank, severity: error, kind: blank}\n"
	"  - {id: empty-section, severity: error, kind: required-text, fields: [overview]}\n"
	"carry:\n"
	"  - {to: requests.new, from: requests.carried_out}\n";

static struct template *
load_text(const char *text, struct diag_list *diags)
{
	char *path = write_file("t.yaml", text);
	struct template *t = template_load(path, diags);
	free(path);
	return t;
}

/* Asserts that loading text fails with one error at line:col containing needle. */
static void
assert_load_error(const char *text, int line, int col, const char *needle)
{
	struct diag_list diags = {0};
	struct template *t = load_text(text, &diags);
	assert_null(t);
	assert_true(diags.count >= 1);
	if (!strstr(diags.items[0].message, needle) || diags.items[0].pos.line != line ||
	    (col && diags.items[0].pos.col != col)) {
		diag_print(&diags, stderr);
		fail_msg("expected '%s' at %d:%d", needle, line, col);
	}
	assert_non_null(strstr(diags.items[0].pos.file, "t.yaml"));
	diag_free(&diags);
}

static void
test_structure(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct template *t = load_text(small, &diags);
	if (!t)
		diag_print(&diags, stderr);
	assert_non_null(t);
	assert_string_equal(t->id, "t");
	assert_int_equal(t->year_from, 2021);
	assert_int_equal(t->section_count, 2);
	assert_int_equal(t->text_count, 1);
	assert_int_equal(t->table_count, 1);
	const struct tpl_table *table = &t->tables[0];
	assert_int_equal(table->rows.leaf_count, 5);
	assert_int_equal(table->rows.depth, 2);
	assert_int_equal(table->cols.leaf_count, 3);
	assert_int_equal(t->cell_count, 15);
	assert_int_equal(template_find_cell(t, "requests.granted.b"), 1 * 3 + 1);
	assert_int_equal(template_find_cell(t, "requests.nope.b"), -1);
	const struct tpl_node *group = &table->rows.nodes[1];
	assert_null(group->id);
	assert_string_equal(group->label, "三、结果");
	assert_int_equal(group->first_leaf, 1);
	assert_int_equal(group->leaf_count, 3);
	/* 5 row totals + 2 results_total cells (a, b); results_total.total is a column formula */
	assert_int_equal(t->formula_count, 7);
	assert_int_equal(t->check_count, 4);
	assert_int_equal(t->checks[0].instance_count, 3);
	assert_int_equal(t->carry_count, 1);
	template_free(t);
	diag_free(&diags);
}

static void
test_order_and_dependents(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct template *t = load_text(small, &diags);
	assert_non_null(t);
	/* every formula comes after the formulas of the cells it reads */
	for (int f = 0; f < t->formula_count; f++)
		for (int k = 0; k < t->formulas[f].expr.term_count; k++) {
			int dep = t->cells[t->formulas[f].expr.terms[k].cell].formula;
			assert_true(dep < f);
		}
	/* changing granted.a recomputes granted.total, results_total.a and results_total.total only */
	int granted_a = template_find_cell(t, "requests.granted.a");
	assert_int_equal(t->dependent_count[granted_a], 3);
	int seen = 0;
	for (int i = 0; i < t->dependent_count[granted_a]; i++) {
		const char *id = t->cells[t->formulas[t->dependents[granted_a][i]].cell].id;
		seen += !strcmp(id, "requests.granted.total") + !strcmp(id, "requests.results_total.a") +
		        !strcmp(id, "requests.results_total.total");
	}
	assert_int_equal(seen, 3);
	/* results_total.total must follow results_total.a in the list */
	int last = t->dependents[granted_a][2];
	assert_string_equal(t->cells[t->formulas[last].cell].id, "requests.results_total.total");
	template_free(t);
	diag_free(&diags);
}

static void
test_recompute_and_blank(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct template *t = load_text(small, &diags);
	assert_non_null(t);
	struct value *cells = calloc((size_t)t->cell_count, sizeof *cells);
	int ga = template_find_cell(t, "requests.granted.a");
	int gb = template_find_cell(t, "requests.granted.b");
	int da = template_find_cell(t, "requests.denied.a");
	int db = template_find_cell(t, "requests.denied.b");
	int gt = template_find_cell(t, "requests.granted.total");
	int rt = template_find_cell(t, "requests.results_total.total");
	template_recompute_all(t, cells);
	assert_false(cells[gt].set);   /* blank in, blank out: not 0 */
	cells[ga] = value_units(2);
	template_recompute_from(t, cells, ga);
	assert_false(cells[gt].set);   /* b is still blank */
	cells[gb] = value_units(0);
	template_recompute_from(t, cells, gb);
	assert_true(cells[gt].set);
	assert_int_equal(cells[gt].scaled, 2 * VALUE_SCALE);
	assert_false(cells[rt].set);
	cells[da] = value_units(5);
	cells[db] = value_units(7);
	template_recompute_from(t, cells, da);
	template_recompute_from(t, cells, db);
	assert_true(cells[rt].set);
	assert_int_equal(cells[rt].scaled, 14 * VALUE_SCALE);
	cells[db] = value_blank();
	template_recompute_from(t, cells, db);
	assert_false(cells[rt].set);
	free(cells);
	template_free(t);
	diag_free(&diags);
}

static void
test_lin_eval_prev(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct template *t = load_text(small, &diags);
	assert_non_null(t);
	const struct rule_instance *inst = &t->checks[1].instances[0];
	assert_int_equal(inst->op, OP_GE);
	assert_int_equal(inst->rhs.term_count, 1);
	assert_true(inst->rhs.terms[0].prev);
	struct value *cells = calloc((size_t)t->cell_count, sizeof *cells);
	struct value *prev = calloc((size_t)t->cell_count, sizeof *prev);
	struct value v;
	assert_false(lin_eval(&inst->rhs, cells, NULL, &v));   /* no last year: unknown */
	prev[inst->rhs.terms[0].cell] = value_units(3);
	assert_true(lin_eval(&inst->rhs, cells, prev, &v));
	assert_int_equal(v.scaled, 3 * VALUE_SCALE);
	free(cells);
	free(prev);
	template_free(t);
	diag_free(&diags);
}

static char *
replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static void
test_errors(void **state)
{
	(void)state;
	char *s;
	/* unknown reference in a formula, column points into the formula text */
	s = replace(small, "sum(granted..denied)", "sum(granted..denyed)");
	assert_load_error(s, 23, 0, "unknown row 'denyed'");
	free(s);
	/* cycle among formulas */
	s = replace(small, "formula: \"sum(a..b)\"", "formula: \"a + b + total\"");
	assert_load_error(s, 16, 0, "cycle among formulas");
	free(s);
	s = replace(small, "formula: \"sum(granted..denied)\"", "formula: \"granted + results_total\"");
	assert_load_error(s, 23, 0, "cycle among formulas");
	free(s);
	/* duplicate id */
	s = replace(small, "{id: b, label: 乙}", "{id: a, label: 乙}");
	assert_load_error(s, 15, 0, "duplicate id 'a' (first at line 14)");
	free(s);
	/* duplicate YAML key */
	s = replace(small, "{id: b, label: 乙}", "{id: b, label: 乙, label: 丙}");
	assert_load_error(s, 15, 0, "duplicate key 'label'");
	free(s);
	/* wrong type */
	s = replace(small, "{id: b, label: 乙}", "{id: b, label: 乙, type: float}");
	assert_load_error(s, 15, 0, "unknown type 'float'");
	free(s);
	s = replace(small, "    items:\n      - {text", "    items: nothing\n      # {text");
	assert_load_error(s, 8, 12, "items must be a list");
	free(s);
	/* unknown key */
	s = replace(small, "title: 报告", "titel: 报告");
	assert_load_error(s, 4, 1, "unknown key 'titel'");
	free(s);
	/* unknown cell in a check, prev outside checks, missing comparison */
	s = replace(small, "rule: \"new = results_total + carried_out\"", "rule: \"new = requests.old.a\"");
	assert_load_error(s, 27, 0, "unknown cell 'requests.old.a'");
	free(s);
	s = replace(small, "formula: \"sum(a..b)\"", "formula: \"prev(a)\"");
	assert_load_error(s, 16, 0, "prev() is only allowed in checks");
	free(s);
	s = replace(small, "rule: \"new = results_total + carried_out\"", "rule: \"new + carried_out\"");
	assert_load_error(s, 27, 0, "needs a comparison");
	free(s);
	/* malformed YAML and aliases */
	assert_load_error(HEAD "sections: [\n", 7, 0, "malformed YAML");
	assert_load_error(HEAD "x: &a 1\n", 6, 4, "anchors");
}

static void
test_formula_error_column(void **state)
{
	(void)state;
	char *s = replace(small, "sum(granted..denied)", "sum(granted..denyed)");
	struct diag_list diags = {0};
	assert_null(load_text(s, &diags));
	/* line 23 is `- {id: results_total, ..., formula: "sum(granted..denyed)"}`;
	 * the column is that of the bad name inside the quoted formula */
	const char *line = strstr(s, "              - {id: results_total");
	int formula_col = 1;   /* columns count characters, as libyaml does */
	for (const char *c = line; c < strstr(line, "\"sum("); c++)
		formula_col += ((unsigned char)*c & 0xC0) != 0x80;
	assert_int_equal(diags.items[0].pos.col, formula_col + 1 + (int)strlen("sum(granted.."));
	diag_free(&diags);
	free(s);
}

static void
test_include(void **state)
{
	(void)state;
	free(write_file("rows.yaml", "- {id: granted, label: （一）予以公开}\n- include: more.yaml\n"));
	free(write_file("more.yaml", "- {id: denied, label: （二）不予公开}\n"));
	char *s = replace(small,
	                  "              - {id: granted, label: （一）予以公开}\n"
	                  "              - {id: denied, label: （二）不予公开}\n",
	                  "              - include: rows.yaml\n");
	struct diag_list diags = {0};
	struct template *t = load_text(s, &diags);
	if (!t)
		diag_print(&diags, stderr);
	assert_non_null(t);
	assert_int_equal(t->tables[0].rows.leaf_count, 5);
	assert_int_equal(template_find_cell(t, "requests.denied.b"), 2 * 3 + 1);
	template_free(t);
	diag_free(&diags);
	/* an include cycle and an error inside a fragment name the fragment */
	free(write_file("more.yaml", "- include: rows.yaml\n"));
	assert_null(load_text(s, &diags));
	assert_non_null(strstr(diags.items[0].message, "include cycle"));
	assert_non_null(strstr(diags.items[0].pos.file, "more.yaml"));
	diag_free(&diags);
	free(write_file("more.yaml", "- {id: denied, lable: x}\n"));
	assert_null(load_text(s, &diags));
	assert_non_null(strstr(diags.items[0].pos.file, "more.yaml"));
	assert_int_equal(diags.items[0].pos.line, 1);
	diag_free(&diags);
	free(s);
}

/* Loads s, expecting a refusal whose first error contains needle and names file. */
static void
assert_refused(const char *s, const char *needle, const char *file)
{
	struct diag_list diags = {0};
	struct template *t = load_text(s, &diags);
	if (t || !diags.count || !strstr(diags.items[0].message, needle))
		diag_print(&diags, stderr);
	assert_null(t);
	assert_true(diags.count > 0);
	assert_non_null(strstr(diags.items[0].message, needle));
	assert_non_null(diags.items[0].pos.file);
	assert_non_null(strstr(diags.items[0].pos.file, file));
	diag_free(&diags);
}

/* Hostile templates are refused with a message naming them, never crash, hang or eat
 * memory: deep parentheses, include bombs, FIFOs, oversized files and tables. */
static void
test_hostile_limits(void **state)
{
	(void)state;
	/* 20 000 nested parentheses in a formula */
	size_t n = 20000;
	char *formula = xmalloc(2 * n + 16);
	memset(formula, '(', n);
	strcpy(formula + n, "a");
	memset(formula + n + 1, ')', n);
	formula[2 * n + 1] = '\0';
	char *f = xasprintf("formula: \"%s\"}", formula);
	char *s = replace(small, "formula: \"sum(a..b)\"}", f);
	assert_refused(s, "parentheses nested too deep", "t.yaml");
	free(s);
	free(f);
	free(formula);
	/* 16 levels of parentheses are fine */
	s = replace(small, "formula: \"sum(a..b)\"}", "formula: \"((((((((((((((((a+b))))))))))))))))\"}");
	struct diag_list diags = {0};
	struct template *t = load_text(s, &diags);
	assert_non_null(t);
	template_free(t);
	diag_free(&diags);
	free(s);

	/* an include bomb: each file includes the next one twice */
	s = replace(small,
	            "              - {id: granted, label: （一）予以公开}\n"
	            "              - {id: denied, label: （二）不予公开}\n",
	            "              - include: rows.yaml\n");
	free(write_file("rows.yaml", "- include: more.yaml\n- include: more.yaml\n- include: more.yaml\n"));
	free(write_file("more.yaml", "- include: t2.yaml\n- include: t2.yaml\n- include: t2.yaml\n"));
	free(write_file("t2.yaml", "- include: t3.yaml\n- include: t3.yaml\n- include: t3.yaml\n"));
	free(write_file("t3.yaml", "- include: t4.yaml\n- include: t4.yaml\n- include: t4.yaml\n"));
	free(write_file("t4.yaml", "- {id: granted, label: （一）予以公开}\n"));
	assert_refused(s, "more than 64 includes", "yaml");
	/* includes nested too deep (no cycle: each level a new name) */
	for (int i = 2; i <= 12; i++) {
		char *name = xasprintf("d%d.yaml", i);
		char *text = xasprintf("- include: d%d.yaml\n", i + 1);
		free(write_file(name, text));
		free(name);
		free(text);
	}
	free(write_file("rows.yaml", "- include: d2.yaml\n"));
	assert_refused(s, "nested deeper than 8", "d");
	/* a FIFO is refused at once instead of hanging the loader */
	char *fifo = xasprintf("%s/rows.yaml", tmpdir);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_refused(s, "not a regular file", "rows.yaml");
	unlink(fifo);
	free(fifo);
	/* a file over the size limit */
	char *huge = xmalloc(YNODE_MAX_FILE_BYTES + 64);
	memset(huge, '#', YNODE_MAX_FILE_BYTES + 62);
	huge[YNODE_MAX_FILE_BYTES + 62] = '\n';
	huge[YNODE_MAX_FILE_BYTES + 63] = '\0';
	free(write_file("rows.yaml", huge));
	free(huge);
	assert_refused(s, "too large", "rows.yaml");
	free(s);
	/* a 20 000-column table whose formulas form a chain */
	struct { char *data; size_t len, cap; } b = {0};
	FILE *mem = open_memstream(&b.data, &b.len);
	fputs(HEAD "sections:\n  - heading: 一\n    items:\n      - table: wide\n        columns:\n"
	      "          - {id: c0, label: x}\n", mem);
	for (int i = 1; i < 20000; i++)
		fprintf(mem, "          - {id: c%d, label: x, formula: c%d}\n", i, i - 1);
	fputs("        rows:\n          - {id: r, label: y}\n", mem);
	fclose(mem);
	assert_refused(b.data, "larger than 5000 cells", "t.yaml");
	free(b.data);
	/* nesting deeper than any template */
	char *deep = xmalloc(60000 + 2);
	memset(deep, '[', 60000);
	strcpy(deep + 60000, "\n");
	assert_refused(deep, "nested deeper than 32 levels", "t.yaml");
	free(deep);
}

static int
count_cells_of_section(const struct template *t, int section)
{
	int n = 0;
	for (int c = 0; c < t->cell_count; c++)
		n += t->tables[t->cells[c].table].section == section && t->cells[c].formula < 0;
	return n;
}

/* The shipped forms have the official structure (format-spec.md §2.5, §3.3, §3.4). */
static void
test_shipped_forms(void **state)
{
	(void)state;
	static const char *const headings[] = {
		"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
	};
	struct { const char *id; int rows; int results; int section2_cells; const char *last_result; } forms[] = {
		{"gov-info-2021", 25, 21, 10, "requests.other_misc.natural"},
		{"gov-info-2019", 23, 19, 22, "requests.other_handling.natural"},
	};
	for (size_t f = 0; f < 2; f++) {
		struct template *t = load_shipped(forms[f].id);
		assert_int_equal(t->section_count, 6);
		for (int s = 0; s < 6; s++)
			assert_string_equal(t->sections[s].heading, headings[s]);
		int requests = template_find_table(t, "requests");
		assert_true(requests >= 0);
		assert_int_equal(t->tables[requests].rows.leaf_count, forms[f].rows);
		assert_int_equal(t->tables[requests].cols.leaf_count, 7);
		assert_non_null(strstr(t->tables[requests].corner, "第一项加第二项之和，等于第三项加第四项之和"));
		int results = t->cells[template_find_cell(t, "requests.results_total.natural")].formula;
		assert_int_equal(t->formulas[results].expr.term_count, forms[f].results);
		const struct lin_expr *e = &t->formulas[results].expr;
		assert_string_equal(t->cells[e->terms[e->term_count - 1].cell].id, forms[f].last_result);
		assert_true(template_find_cell(t, "requests.denied_three_safeties.legal") >= 0);
		int appeals = template_find_table(t, "appeals");
		assert_int_equal(t->tables[appeals].layout, LAYOUT_FLAT);
		assert_int_equal(t->tables[appeals].rows.leaf_count * t->tables[appeals].cols.leaf_count, 15);
		assert_true(t->cells[template_find_cell(t, "appeals.litigation_after_review.total")].formula >= 0);
		assert_int_equal(count_cells_of_section(t, 1), forms[f].section2_cells);
		assert_int_equal(template_find_text(t, "overview") >= 0 && template_find_text(t, "problems") >= 0 &&
		                 template_find_text(t, "other_matters") >= 0 && t->preface >= 0, 1);
		/* balance on all seven columns */
		for (int k = 0; k < t->check_count; k++)
			if (!strcmp(t->checks[k].id, "balance"))
				assert_int_equal(t->checks[k].instance_count, 7);
		template_free(t);
	}
	struct template *t = load_shipped("gov-info-2019");
	int change = template_find_cell(t, "proactive.art20_5.licensing.change");
	assert_int_equal(t->cells[change].type, VALUE_SIGNED);
	assert_int_equal(t->cells[template_find_cell(t, "proactive.art20_9.procurement.amount")].type, VALUE_MONEY);
	template_free(t);
	t = load_shipped("gov-info-2021");
	assert_int_equal(t->cells[template_find_cell(t, "proactive.art20_8.fees.amount")].type, VALUE_MONEY);
	assert_int_equal(template_find_cell(t, "proactive.art20_9.procurement.amount"), -1);
	template_free(t);
}

static void
test_template_for_year(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *id = template_id_for_year(getenv("NIANBAO_TEMPLATES"), 2020, &diags);
	assert_string_equal(id, "gov-info-2019");
	free(id);
	id = template_id_for_year(getenv("NIANBAO_TEMPLATES"), 2021, &diags);
	assert_string_equal(id, "gov-info-2021");
	free(id);
	id = template_id_for_year(getenv("NIANBAO_TEMPLATES"), 2035, &diags);
	assert_string_equal(id, "gov-info-2021");
	free(id);
	assert_int_equal(diags.count, 0);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	const char *names[] = {"t.yaml", "rows.yaml", "more.yaml", "t2.yaml", "t3.yaml", "t4.yaml", "d2.yaml",
	                       "d3.yaml", "d4.yaml", "d5.yaml", "d6.yaml", "d7.yaml", "d8.yaml", "d9.yaml",
	                       "d10.yaml", "d11.yaml", "d12.yaml", "d13.yaml"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = xasprintf("%s/%s", tmpdir, names[i]);
		unlink(path);
		free(path);
	}
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_order_and_dependents),
		cmocka_unit_test(test_recompute_and_blank),
		cmocka_unit_test(test_lin_eval_prev),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_formula_error_column),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_hostile_limits),
		cmocka_unit_test(test_shipped_forms),
		cmocka_unit_test(test_template_for_year),
	};
	return cmocka_run_group_tests_name("template", tests, setup, teardown);
}
