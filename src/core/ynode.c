#include <config.h>

#include "nianbao/ynode.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "yparse.h"

/* Every node, string and item array of one tree lives in a chain of blocks that is freed
 * at once: a draft has hundreds of nodes, and checking thousands of drafts should not pay
 * for a malloc and a free for each. */
struct yarena {
	struct yblock *blocks;
};

struct yblock {
	struct yblock *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

static void *
yalloc(struct yarena *arena, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct yblock *b = arena->blocks;
	if (!b || b->size - b->used < size) {
		size_t block_size = size > 32768 ? size : 32768;
		b = xmalloc(sizeof *b + block_size);
		b->next = arena->blocks;
		b->used = 0;
		b->size = block_size;
		arena->blocks = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

static struct srcpos
mark_pos(const char *file, yaml_mark_t mark)
{
	return (struct srcpos){file, (int)mark.line + 1, (int)mark.column + 1};
}

static void
append(struct yarena *arena, struct ynode *parent, struct ynode *child)
{
	if ((parent->count & (parent->count - 1)) == 0) {
		struct ynode **grown = yalloc(arena, (parent->count ? parent->count * 2 : 2) * sizeof *grown);
		if (parent->count)
			memcpy(grown, parent->items, parent->count * sizeof *grown);
		parent->items = grown;
	}
	parent->items[parent->count++] = child;
}

static size_t
key_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
keyset_put(struct keyset *ks, const struct ynode *map, size_t index)
{
	size_t mask = ks->size - 1;
	size_t i = key_hash(map->items[index]->scalar) & mask;
	while (ks->slots[i])
		i = (i + 1) & mask;
	ks->slots[i] = index + 1;
	ks->used++;
}

/* The earlier key equal to key in map, or NULL. */
static const struct ynode *
keyset_find(struct keyset *ks, const struct ynode *map, const char *key)
{
	if (!ks->size) {
		if (map->count < 32) {
			for (size_t i = 0; i < map->count; i += 2)
				if (map->items[i]->scalar[0] == key[0] && !strcmp(map->items[i]->scalar, key))
					return map->items[i];
			return NULL;
		}
		ks->size = 128;
		ks->slots = xcalloc(ks->size, sizeof *ks->slots);
		for (size_t i = 0; i < map->count; i += 2)
			keyset_put(ks, map, i);
	}
	if (ks->used * 2 >= ks->size) {
		free(ks->slots);
		ks->size *= 2;
		ks->slots = xcalloc(ks->size, sizeof *ks->slots);
		ks->used = 0;
		for (size_t i = 0; i < map->count; i += 2)
			keyset_put(ks, map, i);
	}
	size_t mask = ks->size - 1;
	for (size_t i = key_hash(key) & mask; ks->slots[i]; i = (i + 1) & mask)
		if (!strcmp(map->items[ks->slots[i] - 1]->scalar, key))
			return map->items[ks->slots[i] - 1];
	return NULL;
}

bool
yparse_malformed(struct yparse *p)
{
	diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, p->parser.problem_mark),
	         _("malformed YAML: %s"), p->parser.problem ? p->parser.problem : "?");
	return false;
}

bool
yparse_enter(struct yparse *p, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, ev->start_mark), _("aliases (*name) are not allowed"));
		return false;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		break;
	default:
		diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, ev->start_mark), _("malformed YAML: unexpected event"));
		return false;
	}
	if (anchor) {
		diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, ev->start_mark), _("anchors (&name) are not allowed"));
		return false;
	}
	if (ev->type == YAML_SCALAR_EVENT)
		return true;
	if (p->depth >= YNODE_MAX_DEPTH) {
		diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, ev->start_mark),
		         _("nested deeper than %d levels; a draft or a template is never this deep"), YNODE_MAX_DEPTH);
		return false;
	}
	p->depth++;
	return true;
}

void
yparse_leave(struct yparse *p)
{
	p->depth--;
}

void
yparse_duplicate(struct yparse *p, struct srcpos pos, const char *key, int first_line)
{
	diag_add(p->diags, DIAG_ERROR, pos, _("duplicate key '%s' (first at line %d)"), key, first_line);
}

void
yparse_key_not_text(struct yparse *p, const struct ynode *key)
{
	diag_add(p->diags, DIAG_ERROR, key->pos, _("a mapping key must be plain text"));
}

bool
yparse_add_key(struct yparse *p, struct ynode *map, struct keyset *keys, struct ynode *key)
{
	const struct ynode *first = keyset_find(keys, map, key->scalar);
	if (first) {
		yparse_duplicate(p, key->pos, key->scalar, first->pos.line);
		return false;
	}
	append(p->arena, map, key);
	if (keys->size)
		keyset_put(keys, map, map->count - 1);
	return true;
}

void
yparse_add_value(struct yparse *p, struct ynode *map, struct ynode *value)
{
	append(p->arena, map, value);
}

struct ynode *
yparse_scalar(struct yparse *p, struct srcpos pos, const char *text, size_t len, bool plain)
{
	struct ynode *node = yalloc(p->arena, sizeof *node);
	*node = (struct ynode){.kind = YNODE_SCALAR, .pos = pos, .plain = plain};
	node->scalar = yalloc(p->arena, len + 1);
	memcpy(node->scalar, text, len);
	node->scalar[len] = '\0';
	return node;
}

