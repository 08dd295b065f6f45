#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/lockfile.h"

static char dir[] = "/tmp/nianbao-test-lock.XXXXXX";
static char *draft, *lock, *autosave;

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	draft = xasprintf("%s/d.yaml", dir);
	lock = lock_path_for(draft);
	autosave = autosave_path_for(draft);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	free(draft);
	free(lock);
	free(autosave);
	return rc;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[512];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_paths(void **state)
{
	(void)state;
	char *l = lock_path_for("a/b/2021.yaml"), *a = autosave_path_for("2021.yaml");
	assert_string_equal(l, "a/b/.2021.yaml.lock");
	assert_string_equal(a, "./.2021.yaml.autosave");
	free(l);
	free(a);
}

static void
test_lock(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct lock_owner o;
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_TAKEN);
	assert_int_equal(o.pid, (long)getpid());
	long pid;
	char host[256], user[64];
	assert_int_equal(sscanf(slurp(lock), "%ld %255s %63s", &pid, host, user), 3);
	assert_int_equal(pid, (long)getpid());
	/* held by a live process (this one): the second editor is told who */
	struct lock_owner other;
	assert_int_equal(lock_acquire(draft, &other, &diags), LOCK_HELD);
	assert_int_equal(other.pid, (long)getpid());
	assert_string_equal(other.host, host);
	lock_release(draft);
	assert_int_not_equal(access(lock, F_OK), 0);

	/* a stale lock of a dead process on this host is cleared */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	FILE *f = fopen(lock, "w");
	fprintf(f, "%ld %s someone\n", (long)child, host);
	fclose(f);
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_TAKEN);
	assert_int_equal(o.pid, (long)getpid());
	lock_release(draft);

	/* another host's lock is respected even if the pid is unused here */
	f = fopen(lock, "w");
	fprintf(f, "%ld elsewhere.example someone\n", (long)child);
	fclose(f);
	assert_int_equal(lock_acquire(draft, &other, &diags), LOCK_HELD);
	assert_string_equal(other.host, "elsewhere.example");
	assert_string_equal(other.user, "someone");
	lock_release(draft);   /* not ours: stays */
	assert_int_equal(access(lock, F_OK), 0);
	unlink(lock);

	/* a symlink in the lock's place is never followed */
	char *target = xasprintf("%s/target", dir);
	assert_int_equal(symlink(target, lock), 0);
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_FAILED);
	assert_int_not_equal(access(target, F_OK), 0);
	assert_true(diags.count > 0);
	unlink(lock);
	free(target);
	diag_free(&diags);
}

static void
test_autosave(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	FILE *f = fopen(draft, "w");
	fputs("old\n", f);
	fclose(f);
	struct stat st;
	stat(draft, &st);
	assert_int_equal(autosave_newer(draft), 0);
	assert_true(autosave_write(draft, "new\n", 4, &diags));
	/* make the draft clearly older */
	struct timespec times[2] = {{st.st_mtime - 10, 0}, {st.st_mtime - 10, 0}};
	utimensat(AT_FDCWD, draft, times, 0);
	assert_int_not_equal(autosave_newer(draft), 0);
	assert_string_equal(slurp(autosave), "new\n");
	autosave_remove(draft);
	assert_int_equal(autosave_newer(draft), 0);

	/* a symlink planted at the autosave's name is replaced, its target untouched */
	char *target = xasprintf("%s/victim", dir);
	f = fopen(target, "w");
	fputs("victim\n", f);
	fclose(f);
	assert_int_equal(symlink(target, autosave), 0);
	assert_true(autosave_write(draft, "mine\n", 5, &diags));
	assert_string_equal(slurp(target), "victim\n");
	struct stat ls;
	assert_int_equal(lstat(autosave, &ls), 0);
	assert_true(S_ISREG(ls.st_mode));
	autosave_remove(draft);
	free(target);
	diag_free(&diags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_autosave),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
