#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nianbao/batch.h"
#include "nianbao/i18n.h"

/* One directory being walked: its entries, sorted, read at once (only names: a directory
 * of 100 000 drafts costs a few megabytes while it is walked, nothing after). */
struct frame {
	bool named;          /* named by the user, not met in a walk */
	size_t count_before; /* paths returned before it was entered */
	char *path;
	char **names;
	size_t count;
	size_t next;
};

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct batch {
	char *const *args;
	int arg_count;
	int arg_next;
	const char *files_from;
	FILE *list;              /* open while the list is read */
	bool list_done;
	bool list_is_stdin;
	size_t list_line;
	char *line;              /* getline buffer */
	size_t line_cap;
	struct frame *stack;     /* directories being walked, innermost last */
	size_t depth;
	size_t stack_cap;
	struct dir_id *seen;     /* every directory entered, so that none is walked twice */
	size_t seen_count;
	size_t seen_cap;
	char *current;           /* the path last returned */
	int current_fd;          /* it open for reading, as take_named found it; -1 if not */
	struct stat current_st;
	size_t count;
	bool failed;
};

bool
batch_is_sidecar(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || name[0] == '.' || name[len - 1] == '~' || name[0] == '~' || name[0] == '#')
		return true;
	if (len > 5 && !strcasecmp(name + len - 5, ".yaml"))
		return false;
	if (len > 4 && !strcasecmp(name + len - 4, ".yml"))
		return false;
	return true;
}

struct batch *
batch_open(char *const *args, int arg_count, const char *files_from)
{
	struct batch *b = xcalloc(1, sizeof *b);
	b->args = args;
	b->arg_count = arg_count;
	b->files_from = files_from;
	b->list_done = files_from == NULL;
	b->current_fd = -1;
	return b;
}

size_t
batch_count(const struct batch *b)
{
	return b->count;
}

bool
batch_failed(const struct batch *b)
{
	return b->failed;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Enters a directory unless it was entered before; false when it cannot be read. */
static void
push_dir(struct batch *b, const char *path, const struct stat *st, bool named, struct diag_list *diags)
{
	for (size_t i = 0; i < b->seen_count; i++)
		if (b->seen[i].dev == st->st_dev && b->seen[i].ino == st->st_ino)
			return;   /* a loop, or the same directory again */
	if (b->seen_count == b->seen_cap) {
		b->seen_cap = b->seen_cap ? 2 * b->seen_cap : 16;
		b->seen = xrealloc(b->seen, b->seen_cap * sizeof *b->seen);
	}
	b->seen[b->seen_count++] = (struct dir_id){st->st_dev, st->st_ino};
	DIR *dir = opendir(path);
	if (!dir) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("cannot read the directory: %s"),
		         strerror(errno));
		b->failed = true;
		return;
	}
	struct frame f = {.path = xstrdup(path), .named = named, .count_before = b->count};
	size_t cap = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		/* hidden entries (sidecars, .git) are never taken; the rest is sorted out below */
		if (e->d_name[0] == '.')
			continue;
		if (f.count == cap) {
			cap = cap ? 2 * cap : 32;
			f.names = xrealloc(f.names, cap * sizeof *f.names);
		}
		f.names[f.count++] = xstrdup(e->d_name);
	}
	if (errno) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("cannot read the directory: %s"),
		         strerror(errno));
		b->failed = true;
	}
	closedir(dir);
	if (f.count > 1) /* qsort wants a non-null base even for zero items */
		qsort(f.names, f.count, sizeof *f.names, compare_names);
	if (b->depth == b->stack_cap) {
		b->stack_cap = b->stack_cap ? 2 * b->stack_cap : 8;
		b->stack = xrealloc(b->stack, b->stack_cap * sizeof *b->stack);
	}
	b->stack[b->depth++] = f;
}

static void
pop_dir(struct batch *b, struct diag_list *diags)
{
	struct frame *f = &b->stack[--b->depth];
	if (diags && f->named && b->count == f->count_before) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){f->path, 0, 0}, _("no drafts (*.yaml files) in this directory"));
		b->failed = true;
	}
	for (size_t i = f->next; i < f->count; i++)
		free(f->names[i]);
	free(f->names);
	free(f->path);
}

static void
drop_fd(struct batch *b)
{
	if (b->current_fd >= 0)
		close(b->current_fd);
	b->current_fd = -1;
}

static const char *
yield(struct batch *b, char *path)
{
	drop_fd(b);
	free(b->current);
	b->current = path;
	b->count++;
	return path;
}

/* A path named by the user (argument or list line): a directory is entered, anything
 * else is handed on as it is. Returns the path to yield, or NULL after entering. */
