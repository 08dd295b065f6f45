#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "nianbao/atomicio.h"
#include "nianbao/check.h"
#include "nianbao/i18n.h"
#include "nianbao/render.h"
#include "nianbao/report.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* Converts UTF-8 text to encoding; on a character the encoding lacks, says which and
 * where, and returns NULL. */
static char *
convert(const char *text, size_t len, const char *encoding, size_t *out_len)
{
	iconv_t cd = iconv_open(encoding, "UTF-8");
	if (cd == (iconv_t)-1) {
		fprintf(stderr, _("%s: cannot convert to %s: %s\n"), program_name, encoding, strerror(errno));
		return NULL;
	}
	size_t cap = len * 2 + 16;
	char *out = xmalloc(cap);
	char *in = (char *)text, *o = out;
	size_t in_left = len, out_left = cap;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - out);
			cap *= 2;
			out = xrealloc(out, cap);
			o = out + used;
			out_left = cap - used;
			continue;
		}
		size_t at = (size_t)(in - text);
		int line = 1;
		for (size_t i = 0; i < at; i++)
			line += text[i] == '\n';
		uint32_t cp;
		size_t n = utf8_decode(in, in_left, &cp);
		fprintf(stderr, _("%s: line %d of the report: %.*s (U+%04X) cannot be written in %s; "
		                  "nothing was written\n"),
		        program_name, line, (int)n, in, (unsigned)cp, encoding);
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv(cd, NULL, NULL, &o, &out_left);
	iconv_close(cd);
	*out_len = (size_t)(o - out);
	return out;
}

static const char *
encoding_name(const char *arg)
{
	if (!strcasecmp(arg, "UTF-8") || !strcasecmp(arg, "UTF8"))
		return "UTF-8";
	if (!strcasecmp(arg, "GB18030"))
		return "GB18030";
	if (!strcasecmp(arg, "GBK"))
		return "GBK";
	return NULL;
}

enum format { FORMAT_NONE, FORMAT_TEXT, FORMAT_HTML, FORMAT_DOCX };

static enum format
format_name(const char *arg)
{
	if (!strcasecmp(arg, "text") || !strcasecmp(arg, "txt"))
		return FORMAT_TEXT;
	if (!strcasecmp(arg, "html") || !strcasecmp(arg, "htm"))
		return FORMAT_HTML;
	if (!strcasecmp(arg, "docx"))
		return FORMAT_DOCX;
	return FORMAT_NONE;
}

/* The format an output file's extension names, FORMAT_NONE for any other. */
static enum format
format_of_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	return dot && dot[1] ? format_name(dot + 1) : FORMAT_NONE;
}

static void
print_help(void)
{
	printf(_("Usage: %s render [OPTION]... FILE\n"
	         "Print the final report of a draft: text, a web page or a Word document.\n"
	         "\n"
	         "  -F, --format FMT       text (default), html or docx; -o OUT ending in .html,\n"
	         "                         .htm or .docx chooses it too\n"
	         "  -d, --date DATE        the date signed under the report (2022-01-20)\n"
	         "  -w, --width N          wrap at N display columns (default 80, at least 60)\n"
	         "  -b, --borders STYLE    table borders: ascii (default) or unicode\n"
	         "  -e, --encoding ENC     UTF-8 (default) or GB18030 (GBK also works)\n"
	         "  -f, --force            render a draft that has errors or blank cells,\n"
	         "                         marked 草稿 at the top\n"
	         "  -o, --output OUT       write to OUT (atomically) instead of standard output\n"),
	       program_name);
}

/* The other errors a refusal lists one by one; blank cells are counted, not listed. */
#define REFUSAL_LISTED 10

/* Says why an unfinished draft was not rendered, shortly: one line first (how many errors,
 * how many blank cells), then the errors that are not blank cells (at most REFUSAL_LISTED),
 * then the first blank cell with the count of blank cells in each section. `nianbao check`
 * lists everything. */
