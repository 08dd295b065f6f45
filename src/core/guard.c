#include <config.h>

#include "nianbao/guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nianbao/i18n.h"

void
guard_start(struct save_guard *g, const char *path)
{
	g->stamp = file_stamp_of(path);
	g->autosave_problem = NULL;
}

bool
guard_changed_on_disk(const struct save_guard *g, const char *path)
{
	struct file_stamp now = file_stamp_of(path);
	return !file_stamp_same(&g->stamp, &now);
}

void
guard_saved(struct save_guard *g, const char *path)
{
	g->stamp = file_stamp_of(path);
}

void
guard_autosave_result(struct save_guard *g, bool ok, const struct diag_list *diags)
{
	free(g->autosave_problem);
	g->autosave_problem = NULL;
	if (ok)
		return;
	if (diags && diags->count) {
		const struct diag *d = &diags->items[0];
		g->autosave_problem = d->pos.file ? xasprintf("%s: %s", d->pos.file, d->message) : xstrdup(d->message);
	} else {
		g->autosave_problem = xstrdup("?");
	}
}

char *
guard_autosave_warning(const struct save_guard *g)
{
	if (!g->autosave_problem)
		return NULL;
	return xasprintf(_("NOT AUTOSAVED: %s. Save with Ctrl-S to keep your work."), g->autosave_problem);
}

char *
guard_rescue(const char *path, const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *home = getenv("HOME");
	const char *dirs[] = {home && home[0] == '/' ? home : NULL, "/tmp"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (!dirs[i])
			continue;
		char *rescue = xasprintf("%s/nianbao-unsaved-%ld-%ld-%s", dirs[i], (long)time(NULL), (long)getpid(), base);
		struct diag_list ignored = {0};
		bool ok = atomic_write_ex(rescue, data, len, ATOMIC_CREATE | ATOMIC_NOFOLLOW, &ignored);
		diag_free(&ignored);
		if (ok) {
			chmod(rescue, 0600);
			return rescue;
		}
		free(rescue);
	}
	return NULL;
}

int
guard_autosave_interval(void)
{
	const char *env = getenv("NIANBAO_AUTOSAVE_SECONDS");
	char *end;
	long n = env && *env ? strtol(env, &end, 10) : 0;
	return env && *env && !*end && n >= 1 && n <= 3600 ? (int)n : 30;
}

void
guard_free(struct save_guard *g)
{
	free(g->autosave_problem);
	g->autosave_problem = NULL;
}
