/* A process killed (SIGKILL) at random points of its save loop never leaves a draft that
 * does not load: the file on disk is always the old or the new version, whole. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nianbao/atomicio.h"
#include "nianbao/draft.h"

#define ROUNDS 300

static char dir[] = "/tmp/nianbao-test-crashsave.XXXXXX";

static void
test_killed_while_saving(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/d.yaml", dir);
	struct template_cache *cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	struct diag_list diags = {0};
	const struct template *tpl = template_cache_get(cache, "gov-info-2021", (struct srcpos){0}, &diags);
	assert_non_null(tpl);

	/* two versions that differ everywhere, one with a long narrative */
	struct draft *a = draft_new(tpl), *b = draft_new(tpl);
	a->year = b->year = 2021;
	for (int i = 0; i < tpl->cell_count; i++)
		if (tpl->cells[i].formula < 0) {
			a->cells[i] = value_units(1);
			b->cells[i] = value_units(2);
		}
	char *long_text = xmalloc(300001);
	for (int i = 0; i < 100000; i++)
		memcpy(long_text + 3 * i, "长", 3);
	long_text[300000] = '\0';
	draft_set_text(b, template_find_text(tpl, "overview"), long_text);
	size_t alen, blen;
	char *ay = draft_serialize(a, &alen), *by = draft_serialize(b, &blen);
	assert_true(draft_save(a, path, &diags));

	/* a random seed each run, printed; NIANBAO_TEST_SEED=N repeats a run */
	const char *env = getenv("NIANBAO_TEST_SEED");
	unsigned seed = env && *env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
	print_message("# seed %u (NIANBAO_TEST_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	int seen_a = 0, seen_b = 0;
	for (int round = 0; round < ROUNDS; round++) {
		pid_t child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			struct diag_list d = {0};
			for (unsigned n = 0;; n++)
				draft_save(n % 2 ? a : b, path, &d);
		}
		struct timespec ts = {0, (long)(rand() % 3000) * 1000};
		nanosleep(&ts, NULL);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);

		size_t len;
		char *bytes = read_file(path, 1 << 24, &len, &diags);
		if (!bytes)
			fail_msg("round %d: the draft cannot be read", round);
		if (len == alen && !memcmp(bytes, ay, len))
			seen_a++;
		else if (len == blen && !memcmp(bytes, by, len))
			seen_b++;
		else
			fail_msg("round %d: the draft on disk is neither version (%zu bytes)", round, len);
		struct draft *loaded = draft_load(path, cache, &diags);
		if (!loaded)
			fail_msg("round %d: the draft does not load", round);
		draft_free(loaded);
		free(bytes);
	}
	print_message("%d rounds: old version %d times, new version %d times\n", ROUNDS, seen_a, seen_b);
	assert_int_equal(seen_a + seen_b, ROUNDS);
	assert_int_equal(diags.count, 0);

	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(ay);
	free(by);
	free(long_text);
	draft_free(a);
	draft_free(b);
	template_cache_free(cache);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_while_saving),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