static void
refuse(const struct draft *d, const struct check_report *report, const char *path)
{
	const struct template *tpl = d->tpl;
	int blanks = 0, others = 0;
	int *by_section = xcalloc((size_t)tpl->section_count + 1, sizeof *by_section);
	const struct check_result *first_blank = NULL;
	struct diag_list listed = {0};
	for (size_t i = 0; i < report->count; i++) {
		const struct check_result *r = &report->items[i];
		if (r->severity != DIAG_ERROR)
			continue;
		if (!strcmp(r->check->id, "blank")) {
			blanks++;
			int section = r->cell >= 0 ? tpl->tables[tpl->cells[r->cell].table].section : -1;
			by_section[section >= 0 && section < tpl->section_count ? section : tpl->section_count]++;
			if (!first_blank)
				first_blank = r;
		} else if (others++ < REFUSAL_LISTED) {
			diag_add(&listed, DIAG_ERROR, check_result_pos(d, r), "[%s] %s", r->check->id, r->message);
		}
	}
	fprintf(stderr, P_("%s: %s has %d error; nothing was rendered (fix it, or use --force for a copy "
	                   "marked 草稿); blank cells: %d\n",
	                   "%s: %s has %d errors; nothing was rendered (fix them, or use --force for a copy "
	                   "marked 草稿); blank cells: %d\n", report->errors),
	        program_name, cli_safe(path), report->errors, blanks);
	diag_print(&listed, stderr);
	diag_free(&listed);
	if (others > REFUSAL_LISTED)
		fprintf(stderr, _("%s: and %d more errors; 'nianbao check %s' lists them all\n"), program_name,
		        others - REFUSAL_LISTED, cli_safe(path));
	if (first_blank) {
		/* the first blank cell, where an editor jumps, and the count in each section */
		char *counts = xstrdup("");
		for (int s = 0; s <= tpl->section_count; s++) {
			if (!by_section[s])
				continue;
			const char *heading = s < tpl->section_count ? tpl->sections[s].heading : "?";
			const char *comma = strstr(heading, "、");
			char *more = xasprintf("%s%s%.*s %d", counts, counts[0] ? _(", ") : "",
			                       (int)(comma ? (size_t)(comma - heading) : strlen(heading)), heading, by_section[s]);
			free(counts);
			counts = more;
		}
		struct diag_list one = {0};
		diag_add(&one, DIAG_ERROR, check_result_pos(d, first_blank), "[blank] %s", first_blank->message);
		diag_print(&one, stderr);
		diag_free(&one);
		fprintf(stderr, P_("%s: %d blank cell, by section: %s; 'nianbao check %s' lists each\n",
		                   "%s: %d blank cells, by section: %s; 'nianbao check %s' lists each\n", blanks),
		        program_name, blanks, counts, cli_safe(path));
		free(counts);
	}
	free(by_section);
}

