#include <config.h>

#include "nianbao/lang.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/i18n.h"

static bool
set(const char *s)
{
	return s && *s;
}

bool
lang_wants_chinese(const char *language, const char *lc_all, const char *lc_messages, const char *lang)
{
	if (set(language))
		return false;
	const char *loc = set(lc_all) ? lc_all : set(lc_messages) ? lc_messages : set(lang) ? lang : "";
	return !*loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX") || !strncmp(loc, "C.", 2) ||
	       !strncmp(loc, "C@", 2) || !strncmp(loc, "zh", 2);
}

void
lang_init(const char *localedir)
{
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	if (lang_wants_chinese(getenv("LANGUAGE"), getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"))) {
		setenv("LANGUAGE", "zh_CN", 1);
		/* gettext ignores LANGUAGE in the C locale: take the C.UTF-8 one for messages */
		const char *messages = setlocale(LC_MESSAGES, NULL);
		if (!messages || !strcmp(messages, "C") || !strcmp(messages, "POSIX"))
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
	bindtextdomain(PACKAGE, localedir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#else
	(void)localedir;
#endif
}
