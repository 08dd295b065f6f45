#ifndef NIANBAO_ATOMICIO_H
#define NIANBAO_ATOMICIO_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/diag.h"

/* Replaces path with data atomically: writes a temporary file in the same directory
 * (O_EXCL|O_NOFOLLOW), fsyncs it, renames it over path and fsyncs the directory.
 * With keep_backup, the previous file is kept as "path~". If path is a symlink, the
 * link's target is replaced (the link is kept). On any failure nothing at path changes,
 * no temporary file is left, and an error naming path and the reason is added. */
bool atomic_write(const char *path, const char *data, size_t len, bool keep_backup,
                  struct diag_list *diags);

/* Reads a whole regular file (refusing directories, devices and files over max_size).
 * Returns a malloc'd NUL-terminated buffer, or NULL with an error added. */
char *read_file(const char *path, size_t max_size, size_t *len, struct diag_list *diags);

#endif
