#ifndef NIANBAO_PATHS_H
#define NIANBAO_PATHS_H

/* Where installed data lives. An uninstalled build (the binary run from its build
 * tree) uses the source tree's forms/ and the build tree's locale/; NIANBAO_TEMPLATES
 * and NIANBAO_LOCALEDIR override both. The strings are static. */
const char *paths_templates_dir(void);
const char *paths_locale_dir(void);

#endif
