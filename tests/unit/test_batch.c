/* The batch file list of check, sum and review: directories, sidecars, symlink loops,
 * --files-from. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "nianbao/batch.h"

static char tmpdir[] = "/tmp/nianbao-test-batch.XXXXXX";

static void
touch(const char *name)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	char *cmd = xasprintf("cd '%s' && mkdir -p sub/deeper .git empty && ln -s .. sub/loop && ln -s ../sub sub/deeper/up "
	                      "&& ln -s sub/c.yaml link.yaml && ln -s missing.yaml dangling.yaml", tmpdir);
	int rc = system(cmd);
	free(cmd);
	static const char *const files[] = {"a.yaml", "b.YML", "a.yaml~", ".a.yaml.autosave", ".a.yaml.lock",
	                                    ".a.yaml.Xy12Ab", "~$c.yaml", "notes.txt", "sub/c.yaml",
	                                    "sub/deeper/d.yaml", ".git/e.yaml", "#f.yaml#", "g.yaml.swp"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		touch(files[i]);
	return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* All paths of a batch, relative to tmpdir, joined by spaces. */
static char *
collect(char **args, int count, const char *files_from, struct diag_list *diags, bool *failed)
{
	struct batch *b = batch_open(args, count, files_from);
	char *all = xstrdup("");
	const char *path;
	size_t prefix = strlen(tmpdir) + 1;
	size_t n = 0;
	while ((path = batch_next(b, diags))) {
		const char *shown = !strncmp(path, tmpdir, prefix - 1) && path[prefix - 1] == '/' ? path + prefix : path;
		char *next = xasprintf("%s%s%s", all, all[0] ? " " : "", shown);
		free(all);
		all = next;
		n++;
	}
	assert_int_equal(batch_count(b), n);
	*failed = batch_failed(b);
	batch_close(b);
	return all;
}

static void
test_sidecars(void **state)
{
	(void)state;
	assert_false(batch_is_sidecar("a.yaml"));
	assert_false(batch_is_sidecar("报告.YAML"));
	assert_false(batch_is_sidecar("b.yml"));
	assert_true(batch_is_sidecar("a.yaml~"));
	assert_true(batch_is_sidecar(".a.yaml.autosave"));
	assert_true(batch_is_sidecar(".a.yaml.lock"));
	assert_true(batch_is_sidecar(".a.yaml.Xy12Ab"));
	assert_true(batch_is_sidecar("~$a.yaml"));
	assert_true(batch_is_sidecar("#a.yaml#"));
	assert_true(batch_is_sidecar("a.yaml.swp"));
	assert_true(batch_is_sidecar(".yaml"));
	assert_true(batch_is_sidecar("notes.txt"));
}

static void
test_directory_walk(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	bool failed;
	char *args[] = {tmpdir};
	char *all = collect(args, 1, NULL, &diags, &failed);
	/* name order; sidecars, hidden directories and the loops (sub/loop -> .., up -> sub)
	 * left out; a dangling link to a draft name is still handed on, so it is reported */
	assert_string_equal(all, "a.yaml b.YML dangling.yaml link.yaml sub/c.yaml sub/deeper/d.yaml");
	assert_false(failed);
	assert_int_equal(diags.count, 0);
	free(all);
	/* the same directory twice is walked once; files are handed on as named */
	char *sub = xasprintf("%s/sub", tmpdir), *again = xasprintf("%s/sub/", tmpdir), *file = xasprintf("%s/a.yaml~", tmpdir);
	char *args2[] = {sub, again, file, "no-such.yaml"};
	all = collect(args2, 4, NULL, &diags, &failed);
	assert_string_equal(all, "sub/c.yaml sub/deeper/d.yaml a.yaml~ no-such.yaml");
	free(all);
	/* a directory without drafts is an error */
	char *empty = xasprintf("%s/empty", tmpdir);
	char *args3[] = {empty};
	all = collect(args3, 1, NULL, &diags, &failed);
	assert_string_equal(all, "");
	assert_true(failed);
	assert_int_equal(diags.count, 1);
	assert_non_null(strstr(diags.items[0].message, "no drafts"));
	assert_string_equal(diags.items[0].pos.file, empty);
	diag_free(&diags);
	free(all);
	free(empty);
	free(sub);
	free(again);
	free(file);
}

