#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/review.h"
#include "nianbao/sum.h"
#include "nianbao/width.h"

/* The cells whose sum is each key figure (computed totals included). */
static const char *const figure_cells[REVIEW_FIGURES][4] = {
	[REVIEW_RECEIVED] = {"requests.new.total"},
	[REVIEW_CARRIED] = {"requests.carried_out.total"},
	[REVIEW_APPEALS] = {"appeals.review.total", "appeals.litigation_direct.total", "appeals.litigation_after_review.total"},
	[REVIEW_FEES] = {"proactive.art20_8.fees.amount"},
};

/* A figure: a value, blank (some cell of it is blank), or not in the template. */
struct figure {
	struct value v;   /* v.set false: blank or not applicable */
	bool applies;
};

struct row {
	char *path;
	char *organization;
	char *template_id;   /* "" when unreadable */
	int year;
	enum review_status status;
	int errors;
	int warnings;
	char *by_error;      /* "balance:2 blank:5" */
	char *by_warning;
	char *note;          /* unreadable: why */
	struct figure fig[REVIEW_FIGURES];
	time_t mtime;
	bool has_mtime;
	struct row *prev;    /* last year's, matched at write time */
	bool used;           /* a last-year row matched by this year's */
};

struct review {
	struct row *rows;
	size_t count;
	size_t cap;
	struct row *prev;    /* --previous: organization, path and figures only */
	size_t prev_count;
	size_t prev_cap;
	bool with_previous;
};

struct review *
review_new(void)
{
	return xcalloc(1, sizeof(struct review));
}

static void
row_free(struct row *r)
{
	free(r->path);
	free(r->organization);
	free(r->template_id);
	free(r->by_error);
	free(r->by_warning);
	free(r->note);
}

void
review_free(struct review *rv)
{
	if (!rv)
		return;
	for (size_t i = 0; i < rv->count; i++)
		row_free(&rv->rows[i]);
	for (size_t i = 0; i < rv->prev_count; i++)
		row_free(&rv->prev[i]);
	free(rv->rows);
	free(rv->prev);
	free(rv);
}

static void
figures_of(const struct draft *d, struct figure fig[REVIEW_FIGURES])
{
	for (int f = 0; f < REVIEW_FIGURES; f++) {
		fig[f] = (struct figure){.v = {0, true}, .applies = true};
		for (int k = 0; k < 4 && figure_cells[f][k]; k++) {
			int cell = template_find_cell(d->tpl, figure_cells[f][k]);
			if (cell < 0) {
				fig[f] = (struct figure){0};
				break;
			}
			if (!d->cells[cell].set) {
				fig[f].v = value_blank();
				break;
			}
			fig[f].v.scaled += d->cells[cell].scaled;
		}
	}
}

/* Counts per check id, in the order first met: "balance:2 blank:5". */
struct tally {
	const char *ids[64];
	int counts[64];
	int n;
};

static void
tally_add(struct tally *t, const char *id)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->ids[i], id)) {
			t->counts[i]++;
			return;
		}
	if (t->n < 64) {
		t->ids[t->n] = id;
		t->counts[t->n++] = 1;
	}
}

static char *
tally_text(const struct tally *t)
{
	char *s = xstrdup("");
	for (int i = 0; i < t->n; i++) {
		char *next = xasprintf("%s%s%s:%d", s, i ? " " : "", t->ids[i], t->counts[i]);
		free(s);
		s = next;
	}
	return s;
}

static struct row *
new_row(struct row **rows, size_t *count, size_t *cap, const char *path)
{
	if (*count == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*rows = xrealloc(*rows, *cap * sizeof **rows);
	}
	struct row *r = &(*rows)[(*count)++];
	*r = (struct row){.path = xstrdup(path)};
	struct stat st;
	if (stat(path, &st) == 0) {
		r->mtime = st.st_mtime;
		r->has_mtime = true;
	}
	return r;
}

