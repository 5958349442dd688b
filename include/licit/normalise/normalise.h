/* The normaliser: source rows (CompraNet CSV, canonical rows, OCDS rows
 * from the reader, any layout through a mapping file) to canonical
 * records, with every problem reported and no row dropped. */
#ifndef LICIT_NORMALISE_H
#define LICIT_NORMALISE_H

#include <stddef.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"
#include "licit/record/schema.h"

/* What to put in `amount` when a cell holds several amounts. */
enum licit_multi_amount {
	LICIT_MULTI_EMPTY = 0, /* leave amount empty (default) */
	LICIT_MULTI_FIRST,     /* the first amount */
	LICIT_MULTI_SUM        /* the sum of the amounts */
};

struct licit_norm_opts {
	const char *ocid_prefix;   /* prepended to procedure_id when there is no ocid */
	const char *default_law;   /* law of an exception that names none */
	enum licit_multi_amount multi_amount;
	const char *mapping_path;  /* a mapping file, or NULL */
	const char *proctypes_path;/* a procedure-type table, or NULL for the built-in one */
	const char *rates_path;    /* an exchange-rate table, or NULL */
	const char *layout;        /* "compranet", "canonical" or "ocds" to force
	                              that binding; NULL: detect (a mapping file
	                              always wins) */
};

struct licit_normaliser;

/* The range of a --rates rate (pesos for one unit of the currency). */
#define LICIT_RATE_MIN 1e-6
#define LICIT_RATE_MAX 1e6

/* Loads the mapping, procedure-type and rate tables named in opts. */
struct licit_normaliser *licit_normaliser_new(const struct licit_norm_opts *o,
                                              struct licit_error *err);
void licit_normaliser_free(struct licit_normaliser *n);

/* Chooses how a source's columns map onto the canonical fields: the user
 * mapping when one was given, else CompraNet (any year's column set),
 * else canonical names. LICIT_ERR (err names the source) when none fits;
 * mapped columns the header lacks are a LICIT_WARNING to fn. */
int licit_normaliser_bind(struct licit_normaliser *n,
                          const struct licit_reader *r,
                          licit_diag_fn fn, void *ctx, struct licit_error *err);
/* "mapping", "compranet", "canonical" or "ocds": the layout bound last. */
const char *licit_normaliser_layout(const struct licit_normaliser *n);

/* Normalises one row. On return out[i] (i < LICIT_NFIELDS) holds the
 * canonical values, valid until the next call. Each problem with a value
 * goes to fn as a LICIT_WARNING (source, the row's line, the field, the
 * value as read). LICIT_OK, or LICIT_ERR with err when memory runs out
 * (the row is then not to be written: some of its values are missing). */
int licit_normaliser_row(struct licit_normaliser *n, const struct licit_row *row,
                         const char *source, const char *const **out,
                         licit_diag_fn fn, void *ctx, struct licit_error *err);

/* ---- tables the normaliser uses, also usable alone ------------------- */

/* The procedure type (open/selective/limited/direct) for a raw value
 * through the built-in table (or the table loaded in n); NULL if none. */
const char *licit_proctype_lookup(const struct licit_normaliser *n,
                                  const char *raw, size_t len);

#endif
