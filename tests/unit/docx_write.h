/* Tests: a minimal Word file (DOCX) around the w:body content given, as bytes. */
#ifndef TESTS_DOCX_WRITE_H
#define TESTS_DOCX_WRITE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "nianbao/atomicio.h"
#include "nianbao/diag.h"

static char *
docx_write(const char *body, size_t *len)
{
	static const char *const types =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		"<Override PartName=\"/word/document.xml\" "
		"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
		"</Types>";
	static const char *const rels =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
		"Target=\"word/document.xml\"/></Relationships>";
	char *doc = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	                      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	                      "<w:body>%s<w:sectPr/></w:body></w:document>",
	                      body);
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/nianbao-docx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_TRUNCATE, &err);
	if (!z)
		abort();
	const char *names[3] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml"};
	const char *data[3] = {types, rels, doc};
	for (int i = 0; i < 3; i++) {
		zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
		if (!s || zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8) < 0)
			abort();
	}
	if (zip_close(z) < 0)
		abort();
	free(doc);
	struct diag_list diags = {0};
	char *bytes = read_file(path, 1 << 26, len, &diags);
	diag_free(&diags);
	unlink(path);
	free(path);
	return bytes;
}

#endif