enum review_status
review_add(struct review *rv, const char *path, struct template_cache *cache)
{
	struct row *r = new_row(&rv->rows, &rv->count, &rv->cap, path);
	struct diag_list diags = {0};
	struct draft *d = draft_load(path, cache, &diags);
	if (!d) {
		r->status = REVIEW_UNREADABLE;
		r->organization = xstrdup("");
		r->template_id = xstrdup("");
		r->by_error = xstrdup("");
		r->by_warning = xstrdup("");
		if (diags.count) {
			const struct diag *first = &diags.items[0];
			r->note = first->pos.line ? xasprintf(_("line %d: %s"), first->pos.line, first->message)
			                          : xstrdup(first->message);
		} else {
			r->note = xstrdup(_("cannot be read"));
		}
		r->errors = (int)diag_count(&diags, DIAG_ERROR);
		diag_free(&diags);
		return r->status;
	}
	r->organization = xstrdup(d->organization);
	r->template_id = xstrdup(d->tpl->id);
	r->year = d->year;
	figures_of(d, r->fig);
	struct tally errors = {0}, warnings = {0};
	struct draft *prev = draft_load_previous(d, cache, &diags);
	for (size_t i = 0; i < diags.count; i++)
		tally_add(&warnings, "previous");
	size_t before = diags.count;
	sum_check_sources(d, cache, &diags);
	for (size_t i = before; i < diags.count; i++)
		tally_add(&warnings, "sum-sources");
	struct check_report report = {0};
	checks_run(d, prev, &report);
	for (size_t i = 0; i < report.count; i++)
		tally_add(report.items[i].severity == DIAG_ERROR ? &errors : &warnings, report.items[i].check->id);
	r->errors = report.errors;
	r->warnings = report.warnings + (int)diags.count;
	r->by_error = tally_text(&errors);
	r->by_warning = tally_text(&warnings);
	r->status = r->errors ? REVIEW_ERRORS : r->warnings ? REVIEW_WARNINGS : REVIEW_OK;
	check_report_free(&report);
	diag_free(&diags);
	draft_free(prev);
	draft_free(d);
	return r->status;
}

void
review_add_previous(struct review *rv, const char *path, struct template_cache *cache)
{
	rv->with_previous = true;
	struct diag_list diags = {0};
	struct draft *d = draft_load(path, cache, &diags);
	diag_free(&diags);
	if (!d)
		return;
	struct row *r = new_row(&rv->prev, &rv->prev_count, &rv->prev_cap, path);
	r->organization = xstrdup(d->organization);
	r->template_id = xstrdup(d->tpl->id);
	r->year = d->year;
	figures_of(d, r->fig);
	draft_free(d);
}

int
review_exit_status(const struct review *rv)
{
	int status = 0;
	for (size_t i = 0; i < rv->count; i++) {
		if (rv->rows[i].status == REVIEW_UNREADABLE)
			return 2;
		if (rv->rows[i].status == REVIEW_ERRORS)
			status = 1;
	}
	return status;
}

static int
compare_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	/* unreadable drafts (no organization) go last */
	bool ux = x->status == REVIEW_UNREADABLE, uy = y->status == REVIEW_UNREADABLE;
	if (ux != uy)
		return ux ? 1 : -1;
	int c = strcmp(x->organization, y->organization);
	return c ? c : strcmp(x->path, y->path);
}

/* ---- output ---- */

static const char *
status_word(enum review_status s)
{
	switch (s) {
	case REVIEW_OK: return _("ok");
	case REVIEW_WARNINGS: return _("warnings");
	case REVIEW_ERRORS: return _("errors");
	case REVIEW_UNREADABLE: return _("unreadable");
	}
	return "";
}

static const char *
figure_name(int f)
{
	switch (f) {
	case REVIEW_RECEIVED: return _("received");
	case REVIEW_CARRIED: return _("carried over");
	case REVIEW_APPEALS: return _("appeals");
	default: return _("fees (10k yuan)");
	}
}

/* A figure as text: the number, "~" when blank, "-" when not applicable. */
static char *
figure_text(const struct figure *f)
{
	if (!f->applies)
		return xstrdup("-");
	if (!f->v.set)
		return xstrdup("~");
	char buf[VALUE_FORMAT_MAX];
	value_format(f->v, buf, sizeof buf);
	return xstrdup(buf);
}

