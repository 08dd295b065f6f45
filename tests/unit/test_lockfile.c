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
#include <time.h>
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
	/* only the lock holder writes or removes the autosave */
	assert_false(autosave_write(draft, "new\n", 4, &diags));
	assert_non_null(strstr(diags.items[0].message, "does not hold the draft's lock"));
	diag_free(&diags);
	struct lock_owner o;
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_TAKEN);
	assert_true(autosave_write(draft, "new\n", 4, &diags));
	/* make the draft clearly older */
	struct timespec times[2] = {{st.st_mtime - 10, 0}, {st.st_mtime - 10, 0}};
	utimensat(AT_FDCWD, draft, times, 0);
	assert_int_not_equal(autosave_newer(draft), 0);
	assert_string_equal(slurp(autosave), "new\n");
	autosave_remove(draft);
	assert_int_equal(autosave_newer(draft), 0);

	/* a symlink planted at the autosave's name is refused with a message, neither followed,
	 * replaced nor removed; its target is untouched */
	char *target = xasprintf("%s/victim", dir);
	f = fopen(target, "w");
	fputs("victim\n", f);
	fclose(f);
	assert_int_equal(symlink(target, autosave), 0);
	assert_false(autosave_write(draft, "mine\n", 5, &diags));
	assert_non_null(strstr(diags.items[0].message, "is a symbolic link"));
	assert_string_equal(slurp(target), "victim\n");
	assert_false(autosave_remove(draft));
	struct stat ls;
	assert_int_equal(lstat(autosave, &ls), 0);
	assert_true(S_ISLNK(ls.st_mode));
	assert_int_equal(autosave_newer(draft), 0);   /* and never offered */
	unlink(autosave);
	unlink(target);
	free(target);
	diag_free(&diags);
	lock_release(draft);
}

/* A pid that no process has: a child that has exited and been reaped. */
static long
dead_pid(void)
{
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	return (long)child;
}

/* Item 7: when a stale lock is taken over by many editors at once, exactly one gets it. */
static void
test_stale_lock_race(void **state)
{
	(void)state;
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	for (int round = 0; round < 400; round++) {
		FILE *f = fopen(lock, "w");
		fprintf(f, "%ld %s gone\n", dead_pid(), host);
		fclose(f);
		enum { N = 16 };
		int start[2], results[2], release[2];
		assert_int_equal(pipe(start), 0);
		assert_int_equal(pipe(results), 0);
		assert_int_equal(pipe(release), 0);
		pid_t kids[N];
		for (int i = 0; i < N; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				close(start[1]);
				close(results[0]);
				close(release[1]);
				char go;
				if (read(start[0], &go, 1) != 1)
					_exit(3);
				struct lock_owner o;
				struct diag_list diags = {0};
				enum lock_result r = lock_acquire(draft, &o, &diags);
				char result = r == LOCK_TAKEN ? 'T' : r == LOCK_HELD ? 'H' : 'F';
				if (write(results[1], &result, 1) != 1)
					_exit(3);
				/* a holder stays alive, as an editor would, until every other has tried */
				while (read(release[0], &go, 1) > 0)
					;
				_exit(0);
			}
		}
		close(start[0]);
		close(results[1]);
		close(release[0]);
		char go[N] = {0};
		assert_int_equal(write(start[1], go, N), N);   /* start them together */
		close(start[1]);
		int taken = 0, held = 0;
		for (int i = 0; i < N; i++) {
			char result;
			assert_int_equal(read(results[0], &result, 1), 1);
			taken += result == 'T';
			held += result == 'H';
		}
		close(results[0]);
		close(release[1]);
		for (int i = 0; i < N; i++)
			waitpid(kids[i], NULL, 0);
		assert_int_equal(taken, 1);
		assert_int_equal(held, N - 1);
		unlink(lock);
	}
}

/* Item 7: an empty or garbled lock (a crash between creating and writing it) is stale once
 * it is a few seconds old, and held while it is new. */
static void
test_garbled_lock(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	struct lock_owner o;
	for (int kind = 0; kind < 2; kind++) {
		FILE *f = fopen(lock, "w");
		if (kind)
			fputs("garbage\n", f);
		fclose(f);
		assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_HELD);
		struct timespec old[2] = {{time(NULL) - LOCK_GARBLED_SECONDS - 2, 0}, {time(NULL) - LOCK_GARBLED_SECONDS - 2, 0}};
		assert_int_equal(utimensat(AT_FDCWD, lock, old, 0), 0);
		assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_TAKEN);
		assert_true(lock_is_mine(draft));
		lock_release(draft);
		assert_int_equal(access(lock, F_OK), -1);
	}
	/* a lock is never seen half-written: it appears with its content (linked into place) */
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_TAKEN);
	assert_non_null(strstr(slurp(lock), " "));
	/* and no temporary file of it is left */
	char *cmd = xasprintf("ls -a '%s' | grep -c 'lock\\.' >/dev/null", dir);
	assert_int_not_equal(system(cmd), 0);
	free(cmd);
	lock_release(draft);
	diag_free(&diags);
}

/* Item 2: a read-only viewer (not the lock holder) never removes the autosave. */
static void
test_viewer_keeps_autosave(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	FILE *f = fopen(autosave, "w");
	fputs("the owner's unsaved work\n", f);
	fclose(f);
	/* another live editor holds the lock */
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	f = fopen(lock, "w");
	fprintf(f, "%ld %s colleague\n", (long)getppid(), host);
	fclose(f);
	struct lock_owner o;
	assert_int_equal(lock_acquire(draft, &o, &diags), LOCK_HELD);
	assert_false(autosave_remove(draft));
	assert_string_equal(slurp(autosave), "the owner's unsaved work\n");
	assert_false(autosave_write(draft, "mine\n", 5, &diags));
	assert_string_equal(slurp(autosave), "the owner's unsaved work\n");
	unlink(lock);
	unlink(autosave);
	diag_free(&diags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_autosave),
		cmocka_unit_test(test_stale_lock_race),
		cmocka_unit_test(test_garbled_lock),
		cmocka_unit_test(test_viewer_keeps_autosave),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
