/* Generates N varied, consistent drafts of a template for the benchmarks: random counts,
 * with every equality rule of the template solved, narrative sentences that agree with
 * the tables, and every required text filled.
 * Usage: gen_drafts TEMPLATE N OUTDIR [SEED [TEXT_BYTES [PARAGRAPH_BYTES]]]
 * TEXT_BYTES: add varied Chinese sentences (paragraphs of three) to the required texts
 * until the draft holds about that many bytes of text. PARAGRAPH_BYTES: make the first
 * required text of the first section one paragraph of that many bytes, no line breaks
 * (text pasted from a PDF). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/atomicio.h"
#include "nianbao/check.h"
#include "nianbao/draft.h"

static unsigned long long rng_state;

static unsigned
rnd(unsigned bound)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % bound);
}

static void
fill_cells(struct draft *d)
{
	const struct template *t = d->tpl;
	for (int c = 0; c < t->cell_count; c++) {
		if (t->cells[c].formula >= 0)
			continue;
		int64_t units = rnd(4) == 0 ? rnd(40) : rnd(4);
		if (t->cells[c].type == VALUE_SIGNED)
			units -= 2;
		struct value v = value_units(units);
		if (t->cells[c].type == VALUE_MONEY)
			v.scaled += rnd(10) * 1000;
		d->cells[c] = v;
	}
	template_recompute_all(t, d->cells);
}

/* Adjusts the first input cell on the left of each failing rule so that it holds. */
static void
solve_rules(struct draft *d)
{
	const struct template *t = d->tpl;
	for (int k = 0; k < t->check_count; k++) {
		const struct tpl_check *check = &t->checks[k];
		if (check->kind != CHECK_RULE || check->uses_prev)
			continue;
		for (int i = 0; i < check->instance_count; i++) {
			const struct rule_instance *inst = &check->instances[i];
			struct value lhs, rhs;
			if (!lin_eval(&inst->lhs, d->cells, NULL, &lhs) || !lin_eval(&inst->rhs, d->cells, NULL, &rhs))
				continue;
			int64_t gap = rhs.scaled - lhs.scaled;
			if (gap == 0 || (inst->op == OP_GE && gap < 0) || (inst->op == OP_LE && gap > 0))
				continue;
			for (int term = 0; term < inst->lhs.term_count; term++) {
				int cell = inst->lhs.terms[term].cell;
				if (t->cells[cell].formula >= 0 || inst->lhs.terms[term].coef != 1)
					continue;
				d->cells[cell].scaled += gap;
				template_recompute_from(t, d->cells, cell);
				break;
			}
		}
	}
}

static void
fill_texts(struct draft *d, int serial)
{
	const struct template *t = d->tpl;
	char *texts[64] = {0};
	for (int x = 0; x < t->text_count && x < 64; x++)
		if (!t->texts[x].optional)
			texts[x] = xasprintf("第%d号样稿。本机关认真贯彻落实《中华人民共和国政府信息公开条例》，"
			                     "不断加强政府信息管理，完善政府信息公开平台建设，强化监督保障。\n"
			                     "下一步，将继续提高政府信息公开工作质量。", serial);
	for (int k = 0; k < t->check_count; k++) {
		const struct tpl_check *check = &t->checks[k];
		for (int x = 0; x < check->text_count && check->texts[x] < 64; x++) {
			int text = check->texts[x];
			char *add = NULL;
			if (check->kind == CHECK_MENTION)
				add = xasprintf("本年度未收取%s。", check->mention);
			if (add) {
				char *joined = xasprintf("%s\n%s", texts[text] ? texts[text] : "", add);
				free(texts[text]);
				free(add);
				texts[text] = joined;
			}
		}
	}
	for (int x = 0; x < t->text_count && x < 64; x++) {
		if (texts[x])
			draft_set_text(d, x, texts[x]);
		free(texts[x]);
	}
}

