#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "nianbao/lockfile.h"

static char *
sibling(const char *path, const char *suffix)
{
	char *d = xstrdup(path), *b = xstrdup(path);
	char *result = xasprintf("%s/.%s%s", dirname(d), basename(b), suffix);
	free(d);
	free(b);
	return result;
}

char *lock_path_for(const char *path) { return sibling(path, ".lock"); }
char *autosave_path_for(const char *path) { return sibling(path, ".autosave"); }

static void
this_owner(struct lock_owner *o)
{
	memset(o, 0, sizeof *o);
	o->pid = (long)getpid();
	if (gethostname(o->host, sizeof o->host - 1) != 0)
		strcpy(o->host, "?");
	struct passwd *pw = getpwuid(getuid());
	snprintf(o->user, sizeof o->user, "%s", pw ? pw->pw_name : "?");
}

/* Parses "pid host user"; false when buf is not a lock's content. */
static bool
parse_owner(char *buf, ssize_t n, struct lock_owner *o)
{
	memset(o, 0, sizeof *o);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return sscanf(buf, "%ld %255s %63s", &o->pid, o->host, o->user) == 3 && o->pid > 0;
}

static bool
read_owner(const char *lock, struct lock_owner *o)
{
	int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		memset(o, 0, sizeof *o);
		return false;
	}
	char buf[512];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return parse_owner(buf, n, o);
}

static bool
process_gone(long pid)
{
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* The owner of the draft at path, or (uid_t)-1: its sidecars may be that user's too. */
static uid_t
draft_owner(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_uid : (uid_t)-1;
}

/* Whether the lock open at fd (locked with fcntl by us) is stale: its process is gone on
 * this host, or it is empty or garbled and older than LOCK_GARBLED_SECONDS. */
static bool
lock_is_stale(int fd, const struct lock_owner *me, struct lock_owner *other)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (parse_owner(buf, n, other))
		return !strcmp(other->host, me->host) && process_gone(other->pid);
	struct stat st;
	return fstat(fd, &st) == 0 && time(NULL) - st.st_mtime > LOCK_GARBLED_SECONDS;
}

/* Our lock, written whole under a temporary name, so that the lock appears with its
 * content at once (link or rename). NULL with an error. */
static char *
prepare_lock(const char *lock, const struct lock_owner *me, struct diag_list *diags)
{
	char *tmp = xasprintf("%s.XXXXXX", lock);
	char *slash = strrchr(tmp, '/');
	/* ".NAME.lock" → "..NAME.lock.XXXXXX": the temporary-file form of atomic_write */
	char *named = slash ? xasprintf("%.*s.%s", (int)(slash - tmp + 1), tmp, slash + 1) : xasprintf(".%s", tmp);
	free(tmp);
	int fd = mkstemp(named);
	if (fd < 0) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot create the lock: %s"), strerror(errno));
		free(named);
		return NULL;
	}
	fchmod(fd, 0644);
	char *line = xasprintf("%ld %s %s\n", me->pid, me->host, me->user);
	size_t len = strlen(line);
	bool ok = write(fd, line, len) == (ssize_t)len;
	free(line);
	if (close(fd) != 0 || !ok) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot write the lock: %s"), strerror(errno));
		unlink(named);
		free(named);
		return NULL;
	}
	return named;
}