/* The children of node, which ev started and yparse_enter entered, to the collection's end. */
static struct ynode *
parse_children(struct yparse *p, struct ynode *node)
{
	struct keyset keys = {0};
	for (;;) {
		yaml_event_t ev;
		if (!yparse_event(p, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			free(keys.slots);
			yparse_leave(p);
			return node;
		}
		struct ynode *child = yparse_node(p, &ev);
		yaml_event_delete(&ev);
		if (!child)
			break;
		if (node->kind == YNODE_SEQUENCE || node->count % 2 == 1) {
			append(p->arena, node, child);
		} else if (child->kind != YNODE_SCALAR) {
			yparse_key_not_text(p, child);
			break;
		} else if (!yparse_add_key(p, node, &keys, child)) {
			break;
		}
	}
	free(keys.slots);
	return NULL;
}

struct ynode *
yparse_node(struct yparse *p, const yaml_event_t *ev)
{
	return yparse_enter(p, ev) ? yparse_rest(p, ev) : NULL;
}

struct ynode *
yparse_rest(struct yparse *p, const yaml_event_t *ev)
{
	struct ynode *node = yalloc(p->arena, sizeof *node);
	*node = (struct ynode){.pos = mark_pos(p->file, ev->start_mark)};
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node->kind = YNODE_SCALAR;
		node->scalar = yalloc(p->arena, ev->data.scalar.length + 1);
		memcpy(node->scalar, ev->data.scalar.value, ev->data.scalar.length);
		node->scalar[ev->data.scalar.length] = '\0';
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return node;
	case YAML_SEQUENCE_START_EVENT:
		node->kind = YNODE_SEQUENCE;
		return parse_children(p, node);
	default:
		node->kind = YNODE_MAPPING;
		return parse_children(p, node);
	}
}

static void
free_arena(struct yarena *arena)
{
	while (arena->blocks) {
		struct yblock *next = arena->blocks->next;
		free(arena->blocks);
		arena->blocks = next;
	}
	free(arena);
}

void
yparse_open(struct yparse *p, const char *name, const char *bytes, size_t len, struct diag_list *diags)
{
	*p = (struct yparse){.arena = xcalloc(1, sizeof *p->arena), .file = name, .diags = diags};
	yaml_parser_initialize(&p->parser);
	yaml_parser_set_input_string(&p->parser, (const unsigned char *)bytes, len);
	yaml_parser_set_encoding(&p->parser, YAML_UTF8_ENCODING);
}

void
yparse_open_input(struct yparse *p, const char *name, yaml_read_handler_t *handler, void *data,
                  struct diag_list *diags)
{
	*p = (struct yparse){.arena = xcalloc(1, sizeof *p->arena), .file = name, .diags = diags};
	yaml_parser_initialize(&p->parser);
	yaml_parser_set_input(&p->parser, handler, data);
	yaml_parser_set_encoding(&p->parser, YAML_UTF8_ENCODING);
}

void
yparse_close(struct yparse *p)
{
	yaml_parser_delete(&p->parser);
	if (p->arena)
		free_arena(p->arena);
	p->arena = NULL;
}

bool
yparse_root(struct yparse *p, yaml_event_t *ev)
{
	while (yparse_event(p, ev)) {
		if (ev->type != YAML_STREAM_START_EVENT && ev->type != YAML_DOCUMENT_START_EVENT) {
			if (ev->type != YAML_STREAM_END_EVENT)
				return true;
			yaml_event_delete(ev);
			diag_add(p->diags, DIAG_ERROR, (struct srcpos){p->file, 1, 1}, _("the file is empty"));
			return false;
		}
		yaml_event_delete(ev);
	}
	return false;
}

bool
yparse_finish(struct yparse *p)
{
	/* a second document would be silently ignored: refuse it */
	yaml_event_t ev;
	if (!yparse_event(p, &ev))
		return false;
	bool ok = true;
	if (ev.type == YAML_DOCUMENT_END_EVENT) {
		yaml_event_delete(&ev);
		if (yparse_event(p, &ev) && ev.type != YAML_STREAM_END_EVENT) {
			diag_add(p->diags, DIAG_ERROR, mark_pos(p->file, ev.start_mark), _("only one YAML document is allowed"));
			ok = false;
		}
	}
	yaml_event_delete(&ev);
	return ok;
}

static struct ynode *
load(struct yparse *p)
{
	yaml_event_t ev;
	if (!yparse_root(p, &ev))
		return NULL;
	struct ynode *root = yparse_node(p, &ev);
	yaml_event_delete(&ev);
	if (!root || !yparse_finish(p))
		return NULL;
	root->arena = p->arena;
	p->arena = NULL;
	return root;
}

struct ynode *
ynode_load_file(const char *file, struct diag_list *diags)
{
	size_t len;
	char *bytes = read_file(file, YNODE_MAX_FILE_BYTES, &len, diags);
	if (!bytes)
		return NULL;
	struct ynode *root = ynode_load_buffer(file, bytes, len, diags);
	free(bytes);
	return root;
}

struct ynode *
ynode_load_buffer(const char *name, const char *bytes, size_t len, struct diag_list *diags)
{
	struct yparse p;
	yparse_open(&p, name, bytes, len, diags);
	struct ynode *root = load(&p);
	yparse_close(&p);
	return root;
}

void
ynode_free(struct ynode *root)
{
	if (root && root->arena)
		free_arena(root->arena);
}

struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAPPING)
		return NULL;
	for (size_t i = 0; i + 1 < map->count; i += 2)
		if (map->items[i]->scalar[0] == key[0] && !strcmp(map->items[i]->scalar, key))
			return map->items[i + 1];
	return NULL;
}

bool
ynode_is_null(const struct ynode *node)
{
	return !node || (node->kind == YNODE_SCALAR && node->plain &&
	                 (!strcmp(node->scalar, "~") || !strcmp(node->scalar, "null") || !node->scalar[0]));
}
