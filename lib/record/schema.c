/* The canonical record's field table. */
#include "licit/record/schema.h"

#include <string.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

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

void licit_cols_bind(struct licit_cols *c, const struct licit_reader *r)
{
	for (int i = 0; i < LICIT_NFIELDS; i++)
		c->col[i] = licit_reader_col(r, names[i]);
}

int licit_cols_require(const struct licit_cols *c, const struct licit_reader *r,
                       struct licit_error *err)
{
	for (int f = 0; f < LICIT_NFIELDS; f++)
		if (c->col[f] >= 0)
			return LICIT_OK;
	return licit_error_set(err, licit_reader_source(r), 1, NULL,
	                       "no canonical field in the header: not canonical "
	                       "records (run licit normalise first)");
}

const char *licit_get(const struct licit_row *row, const struct licit_cols *c,
                      enum licit_field f)
{
	int i = c->col[f];
	return i >= 0 && (size_t)i < row->n ? row->v[i] : "";
}
