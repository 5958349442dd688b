/* The canonical record's field table. */
#include "licit/schema.h"

#include <string.h>

static const char *const names[LICIT_NFIELDS] = {
#define X(id, name, type) name,
	LICIT_FIELDS(X)
#undef X
};

static const enum licit_type types[LICIT_NFIELDS] = {
#define X(id, name, type) type,
	LICIT_FIELDS(X)
#undef X
};

const char *licit_field_name(enum licit_field f)
{
	return (unsigned)f < LICIT_NFIELDS ? names[f] : "";
}

enum licit_type licit_field_type(enum licit_field f)
{
	return (unsigned)f < LICIT_NFIELDS ? types[f] : LICIT_T_TEXT;
}

int licit_field_lookup(const char *name)
{
	for (int i = 0; i < LICIT_NFIELDS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *const *licit_field_names(void)
{
	return names;
}

int licit_type_is_number(enum licit_type t)
{
	return t == LICIT_T_AMOUNT || t == LICIT_T_COUNT;
}
