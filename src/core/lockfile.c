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

/* Reads "pid host user"; false when the file is not a lock we can read. */
static bool
read_owner(const char *lock, struct lock_owner *o)
{
	memset(o, 0, sizeof *o);
	int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[512];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return sscanf(buf, "%ld %255s %63s", &o->pid, o->host, o->user) == 3 && o->pid > 0;
}

static bool
process_gone(long pid)
{
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

enum lock_result
lock_acquire(const char *path, struct lock_owner *owner, struct diag_list *diags)
{
	char *lock = lock_path_for(path);
	struct lock_owner me;
	this_owner(&me);
	enum lock_result result = LOCK_FAILED;
	for (int attempt = 0; attempt < 3; attempt++) {
		int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			char *line = xasprintf("%ld %s %s\n", me.pid, me.host, me.user);
			size_t len = strlen(line);
			bool ok = write(fd, line, len) == (ssize_t)len;
			free(line);
			if (close(fd) != 0 || !ok) {
				unlink(lock);
				diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot write the lock: %s"),
				         strerror(errno));
				break;
			}
			*owner = me;
			result = LOCK_TAKEN;
			break;
		}
		if (errno != EEXIST) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0}, _("cannot create the lock: %s"),
			         strerror(errno));
			break;
		}
		struct lock_owner other;
		struct stat st;
		if (lstat(lock, &st) == 0 && S_ISLNK(st.st_mode)) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){lock, 0, 0},
			         _("is a symbolic link, not a lock; remove it to edit the draft"));
			break;
		}
		if (read_owner(lock, &other) && !strcmp(other.host, me.host) && process_gone(other.pid)) {
			unlink(lock);   /* stale: its editor is gone */
			continue;
		}
		if (!other.pid)
			snprintf(other.user, sizeof other.user, "?");
		*owner = other;
		result = LOCK_HELD;
		break;
	}
	free(lock);
	return result;
}

void
lock_release(const char *path)
{
	char *lock = lock_path_for(path);
	struct lock_owner o;
	if (read_owner(lock, &o) && o.pid == (long)getpid())
		unlink(lock);
	free(lock);
}

bool
autosave_write(const char *path, const char *data, size_t len, struct diag_list *diags)
{
	char *file = autosave_path_for(path);
	struct stat st;
	if (lstat(file, &st) == 0 && !S_ISREG(st.st_mode))
		unlink(file);
	bool ok = atomic_write(file, data, len, false, diags);
	free(file);
	return ok;
}

time_t
autosave_newer(const char *path)
{
	char *file = autosave_path_for(path);
	struct stat a, d;
	time_t t = 0;
	if (lstat(file, &a) == 0 && S_ISREG(a.st_mode)) {
		if (stat(path, &d) != 0 || a.st_mtim.tv_sec > d.st_mtim.tv_sec ||
		    (a.st_mtim.tv_sec == d.st_mtim.tv_sec && a.st_mtim.tv_nsec > d.st_mtim.tv_nsec))
			t = a.st_mtime;
	}
	free(file);
	return t;
}

void
autosave_remove(const char *path)
{
	char *file = autosave_path_for(path);
	unlink(file);
	free(file);
}
