#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/dynlib.h"

/* Both libraries load, every listed function resolves, and the functions work. */
static void
test_load_both(void **state)
{
	(void)state;
	char *why = NULL;
	assert_true(dynlib_load_xml(&why));
	assert_true(dynlib_load_zip(&why));
	assert_null(why);
#define NOT_NULL(f) assert_non_null(dynlib_xml.f);
	DYNLIB_XML_FUNCS(NOT_NULL)
#undef NOT_NULL
#define NOT_NULL(f) assert_non_null(dynlib_zip.f);
	DYNLIB_ZIP_FUNCS(NOT_NULL)
#undef NOT_NULL
	assert_non_null(dynlib_xml.free);
	/* a second load returns at once */
	assert_true(dynlib_load_xml(&why));
	assert_true(dynlib_load_zip(&why));

	xmlDocPtr doc = dynlib_xml.xmlReadMemory("<a b=\"12\">x</a>", 16, "a.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlNodePtr root = dynlib_xml.xmlDocGetRootElement(doc);
	assert_non_null(root);
	xmlChar *b = dynlib_xml.xmlGetProp(root, (const xmlChar *)"b");
	assert_string_equal((const char *)b, "12");
	dynlib_xml.free(b);
	dynlib_xml.xmlFreeDoc(doc);

	/* a zip with one entry, written to memory and read back */
	zip_error_t err;
	dynlib_zip.zip_error_init(&err);
	zip_source_t *src = dynlib_zip.zip_source_buffer_create(NULL, 0, 0, &err);
	assert_non_null(src);
	zip_t *z = dynlib_zip.zip_open_from_source(src, ZIP_TRUNCATE, &err);
	assert_non_null(z);
	dynlib_zip.zip_source_keep(src);
	zip_source_t *s = dynlib_zip.zip_source_buffer(z, "年报", 6, 0);
	assert_true(dynlib_zip.zip_file_add(z, "a.txt", s, ZIP_FL_ENC_UTF_8) == 0);
	assert_int_equal(dynlib_zip.zip_close(z), 0);
	zip_stat_t st;
	assert_int_equal(dynlib_zip.zip_source_stat(src, &st), 0);
	assert_true(st.size > 6);
	dynlib_zip.zip_source_free(src);
	dynlib_zip.zip_error_fini(&err);
}

/* A library that is not there names itself and the package to install. */
static void
test_missing_library(void **state)
{
	(void)state;
	char *why = NULL;
	assert_null(dynlib_open("libnianbao-absent.so.7", "libnianbao-absent7", &why));
	assert_string_equal(why, "libnianbao-absent.so.7 is not installed (Debian: apt-get install libnianbao-absent7)");
	free(why);
}

/* A function the library lacks (an older version) is named, with the package. */
static void
test_missing_function(void **state)
{
	(void)state;
	char *why = NULL;
	void *lib = dynlib_open(NIANBAO_LIBZIP_SONAME, NIANBAO_LIBZIP_PACKAGE, &why);
	assert_non_null(lib);
	assert_non_null(dynlib_sym(lib, NIANBAO_LIBZIP_SONAME, NIANBAO_LIBZIP_PACKAGE, "zip_open", &why));
	assert_null(why);
	assert_null(dynlib_sym(lib, NIANBAO_LIBZIP_SONAME, NIANBAO_LIBZIP_PACKAGE, "zip_absent_function", &why));
	assert_non_null(why);
	assert_non_null(strstr(why, NIANBAO_LIBZIP_SONAME " has no function zip_absent_function"));
	assert_non_null(strstr(why, "(Debian: apt-get install " NIANBAO_LIBZIP_PACKAGE ")"));
	free(why);
}

/* configure found real run-time names, not the development links. */
static void
test_sonames(void **state)
{
	(void)state;
	assert_non_null(strstr(NIANBAO_LIBXML2_SONAME, "libxml2.so."));
	assert_non_null(strstr(NIANBAO_LIBZIP_SONAME, "libzip.so."));
	assert_true(strlen(NIANBAO_LIBXML2_PACKAGE) > 0);
	assert_true(strlen(NIANBAO_LIBZIP_PACKAGE) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_both),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_function),
		cmocka_unit_test(test_sonames),
	};
	return cmocka_run_group_tests_name("dynlib", tests, NULL, NULL);
}
