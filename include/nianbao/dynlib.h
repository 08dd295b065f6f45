#ifndef NIANBAO_DYNLIB_H
#define NIANBAO_DYNLIB_H

/* libxml2 and libzip, loaded on first use (dlopen) instead of by every process at start-up.
 * Only import of web pages and Word files (docread.c) and render --format docx
 * (render_docx.c) need them, and linking them made every process, even `check` of one
 * draft, pay for loading them and what they pull in (ICU, libstdc++, libcrypto, ...).
 * Their headers still give the types and prototypes: each function is called through a
 * pointer typed from the library's own prototype, e.g. dynlib_zip.zip_fopen(z, name, 0).
 * The run-time names (sonames) and Debian packages come from configure. */

#include <stdbool.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

/* Exactly the functions the code calls; add one here when the code needs it. */
#define DYNLIB_XML_FUNCS(F) \
	F(htmlReadMemory) F(xmlReadMemory) F(xmlDocGetRootElement) F(xmlFreeDoc) \
	F(xmlGetProp) F(xmlGetNsProp) F(xmlNodeGetContent) F(xmlMemGet)
#define DYNLIB_ZIP_FUNCS(F) \
	F(zip_error_init) F(zip_error_fini) F(zip_error_strerror) F(zip_get_error) \
	F(zip_source_buffer_create) F(zip_source_buffer) F(zip_source_keep) F(zip_source_free) \
	F(zip_source_stat) F(zip_source_open) F(zip_source_read) F(zip_source_close) \
	F(zip_source_error) F(zip_open_from_source) F(zip_close) F(zip_discard) F(zip_stat) \
	F(zip_fopen) F(zip_fread) F(zip_fclose) F(zip_file_add) F(zip_file_set_mtime)

#define DYNLIB_POINTER(f) __typeof__(f) *f;
struct dynlib_xml_fns {
	DYNLIB_XML_FUNCS(DYNLIB_POINTER)
	xmlFreeFunc free;   /* libxml2's xmlFree, for the strings it returns */
};
struct dynlib_zip_fns {
	DYNLIB_ZIP_FUNCS(DYNLIB_POINTER)
};
#undef DYNLIB_POINTER

/* Filled by a successful dynlib_load_xml / dynlib_load_zip; unusable before. */
extern struct dynlib_xml_fns dynlib_xml;
extern struct dynlib_zip_fns dynlib_zip;

/* Loads the library and every function it lists, once per process (later calls return
 * true at once). On failure returns false and sets *why to a malloc'd, translated message
 * naming the library and the Debian package to install, e.g. "libzip.so.4 is not installed
 * (Debian: apt-get install libzip4)", for the caller to put after what it could not do.
 * Not thread-safe. */
bool dynlib_load_xml(char **why);
bool dynlib_load_zip(char **why);

/* The two steps of a load, for tests. dynlib_open: dlopen(soname), or NULL with *why set
 * as above. dynlib_sym: the function name in lib, or NULL with *why set (the library is
 * older than the one nianbao was built with). */
void *dynlib_open(const char *soname, const char *package, char **why);
void *dynlib_sym(void *lib, const char *soname, const char *package, const char *name, char **why);

#endif
