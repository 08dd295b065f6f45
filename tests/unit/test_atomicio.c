/* The atomic writer and the files beside a draft (issue 13): planted links, read-only
 * drafts, owners kept, no clobbering, temporary files never left, the save guard. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/guard.h"

static char dir[] = "/tmp/nianbao-test-atomicio.XXXXXX";

static char *
at(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The number of temporary files ".NAME.XXXXXX" in dir. */
static int
temporaries(const char *name)
{
	char *cmd = xasprintf("ls -a '%s' | grep -c '^\\.%s\\.[A-Za-z0-9]\\{6\\}$' >/dev/null 2>&1 && "
	                      "exit $(ls -a '%s' | grep -c '^\\.%s\\.[A-Za-z0-9]\\{6\\}$'); exit 0",
	                      dir, name, dir, name);
	int rc = system(cmd);
	free(cmd);
	return WEXITSTATUS(rc);
}

static bool
message_has(const struct diag_list *diags, const char *needle)
{
	for (size_t i = 0; i < diags->count; i++)
		if (strstr(diags->items[i].message, needle))
			return true;
	diag_print(diags, stderr);
	return false;
}

/* Item 1: links planted beside a draft are never written through. */
static void
test_planted_links(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *draft = at("d.yaml"), *victim = at("important.txt"), *backup = at("d.yaml~");
	put(draft, "nianbao: 1\n");
	put(victim, "precious\n");
	/* a link in the backup's place */
	assert_int_equal(symlink(victim, backup), 0);
	assert_false(atomic_write(draft, "new\n", 4, true, &diags));
	assert_true(message_has(&diags, "is a symbolic link"));
	assert_string_equal(slurp(victim), "precious\n");
	assert_string_equal(slurp(draft), "nianbao: 1\n");
	assert_int_equal(temporaries("d.yaml"), 0);
	unlink(backup);
	diag_free(&diags);
	/* a link at a sidecar's name with ATOMIC_NOFOLLOW, even the user's own */
	char *side = at(".d.yaml.autosave");
	assert_int_equal(symlink(victim, side), 0);
	assert_false(atomic_write_ex(side, "x\n", 2, ATOMIC_NOFOLLOW, &diags));
	assert_true(message_has(&diags, "is a symbolic link"));
	assert_string_equal(slurp(victim), "precious\n");
	assert_false(sidecar_ok(side, (uid_t)-1, &diags));
	unlink(side);
	diag_free(&diags);
	/* a directory or a FIFO in a sidecar's place */
	assert_int_equal(mkfifo(side, 0600), 0);
	assert_false(sidecar_ok(side, (uid_t)-1, &diags));
	assert_true(message_has(&diags, "not a regular file"));
	unlink(side);
	diag_free(&diags);
	assert_true(sidecar_ok(side, (uid_t)-1, &diags));   /* absent is fine */
	if (geteuid() == 0) {
		/* another user's link (planted in a sticky /tmp), at the output's own name: render
		 * -o, new and import write there */
		char *out = at("report.txt");
		assert_int_equal(symlink(victim, out), 0);
		assert_int_equal(lchown(out, 4242, 4242), 0);
		assert_false(atomic_write(out, "report\n", 7, false, &diags));
		assert_true(message_has(&diags, "belongs to another user"));
		assert_string_equal(slurp(victim), "precious\n");
		unlink(out);
		diag_free(&diags);
		/* another user's regular file as a sidecar */
		put(side, "theirs\n");
		assert_int_equal(chown(side, 4242, 4242), 0);
		assert_false(sidecar_ok(side, (uid_t)-1, &diags));
		assert_true(message_has(&diags, "belongs to another user"));
		assert_true(sidecar_ok(side, 4242, &diags));   /* unless the draft is theirs too */
		unlink(side);
		free(out);
		diag_free(&diags);
	}
	/* the user's own link to a draft is followed, each hop checked, and stays a link */
	char *link1 = at("l1.yaml"), *link2 = at("l2.yaml");
	assert_int_equal(symlink("d.yaml", link1), 0);
	assert_int_equal(symlink("l1.yaml", link2), 0);
	assert_true(atomic_write(link2, "via link\n", 9, true, &diags));
	assert_string_equal(slurp(draft), "via link\n");
	struct stat st;
	assert_int_equal(lstat(link2, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	unlink(link1);
	unlink(link2);
	unlink(backup);
	unlink(draft);
	unlink(victim);
	free(link1);
	free(link2);
	free(side);
	free(draft);
	free(victim);
	free(backup);
	diag_free(&diags);
}

/* Items 3: new and import never replace a file (ATOMIC_CREATE); same_file and
 * looks_like_draft let render refuse to write over a draft. */
static void
test_no_clobber(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *draft = at("c.yaml"), *other = at("c2.yaml"), *link = at("c-link.yaml");
	put(draft, "nianbao: 1\nmine\n");
	assert_false(atomic_write_ex(draft, "new\n", 4, ATOMIC_CREATE, &diags));
	assert_true(message_has(&diags, "already exists"));
	assert_string_equal(slurp(draft), "nianbao: 1\nmine\n");
	assert_int_equal(temporaries("c.yaml"), 0);
	diag_free(&diags);
	assert_true(atomic_write_ex(other, "fresh\n", 6, ATOMIC_CREATE, &diags));
	assert_string_equal(slurp(other), "fresh\n");
	assert_int_equal(symlink("c.yaml", link), 0);
	assert_true(same_inode(draft, link));
	char *dotted = xasprintf("%s/./c.yaml", dir);
	assert_true(same_inode(draft, dotted));
	assert_false(same_inode(draft, other));
	assert_false(same_inode(draft, "/nonexistent/x"));
	assert_true(looks_like_draft(draft));
	assert_true(looks_like_draft(link));
	assert_false(looks_like_draft(other));
	unlink(draft);
	unlink(other);
	unlink(link);
	free(dotted);
	free(draft);
	free(other);
	free(link);
	diag_free(&diags);
}

/* The smaller items: a 444 draft is refused, not replaced; owner, group and mode of the
 * replaced file are kept. */
static void
test_mode_and_owner(void **state)
{
	(void)state;
	struct diag_list diags = {0};
	char *draft = at("m.yaml");
	put(draft, "old\n");
	assert_int_equal(chmod(draft, 0444), 0);
	assert_false(atomic_write(draft, "new\n", 4, true, &diags));
	assert_true(message_has(&diags, "is read-only (mode 0444)"));
	assert_string_equal(slurp(draft), "old\n");
	assert_int_equal(temporaries("m.yaml"), 0);
	diag_free(&diags);
	assert_int_equal(chmod(draft, 0640), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(draft, 4242, 4343), 0);
	assert_true(atomic_write(draft, "new\n", 4, true, &diags));
	struct stat st;
	assert_int_equal(stat(draft, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	if (geteuid() == 0) {
		assert_int_equal(st.st_uid, 4242);
		assert_int_equal(st.st_gid, 4343);
	}
	assert_string_equal(slurp(draft), "new\n");
	char *backup = at("m.yaml~");
	unlink(backup);
	unlink(draft);
	free(backup);
	free(draft);
	diag_free(&diags);
}

/* Temporary files: none left when a save is interrupted by a signal; stale ones (a save
 * killed outright) are cleared, and nothing else is. */
static void
test_temporaries(void **state)
{
	(void)state;
	char *draft = at("t.yaml");
	put(draft, "old\n");
	size_t big = 4u << 20;
	char *data = xmalloc(big);
	memset(data, 'x', big);
	/* a test run in the background (make check from a script) starts with SIGINT ignored,
	 * and a child would never die of it: the children must start with the default */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (int round = 0; round < 12; round++) {
		pid_t child = fork();
		if (child == 0) {
			/* a background job (make check run with &) starts with SIGINT ignored, and the
			 * child would then never die of it: the default action, as a clerk's editor has */
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			struct diag_list d = {0};
			for (;;)
				atomic_write(draft, data, big, false, &d);
		}
		struct timespec pause = {0, (long)(1 + round * 3) * 1000 * 1000};
		nanosleep(&pause, NULL);
		kill(child, round % 2 ? SIGTERM : SIGINT);
		int status;
		waitpid(child, &status, 0);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(temporaries("t.yaml"), 0);
	}
	free(data);
	/* stale ones */
	char *old = at(".t.yaml.Ab12Cd"), *young = at(".t.yaml.Xy34Zw"), *other = at(".t.yaml.notours"),
	     *link = at(".t.yaml.Qq11Rr");
	put(old, "left by a killed save\n");
	put(young, "a save in progress\n");
	put(other, "not a temporary file\n");
	assert_int_equal(symlink(draft, link), 0);
	struct timespec times[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
	assert_int_equal(utimensat(AT_FDCWD, old, times, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, other, times, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, link, times, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(clear_stale_temporaries(draft), 1);
	assert_int_equal(access(old, F_OK), -1);
	assert_int_equal(access(young, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	unlink(young);
	unlink(other);
	unlink(link);
	unlink(draft);
	free(old);
	free(young);
	free(other);
	free(link);
	free(draft);
}

/* Items 5 and 6: the guard notices a change on disk and keeps why the autosave fails. */
static void
test_guard(void **state)
{
	(void)state;
	char *draft = at("g.yaml");
	put(draft, "v1\n");
	struct save_guard g;
	guard_start(&g, draft);
	assert_false(guard_changed_on_disk(&g, draft));
	/* the same size, another editor's content, a second later */
	put(draft, "v2\n");
	struct timespec times[2] = {{time(NULL) + 1, 0}, {time(NULL) + 1, 0}};
	utimensat(AT_FDCWD, draft, times, 0);
	assert_true(guard_changed_on_disk(&g, draft));
	guard_saved(&g, draft);
	assert_false(guard_changed_on_disk(&g, draft));
	/* replaced by another file (a rename, as other editors save) */
	char *other = at("g2.yaml");
	put(other, "v3\n");
	assert_int_equal(rename(other, draft), 0);
	assert_true(guard_changed_on_disk(&g, draft));
	unlink(draft);
	assert_true(guard_changed_on_disk(&g, draft));
	/* the autosave */
	assert_null(guard_autosave_warning(&g));
	struct diag_list diags = {0};
	diag_add(&diags, DIAG_ERROR, (struct srcpos){".g.yaml.autosave", 0, 0}, "No space left on device");
	guard_autosave_result(&g, false, &diags);
	char *w = guard_autosave_warning(&g);
	assert_non_null(w);
	assert_non_null(strstr(w, "NOT AUTOSAVED: .g.yaml.autosave: No space left on device"));
	free(w);
	guard_autosave_result(&g, true, NULL);
	assert_null(guard_autosave_warning(&g));
	/* the last resort: a new file, never one replaced */
	char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", dir, 1);
	char *rescue = guard_rescue(draft, "work\n", 5);
	assert_non_null(rescue);
	assert_non_null(strstr(rescue, dir));
	assert_string_equal(slurp(rescue), "work\n");
	unlink(rescue);
	free(rescue);
	if (home) {
		setenv("HOME", home, 1);
		free(home);
	}
	guard_free(&g);
	diag_free(&diags);
	free(other);
	free(draft);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_links),
		cmocka_unit_test(test_no_clobber),
		cmocka_unit_test(test_mode_and_owner),
		cmocka_unit_test(test_temporaries),
		cmocka_unit_test(test_guard),
	};
	return cmocka_run_group_tests_name("atomicio", tests, setup, teardown);
}
