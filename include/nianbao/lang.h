#ifndef NIANBAO_LANG_H
#define NIANBAO_LANG_H

#include <stdbool.h>

/* The language of the messages. The form is Chinese, so the program speaks Chinese unless
 * the environment asks for another language: LANGUAGE set, or a locale that names one
 * (LC_ALL, else LC_MESSAGES, else LANG, such as en_US.UTF-8). A locale that names no
 * language (unset, C, POSIX, C.UTF-8), as on a fresh server or an SSH session that did
 * not pass one, gives Chinese; so does any zh locale, installed or not. */

/* Whether the messages should be Chinese by that rule, from the four variables' values
 * (NULL for unset). */
bool lang_wants_chinese(const char *language, const char *lc_all, const char *lc_messages, const char *lang);

/* Sets the locale from the environment and binds the message catalogue in localedir,
 * making Chinese the language when lang_wants_chinese says so (LANGUAGE=zh_CN, which the
 * editor's child processes inherit). */
void lang_init(const char *localedir);

#endif
