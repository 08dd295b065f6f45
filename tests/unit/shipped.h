/* Shared by the unit tests: the shipped templates (forms/, as make check points to them). */
#ifndef NIANBAO_TESTS_SHIPPED_H
#define NIANBAO_TESTS_SHIPPED_H

#include <stdio.h>
#include <stdlib.h>

#include "nianbao/template.h"

static struct template *
load_shipped(const char *id)
{
	struct diag_list diags = {0};
	struct template *t = template_load_id(getenv("NIANBAO_TEMPLATES"), id, &diags);
	if (!t)
		diag_print(&diags, stderr);
	assert_non_null(t);
	diag_free(&diags);
	return t;
}

#endif
