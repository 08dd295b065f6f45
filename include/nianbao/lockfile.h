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

/* A lock that is empty or garbled (its editor died between creating and writing it) is
 * stale once it is this old. */
#define LOCK_GARBLED_SECONDS 5

/* Takes the lock: "pid host user" is written whole under a temporary name and linked into
 * place, so the lock never exists half-written and is never created through a link. A lock
 * whose process is gone on this host, or that is empty or garbled and older than
 * LOCK_GARBLED_SECONDS, is stale and taken over atomically: the editor that holds an fcntl
 * lock on it renames its own lock over it, so two editors can never both take it. A symlink
 * or anything else that is not a regular file in its place is refused. Once taken, stale
 * temporary files of the draft are cleared (clear_stale_temporaries). */
enum lock_result lock_acquire(const char *path, struct lock_owner *owner, struct diag_list *diags);
/* Whether this process holds the lock of path. */
bool lock_is_mine(const char *path);
/* Removes the lock if this process holds it. */
void lock_release(const char *path);

/* Only the lock holder touches the autosave: these refuse (false, error added) when this
 * process does not hold the lock, and when the autosave is not a regular file of the
 * user's or of the draft's owner (a symlink or another user's file planted in a shared
 * directory is never followed, replaced nor removed). */
/* Writes data as the autosave of path, atomically. */
bool autosave_write(const char *path, const char *data, size_t len, struct diag_list *diags);
/* The autosave's modification time when it exists, is a regular file of the user's or of
 * the draft's owner, and is newer than the draft (or the draft is missing), else 0. */
time_t autosave_newer(const char *path);
/* Removes the autosave; false when it may not (not the lock holder, not ours). */
bool autosave_remove(const char *path);

#endif
