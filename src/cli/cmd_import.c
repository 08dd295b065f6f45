#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "nianbao/docread.h"
#include "nianbao/import.h"

#define MAX_REPORT_BYTES ((size_t)16 << 20)

int
cmd_import(int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			printf(_("Usage: %s import REPORT DRAFT.yaml\n"
			         "Turn a published report into a new draft: its text (copied out of Word, WPS, a web\n"
			         "page or a PDF viewer, or printed by 'render'), the web page itself (HTML), the Word\n"
			         "file (DOCX) or the PDF (read with pdftotext -layout), recognised by content. The\n"
			         "template is chosen from the labels found; empty cells stay blank, and a value that\n"
			         "cannot be read exactly is left blank with a note. DRAFT.yaml '-' writes the draft\n"
			         "to standard output (and the summary to standard error).\n"), program_name);
			return EXIT_OK;
		}
		return cli_usage_error(_("unknown option for 'import'"));
	}
	if (optind + 2 != argc)
		return cli_usage_error(_("'import' needs REPORT.txt and DRAFT.yaml"));
	const char *report = argv[optind], *path = argv[optind + 1];
	bool to_stdout = !strcmp(path, "-");
	struct stat st;
	if (!to_stdout && lstat(path, &st) == 0) {
		fprintf(stderr, _("%s: %s already exists; nothing was written\n"), program_name, cli_safe(path));
		return EXIT_TROUBLE;
	}
	struct diag_list diags = {0};
	size_t len;
	char *text = read_file(report, MAX_REPORT_BYTES, &len, &diags);
	bool pdf = text && doc_sniff(text, len) == DOC_PDF;
	if (pdf) {
		free(text);
		text = pdf_to_text(report, MAX_REPORT_BYTES, &len, &diags);
	}
	struct template_cache *cache = template_cache_new(NULL);
	struct import_summary sum = {0};
	struct draft *d = text ? import_report(report, text, len, cache, &sum, &diags) : NULL;
	int status = EXIT_TROUBLE;
	bool saved = false;
	FILE *out = stdout;
	if (d && to_stdout) {
		size_t n;
		char *yaml = draft_serialize(d, &n);
		saved = fwrite(yaml, 1, n, stdout) == n && fflush(stdout) == 0;
		free(yaml);
		if (!saved)
			fprintf(stderr, _("%s: could not write the draft to standard output\n"), program_name);
		out = stderr;
		path = _("standard output");
	} else if (d) {
		saved = draft_save_new(d, path, &diags);
	}
	if (saved) {
		status = EXIT_OK;
		int input = 0;
		for (int i = 0; i < d->tpl->cell_count; i++)
			input += d->tpl->cells[i].formula < 0;
		fprintf(out, _("%s: imported into %s\n"), cli_safe(report), cli_safe(path));
		if (pdf)
			fprintf(out, _("  read as: PDF, through pdftotext -layout\n"));
		else if (strcmp(sum.format, "text"))
			fprintf(out, _("  read as: %s\n"), sum.format);
		if (sum.converted)
			fprintf(out, _("  the text was GB18030 and was read as such\n"));
		fprintf(out, _("  template: %s (labels found: %d; the other template: %d)\n"), cli_safe(sum.template_id),
		       sum.score[0], sum.score[1]);
		char year[16] = "?";
		if (d->year)
			snprintf(year, sizeof year, "%d", d->year);
		fprintf(out, _("  organization: %s; year: %s\n"), cli_safe(d->organization[0] ? d->organization : "?"), year);
		fprintf(out, _("  cells read: %d of %d; blank: %d\n"), sum.cells_read, input, sum.blank_count);
		/* blank cells by row: "requests.new: natural business" */
		for (int i = 0; i < sum.blank_count;) {
			const char *dot = strrchr(sum.blank[i], '.');
			size_t row = dot ? (size_t)(dot - sum.blank[i]) : strlen(sum.blank[i]);
			char *row_id = xstrndup(sum.blank[i], row);
			fprintf(out, _("  blank: %s:"), cli_safe(row_id));
			free(row_id);
			int k = i;
			for (; k < sum.blank_count && !strncmp(sum.blank[k], sum.blank[i], row) && sum.blank[k][row] == '.'; k++)
				fprintf(out, " %s", cli_safe(sum.blank[k] + row + 1));
			fprintf(out, "\n");
			i = k > i ? k : i + 1;
		}
		for (int i = 0; i < sum.note_count; i++)
			fprintf(out, _("  note: %s\n"), cli_safe(sum.notes[i]));
		if (!to_stdout)
			fprintf(out, _("  next: nianbao check %s\n"), cli_safe(path));
	}
	diag_print(&diags, stderr);
	diag_free(&diags);
	import_summary_free(&sum);
	draft_free(d);
	template_cache_free(cache);
	free(text);
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	return status;
}
