/* The canonical record: the field names every licit tool reads and
 * writes. They are the public interface (see licit-schema(5)). */
#ifndef LICIT_SCHEMA_H
#define LICIT_SCHEMA_H

#include <stddef.h>

/* X(id, name, type): the canonical fields in output order. */
#define LICIT_FIELDS(X)                                                  \
	X(OCID, "ocid", LICIT_T_TEXT)                                    \
	X(PROCEDURE_ID, "procedure_id", LICIT_T_TEXT)                    \
	X(BUYER_ID, "buyer_id", LICIT_T_TEXT)                            \
	X(BUYER_NAME, "buyer_name", LICIT_T_TEXT)                        \
	X(ENTITY_ID, "entity_id", LICIT_T_TEXT)                          \
	X(ENTITY_NAME, "entity_name", LICIT_T_TEXT)                      \
	X(PROCEDURE_TYPE, "procedure_type", LICIT_T_PROCTYPE)            \
	X(METHOD_DETAILS, "method_details", LICIT_T_TEXT)                \
	X(CHARACTER, "character", LICIT_T_CHARACTER)                     \
	X(CONTRACT_TYPE, "contract_type", LICIT_T_CONTRACT_TYPE)         \
	X(EXCEPTION, "exception", LICIT_T_EXCEPTION)                     \
	X(TENDER_START, "tender_start", LICIT_T_DATE)                    \
	X(TENDER_END, "tender_end", LICIT_T_DATE)                        \
	X(AWARD_DATE, "award_date", LICIT_T_DATE)                        \
	X(SIGNED_DATE, "signed_date", LICIT_T_DATE)                      \
	X(START_DATE, "start_date", LICIT_T_DATE)                        \
	X(END_DATE, "end_date", LICIT_T_DATE)                            \
	X(CONTRACT_ID, "contract_id", LICIT_T_TEXT)                      \
	X(TITLE, "title", LICIT_T_TEXT)                                  \
	X(AMOUNT, "amount", LICIT_T_AMOUNT)                              \
	X(CURRENCY, "currency", LICIT_T_CURRENCY)                        \
	X(AMOUNT_MXN, "amount_mxn", LICIT_T_AMOUNT)                      \
	X(SUPPLIER_ID, "supplier_id", LICIT_T_TEXT)                      \
	X(SUPPLIER_NAME, "supplier_name", LICIT_T_NAME)                  \
	X(SUPPLIER_RFC, "supplier_rfc", LICIT_T_RFC)                     \
	X(SUPPLIER_SIZE, "supplier_size", LICIT_T_TEXT)                  \
	X(SUPPLIER_SIZE_BUYER, "supplier_size_buyer", LICIT_T_TEXT)      \
	X(N_TENDERERS, "n_tenderers", LICIT_T_COUNT)                     \
	X(STATUS, "status", LICIT_T_TEXT)                                \
	X(FRAMEWORK, "framework", LICIT_T_FLAG)                          \
	X(CONSOLIDATED, "consolidated", LICIT_T_FLAG)                    \
	X(MULTIYEAR, "multiyear", LICIT_T_FLAG)                          \
	X(URL, "url", LICIT_T_TEXT)                                      \
	X(TEST, "test", LICIT_T_FLAG)                                    \
	X(SOURCE, "source", LICIT_T_TEXT)                                \
	X(SOURCE_LINE, "source_line", LICIT_T_COUNT)

enum licit_type {
	LICIT_T_TEXT,          /* trimmed, inner white space collapsed */
	LICIT_T_NAME,          /* a person's or company's name */
	LICIT_T_PROCTYPE,      /* open / selective / limited / direct */
	LICIT_T_CHARACTER,     /* Nacional / Internacional / Internacional bajo TLC */
	LICIT_T_CONTRACT_TYPE, /* goods / services / works */
	LICIT_T_EXCEPTION,     /* LAASSP-41-III */
	LICIT_T_DATE,          /* YYYY-MM-DD */
	LICIT_T_AMOUNT,        /* plain decimal */
	LICIT_T_CURRENCY,      /* ISO 4217 code */
	LICIT_T_RFC,           /* valid RFC or empty */
	LICIT_T_COUNT,         /* non-negative integer, at most LICIT_COUNT_MAX */
	LICIT_T_FLAG           /* 1, 0 or empty */
};

enum licit_field {
#define LICIT_X_ENUM(id, name, type) LICIT_F_##id,
	LICIT_FIELDS(LICIT_X_ENUM)
#undef LICIT_X_ENUM
	LICIT_NFIELDS
};

/* Name and type of a canonical field. */
const char *licit_field_name(enum licit_field f);
enum licit_type licit_field_type(enum licit_field f);
/* The canonical field with this exact name, or -1. */
int licit_field_lookup(const char *name);
/* The names of all canonical fields, in order (LICIT_NFIELDS of them). */
const char *const *licit_field_names(void);
/* 1 when the type is written as a JSON number in JSON Lines output. */
int licit_type_is_number(enum licit_type t);

/* Where each canonical field sits in a reader's header. */
struct licit_reader;
struct licit_row;
struct licit_cols {
	int col[LICIT_NFIELDS]; /* column index, -1 when the input lacks it */
};
void licit_cols_bind(struct licit_cols *c, const struct licit_reader *r);
/* LICIT_OK when the reader's header has at least one canonical field;
 * else LICIT_ERR with err naming the input (the tools that need
 * canonical records, kpi and flags, fail the same way). */
struct licit_error;
int licit_cols_require(const struct licit_cols *c, const struct licit_reader *r,
                       struct licit_error *err);
/* The field's value in a row, "" when the input lacks the field. */
const char *licit_get(const struct licit_row *row, const struct licit_cols *c,
                      enum licit_field f);

/* The largest count (10^15): exact in a double and a long long. */
#define LICIT_COUNT_MAX 1000000000000000ULL

#endif