static const char *
take_named(struct batch *b, const char *path, struct diag_list *diags)
{
	/* opened, not just looked at: a draft is then read from this open file
	 * (batch_take_file), and the file system is asked once, not twice */
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	bool found = fd >= 0 ? fstat(fd, &st) == 0 : stat(path, &st) == 0;
	if (found && S_ISDIR(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		push_dir(b, path, &st, true, diags);
		return NULL;
	}
	const char *taken = yield(b, xstrdup(path));
	if (fd >= 0 && found) {
		b->current_fd = fd;
		b->current_st = st;
	} else if (fd >= 0) {
		close(fd);
	}
	return taken;
}

int
batch_take_file(struct batch *b, struct stat *st)
{
	int fd = b->current_fd;
	if (fd >= 0)
		*st = b->current_st;
	b->current_fd = -1;
	return fd;
}

/* Whether the directory a symlink points to contains dir (entering it would walk dir
 * again, or loop). */
static bool
is_ancestor_link(const char *link, const char *dir)
{
	char *target = realpath(link, NULL), *here = realpath(dir, NULL);
	bool ancestor = !target || !here;
	if (target && here) {
		size_t n = strlen(target);
		ancestor = !strcmp(target, "/") || (!strncmp(here, target, n) && (here[n] == '/' || here[n] == '\0'));
	}
	free(target);
	free(here);
	return ancestor;
}

/* The next entry of the innermost directory that is a draft, entering subdirectories. */
static const char *
walk(struct batch *b, struct diag_list *diags)
{
	while (b->depth > 0) {
		struct frame *f = &b->stack[b->depth - 1];
		if (f->next == f->count) {
			pop_dir(b, diags);
			continue;
		}
		char *name = f->names[f->next++];
		size_t plen = strlen(f->path);
		char *path = !strcmp(f->path, ".") ? xstrdup(name)
		             : xasprintf("%s%s%s", f->path, plen && f->path[plen - 1] == '/' ? "" : "/", name);
		struct stat st;
		if (stat(path, &st) != 0) {
			/* a dangling link or a file that went away: a draft name is still reported */
			if (!batch_is_sidecar(name)) {
				free(name);
				return yield(b, path);
			}
		} else if (S_ISDIR(st.st_mode)) {
			struct stat lst;
			bool link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
			if (name[0] != '~' && !(link && is_ancestor_link(path, f->path)))
				push_dir(b, path, &st, false, diags);
		} else if (S_ISREG(st.st_mode) && !batch_is_sidecar(name)) {
			free(name);
			return yield(b, path);
		}
		free(name);
		free(path);
	}
	return NULL;
}

/* The next non-blank line of the list, without its line end; NULL at the end. */
static const char *
next_line(struct batch *b, struct diag_list *diags)
{
	if (b->list_done)
		return NULL;
	if (!b->list) {
		b->list_is_stdin = !strcmp(b->files_from, "-");
		b->list = b->list_is_stdin ? stdin : fopen(b->files_from, "r");
		if (!b->list) {
			diag_add(diags, DIAG_ERROR, (struct srcpos){b->files_from, 0, 0}, _("cannot read the list of files: %s"),
			         strerror(errno));
			b->failed = true;
			b->list_done = true;
			return NULL;
		}
	}
	for (;;) {
		errno = 0;
		ssize_t n = getline(&b->line, &b->line_cap, b->list);
		if (n < 0) {
			if (ferror(b->list)) {
				diag_add(diags, DIAG_ERROR, (struct srcpos){b->list_is_stdin ? _("standard input") : b->files_from, 0, 0},
				         _("cannot read the list of files: %s"), strerror(errno ? errno : EIO));
				b->failed = true;
			}
			if (!b->list_is_stdin)
				fclose(b->list);
			b->list = NULL;
			b->list_done = true;
			return NULL;
		}
		b->list_line++;
		char *s = b->line;
		if (b->list_line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		if (n == 0 || strspn(s, " \t") == (size_t)n)
			continue;
		if (memchr(s, '\0', (size_t)n)) {
			diag_add(diags, DIAG_ERROR,
			         (struct srcpos){b->list_is_stdin ? _("standard input") : b->files_from, (int)b->list_line, 1},
			         _("a NUL byte in the list of files; write one path a line"));
			b->failed = true;
			continue;
		}
		return s;
	}
}

const char *
batch_next(struct batch *b, struct diag_list *diags)
{
	for (;;) {
		const char *path = walk(b, diags);
		if (path)
			return path;
		if (b->arg_next < b->arg_count) {
			path = take_named(b, b->args[b->arg_next++], diags);
			if (path)
				return path;
			continue;
		}
		const char *line = next_line(b, diags);
		if (!line)
			return NULL;
		path = take_named(b, line, diags);
		if (path)
			return path;
	}
}

void
batch_close(struct batch *b)
{
	if (!b)
		return;
	drop_fd(b);
	while (b->depth > 0)
		pop_dir(b, NULL);
	free(b->stack);
	free(b->seen);
	free(b->current);
	free(b->line);
	if (b->list && !b->list_is_stdin)
		fclose(b->list);
	free(b);
}

void
batch_progress_init(struct batch_progress *p, FILE *stream)
{
	p->stream = stream;
	p->tty = isatty(fileno(stream)) == 1;
	p->shown = false;
}

void
batch_progress_step(struct batch_progress *p, size_t done)
{
	if (!p->tty || done <= BATCH_PROGRESS_AFTER || done % 50 != 0)
		return;
	fprintf(p->stream, "\r");
	fprintf(p->stream, P_("%zu draft done…", "%zu drafts done…", done), done);
	fflush(p->stream);
	p->shown = true;
}

void
batch_progress_end(struct batch_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->stream);
		fflush(p->stream);
	}
	p->shown = false;
}

const char *
batch_next_shown(struct batch *batch, struct batch_progress *progress)
{
	struct diag_list diags = {0};
	const char *path = batch_next(batch, &diags);
	if (diags.count) {
		batch_progress_end(progress);
		diag_print(&diags, progress->stream);
	}
	diag_free(&diags);
	return path;
}
