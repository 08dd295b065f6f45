/* gettext shorthands: _() translates, N_() marks a msgid for later translation. */
#ifndef NIANBAO_I18N_H
#define NIANBAO_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(msgid) gettext(msgid)
#define P_(singular, plural, n) ngettext(singular, plural, n)
#else
#define _(msgid) ((const char *)(msgid))
#define P_(singular, plural, n) ((n) == 1 ? (const char *)(singular) : (const char *)(plural))
#endif
#define N_(msgid) msgid

#endif