static void
test_files_from(void **state)
{
	(void)state;
	char *list = xasprintf("%s/list.txt", tmpdir);
	FILE *f = fopen(list, "w");
	assert_non_null(f);
	/* a byte-order mark, CR LF, blank lines, a directory and a name with a space */
	fprintf(f, "\xEF\xBB\xBF%s/a.yaml\r\n\r\n   \n%s/sub/deeper\r\nmy draft.yaml", tmpdir, tmpdir);
	fclose(f);
	struct diag_list diags = {0};
	bool failed;
	char *args[] = {"first.yaml"};
	char *all = collect(args, 1, list, &diags, &failed);
	assert_string_equal(all, "first.yaml a.yaml sub/deeper/d.yaml my draft.yaml");
	assert_false(failed);
	free(all);
	/* a list that cannot be read */
	char *missing = xasprintf("%s/no-list.txt", tmpdir);
	all = collect(NULL, 0, missing, &diags, &failed);
	assert_true(failed);
	assert_int_equal(diags.count, 1);
	assert_string_equal(diags.items[0].pos.file, missing);
	diag_free(&diags);
	free(all);
	free(missing);
	free(list);
}

static void
test_files_from_many(void **state)
{
	(void)state;
	/* 100 000 lines stream through without trouble */
	char *list = xasprintf("%s/many.txt", tmpdir);
	FILE *f = fopen(list, "w");
	assert_non_null(f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, "unit-%06d.yaml\n", i);
	fclose(f);
	struct batch *b = batch_open(NULL, 0, list);
	struct diag_list diags = {0};
	const char *path, *last = NULL;
	char keep[32] = "";
	while ((path = batch_next(b, &diags))) {
		last = path;
		snprintf(keep, sizeof keep, "%s", last);
	}
	assert_int_equal(batch_count(b), 100000);
	assert_string_equal(keep, "unit-099999.yaml");
	assert_int_equal(diags.count, 0);
	batch_close(b);
	free(list);
}

static void
test_progress_off_the_terminal(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct batch_progress p;
	batch_progress_init(&p, f);
	for (size_t i = 1; i <= 1000; i++)
		batch_progress_step(&p, i);
	batch_progress_end(&p);
	assert_int_equal(ftell(f), 0);
	fclose(f);
}

/* A named file comes open (batch_take_file), once; a directory's entries, a missing name and
 * the file after a take do not; a file left untaken is closed by the next step. */
static void
test_named_file_open(void **state)
{
	(void)state;
	char *a = xasprintf("%s/a.yaml", tmpdir), *dir = xasprintf("%s/sub", tmpdir),
	     *missing = xasprintf("%s/missing.yaml", tmpdir), *link = xasprintf("%s/link.yaml", tmpdir);
	char *args[] = {a, dir, missing, link, a};
	struct batch *b = batch_open(args, 5, NULL);
	struct diag_list diags = {0};
	struct stat st, want;
	assert_string_equal(batch_next(b, &diags), a);
	int fd = batch_take_file(b, &st);
	assert_true(fd >= 0);
	assert_int_equal(stat(a, &want), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_ino == want.st_ino && st.st_size == want.st_size);
	char buf[8];
	assert_int_equal(read(fd, buf, sizeof buf), 2);
	close(fd);
	assert_int_equal(batch_take_file(b, &st), -1);   /* taken already */
	const char *path;
	int walked = 0;
	while ((path = batch_next(b, &diags)) && strncmp(path, dir, strlen(dir)) == 0) {
		assert_int_equal(batch_take_file(b, &st), -1);   /* found by the walk, not named */
		walked++;
	}
	assert_int_equal(walked, 2);
	assert_string_equal(path, missing);
	assert_int_equal(batch_take_file(b, &st), -1);
	assert_string_equal(batch_next(b, &diags), link);   /* a link to a draft: opened through it */
	assert_int_equal(stat(link, &want), 0);
	fd = batch_take_file(b, &st);
	assert_true(fd >= 0 && st.st_ino == want.st_ino);
	close(fd);
	assert_string_equal(batch_next(b, &diags), a);   /* left untaken: closed by batch_close */
	assert_null(batch_next(b, &diags));
	assert_int_equal(diags.count, 0);
	batch_close(b);
	free(a);
	free(dir);
	free(missing);
	free(link);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sidecars),
		cmocka_unit_test(test_directory_walk),
		cmocka_unit_test(test_named_file_open),
		cmocka_unit_test(test_files_from),
		cmocka_unit_test(test_files_from_many),
		cmocka_unit_test(test_progress_off_the_terminal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
