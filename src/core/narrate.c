#include <config.h>

#include "nianbao/narrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/diag.h"
#include "nianbao/strbuf.h"

/* ---- reading the cells ---- */

struct reader {
	const struct draft *draft;
	int blank;           /* the first blank cell met, -1 */
};

/* The sum of the cells whose ids are prefix + row + suffix for every row id starting with
 * prefix (star) or exactly prefix + suffix; *exists false when the template has none. */
static struct value
sum_of(struct reader *r, const char *prefix, bool star, const char *suffix, bool *exists)
{
	const struct template *tpl = r->draft->tpl;
	struct value sum = value_units(0);
	size_t plen = strlen(prefix), slen = strlen(suffix);
	int found = 0;
	for (int c = 0; c < tpl->cell_count; c++) {
		const char *id = tpl->cells[c].id;
		if (strncmp(id, prefix, plen))
			continue;
		const char *rest = id + plen;
		size_t rlen = strlen(rest);
		if (rlen < slen || strcmp(rest + rlen - slen, suffix))
			continue;
		if (!star ? rlen != slen : memchr(rest, '.', rlen - slen) != NULL)
			continue;
		found++;
		struct value v = r->draft->cells[c];
		if (!v.set) {
			if (r->blank < 0) {
				/* point at an input cell: the blank one the total is waiting for */
				r->blank = c;
				for (int k = 0; k < tpl->cell_count; k++)
					if (tpl->cells[k].formula < 0 && !r->draft->cells[k].set &&
					    !strncmp(tpl->cells[k].id, id, strlen(id) - slen)) {
						r->blank = k;
						break;
					}
			}
			continue;
		}
		sum.scaled += v.scaled;
	}
	if (exists)
		*exists = found > 0;
	return sum;
}

static int64_t
units_of(struct value v)
{
	return v.scaled / VALUE_SCALE;
}

/* ---- writing ---- */

/* Drops suffix from the end of t when it is there; whether it was. */
static bool
drop_suffix(struct strbuf *t, const char *suffix)
{
	size_t n = strlen(suffix);
	if (t->len < n || memcmp(t->s + t->len - n, suffix, n))
		return false;
	t->len -= n;
	t->s[t->len] = '\0';
	return true;
}

/* Replaces a trailing "，" or "；" by "。", or adds "。". */
static void
end_sentence(struct strbuf *t)
{
	if (!t->len)
		return;
	static const char *const marks[] = {"，", "；", "、"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (drop_suffix(t, marks[i]))
			break;
	strbuf_puts(t, "。");
}

static void
year_lead(struct strbuf *t, const struct draft *d)
{
	if (d->year)
		strbuf_printf(t, "%d年，", d->year);
	else
		strbuf_printf(t, "本年度，");
}

/* ---- 二 ---- */

static void
proactive(struct reader *r, struct strbuf *t)
{
	const struct draft *d = r->draft;
	year_lead(t, d);
	bool said = false;
	static const struct {
		const char *row, *noun;
	} docs[] = {{"proactive.art20_1.rules", "规章"}, {"proactive.art20_1.normative", "行政规范性文件"}};
	/* 2021: 制发 废止 现行有效; 2019: 新制作 新公开 对外公开总数 */
	static const struct {
		const char *suffix, *verb;
		bool noun_first;   /* 规章对外公开总数2件, not 对外公开总数规章2件 */
	} cols[] = {{".issued", "制发", false},   {".repealed", "废止", false},   {".in_force", "现行有效", false},
	            {".made", "新制作", false},   {".published", "新公开", false}, {".public_total", "对外公开总数", true}};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		bool first = true;
		for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
			bool exists;
			struct value v = sum_of(r, docs[i].row, false, cols[k].suffix, &exists);
			if (!exists || units_of(v) == 0)
				continue;
			if (first && cols[k].noun_first)
				strbuf_printf(t, "%s%s%lld件，", docs[i].noun, cols[k].verb, (long long)units_of(v));
			else if (first)
				strbuf_printf(t, "%s%s%lld件，", cols[k].verb, docs[i].noun, (long long)units_of(v));
			else
				strbuf_printf(t, "%s%lld件，", cols[k].verb, (long long)units_of(v));
			first = false;
			said = true;
		}
		if (!first) {
			/* one document kind a sentence: 废止1件 belongs to the kind just named */
			end_sentence(t);
		}
	}
	static const struct {
		const char *cell, *noun;
	} decisions[] = {{"proactive.art20_5.licensing.decisions", "行政许可"},
	                 {"proactive.art20_6.penalty.decisions", "行政处罚"},
	                 {"proactive.art20_6.coercion.decisions", "行政强制"}};
	bool first = true, any_decision = false;
	for (size_t i = 0; i < sizeof decisions / sizeof decisions[0]; i++) {
		bool exists;
		struct value v = sum_of(r, decisions[i].cell, false, "", &exists);
		if (!exists)
			continue;
		any_decision = true;
		if (units_of(v) == 0)
			continue;
		strbuf_printf(t, "%s%s决定%lld件，", first ? "作出" : "", decisions[i].noun, (long long)units_of(v));
		first = false;
	}
	if (!first) {
		end_sentence(t);
		said = true;
	}
	bool exists;
	struct value fees = sum_of(r, "proactive.art20_8.fees.amount", false, "", &exists);
	if (exists && fees.set && fees.scaled) {
		char num[VALUE_FORMAT_MAX];
		value_format(fees, num, sizeof num);
		strbuf_printf(t, "行政事业性收费%s万元。", num);
		said = true;
	}
	if (!said) {
		/* nothing to report: say so rather than print an empty paragraph */
		strbuf_printf(t, "未制发规章和行政规范性文件%s。", any_decision ? "，未作出行政许可、行政处罚和行政强制决定" : "");
	}
}

