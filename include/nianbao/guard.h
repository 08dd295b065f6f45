#ifndef NIANBAO_GUARD_H
#define NIANBAO_GUARD_H

#include <stdbool.h>

#include "nianbao/atomicio.h"
#include "nianbao/diag.h"

/* What an editor must know before it writes over a clerk's draft, kept apart from the
 * screen: whether someone changed the file on disk since this editor read or wrote it, and
 * whether the autosave is working (so that the screen, and the next save, can say so). */
struct save_guard {
	struct file_stamp stamp;   /* the draft on disk as this editor last read or wrote it */
	char *autosave_problem;    /* why the last autosave failed (malloc'd); NULL when it worked */
};

/* Notes the draft at path as this editor has it now (just loaded). */
void guard_start(struct save_guard *g, const char *path);
/* Whether the file at path is no longer the one loaded or last saved: written, replaced,
 * removed or created by someone else (device, inode, size and modification time). */
bool guard_changed_on_disk(const struct save_guard *g, const char *path);
/* After this editor saved path: the new file is the one it has. */
void guard_saved(struct save_guard *g, const char *path);
/* Records the outcome of an autosave; on failure the first error of diags is the reason. */
void guard_autosave_result(struct save_guard *g, bool ok, const struct diag_list *diags);
/* When the autosave is failing, the warning to show (malloc'd, translated), else NULL. */
char *guard_autosave_warning(const struct save_guard *g);
/* The last resort when the autosave cannot be written and the session ends without a save
 * (the SSH connection dropped): writes data as a new file in the user's home directory
 * (or /tmp), never replacing anything. Returns its malloc'd path, or NULL. */
char *guard_rescue(const char *path, const char *data, size_t len);
void guard_free(struct save_guard *g);
/* Seconds between autosaves: 30, or NIANBAO_AUTOSAVE_SECONDS (1 to 3600) when set, so that
 * the tests can watch an autosave happen. */
int guard_autosave_interval(void);

#endif
