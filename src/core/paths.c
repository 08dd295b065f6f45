#include <config.h>

#include "nianbao/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool
running_uninstalled(void)
{
	static int cached = -1;
	if (cached < 0) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		cached = 0;
		if (n > 0) {
			exe[n] = '\0';
			size_t dir_len = strlen(NIANBAO_BUILDDIR);
			cached = strncmp(exe, NIANBAO_BUILDDIR, dir_len) == 0 && exe[dir_len] == '/';
		}
	}
	return cached;
}

const char *
paths_templates_dir(void)
{
	const char *env = getenv("NIANBAO_TEMPLATES");
	if (env && *env)
		return env;
	return running_uninstalled() ? NIANBAO_SRCDIR "/forms" : NIANBAO_PKGDATADIR "/forms";
}

const char *
paths_locale_dir(void)
{
	const char *env = getenv("NIANBAO_LOCALEDIR");
	if (env && *env)
		return env;
	return running_uninstalled() ? NIANBAO_BUILDDIR "/locale" : NIANBAO_LOCALEDIR;
}
