/* The typed canonical record: a canonical row (licit-schema(5)) loaded
 * once into typed slots, so that every tool reads the same facts from it.
 *
 * Every fallback rule lives here, once (licit-schema(5), "Derived
 * values"):
 * - the date a row is dated by: signed_date, else award_date, else
 *   start_date: the first of them that is not empty (when that one is
 *   not a valid date, the row has no date);
 * - an empty currency is MXN;
 * - the amount in pesos: amount_mxn when it holds a number, else amount
 *   when the currency is MXN (or empty);
 * - the amount in its currency: amount_mxn (in MXN) when it holds a
 *   number, else amount in its currency;
 * - the buyer key: buyer_id, else buyer_name; the supplier key:
 *   supplier_id, else supplier_name.
 *
 * Ownership: the text slots are borrowed from the reader's row and valid
 * until the next row is read; interned numbers are valid for the life of
 * the context. Nothing here prints or allocates per row, except interning
 * a key not seen before. */
#ifndef LICIT_CANON_H
#define LICIT_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "licit/record/schema.h"

struct licit_reader;
struct licit_row;
struct licit_map;

enum licit_ptype { /* procedure_type */
	LICIT_PT_NONE, /* empty */
	LICIT_PT_OPEN,
	LICIT_PT_SELECTIVE,
	LICIT_PT_LIMITED,
	LICIT_PT_DIRECT,
	LICIT_PT_OTHER /* any other text */
};

enum licit_ctype { /* contract_type */
	LICIT_CT_NONE,
	LICIT_CT_GOODS,
	LICIT_CT_SERVICES,
	LICIT_CT_WORKS,
	LICIT_CT_OTHER
};

/* A currency code packed into 24 bits ('M' << 16 | 'X' << 8 | 'N');
 * 0 for an empty value. Codes that are not three capital letters are
 * LICIT_CUR_OTHER (and the field is marked bad). */
#define LICIT_CUR(a, b, c) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
#define LICIT_CUR_MXN LICIT_CUR('M', 'X', 'N')
#define LICIT_CUR_OTHER 0xFFFFFFu

#define LICIT_NO_DAY INT32_MIN

/* The state of a field's slot. */
enum licit_slot {
	LICIT_SLOT_EMPTY, /* empty value, or the input lacks the column */
	LICIT_SLOT_OK,    /* present and read into its typed slot */
	LICIT_SLOT_BAD    /* present but not of its type (licit_canon_why) */
};

/* An exact decimal: units / 10^scale, when exact is 1 (at most 18
 * digits); value is the correctly rounded double either way. */
struct licit_decimal {
	double value;
	int64_t units;
	uint8_t scale, exact;
};

/* Bits of the fields a tool needs decoded (LICIT_NEED(LICIT_F_AMOUNT)...).
 * Fields not asked for keep only their text. */
#define LICIT_NEED(f) (1ULL << (f))
#define LICIT_NEED_ALL ((1ULL << LICIT_NFIELDS) - 1)
/* Also intern the buyer and supplier keys into dense numbers. */
#define LICIT_NEED_INTERN (1ULL << 63)

struct licit_canon_ctx {
	struct licit_cols cols;
	uint64_t need;
	struct licit_map *buyers, *suppliers; /* when LICIT_NEED_INTERN */
	/* set by init: the fields the input has, those it lacks, and the
	 * needed ones among the first */
	uint8_t have[LICIT_NFIELDS], lack[LICIT_NFIELDS], typed[LICIT_NFIELDS];
	int nhave, nlack, ntyped;
	size_t maxcol; /* the largest column index among them */
	int ordered;   /* every field at its own column (a canonical file's
	                  header): the texts are copied as one block */
	uint8_t type[LICIT_NFIELDS]; /* licit_field_type of each field */
};

struct licit_canon {
	/* every field's text, "" when absent; borrowed from the row */
	const char *text[LICIT_NFIELDS];
	uint32_t len[LICIT_NFIELDS];
	uint8_t state[LICIT_NFIELDS]; /* enum licit_slot, for needed fields */

	/* typed slots, valid when the field's state is LICIT_SLOT_OK */
	int32_t day[LICIT_NFIELDS];  /* dates as days since 1970-01-01 */
	struct licit_decimal amount, amount_mxn;
	uint32_t currency;           /* LICIT_CUR code; empty reads as MXN */
	enum licit_ptype ptype;
	enum licit_ctype ctype;
	int32_t n_tenderers;         /* -1 when not OK */
	int8_t framework, consolidated, multiyear, test; /* 1, 0, or -1 */
	int64_t source_line;         /* -1 when not OK */

	/* derived values: the fallback rules above */
	int32_t date;                /* the day a row is dated by, LICIT_NO_DAY */
	int year;                    /* its year, 0 when there is no date */
	int date_field;              /* the field it came from, -1 */
	int has_mxn;                 /* amount in pesos */
	double mxn;
	int has_amt;                 /* amount in its currency */
	double amt;
	uint32_t amt_cur;
	int amt_field;               /* LICIT_F_AMOUNT_MXN or LICIT_F_AMOUNT, -1 */
	const char *buyer, *supplier; /* keys, "" when none */
	uint32_t buyer_len, supplier_len;
	int32_t buyer_ix, supplier_ix; /* interned numbers, -1 when empty or
	                                  not interned */
};

/* Binds the context to a reader's header and says what to decode.
 * LICIT_OK, or LICIT_ERR out of memory (interning tables). */
int licit_canon_init(struct licit_canon_ctx *cx, const struct licit_reader *r, uint64_t need);
/* The same from a ready column binding (tests, spools). */
int licit_canon_init_cols(struct licit_canon_ctx *cx, const struct licit_cols *cols, uint64_t need);
void licit_canon_free(struct licit_canon_ctx *cx);
/* Binds the context to the columns of another input (the interned keys
 * are kept): set cols only through it. */
void licit_canon_bind(struct licit_canon_ctx *cx, const struct licit_cols *cols);

/* Loads one row. LICIT_OK, or LICIT_ERR when interning runs out of
 * memory. A value not of its type is not an error: its state is
 * LICIT_SLOT_BAD and licit_canon_why() says why. */
int licit_canon_load(struct licit_canon_ctx *cx, const struct licit_row *row,
                     struct licit_canon *c);

/* Why a field's value is bad ("not a YYYY-MM-DD date"), or NULL. */
const char *licit_canon_why(const struct licit_canon *c, enum licit_field f);

/* The interned key of number i, and its length. */
const char *licit_canon_buyer(const struct licit_canon_ctx *cx, int32_t i, size_t *len);
const char *licit_canon_supplier(const struct licit_canon_ctx *cx, int32_t i, size_t *len);

/* The fields a row is dated by, in order (LICIT_DATED_BY of them): the
 * rule above, for code that holds canonical text rather than a record
 * (normalise choosing an exchange rate). */
#define LICIT_DATED_BY 3
const enum licit_field *licit_canon_dated_by(void);

/* Text of an enum value ("open", "goods"; "" for NONE and OTHER). */
const char *licit_ptype_name(enum licit_ptype t);
const char *licit_ctype_name(enum licit_ctype t);

#endif