static char *
change_text(const struct figure *now, const struct figure *before)
{
	if (!now->applies || !before || !before->applies)
		return xstrdup("-");
	if (!now->v.set || !before->v.set)
		return xstrdup("~");
	char buf[VALUE_FORMAT_MAX];
	struct value d = {now->v.scaled - before->v.scaled, true};
	value_format(d, buf, sizeof buf);
	return d.scaled > 0 ? xasprintf("+%s", buf) : xstrdup(buf);
}

static char *
mtime_text(const struct row *r)
{
	if (!r->has_mtime)
		return xstrdup("");
	char buf[32];
	struct tm tm;
	localtime_r(&r->mtime, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	return xstrdup(buf);
}

static char *
year_text(int year)
{
	return year ? xasprintf("%d", year) : xstrdup("");
}

/* The roster as rows of strings, shared by the three formats and made one row at a time
 * (row 0 is the header), so that writing holds no more than a row; every text from a
 * draft is escaped. numeric[c] tells which columns hold numbers. */
struct table {
	const struct review *rv;
	char **cells;       /* cols strings of the row loaded */
	size_t rows;
	size_t cols;
	bool numeric[64];
};

#define CELL(t, r, c) ((t)->cells[c])

static void
table_clear(struct table *t)
{
	for (size_t c = 0; c < t->cols; c++) {
		free(t->cells[c]);
		t->cells[c] = NULL;
	}
}

static void
table_init(const struct review *rv, struct table *t)
{
	t->rv = rv;
	t->cols = 8 + REVIEW_FIGURES * (rv->with_previous ? 3 : 1) + 3;
	t->rows = rv->count + 1;
	t->cells = xcalloc(t->cols, sizeof *t->cells);
	memset(t->numeric, 0, sizeof t->numeric);
	t->numeric[4] = t->numeric[5] = true;
	for (size_t c = 8; c < 8 + REVIEW_FIGURES * (rv->with_previous ? 3 : 1); c++)
		t->numeric[c] = true;
}

/* Makes row `row` the one CELL reads. */
static void
table_load(struct table *t, size_t row)
{
	const struct review *rv = t->rv;
	table_clear(t);
	size_t c = 0;
	if (row == 0) {
		CELL(t, 0, c++) = xstrdup(_("organization"));
		CELL(t, 0, c++) = xstrdup(_("year"));
		CELL(t, 0, c++) = xstrdup(_("template"));
		CELL(t, 0, c++) = xstrdup(_("status"));
		CELL(t, 0, c++) = xstrdup(_("errors"));
		CELL(t, 0, c++) = xstrdup(_("warnings"));
		CELL(t, 0, c++) = xstrdup(_("errors by check"));
		CELL(t, 0, c++) = xstrdup(_("warnings by check"));
		for (int f = 0; f < REVIEW_FIGURES; f++) {
			CELL(t, 0, c++) = xstrdup(figure_name(f));
			if (rv->with_previous) {
				CELL(t, 0, c++) = xasprintf(_("%s last year"), figure_name(f));
				CELL(t, 0, c++) = xasprintf(_("%s change"), figure_name(f));
			}
		}
		CELL(t, 0, c++) = xstrdup(_("modified"));
		CELL(t, 0, c++) = xstrdup(_("file"));
		CELL(t, 0, c++) = xstrdup(_("note"));
		return;
	}
	const struct row *r = &rv->rows[row - 1];
	CELL(t, row, c++) = diag_escape(r->organization);
	CELL(t, row, c++) = year_text(r->year);
	CELL(t, row, c++) = diag_escape(r->template_id);
	CELL(t, row, c++) = xstrdup(status_word(r->status));
	CELL(t, row, c++) = xasprintf("%d", r->errors);
	CELL(t, row, c++) = xasprintf("%d", r->warnings);
	CELL(t, row, c++) = xstrdup(r->by_error);
	CELL(t, row, c++) = xstrdup(r->by_warning);
	for (int f = 0; f < REVIEW_FIGURES; f++) {
		bool unreadable = r->status == REVIEW_UNREADABLE;
		CELL(t, row, c++) = unreadable ? xstrdup("") : figure_text(&r->fig[f]);
		if (rv->with_previous) {
			CELL(t, row, c++) = unreadable || !r->prev ? xstrdup("") : figure_text(&r->prev->fig[f]);
			CELL(t, row, c++) = unreadable || !r->prev ? xstrdup("") : change_text(&r->fig[f], &r->prev->fig[f]);
		}
	}
	CELL(t, row, c++) = mtime_text(r);
	CELL(t, row, c++) = diag_escape(r->path);
	if (r->note)
		CELL(t, row, c++) = diag_escape(r->note);
	else if (rv->with_previous && !r->prev && r->status != REVIEW_UNREADABLE)
		CELL(t, row, c++) = xstrdup(_("not in last year's drafts"));
	else
		CELL(t, row, c++) = xstrdup("");
}

static void
table_free(struct table *t)
{
	table_clear(t);
	free(t->cells);
}

/* The summary: counts, totals of the key figures, and (with --previous) the units that
 * were there last year and are missing now. Lines of label and value, already escaped. */
struct summary {
	char *lines[32][2];
	int n;
	char **missing;   /* "甲局 (2020/a.yaml)" */
	size_t missing_count;
};

static void
summary_add(struct summary *s, char *label, char *value)
{
	if (s->n < 32) {
		s->lines[s->n][0] = label;
		s->lines[s->n][1] = value;
		s->n++;
	} else {
		free(label);
		free(value);
	}
}

static int
compare_prev_org(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->organization, ((const struct row *)b)->organization);
}