/* ---- 三 ---- */

static void
requests(struct reader *r, struct strbuf *t)
{
	const struct draft *d = r->draft;
	int64_t new_total = units_of(sum_of(r, "requests.new", false, ".total", NULL));
	int64_t carried_in = units_of(sum_of(r, "requests.carried_in", false, ".total", NULL));
	year_lead(t, d);
	if (new_total)
		strbuf_printf(t, "共收到政府信息公开申请%lld件，", (long long)new_total);
	else
		strbuf_printf(t, "未收到政府信息公开申请，");
	if (carried_in)
		strbuf_printf(t, "上年结转%lld件，", (long long)carried_in);
	else if (!new_total)
		strbuf_printf(t, "无上年结转申请，");
	end_sentence(t);
	static const struct {
		const char *prefix;
		bool star;
		const char *name;
	} results[] = {
		{"requests.granted", false, "予以公开"},   {"requests.partial", false, "部分公开"},
		{"requests.denied_", true, "不予公开"},    {"requests.unavailable_", true, "无法提供"},
		{"requests.unhandled_", true, "不予处理"}, {"requests.other_", true, "其他处理"},
	};
	bool first = true;
	for (size_t i = 0; i < sizeof results / sizeof results[0]; i++) {
		int64_t n = units_of(sum_of(r, results[i].prefix, results[i].star, ".total", NULL));
		if (!n)
			continue;
		strbuf_printf(t, "%s%s%lld件，", first ? "其中，" : "", results[i].name, (long long)n);
		first = false;
	}
	int64_t carried_out = units_of(sum_of(r, "requests.carried_out", false, ".total", NULL));
	if (carried_out) {
		if (!first) {
			/* "…其他处理1件；结转下年度继续办理3件。" */
			drop_suffix(t, "，");
			strbuf_printf(t, "；");
		}
		strbuf_printf(t, "结转下年度继续办理%lld件，", (long long)carried_out);
		first = false;
	}
	if (!first)
		end_sentence(t);
}

/* ---- 四 ---- */

static void
appeals(struct reader *r, struct strbuf *t)
{
	const struct draft *d = r->draft;
	int64_t review = units_of(sum_of(r, "appeals.review", false, ".total", NULL));
	int64_t litigation = units_of(sum_of(r, "appeals.litigation_", true, ".total", NULL));
	year_lead(t, d);
	if (!review && !litigation) {
		strbuf_printf(t, "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。");
		return;
	}
	if (review)
		strbuf_printf(t, "因政府信息公开工作被申请行政复议%lld件，", (long long)review);
	else
		strbuf_printf(t, "未发生政府信息公开行政复议，");
	if (litigation)
		strbuf_printf(t, "被提起行政诉讼%lld件，", (long long)litigation);
	else
		strbuf_printf(t, "未发生政府信息公开行政诉讼，");
	end_sentence(t);
}

char *
narrate_section(const struct draft *draft, enum narrate_section section, int *blank)
{
	struct reader r = {.draft = draft, .blank = -1};
	struct strbuf t = {0};
	switch (section) {
	case NARRATE_PROACTIVE:
		proactive(&r, &t);
		break;
	case NARRATE_REQUESTS:
		requests(&r, &t);
		break;
	case NARRATE_APPEALS:
		appeals(&r, &t);
		break;
	default:
		break;
	}
	if (r.blank >= 0) {
		if (blank)
			*blank = r.blank;
		strbuf_free(&t);
		return NULL;
	}
	return strbuf_take(&t, NULL);
}

int
narrate_section_by_name(const char *name)
{
	static const char *const names[][3] = {
		{"主动公开", "proactive", "二"},
		{"依申请", "requests", "三"},
		{"复议诉讼", "appeals", "四"},
	};
	for (int i = 0; i < NARRATE_SECTION_COUNT; i++)
		for (int k = 0; k < 3; k++)
			if (!strcmp(name, names[i][k]))
				return i;
	if (!strcmp(name, "依申请公开"))
		return NARRATE_REQUESTS;
	return -1;
}