static const char *const subjects[] = {
	"本机关", "各科室", "政务公开办公室", "信息中心", "法制机构", "各乡镇街道", "办公室", "督查组",
};
static const char *const verbs[] = {
	"认真落实", "持续推进", "不断完善", "扎实开展", "稳步推进", "全面梳理", "逐项核对", "及时更新",
};
static const char *const objects[] = {
	"政府信息主动公开目录", "依申请公开办理流程", "政策解读和回应关切", "政务新媒体管理",
	"公开平台建设", "保密审查机制", "重点领域信息公开", "监督考核和责任追究",
};

/* One varied sentence, about 40 to 60 bytes. */
static char *
sentence(void)
{
	return xasprintf("%s%s%s，第%u项工作按期完成%s", subjects[rnd(8)], verbs[rnd(8)],
	                 objects[rnd(8)], rnd(1000), rnd(3) ? "。" : "；");
}

static size_t
text_bytes(const struct draft *d)
{
	size_t n = 0;
	for (int x = 0; x < d->tpl->text_count; x++)
		if (d->texts[x])
			n += strlen(d->texts[x]);
	return n;
}

/* Adds sentences, round the required texts, until the draft holds target bytes of text. */
static void
grow_texts(struct draft *d, size_t target)
{
	const struct template *t = d->tpl;
	size_t have = text_bytes(d);
	for (int x = 0, k = 0; have < target; x = (x + 1) % t->text_count) {
		if (t->texts[x].optional)
			continue;
		const char *old = d->texts[x] ? d->texts[x] : "";
		char *add = sentence();
		char *joined = xasprintf("%s%s%s", old, ++k % 3 == 1 ? "\n" : "", add);
		have += strlen(joined) - strlen(old);
		draft_set_text(d, x, joined);
		free(joined);
		free(add);
	}
}

/* Makes the first required text of the first section one paragraph of bytes bytes. */
static void
long_paragraph(struct draft *d, size_t bytes)
{
	const struct template *t = d->tpl;
	for (int x = 0; x < t->text_count; x++) {
		if (t->texts[x].optional || t->texts[x].section != 0)
			continue;
		char *p = xmalloc(bytes + 64);
		size_t n = 0;
		while (n < bytes) {
			char *add = sentence();
			size_t len = strlen(add);
			memcpy(p + n, add, len);
			n += len;
			free(add);
		}
		p[n] = '\0';
		draft_set_text(d, x, p);
		free(p);
		return;
	}
}

int
main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s TEMPLATE N OUTDIR [SEED [TEXT_BYTES [PARAGRAPH_BYTES]]]\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[2]);
	rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	size_t grow = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
	size_t paragraph = argc > 6 ? strtoull(argv[6], NULL, 10) : 0;
	struct diag_list diags = {0};
	struct template *t = template_load_id(NULL, argv[1], &diags);
	if (!t) {
		diag_print(&diags, stderr);
		return 2;
	}
	int year = t->year_from ? t->year_from : t->year_to;
	for (int i = 0; i < n; i++) {
		struct draft *d = NULL;
		for (int attempt = 0; attempt < 100; attempt++) {
			draft_free(d);
			d = draft_new(t);
			fill_cells(d);
			solve_rules(d);
			fill_texts(d, i);
			if (grow)
				grow_texts(d, grow);
			if (paragraph)
				long_paragraph(d, paragraph);
			free(d->organization);
			d->organization = xasprintf("样例市第%d局", i + 1);
			d->year = year;
			struct check_report report = {0};
			checks_run(d, NULL, &report);
			int errors = report.errors;
			check_report_free(&report);
			if (errors == 0)
				break;
		}
		size_t len;
		char *yaml = draft_serialize(d, &len);
		char *path = xasprintf("%s/draft-%05d.yaml", argv[3], i);
		if (!atomic_write(path, yaml, len, false, &diags)) {
			diag_print(&diags, stderr);
			return 2;
		}
		free(path);
		free(yaml);
		draft_free(d);
	}
	template_free(t);
	return 0;
}
