#include <config.h>

#include <dlfcn.h>
#include <string.h>

#include "nianbao/dynlib.h"
#include "nianbao/i18n.h"
#include "nianbao/xalloc.h"

struct dynlib_xml_fns dynlib_xml;
struct dynlib_zip_fns dynlib_zip;

void *
dynlib_open(const char *soname, const char *package, char **why)
{
	/* Lazy binding, as the start-up linking it replaces: binding every function of libxml2
	 * and libzip at once cost import 1.5 million instructions more. The functions we call
	 * are looked up at once (dynlib_sym). */
	void *lib = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
	if (lib)
		return lib;
	/* The loader's message starts with the name of the file it could not load: ours when
	 * it is missing (or unusable), another when one of its own dependencies is. */
	const char *err = dlerror();
	size_t n = strlen(soname);
	if (!err || (!strncmp(err, soname, n) && err[n] == ':'))
		*why = xasprintf(_("%s is not installed (Debian: apt-get install %s)"), soname, package);
	else
		*why = xasprintf(_("%s cannot be loaded: %s (Debian: apt-get install --reinstall %s)"), soname, err,
		                 package);
	return NULL;
}

static char *
no_function(const char *soname, const char *package, const char *name)
{
	return xasprintf(_("%s has no function %s: it is older than the one nianbao was built with "
	                   "(Debian: apt-get install %s)"),
	                 soname, name, package);
}

void *
dynlib_sym(void *lib, const char *soname, const char *package, const char *name, char **why)
{
	void *f = dlsym(lib, name);
	if (!f)
		*why = no_function(soname, package, name);
	return f;
}

/* Resolves every function of a list into fns, or leaves the function with false. (A
 * symbol's address converts to a function pointer, as POSIX requires of dlsym.) */
#define DYNLIB_RESOLVE(f) \
	if (!(fns.f = (__typeof__(fns.f))dynlib_sym(lib, soname, package, #f, why))) \
		goto fail;

bool
dynlib_load_xml(char **why)
{
	static bool loaded;
	const char *soname = NIANBAO_LIBXML2_SONAME, *package = NIANBAO_LIBXML2_PACKAGE;
	if (loaded)
		return true;
	void *lib = dynlib_open(soname, package, why);
	if (!lib)
		return false;
	struct dynlib_xml_fns fns = {0};
	DYNLIB_XML_FUNCS(DYNLIB_RESOLVE)
	/* xmlFree is a variable (or, in some builds, a macro): ask the library for it. */
	if (fns.xmlMemGet(&fns.free, NULL, NULL, NULL) != 0 || !fns.free) {
		*why = no_function(soname, package, "xmlFree");
		goto fail;
	}
	dynlib_xml = fns;
	loaded = true;
	return true;
fail:
	dlclose(lib);
	return false;
}

bool
dynlib_load_zip(char **why)
{
	static bool loaded;
	const char *soname = NIANBAO_LIBZIP_SONAME, *package = NIANBAO_LIBZIP_PACKAGE;
	if (loaded)
		return true;
	void *lib = dynlib_open(soname, package, why);
	if (!lib)
		return false;
	struct dynlib_zip_fns fns = {0};
	DYNLIB_ZIP_FUNCS(DYNLIB_RESOLVE)
	dynlib_zip = fns;
	loaded = true;
	return true;
fail:
	dlclose(lib);
	return false;
}
