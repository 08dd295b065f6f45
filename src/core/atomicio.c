#include <config.h>

#include "nianbao/atomicio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nianbao/i18n.h"

static void
io_error(struct diag_list *diags, const char *path, const char *what, int err)
{
	diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s: %s", what, strerror(err));
}

static char *
dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	return slash ? xstrndup(file, slash == file ? 1 : (size_t)(slash - file)) : xstrdup(".");
}

/* The file that writing to path replaces: path itself, or, when path is a symlink of the
 * user's (and flags allow it), where its chain of links leads, each link checked, without
 * realpath(). NULL with an error when a link is refused. */
static char *
follow_own_links(const char *path, unsigned flags, struct diag_list *diags)
{
	char *cur = xstrdup(path);
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		const char *why = NULL;
		if (flags & ATOMIC_NOFOLLOW)
			why = _("is a symbolic link; nianbao never writes through a link beside a draft; nothing was written");
		else if (st.st_uid != geteuid())
			why = _("is a symbolic link that belongs to another user; nianbao does not write through it; "
			        "nothing was written");
		else if (hops >= 8)
			why = _("is a chain of too many symbolic links; nothing was written");
		char target[PATH_MAX];
		ssize_t n = why ? 0 : readlink(cur, target, sizeof target - 1);
		if (!why && (n <= 0 || (size_t)n >= sizeof target - 1))
			why = _("is a symbolic link that cannot be read; nothing was written");
		if (why) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s", why);
			free(cur);
			return NULL;
		}
		target[n] = '\0';
		char *next;
		if (target[0] == '/') {
			next = xstrdup(target);
		} else {
			char *dir = dir_of(cur);
			next = xasprintf("%s/%s", dir, target);
			free(dir);
		}
		free(cur);
		cur = next;
	}
}

static bool
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static void
sync_directory(const char *file)
{
	char *dir = dir_of(file);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

void
hold_signals(sigset_t *old_mask)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, old_mask);
}

bool
sidecar_ok(const char *path, uid_t owner, struct diag_list *diags)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	const char *why = NULL;
	if (S_ISLNK(st.st_mode))
		why = _("is a symbolic link, which nianbao never follows nor replaces; remove it, then try again");
	else if (!S_ISREG(st.st_mode))
		why = _("is not a regular file; remove it, then try again");
	else if (st.st_uid != geteuid() && st.st_uid != owner)
		why = _("belongs to another user; nianbao does not replace it (remove it, then try again)");
	if (!why)
		return true;
	diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s", why);
	return false;
}

/* "target~" as the copy of the file about to be replaced (a hard link, else a copy). */
static bool
make_backup(const char *target, const struct stat *st, struct diag_list *diags)
{
	char *backup = xasprintf("%s~", target);
	bool ok = sidecar_ok(backup, st->st_uid, diags);
	if (ok) {
		unlink(backup);
		if (link(target, backup) != 0 && errno != EEXIST) {
			/* a file system without hard links: copy instead */
			size_t old_len;
			struct diag_list ignored = {0};
			char *old = read_file(target, SIZE_MAX, &old_len, &ignored);
			diag_free(&ignored);
			if (old) {
				int bfd = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
				if (bfd >= 0) {
					write_all(bfd, old, old_len);
					fsync(bfd);
					close(bfd);
				}
				free(old);
			}
		}
	}
	free(backup);
	return ok;
}

/* Refuses a file the user is not meant to replace: read-only, or not writable by them. */
static bool
writable(const char *path, const char *target, const struct stat *st, struct diag_list *diags)
{
	if ((st->st_mode & 0222) == 0) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("is read-only (mode %04o); nothing was written (make it writable, for example with "
		           "'chmod u+w', to save over it)"), (unsigned)(st->st_mode & 07777));
		return false;
	}
	if (access(target, W_OK) != 0 && errno == EACCES) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("you may not write to it (its owner or mode forbid it); nothing was written"));
		return false;
	}
	return true;
}

