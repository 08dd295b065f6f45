#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/opening.h"

/* draft_start (new and the editor's create prompt) and opening a draft for editing. */

static char dir[] = "/tmp/nianbao-test-opening.XXXXXX";
static struct template_cache *cache;

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	return cache ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	template_cache_free(cache);
	return rc;
}

static char *
in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void
save_or_fail(const struct draft *d, const char *path)
{
	struct diag_list diags = {0};
	bool ok = draft_save(d, path, &diags);
	diag_free(&diags);
	assert_true(ok);
}

static void
test_start_empty(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *path = in_dir("2021.yaml");
	struct draft *d = draft_start(path, NULL, 2021, NULL, "某市某局", cache, &diags);
	assert_non_null(d);
	assert_int_equal(diags.count, 0);
	assert_int_equal(d->year, 2021);
	assert_string_equal(d->tpl->id, "gov-info-2021");
	assert_string_equal(d->organization, "某市某局");
	assert_null(d->previous);
	for (int i = 0; i < d->tpl->cell_count; i++)
		assert_false(d->tpl->cells[i].formula < 0 && d->cells[i].set);   /* every input blank */
	draft_free(d);
	/* the template follows the year, unless given */
	d = draft_start(path, NULL, 2020, NULL, NULL, cache, &diags);
	assert_string_equal(d->tpl->id, "gov-info-2019");
	draft_free(d);
	d = draft_start(path, NULL, 2020, "gov-info-2021", NULL, cache, &diags);
	assert_string_equal(d->tpl->id, "gov-info-2021");
	draft_free(d);
	/* no year: refused, with the reason */
	assert_null(draft_start(path, NULL, 0, NULL, NULL, cache, &diags));
	assert_int_equal(diags.count, 1);
	diag_free(&diags);
	assert_null(draft_start(path, NULL, 2021, "no-such-template", NULL, cache, &diags));
	assert_true(diags.count >= 1);
	diag_free(&diags);
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);   /* nothing written */
	free(path);
}

static void
test_start_from_last_year(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *last_path = in_dir("2020.yaml"), *path = in_dir("2021.yaml");
	struct draft *last = draft_start(last_path, NULL, 2020, NULL, "某市某局", cache, &diags);
	int out = template_find_cell(last->tpl, "requests.carried_out.natural");
	draft_set_cell(last, out, value_units(5));
	draft_set_text(last, template_find_text(last->tpl, "overview"), "去年的总体情况。");
	save_or_fail(last, last_path);
	draft_free(last);

	struct draft *d = draft_start(path, last_path, 0, NULL, NULL, cache, &diags);
	assert_non_null(d);
	assert_int_equal(d->year, 2021);                            /* last year + 1 */
	assert_string_equal(d->tpl->id, "gov-info-2021");          /* the new year's form */
	assert_string_equal(d->organization, "某市某局");
	assert_string_equal(d->previous, "2020.yaml");              /* beside it: the file name */
	assert_int_equal(d->cells[template_find_cell(d->tpl, "requests.carried_in.natural")].scaled, 5 * VALUE_SCALE);
	assert_string_equal(d->texts[template_find_text(d->tpl, "overview")], "去年的总体情况。");
	draft_free(d);
	/* a given organization and year win */
	d = draft_start(path, last_path, 2022, NULL, "另一个局", cache, &diags);
	assert_int_equal(d->year, 2022);
	assert_string_equal(d->organization, "另一个局");
	draft_free(d);
	assert_int_equal(diags.count, 0);

	/* a missing file, and a draft without a year, are explained */
	char *missing = in_dir("none.yaml");
	assert_null(draft_start(path, missing, 0, NULL, NULL, cache, &diags));
	assert_true(diags.count >= 1);
	diag_free(&diags);
	char *yearless = in_dir("yearless.yaml");
	last = draft_start(yearless, NULL, 2020, NULL, NULL, cache, &diags);
	last->year = 0;
	save_or_fail(last, yearless);
	draft_free(last);
	assert_null(draft_start(path, yearless, 0, NULL, NULL, cache, &diags));
	assert_int_equal(diags.count, 1);
	assert_string_equal(diags.items[0].pos.file, yearless);
	assert_non_null(strstr(diags.items[0].message, "no year"));
	diag_free(&diags);
	d = draft_start(path, yearless, 2021, NULL, NULL, cache, &diags);   /* with the year given, fine */
	assert_non_null(d);
	draft_free(d);
	free(missing);
	free(yearless);
	free(last_path);
	free(path);
}

/* Makes file's modification time t seconds from now. */
static void
touch(const char *file, int t)
{
	struct timeval tv[2];
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec += t;
	tv[1] = tv[0];
	assert_int_equal(utimes(file, tv), 0);
}

