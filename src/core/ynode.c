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

struct parse_state {
	yaml_parser_t *parser;
	struct yarena *arena;
	const char *file;
	struct diag_list *diags;
	int depth;   /* of the collection being read */
};

/* The keys of one mapping, hashed once it has more than a few, so that checking a new key
 * for a duplicate costs the same whatever the mapping's size. */
struct keyset {
	size_t *slots;   /* index of the key in items + 1; 0 = empty */
	size_t size;     /* a power of two, or 0 while the mapping is small */
	size_t used;
};

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
				if (!strcmp(map->items[i]->scalar, key))
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

static bool
next_event(struct parse_state *st, yaml_event_t *ev)
{
	if (yaml_parser_parse(st->parser, ev))
		return true;
	diag_add(st->diags, DIAG_ERROR, mark_pos(st->file, st->parser->problem_mark),
	         _("malformed YAML: %s"), st->parser->problem ? st->parser->problem : "?");
	return false;
}

static struct ynode *parse_node(struct parse_state *st, yaml_event_t *ev);

static struct ynode *
parse_children(struct parse_state *st, struct ynode *node, yaml_event_type_t end)
{
	if (st->depth >= YNODE_MAX_DEPTH) {
		diag_add(st->diags, DIAG_ERROR, node->pos,
		         _("nested deeper than %d levels; a draft or a template is never this deep"), YNODE_MAX_DEPTH);
		return NULL;
	}
	st->depth++;
	struct keyset keys = {0};
	for (;;) {
		yaml_event_t ev;
		if (!next_event(st, &ev))
			goto fail;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			free(keys.slots);
			st->depth--;
			return node;
		}
		struct ynode *child = parse_node(st, &ev);
		yaml_event_delete(&ev);
		if (!child)
			goto fail;
		if (node->kind == YNODE_MAPPING && node->count % 2 == 0) {
			if (child->kind != YNODE_SCALAR) {
				diag_add(st->diags, DIAG_ERROR, child->pos, _("a mapping key must be plain text"));
				goto fail;
			}
			const struct ynode *first = keyset_find(&keys, node, child->scalar);
			if (first) {
				diag_add(st->diags, DIAG_ERROR, child->pos, _("duplicate key '%s' (first at line %d)"),
				         child->scalar, first->pos.line);
				goto fail;
			}
		}
		append(st->arena, node, child);
		if (node->kind == YNODE_MAPPING && keys.size && node->count % 2 == 1)
			keyset_put(&keys, node, node->count - 1);
	}
fail:
	free(keys.slots);
	return NULL;
}

static struct ynode *
parse_node(struct parse_state *st, yaml_event_t *ev)
{
	struct ynode *node = yalloc(st->arena, sizeof *node);
	*node = (struct ynode){.pos = mark_pos(st->file, ev->start_mark)};
	const yaml_char_t *anchor = NULL;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_add(st->diags, DIAG_ERROR, node->pos, _("aliases (*name) are not allowed"));
		return NULL;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		node->kind = YNODE_SCALAR;
		node->scalar = yalloc(st->arena, ev->data.scalar.length + 1);
		memcpy(node->scalar, ev->data.scalar.value, ev->data.scalar.length);
		node->scalar[ev->data.scalar.length] = '\0';
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		node->kind = YNODE_SEQUENCE;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		node->kind = YNODE_MAPPING;
		break;
	default:
		diag_add(st->diags, DIAG_ERROR, node->pos, _("malformed YAML: unexpected event"));
		return NULL;
	}
	if (anchor) {
		diag_add(st->diags, DIAG_ERROR, node->pos, _("anchors (&name) are not allowed"));
		return NULL;
	}
	if (node->kind == YNODE_SEQUENCE)
		return parse_children(st, node, YAML_SEQUENCE_END_EVENT);
	if (node->kind == YNODE_MAPPING)
		return parse_children(st, node, YAML_MAPPING_END_EVENT);
	return node;
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

static struct ynode *
load(yaml_parser_t *parser, const char *name, struct diag_list *diags)
{
	struct yarena *arena = xcalloc(1, sizeof *arena);
	struct parse_state st = {.parser = parser, .arena = arena, .file = name, .diags = diags};
	struct ynode *root = NULL;
	yaml_event_t ev;
	while (next_event(&st, &ev)) {
		yaml_event_type_t type = ev.type;
		if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			diag_add(diags, DIAG_ERROR, (struct srcpos){name, 1, 1}, _("the file is empty"));
			break;
		}
		root = parse_node(&st, &ev);
		yaml_event_delete(&ev);
		if (!root)
			break;
		/* a second document would be silently ignored: refuse it */
		if (next_event(&st, &ev)) {
			if (ev.type == YAML_DOCUMENT_END_EVENT) {
				yaml_event_delete(&ev);
				if (next_event(&st, &ev) && ev.type != YAML_STREAM_END_EVENT) {
					diag_add(diags, DIAG_ERROR, mark_pos(name, ev.start_mark),
					         _("only one YAML document is allowed"));
					root = NULL;
				}
			}
			yaml_event_delete(&ev);
		} else {
			root = NULL;
		}
		break;
	}
	if (!root) {
		free_arena(arena);
		return NULL;
	}
	root->arena = arena;
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
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	struct ynode *root = load(&parser, name, diags);
	yaml_parser_delete(&parser);
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
		if (!strcmp(map->items[i]->scalar, key))
			return map->items[i + 1];
	return NULL;
}

bool
ynode_is_null(const struct ynode *node)
{
	return !node || (node->kind == YNODE_SCALAR && node->plain &&
	                 (!strcmp(node->scalar, "~") || !strcmp(node->scalar, "null") || !node->scalar[0]));
}
