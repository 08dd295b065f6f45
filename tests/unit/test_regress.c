/* Every input the fuzzers found a bug with (tests/fuzz/regress/), replayed through the
 * loader concerned: each must be refused with a diagnostic or loaded, never crash, overrun
 * (the buffer is given without a terminating NUL, as the fuzzer gives it) or leak. */
#include <config.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"
#include "nianbao/import.h"
#include "nianbao/template.h"

#include "loads_back.h"

static char *
exact_copy(const char *path, size_t *len)
{
	struct diag_list diags = {0};
	char *text = read_file(path, 1 << 24, len, &diags);
	assert_non_null(text);
	diag_free(&diags);
	char *exact = xmalloc(*len ? *len : 1);
	memcpy(exact, text, *len);
	free(text);
	return exact;
}

static void
test_regressions(void **state)
{
	(void)state;
	const char *top = getenv("top_srcdir");
	char *dir = xasprintf("%s/tests/fuzz/regress", top ? top : ".");
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct template_cache *cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	int replayed = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		if (ent->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, ent->d_name);
		size_t len;
		char *bytes = exact_copy(path, &len);
		struct diag_list diags = {0};
		if (!strncmp(ent->d_name, "draft-", 6)) {
			struct draft *dr = draft_load_buffer(ent->d_name, bytes, len, cache, &diags);
			assert_true(dr || diags.count > 0);
			draft_free(dr);
		} else if (!strncmp(ent->d_name, "template-", 9)) {
			struct template *t = template_load(path, &diags);
			assert_true(t || diags.count > 0);
			template_free(t);
		} else if (!strncmp(ent->d_name, "import-", 7)) {
			struct import_summary sum;
			struct draft *dr = import_report(ent->d_name, bytes, len, cache, &sum, &diags);
			assert_true(dr || diags.count > 0);
			if (dr)
				assert_loads_back(dr, cache);   /* what import yields must load back */
			draft_free(dr);
			import_summary_free(&sum);
		} else {
			fail_msg("%s: name it draft-, template- or import- after its target", ent->d_name);
		}
		replayed++;
		diag_free(&diags);
		free(bytes);
		free(path);
	}
	closedir(d);
	template_cache_free(cache);
	free(dir);
	assert_true(replayed > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