static void
build_summary(const struct review *rv, struct summary *s)
{
	size_t by_status[4] = {0};
	for (size_t i = 0; i < rv->count; i++)
		by_status[rv->rows[i].status]++;
	summary_add(s, xstrdup(_("units")), xasprintf("%zu", rv->count));
	summary_add(s, xstrdup(_("clean (no errors, no warnings)")), xasprintf("%zu", by_status[REVIEW_OK]));
	summary_add(s, xstrdup(_("with warnings only")), xasprintf("%zu", by_status[REVIEW_WARNINGS]));
	summary_add(s, xstrdup(_("with errors")), xasprintf("%zu", by_status[REVIEW_ERRORS]));
	summary_add(s, xstrdup(_("unreadable")), xasprintf("%zu", by_status[REVIEW_UNREADABLE]));
	for (int f = 0; f < REVIEW_FIGURES; f++) {
		int64_t total = 0;
		size_t blank = 0, counted = 0;
		for (size_t i = 0; i < rv->count; i++) {
			const struct row *r = &rv->rows[i];
			if (r->status == REVIEW_UNREADABLE || !r->fig[f].applies)
				continue;
			if (!r->fig[f].v.set)
				blank++;
			else {
				total += r->fig[f].v.scaled;
				counted++;
			}
		}
		char *label = xasprintf(_("total %s"), figure_name(f));
		if (blank) {
			/* a total that misses some units is not a total: blank, and say why */
			summary_add(s, label, xasprintf(P_("~ (blank in %zu unit)", "~ (blank in %zu units)", blank), blank));
		} else if (!counted) {
			summary_add(s, label, xstrdup("-"));
		} else {
			char buf[VALUE_FORMAT_MAX];
			value_format((struct value){total, true}, buf, sizeof buf);
			summary_add(s, label, xstrdup(buf));
		}
	}
	if (rv->with_previous) {
		for (size_t i = 0; i < rv->prev_count; i++) {
			const struct row *p = &rv->prev[i];
			if (!p->used) {
				s->missing = xrealloc(s->missing, (s->missing_count + 1) * sizeof *s->missing);
				char *org = diag_escape(p->organization), *path = diag_escape(p->path);
				s->missing[s->missing_count++] = xasprintf("%s (%s)", org, path);
				free(org);
				free(path);
			}
		}
		summary_add(s, xstrdup(_("present last year, missing now")), xasprintf("%zu", s->missing_count));
	}
}

static void
summary_free(struct summary *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->lines[i][0]);
		free(s->lines[i][1]);
	}
	for (size_t i = 0; i < s->missing_count; i++)
		free(s->missing[i]);
	free(s->missing);
}

