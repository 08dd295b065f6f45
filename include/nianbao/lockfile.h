#ifndef NIANBAO_LOCKFILE_H
#define NIANBAO_LOCKFILE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "nianbao/diag.h"

/* The files kept beside a draft while it is open (doc/DESIGN.md §8): ".NAME.lock" and
 * ".NAME.autosave" in the draft's directory. Neither is ever followed if it is a symlink. */

/* malloc'd paths for the draft at path */
char *lock_path_for(const char *path);
char *autosave_path_for(const char *path);

struct lock_owner {
	long pid;
	char host[256];
	char user[64];
};

enum lock_result {
	LOCK_TAKEN,        /* the lock is ours */
	LOCK_HELD,         /* another live editor holds it; *owner says who */
	LOCK_FAILED,       /* it could not be created (read-only directory ...); error in diags */
};

/* Creates the lock exclusively (O_EXCL, O_NOFOLLOW) holding "pid host user". A lock left
 * by a process that no longer runs on this host is removed and taken. */
enum lock_result lock_acquire(const char *path, struct lock_owner *owner, struct diag_list *diags);
/* Removes the lock if this process holds it. */
void lock_release(const char *path);

/* Writes data as the autosave of path (atomically; a symlink in its place is replaced,
 * not followed). */
bool autosave_write(const char *path, const char *data, size_t len, struct diag_list *diags);
/* The autosave's modification time when it exists and is newer than the draft (or the
 * draft is missing), else 0. */
time_t autosave_newer(const char *path);
void autosave_remove(const char *path);

#endif
