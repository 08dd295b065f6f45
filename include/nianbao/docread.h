#ifndef NIANBAO_DOCREAD_H
#define NIANBAO_DOCREAD_H

#include <stddef.h>

#include "nianbao/diag.h"

/* Published reports as documents: a web page saved from the browser (HTML) or a Word file
 * (DOCX), read into the text form `import` reads best. The reader is chosen by content,
 * never by the file name. */

enum doc_kind { DOC_TEXT, DOC_HTML, DOC_DOCX, DOC_PDF };

/* What bytes hold: a PDF ("%PDF-"), a DOCX (a zip with word/document.xml), HTML (markup
 * with <html>, <body> or <table> near the start), or else text. */
enum doc_kind doc_sniff(const char *bytes, size_t len);

/* The text of an HTML page or a DOCX file: one line per paragraph or heading, one line
 * per table row with its cells separated by tabs. A cell that rowspan/colspan (HTML) or
 * vMerge/gridSpan (DOCX) covers is an empty cell in its place, so every value keeps its
 * column; an empty cell is written as a no-break space, so that a row's first and last
 * cells are never mistaken for an indent or a row end. Scripts, styles and navigation
 * markup are left out. Returns malloc'd UTF-8, or NULL with an error in diags (name is
 * used in it). */
char *doc_html_text(const char *name, const char *bytes, size_t len, struct diag_list *diags);
char *doc_docx_text(const char *name, const char *bytes, size_t len, struct diag_list *diags);

#endif