/* Matches each row to last year's by organization (binary search over sorted rows);
 * marks the last-year rows that were used. */
static void
match_previous(struct review *rv)
{
	if (!rv->with_previous)
		return;
	qsort(rv->prev, rv->prev_count, sizeof *rv->prev, compare_prev_org);
	for (size_t i = 0; i < rv->count; i++) {
		struct row *r = &rv->rows[i];
		if (r->status == REVIEW_UNREADABLE || !r->organization[0])
			continue;
		struct row key = {.organization = r->organization};
		r->prev = bsearch(&key, rv->prev, rv->prev_count, sizeof *rv->prev, compare_prev_org);
		if (r->prev)
			r->prev->used = true;
	}
}

static void
pad(FILE *out, const char *s, size_t width, bool right)
{
	size_t w = width_of_utf8(s, strlen(s));
	if (right)
		fprintf(out, "%*s%s", (int)(width > w ? width - w : 0), "", s);
	else
		fprintf(out, "%s%*s", s, (int)(width > w ? width - w : 0), "");
}

/* Text: the main columns aligned by display width; per draft a second line with its
 * problems by check, last year's figures and the note. */
static void
write_text(const struct review *rv, struct table *t, const struct summary *s, FILE *out)
{
	/* columns shown on the main line: organization, year, template, status, errors,
	 * warnings, the figures, modified, file */
	size_t shown[64];
	size_t n = 0;
	for (size_t c = 0; c < t->cols; c++) {
		if (c == 6 || c == 7 || c + 1 == t->cols)
			continue;   /* by check and note: on the second line */
		if (rv->with_previous && c >= 8 && c < 8 + 3 * REVIEW_FIGURES && (c - 8) % 3 != 0)
			continue;   /* last year and change: on the second line */
		shown[n++] = c;
	}
	size_t width[64] = {0};
	for (size_t r = 0; r < t->rows; r++) {
		table_load(t, r);
		for (size_t i = 0; i < n; i++) {
			const char *cell = CELL(t, r, shown[i]);
			size_t w = width_of_utf8(cell, strlen(cell));
			if (w > width[i])
				width[i] = w;
		}
	}
	for (size_t r = 0; r < t->rows; r++) {
		table_load(t, r);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputs("  ", out);
			if (i + 1 == n)
				fputs(CELL(t, r, shown[i]), out);
			else
				pad(out, CELL(t, r, shown[i]), width[i], t->numeric[shown[i]] && r > 0);
		}
		fputc('\n', out);
		if (r == 0)
			continue;
		const char *by_e = CELL(t, r, 6), *by_w = CELL(t, r, 7), *note = CELL(t, r, t->cols - 1);
		if (by_e[0])
			fprintf(out, "    %s: %s\n", _("errors by check"), by_e);
		if (by_w[0])
			fprintf(out, "    %s: %s\n", _("warnings by check"), by_w);
		const struct row *row = &rv->rows[r - 1];
		if (rv->with_previous && row->prev) {
			fprintf(out, "    %s:", _("last year"));
			for (int f = 0; f < REVIEW_FIGURES; f++)
				fprintf(out, "%s %s %s (%s)", f ? "," : "", figure_name(f), CELL(t, r, 8 + 3 * (size_t)f + 1),
				        CELL(t, r, 8 + 3 * (size_t)f + 2));
			fputc('\n', out);
		}
		if (note[0])
			fprintf(out, "    %s\n", note);
	}
	fputc('\n', out);
	size_t lw = 0;
	for (int i = 0; i < s->n; i++) {
		size_t w = width_of_utf8(s->lines[i][0], strlen(s->lines[i][0]));
		if (w > lw)
			lw = w;
	}
	for (int i = 0; i < s->n; i++) {
		pad(out, s->lines[i][0], lw, false);
		fprintf(out, "  %s\n", s->lines[i][1]);
	}
	for (size_t i = 0; i < s->missing_count; i++)
		fprintf(out, "  %s\n", s->missing[i]);
}