static void
test_opening_facts(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *path = in_dir("open.yaml"), *last_path = in_dir("open-last.yaml");
	struct draft *last = draft_start(last_path, NULL, 2020, NULL, "局", cache, &diags);
	save_or_fail(last, last_path);
	draft_free(last);
	struct draft *d = draft_start(path, last_path, 0, NULL, NULL, cache, &diags);
	save_or_fail(d, path);
	draft_free(d);
	d = draft_load(path, cache, &diags);
	assert_non_null(d);

	/* a clean draft: the lock is ours, no autosave */
	struct opening o;
	opening_inspect(&o, path, d, cache);
	assert_int_equal(o.lock, LOCK_TAKEN);
	assert_null(o.autosave);
	assert_non_null(o.previous);   /* last year's draft, found beside it */
	assert_int_equal(o.previous->year, 2020);
	assert_null(o.previous_problem);
	bool recovered = true;
	struct session *s = opening_session(&o, d, true, false, false, cache, &recovered);
	assert_false(recovered);   /* nothing to recover */
	assert_non_null(s->prev);  /* last year's draft is there for the checks */
	assert_false(s->readonly);
	assert_false(session_modified(s));
	opening_free(&o);
	lock_release(path);   /* the editor quits */

	/* a newer autosave: what differs is counted; recovering takes it, as unsaved */
	struct draft *changed = draft_clone(s->draft);
	draft_set_cell(changed, template_find_cell(changed->tpl, "requests.new.natural"), value_units(3));
	draft_set_cell(changed, template_find_cell(changed->tpl, "requests.new.legal"), value_units(1));
	draft_set_text(changed, template_find_text(changed->tpl, "problems"), "新写的。");
	size_t len;
	char *yaml = draft_serialize(changed, &len);
	/* written by an earlier editor, which held the lock (only the holder writes it) */
	struct lock_owner earlier;
	assert_int_equal(lock_acquire(path, &earlier, &diags), LOCK_TAKEN);
	assert_true(autosave_write(path, yaml, len, &diags));
	lock_release(path);
	free(yaml);
	draft_free(changed);
	char *auto_path = autosave_path_for(path);
	touch(auto_path, 10);
	d = draft_load(path, cache, &diags);
	opening_inspect(&o, path, d, cache);
	assert_int_equal(o.lock, LOCK_TAKEN);
	assert_non_null(o.autosave);
	assert_true(o.autosave_time > 0);
	assert_int_equal(o.autosave_cells, 2);
	assert_int_equal(o.autosave_texts, 1);
	struct session *s2 = opening_session(&o, d, true, false, false, cache, &recovered);
	assert_true(recovered);
	assert_true(session_modified(s2));   /* recovered work is not saved yet */
	assert_string_equal(s2->draft->path, path);   /* it is still the draft's file */
	assert_int_equal(s2->draft->cells[template_find_cell(s2->draft->tpl, "requests.new.natural")].scaled,
	                 3 * VALUE_SCALE);
	opening_free(&o);
	session_free(s2);
	lock_release(path);

	/* declining keeps the draft as saved */
	d = draft_load(path, cache, &diags);
	opening_inspect(&o, path, d, cache);
	assert_non_null(o.autosave);
	s2 = opening_session(&o, d, false, false, false, cache, &recovered);
	assert_false(recovered);
	assert_false(session_modified(s2));
	assert_false(s2->draft->cells[template_find_cell(s2->draft->tpl, "requests.new.natural")].set);
	opening_free(&o);
	session_free(s2);
	lock_release(path);

	/* another live editor holds the lock: who it is; the autosave is not looked at */
	char *lock = lock_path_for(path);
	char host[256] = {0};
	gethostname(host, sizeof host - 1);
	FILE *f = fopen(lock, "w");
	assert_non_null(f);
	fprintf(f, "%ld %s clerk2\n", (long)getppid(), host);
	fclose(f);
	d = draft_load(path, cache, &diags);
	opening_inspect(&o, path, d, cache);
	assert_int_equal(o.lock, LOCK_HELD);
	assert_int_equal(o.owner.pid, (long)getppid());
	assert_string_equal(o.owner.user, "clerk2");
	assert_null(o.autosave);
	s2 = opening_session(&o, d, false, true, false, cache, &recovered);
	assert_true(s2->readonly);
	assert_int_equal(session_num_type(s2, template_find_cell(s2->draft->tpl, "requests.new.natural"), '1', NULL),
	                 SESSION_READONLY);
	opening_free(&o);
	session_free(s2);
	unlink(lock);
	for (size_t i = 0; i < diags.count; i++)
		fprintf(stderr, "# %s: %s\n", diags.items[i].pos.file, diags.items[i].message);
	assert_int_equal(diags.count, 0);

	session_free(s);
	free(lock);
	free(auto_path);
	free(path);
	free(last_path);
}

/* last year's draft is a fact too: named but unreadable, the screen is told why */
static void
test_opening_previous_missing(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *path = in_dir("orphan.yaml"), *last_path = in_dir("orphan-last.yaml");
	struct draft *last = draft_start(last_path, NULL, 2020, NULL, "局", cache, &diags);
	save_or_fail(last, last_path);
	draft_free(last);
	struct draft *d = draft_start(path, last_path, 0, NULL, NULL, cache, &diags);
	save_or_fail(d, path);
	draft_free(d);
	assert_int_equal(unlink(last_path), 0);   /* last year's file has gone */
	d = draft_load(path, cache, &diags);
	assert_non_null(d);
	struct opening o;
	opening_inspect(&o, path, d, cache);
	assert_null(o.previous);
	assert_non_null(o.previous_problem);
	assert_non_null(strstr(o.previous_problem, "orphan-last.yaml"));
	bool recovered;
	struct session *s = opening_session(&o, d, false, false, false, cache, &recovered);
	assert_null(s->prev);
	opening_free(&o);
	session_free(s);
	lock_release(path);
	diag_free(&diags);
	unlink(path);
	free(path);
	free(last_path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_empty),
		cmocka_unit_test(test_start_from_last_year),
		cmocka_unit_test(test_opening_facts),
		cmocka_unit_test(test_opening_previous_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
