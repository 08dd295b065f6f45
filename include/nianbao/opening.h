#ifndef NIANBAO_OPENING_H
#define NIANBAO_OPENING_H

#include <stdbool.h>
#include <time.h>

#include "nianbao/draft.h"
#include "nianbao/lockfile.h"
#include "nianbao/session.h"

/* Opening a draft for editing (doc/DESIGN.md §8) in two calls: opening_inspect finds the
 * facts (who holds the lock, whether a newer autosave exists and what differs, last year's
 * draft and why it could not be read), the screen
 * asks its questions (open read-only? recover?), and opening_session builds the session
 * from the answers. Curses-free: the editor and the tests drive it. */

struct opening {
	enum lock_result lock;
	struct lock_owner owner;      /* LOCK_HELD: who holds it */
	char *lock_error;             /* LOCK_FAILED: why, malloc'd */
	/* Looked for only when the lock is ours (a read-only editor never recovers): */
	struct draft *autosave;       /* a newer autosave of the same template, loaded; or NULL */
	time_t autosave_time;
	int autosave_cells, autosave_texts;   /* input cells and text fields that differ */
	/* Last year's draft, named by the draft's `previous:`, for the carry-over checks: */
	struct draft *previous;       /* loaded; NULL when there is none or it cannot be read */
	char *previous_problem;       /* `previous:` names a draft that cannot be read: why, malloc'd */
};

/* Takes the lock of the draft at path, looks for a newer autosave of draft, and loads last
 * year's draft. A lock taken (o->lock == LOCK_TAKEN) is the caller's to release, whatever
 * it decides. */
void opening_inspect(struct opening *o, const char *path, const struct draft *draft, struct template_cache *cache);

/* The session editing draft (taken over): the autosave in its place when recover (keeping
 * the draft's own path), last year's draft for the checks (o->previous, taken over; loaded
 * again when a recovered autosave names another), read-only as decided. A
 * created or recovered draft starts as unsaved. *recovered says whether the autosave was
 * taken (recover without an autosave takes nothing). */
struct session *opening_session(struct opening *o, struct draft *draft, bool recover, bool readonly, bool created,
                                 struct template_cache *cache, bool *recovered);

void opening_free(struct opening *o);

#endif