bool
atomic_write_ex(const char *path, const char *data, size_t len, unsigned flags, struct diag_list *diags)
{
	char *target = follow_own_links(path, flags, diags);
	if (!target)
		return false;
	struct stat st;
	bool exists = lstat(target, &st) == 0;
	const char *refusal = NULL;
	if (exists && (flags & ATOMIC_CREATE))
		refusal = _("already exists; nothing was written");
	else if (exists && !S_ISREG(st.st_mode))
		refusal = _("not a regular file; nothing was written");
	if (refusal || (exists && !writable(path, target, &st, diags))) {
		if (refusal)
			diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s", refusal);
		free(target);
		return false;
	}
	/* a signal now would leave the temporary file behind: let it wait until we are done */
	sigset_t old_mask;
	hold_signals(&old_mask);
	const char *slash = strrchr(target, '/');
	char *tmp = slash ? xasprintf("%.*s.%s.XXXXXX", (int)(slash - target + 1), target, slash + 1)
	                  : xasprintf(".%s.XXXXXX", target);
	int fd = mkstemp(tmp);   /* O_CREAT|O_EXCL: never follows a planted link */
	if (fd < 0) {
		io_error(diags, path, _("cannot create a temporary file beside it"), errno);
		free(tmp);
		free(target);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		return false;
	}
	if (exists) {
		/* keep the owner, group and mode of the file it replaces, as far as we may */
		if (fchown(fd, st.st_uid, st.st_gid) != 0 && fchown(fd, (uid_t)-1, st.st_gid) != 0) {
			/* not ours to give away: the new file is the user's */
		}
		fchmod(fd, st.st_mode & 07777);
	} else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0644 & ~mask);
	}
	int err = 0;
	if (!write_all(fd, data, len))
		err = errno;
	else if (fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	bool refused = false;
	if (!err && (flags & ATOMIC_BACKUP) && exists && !make_backup(target, &st, diags))
		refused = true;
	if (!err && !refused && (flags & ATOMIC_CREATE)) {
		/* link() never replaces: a file that appeared meanwhile is kept */
		if (link(tmp, target) == 0) {
			unlink(tmp);
		} else if (errno == EEXIST) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s", _("already exists; nothing was written"));
			refused = true;
		} else if (lstat(target, &st) == 0) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s", _("already exists; nothing was written"));
			refused = true;
		} else if (rename(tmp, target) != 0) {
			err = errno;   /* a file system without hard links */
		}
	} else if (!err && !refused && rename(tmp, target) != 0) {
		err = errno;
	}
	if (err || refused) {
		unlink(tmp);
		if (err)
			io_error(diags, path, (flags & ATOMIC_CREATE) ? _("cannot write it; nothing was written")
			                                              : _("cannot save; the file on disk is unchanged"), err);
	} else {
		sync_directory(target);
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	free(tmp);
	free(target);
	return !err && !refused;
}

bool
atomic_write(const char *path, const char *data, size_t len, bool keep_backup, struct diag_list *diags)
{
	return atomic_write_ex(path, data, len, keep_backup ? ATOMIC_BACKUP : 0, diags);
}

struct file_stamp
file_stamp_of(const char *path)
{
	struct file_stamp s = {0};
	struct stat st;
	if (stat(path, &st) == 0) {
		s.exists = true;
		s.dev = st.st_dev;
		s.ino = st.st_ino;
		s.size = st.st_size;
		s.mtime = st.st_mtim;
		s.uid = st.st_uid;
	}
	return s;
}

bool
file_stamp_same(const struct file_stamp *a, const struct file_stamp *b)
{
	if (a->exists != b->exists)
		return false;
	return !a->exists || (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	                      a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec);
}

bool
same_inode(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool
looks_like_draft(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	char head[16] = "";
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head - 1) : 0;
	close(fd);
	if (n <= 0)
		return false;
	head[n] = '\0';
	const char *h = !memcmp(head, "\xEF\xBB\xBF", 3) ? head + 3 : head;
	return !strncmp(h, "nianbao:", 8);
}

int
clear_stale_temporaries(const char *path)
{
	char *dir = dir_of(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t base_len = strlen(base);
	int removed = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d && dfd >= 0)
		close(dfd);
	time_t now = time(NULL);
	for (struct dirent *e; d && (e = readdir(d));) {
		const char *n = e->d_name;
		/* exactly "." BASE "." and six characters of mkstemp's alphabet */
		if (n[0] != '.' || strncmp(n + 1, base, base_len) || n[1 + base_len] != '.' ||
		    strlen(n) != base_len + 8 ||
		    strspn(n + base_len + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != 6)
			continue;
		struct stat st;
		if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    st.st_mtime < now - 60 && unlinkat(dfd, n, 0) == 0)
			removed++;
	}
	if (d)
		closedir(d);
	free(dir);
	return removed;
}

char *
read_file(const char *path, size_t max_size, size_t *len, struct diag_list *diags)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		io_error(diags, path, _("cannot open"), errno);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		io_error(diags, path, _("cannot read"), errno);
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is a directory, not a file"));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is not a regular file"));
		close(fd);
		return NULL;
	}
	if ((uintmax_t)st.st_size > max_size) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("is too large (%jd bytes; the limit is %zu)"), (intmax_t)st.st_size, max_size);
		close(fd);
		return NULL;
	}
	size_t capacity = (size_t)st.st_size + 1, used = 0;
	char *buf = xmalloc(capacity);
	for (;;) {
		if (used + 1 >= capacity) {
			if (capacity > max_size) {
				diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is too large (the limit is %zu bytes)"), max_size);
				free(buf);
				close(fd);
				return NULL;
			}
			capacity *= 2;
			buf = xrealloc(buf, capacity);
		}
		ssize_t n = read(fd, buf + used, capacity - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			io_error(diags, path, _("cannot read"), errno);
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;
}