int
cmd_render(int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'F'},
		{"date", required_argument, NULL, 'd'},
		{"width", required_argument, NULL, 'w'},
		{"borders", required_argument, NULL, 'b'},
		{"encoding", required_argument, NULL, 'e'},
		{"force", no_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct render_options opt = {.width = RENDER_DEFAULT_WIDTH, .borders = RENDER_BORDERS_ASCII};
	const char *encoding = "UTF-8", *output = NULL;
	bool force = false, text_options = false;
	enum format format = FORMAT_NONE;
	char date[REPORT_DATE_MAX];
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "F:d:w:b:e:fo:h", options, NULL)) != -1) {
		switch (c) {
		case 'F':
			format = format_name(optarg);
			if (format == FORMAT_NONE)
				return cli_usage_error(_("--format must be text, html or docx"));
			break;
		case 'd':
			if (!report_date_parse(optarg, date))
				return cli_usage_error(_("--date must be a day written as 2022-01-20"));
			opt.date = date;
			break;
		case 'w': {
			char *end;
			long w = strtol(optarg, &end, 10);
			if (!*optarg || *end || w < RENDER_MIN_WIDTH || w > RENDER_MAX_WIDTH)
				return cli_usage_error(_("--width must be a number from %d to %d"),
				                       RENDER_MIN_WIDTH, RENDER_MAX_WIDTH);
			opt.width = (int)w;
			text_options = true;
			break;
		}
		case 'b':
			if (!strcmp(optarg, "ascii"))
				opt.borders = RENDER_BORDERS_ASCII;
			else if (!strcmp(optarg, "unicode"))
				opt.borders = RENDER_BORDERS_UNICODE;
			else
				return cli_usage_error(_("--borders must be ascii or unicode"));
			text_options = true;
			break;
		case 'e':
			encoding = encoding_name(optarg);
			if (!encoding)
				return cli_usage_error(_("--encoding must be UTF-8 or GB18030"));
			text_options = true;
			break;
		case 'f':
			force = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			print_help();
			return EXIT_OK;
		default:
			return cli_usage_error(_("unknown option for 'render'"));
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(_("'render' needs exactly one FILE"));
	const char *path = argv[optind];
	enum format by_name = output ? format_of_path(output) : FORMAT_NONE;
	if (format != FORMAT_NONE && by_name != FORMAT_NONE && format != by_name)
		return cli_usage_error(_("--format says one format and the name %s another"), output);
	if (format == FORMAT_NONE)
		format = by_name != FORMAT_NONE ? by_name : FORMAT_TEXT;
	if (format != FORMAT_TEXT && text_options)
		return cli_usage_error(_("--width, --borders and --encoding apply to the text format only"));
	if (format == FORMAT_DOCX && !output && isatty(STDOUT_FILENO))
		return cli_usage_error(_("a Word document is not for the terminal: write it with -o OUT.docx"));

	struct diag_list diags = {0};
	struct template_cache *cache = template_cache_new(NULL);
	struct draft *d = draft_load(path, cache, &diags), *prev = NULL;
	int status = EXIT_TROUBLE;
	char *text = NULL, *converted = NULL;
	if (!d)
		goto out;
	prev = draft_load_previous(d, cache, &diags);
	diag_free(&diags);
	/* the report never lands on a draft: not on the one rendered (through another name or a
	 * link), not on last year's, not on any other */
	if (output && (same_inode(output, path) || (prev && same_inode(output, prev->path)) || looks_like_draft(output))) {
		fprintf(stderr, _("%s: %s is a draft; render does not write over drafts (choose another file for -o); "
		                  "nothing was written\n"), program_name, cli_safe(output));
		goto out;
	}
	struct check_report report = {0};
	checks_run(d, prev, &report);
	int errors = report.errors;
	if (errors && !force) {
		refuse(d, &report, path);
		check_report_free(&report);
		status = EXIT_PROBLEMS;
		goto out;
	}
	check_report_free(&report);
	diag_free(&diags);
	opt.draft_mark = errors > 0;
	/* GBK fonts draw curly quotes, ·, × ... full width: count them so the borders line up */
	width_set_ambiguous_wide(strcmp(encoding, "UTF-8") != 0);
	size_t len;
	if (format == FORMAT_HTML) {
		text = render_html(d, &opt, &len);
	} else if (format == FORMAT_DOCX) {
		text = render_docx(d, &opt, &len, &diags);
	} else {
		text = render_report(d, &opt, &len);
		size_t stripped = diag_strip_controls(text, &len);
		if (stripped)
			fprintf(stderr, P_("%s: %s: %zu control character in the text was left out of the report\n",
			                   "%s: %s: %zu control characters in the text were left out of the report\n", stripped),
			        program_name, cli_safe(path), stripped);
	}
	if (!text)
		goto out;
	const char *bytes = text;
	if (strcmp(encoding, "UTF-8")) {
		converted = convert(text, len, encoding, &len);
		if (!converted)
			goto out;
		bytes = converted;
	}
	if (output) {
		if (!atomic_write(output, bytes, len, false, &diags))
			goto out;
	} else if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, _("%s: cannot write the report: %s\n"), program_name, strerror(errno));
		goto out;
	}
	status = EXIT_OK;
out:
	diag_print(&diags, stderr);
	diag_free(&diags);
	free(text);
	free(converted);
	draft_free(prev);
	draft_free(d);
	template_cache_free(cache);
	return status;
}
