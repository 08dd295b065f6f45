#ifndef NIANBAO_ATOMICIO_H
#define NIANBAO_ATOMICIO_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "nianbao/diag.h"

/* How atomic_write_ex treats path. */
enum {
	ATOMIC_BACKUP = 1,     /* keep the file it replaces as "path~" */
	ATOMIC_CREATE = 2,     /* path must not exist; it is never replaced (new, import) */
	ATOMIC_NOFOLLOW = 4,   /* a symlink at path is refused even when it is the user's own
	                          (for the files nianbao keeps beside a draft) */
};

/* Writes data to path atomically: a temporary file ".NAME.XXXXXX" in the same directory
 * (created O_EXCL, so never through a planted link), written, fsynced, renamed over path;
 * then the directory is fsynced. SIGINT, SIGTERM, SIGHUP and SIGQUIT wait until the
 * temporary file is renamed or removed, so that no exit path leaves it behind.
 * - A file it replaces keeps its owner, group and mode (as far as the user may set them);
 *   a file without any write permission (mode 444) is refused, not replaced.
 * - A symlink at path is followed only when it and every link it leads to belong to the
 *   user, and never with ATOMIC_NOFOLLOW; the link itself is kept. A link of another user
 *   (planted in a shared directory) is refused. realpath() is never used.
 * - Anything else at path that is not a regular file is refused; so is a "path~" that is
 *   not a regular file of the user's (or of the replaced file's owner).
 * On any failure nothing at path changes, no temporary file is left, and an error naming
 * path and the reason is added. */
bool atomic_write_ex(const char *path, const char *data, size_t len, unsigned flags, struct diag_list *diags);
/* atomic_write_ex with ATOMIC_BACKUP when keep_backup */
bool atomic_write(const char *path, const char *data, size_t len, bool keep_backup,
                  struct diag_list *diags);

/* Reads a whole regular file (refusing directories, devices, FIFOs and files over max_size;
 * a FIFO never blocks). Returns a malloc'd NUL-terminated buffer, or NULL with an error. */
char *read_file(const char *path, size_t max_size, size_t *len, struct diag_list *diags);

/* What identifies a version of a file on disk, to tell whether someone else changed it. */
struct file_stamp {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uid_t uid;
};
/* The stamp of path (following links); exists is false when there is no such file. */
struct file_stamp file_stamp_of(const char *path);
/* Whether two stamps name the same version of the same file. */
bool file_stamp_same(const struct file_stamp *a, const struct file_stamp *b);
/* Whether a and b are the same file (device and inode; links followed). False when either
 * is missing. */
bool same_inode(const char *a, const char *b);
/* Whether the file at path begins like a nianbao draft ("nianbao:" first). */
bool looks_like_draft(const char *path);

/* Holds SIGINT, SIGTERM, SIGHUP and SIGQUIT until sigprocmask(SIG_SETMASK, old_mask) is
 * called: around the creation and renaming of a temporary file, so that none is left. */
void hold_signals(sigset_t *old_mask);

/* Whether a file nianbao keeps beside a draft (backup, autosave, lock, temporary file) may
 * be replaced or removed: true when it is absent, or a regular file owned by the user or
 * by owner (pass (uid_t)-1 for none). Otherwise adds an error saying what is there and
 * that nothing was written, and returns false. A symlink is never acceptable. */
bool sidecar_ok(const char *path, uid_t owner, struct diag_list *diags);

/* Removes, beside the file at path, the temporary files ".NAME.XXXXXX" that a save killed
 * outright (SIGKILL, a power cut) left behind: only regular files of the user's, older than
 * a minute, whose name has exactly that form. Returns how many were removed. */
int clear_stale_temporaries(const char *path);

#endif