enum lock_result
lock_acquire(const char *path, struct lock_owner *owner, struct diag_list *diags)
{
	char *lock = lock_path_for(path);
	struct lock_owner me;
	this_owner(&me);
	enum lock_result result = LOCK_FAILED;
	sigset_t old_mask;
	hold_signals(&old_mask);
	char *tmp = prepare_lock(lock, &me, diags);
	for (int attempt = 0; tmp && attempt < 20; attempt++) {
		if (link(tmp, lock) == 0) {
			result = LOCK_TAKEN;
			break;
		}
		if (errno != EEXIST) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot create the lock: %s"),
			         strerror(errno));
			break;
		}
		struct stat st;
		if (lstat(lock, &st) != 0)
			continue;   /* released meanwhile: try again */
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0},
			         S_ISLNK(st.st_mode) ? _("is a symbolic link, not a lock; remove it to edit the draft")
			                             : _("is not a regular file, not a lock; remove it to edit the draft"));
			break;
		}
		/* Taking over a stale lock: whoever holds the fcntl lock on it decides, and replaces it
		 * by ours with one rename; a second editor doing the same waits, then finds either
		 * another file there (and starts again) or our live lock. */
		int fd = open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot read the lock: %s"), strerror(errno));
			break;
		}
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		struct stat fst;
		struct lock_owner other;
		bool serialised = fcntl(fd, F_SETLK, &fl) == 0;
		if (!serialised && (errno == EACCES || errno == EAGAIN)) {
			close(fd);   /* another editor is deciding right now */
			struct timespec pause = {0, 50 * 1000 * 1000};
			nanosleep(&pause, NULL);
			continue;
		}
		if (fstat(fd, &fst) != 0 || lstat(lock, &st) != 0 || fst.st_ino != st.st_ino || fst.st_dev != st.st_dev) {
			close(fd);   /* replaced meanwhile */
			continue;
		}
		if (lock_is_stale(fd, &me, &other)) {
			bool taken = rename(tmp, lock) == 0;
			int err = errno;
			close(fd);
			if (taken) {
				free(tmp);
				tmp = NULL;
				result = LOCK_TAKEN;
			} else {
				diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0},
				         _("cannot replace the stale lock: %s"), strerror(err));
			}
			break;
		}
		close(fd);
		if (!other.pid)
			snprintf(other.user, sizeof other.user, "?");
		*owner = other;
		result = LOCK_HELD;
		break;
	}
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (result == LOCK_TAKEN) {
		*owner = me;
		/* ours now: what a killed save of this draft left behind can go */
		char *autosave = autosave_path_for(path);
		clear_stale_temporaries(path);
		clear_stale_temporaries(autosave);
		clear_stale_temporaries(lock);
		free(autosave);
	}
	free(lock);
	return result;
}

bool
lock_is_mine(const char *path)
{
	char *lock = lock_path_for(path);
	struct lock_owner o, me;
	this_owner(&me);
	bool mine = read_owner(lock, &o) && o.pid == me.pid && !strcmp(o.host, me.host);
	free(lock);
	return mine;
}

void
lock_release(const char *path)
{
	if (lock_is_mine(path)) {
		char *lock = lock_path_for(path);
		unlink(lock);
		free(lock);
	}
}

bool
autosave_write(const char *path, const char *data, size_t len, struct diag_list *diags)
{
	char *file = autosave_path_for(path);
	bool ok = false;
	if (!lock_is_mine(path))
		diag_add(diags, DIAG_ERROR, (struct srcpos){file, 0, 0}, "%s",
		         _("not written: this editor does not hold the draft's lock"));
	else if (sidecar_ok(file, draft_owner(path), diags))
		ok = atomic_write_ex(file, data, len, ATOMIC_NOFOLLOW, diags);
	free(file);
	return ok;
}

time_t
autosave_newer(const char *path)
{
	char *file = autosave_path_for(path);
	struct stat a, d;
	time_t t = 0;
	/* only an autosave of the user's (or the draft owner's) is offered: in a shared directory
	 * anyone could plant one */
	uid_t owner = draft_owner(path);
	if (lstat(file, &a) == 0 && S_ISREG(a.st_mode) && (a.st_uid == geteuid() || a.st_uid == owner)) {
		if (stat(path, &d) != 0 || a.st_mtim.tv_sec > d.st_mtim.tv_sec ||
		    (a.st_mtim.tv_sec == d.st_mtim.tv_sec && a.st_mtim.tv_nsec > d.st_mtim.tv_nsec))
			t = a.st_mtime;
	}
	free(file);
	return t;
}

bool
autosave_remove(const char *path)
{
	if (!lock_is_mine(path))
		return false;   /* only the lock holder may touch the autosave */
	char *file = autosave_path_for(path);
	struct diag_list ignored = {0};
	bool ok = sidecar_ok(file, draft_owner(path), &ignored) && (unlink(file) == 0 || errno == ENOENT);
	diag_free(&ignored);
	free(file);
	return ok;
}