static void
csv_field(FILE *out, const char *s, bool numeric)
{
	/* a text that a spreadsheet would run as a formula is kept as text */
	bool guard = !numeric && s[0] && strchr("=+-@\t\r", s[0]);
	bool quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', out);
	if (guard)
		fputc('\'', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

static void
write_csv(struct table *t, const struct summary *s, FILE *out)
{
	fputs("\xEF\xBB\xBF", out);
	for (size_t r = 0; r < t->rows; r++) {
		table_load(t, r);
		for (size_t c = 0; c < t->cols; c++) {
			if (c)
				fputc(',', out);
			csv_field(out, CELL(t, r, c), t->numeric[c] && r > 0);
		}
		fputs("\r\n", out);
	}
	fputs("\r\n", out);
	for (int i = 0; i < s->n; i++) {
		csv_field(out, s->lines[i][0], false);
		fputc(',', out);
		csv_field(out, s->lines[i][1], true);
		fputs("\r\n", out);
	}
	for (size_t i = 0; i < s->missing_count; i++) {
		csv_field(out, _("missing"), false);
		fputc(',', out);
		csv_field(out, s->missing[i], false);
		fputs("\r\n", out);
	}
}

static void
html_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void
write_html(const struct review *rv, struct table *t, const struct summary *s, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
	html_text(out, _("Review of the drafts"));
	fputs("</title>\n<style>\n"
	      "body { font-family: sans-serif; margin: 1em; }\n"
	      "table { border-collapse: collapse; }\n"
	      "th, td { border: 1px solid #999; padding: 2px 6px; vertical-align: top; }\n"
	      "th { background: #eee; }\n"
	      "td.n { text-align: right; }\n"
	      "tr.errors td.status, tr.unreadable td.status { background: #f4c7c3; }\n"
	      "tr.warnings td.status { background: #fce8b2; }\n"
	      "tr.ok td.status { background: #b7e1cd; }\n"
	      "</style>\n</head>\n<body>\n<h1>", out);
	html_text(out, _("Review of the drafts"));
	fputs("</h1>\n<table>\n<thead>\n<tr>", out);
	table_load(t, 0);
	for (size_t c = 0; c < t->cols; c++) {
		fputs("<th>", out);
		html_text(out, CELL(t, 0, c));
		fputs("</th>", out);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", out);
	static const char *const classes[] = {"ok", "warnings", "errors", "unreadable"};
	for (size_t r = 1; r < t->rows; r++) {
		table_load(t, r);
		fprintf(out, "<tr class=\"%s\">", classes[rv->rows[r - 1].status]);
		for (size_t c = 0; c < t->cols; c++) {
			fputs(c == 3 ? "<td class=\"status\">" : t->numeric[c] ? "<td class=\"n\">" : "<td>", out);
			html_text(out, CELL(t, r, c));
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n<h2>", out);
	html_text(out, _("Summary"));
	fputs("</h2>\n<table class=\"summary\">\n", out);
	for (int i = 0; i < s->n; i++) {
		fputs("<tr><th>", out);
		html_text(out, s->lines[i][0]);
		fputs("</th><td class=\"n\">", out);
		html_text(out, s->lines[i][1]);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (s->missing_count) {
		fputs("<h2>", out);
		html_text(out, _("Present last year, missing now"));
		fputs("</h2>\n<ul class=\"missing\">\n", out);
		for (size_t i = 0; i < s->missing_count; i++) {
			fputs("<li>", out);
			html_text(out, s->missing[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	fputs("</body>\n</html>\n", out);
}

bool
review_write(struct review *rv, enum review_format format, FILE *out)
{
	qsort(rv->rows, rv->count, sizeof *rv->rows, compare_rows);
	match_previous(rv);
	struct table t;
	table_init(rv, &t);
	struct summary s = {0};
	build_summary(rv, &s);
	switch (format) {
	case REVIEW_TEXT: write_text(rv, &t, &s, out); break;
	case REVIEW_CSV: write_csv(&t, &s, out); break;
	case REVIEW_HTML: write_html(rv, &t, &s, out); break;
	}
	summary_free(&s);
	table_free(&t);
	return fflush(out) == 0 && !ferror(out);
}
