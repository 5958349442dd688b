/* Bid protests (inconformidades): the canonical protest record, the
 * normaliser that maps Spanish registers onto it, and the statistics
 * that divide protests by the procedures they could have targeted. */
#ifndef LICIT_PROTEST_H
#define LICIT_PROTEST_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

/* ---- the canonical protest record (DOMAIN section 7) ------------------ */

enum licit_protest_field {
	LICIT_P_PROTEST_ID,
	LICIT_P_PROCEDURE_ID,
	LICIT_P_ENTITY_ID,
	LICIT_P_BUYER_ID,
	LICIT_P_FILED_DATE,
	LICIT_P_RESOLVED_DATE,
	LICIT_P_STAGE,
	LICIT_P_OUTCOME,
	LICIT_P_SOURCE,      /* provenance, as in contract records */
	LICIT_P_SOURCE_LINE,
	LICIT_P_NFIELDS
};

/* The canonical protest field names in output order; *n gets their count
 * (n may be NULL). */
const char *const *licit_protest_field_names(size_t *n);
/* The protest field with this exact name, or -1. */
int licit_protest_field_lookup(const char *name);

enum licit_protest_stage {
	LICIT_STAGE_UNKNOWN = 0, LICIT_STAGE_CALL, LICIT_STAGE_CLARIFICATION,
	LICIT_STAGE_OPENING, LICIT_STAGE_AWARD, LICIT_STAGE_CONTRACT,
	LICIT_STAGE_OTHER
};
enum licit_protest_outcome {
	LICIT_OUTCOME_UNKNOWN = 0, LICIT_OUTCOME_DISMISSED, LICIT_OUTCOME_UNFOUNDED,
	LICIT_OUTCOME_FOUNDED, LICIT_OUTCOME_WITHDRAWN, LICIT_OUTCOME_PENDING
};
/* Canonical value -> code (UNKNOWN for "" and anything else), and back. */
enum licit_protest_stage licit_protest_stage_parse(const char *s);
enum licit_protest_outcome licit_protest_outcome_parse(const char *s);
const char *licit_protest_stage_name(enum licit_protest_stage s);
const char *licit_protest_outcome_name(enum licit_protest_outcome o);

/* ---- normalising a protest register ---------------------------------- */

struct licit_protest_normaliser;

/* values_path: a CSV table `field,value,canonical` (field is stage or
 * outcome; value is matched after folding: case, accents and punctuation
 * ignored) consulted before the built-in Spanish table: it adds values
 * and overrides built-in ones, and an empty canonical value makes a value
 * unknown (reported). NULL: the built-in table alone (listed in
 * licit-bidprotest-stats(1)). */
struct licit_protest_normaliser *
licit_protest_normaliser_new(const char *values_path, struct licit_error *err);
void licit_protest_normaliser_free(struct licit_protest_normaliser *n);

/* Binds a source's columns: canonical names or Spanish headers
 * (EXPEDIENTE, NUMERO_PROCEDIMIENTO, SIGLAS, CLAVEUC, FECHA_PRESENTACION,
 * FECHA_RESOLUCION, ACTO_IMPUGNADO / ETAPA, SENTIDO_RESOLUCION / ...).
 * LICIT_ERR when no procedure_id column is found. Canonical fields
 * missing from the header are one LICIT_WARNING to fn. */
int licit_protest_normaliser_bind(struct licit_protest_normaliser *n,
                                  const struct licit_reader *r,
                                  licit_diag_fn fn, void *ctx, struct licit_error *err);

/* Normalises one row: out[i] (i < LICIT_P_NFIELDS) valid until the next
 * call. Dates become YYYY-MM-DD; stage and outcome go through the value
 * table; a value the table does not know is left empty and reported to
 * fn as a LICIT_WARNING (never guessed). LICIT_OK, or LICIT_ERR with err
 * when memory runs out. */
int licit_protest_normaliser_row(struct licit_protest_normaliser *n,
                                 const struct licit_row *row, const char *source,
                                 const char *const **out, licit_diag_fn fn, void *ctx,
                                 struct licit_error *err);

/* ---- statistics ------------------------------------------------------- */

/* What a group can be keyed by. entity_id, buyer_id and year also exist
 * for procedures (they split the denominators); stage and outcome are
 * protest-only (their groups share the denominator of their other keys). */
enum licit_protest_key {
	LICIT_PKEY_ENTITY, LICIT_PKEY_BUYER, LICIT_PKEY_YEAR, LICIT_PKEY_STAGE,
	LICIT_PKEY_OUTCOME, LICIT_PKEY_N
};
/* "entity_id", "buyer_id", "year", "stage", "outcome" -> key; -1 if none. */
int licit_protest_key_parse(const char *name);
const char *licit_protest_key_name(enum licit_protest_key k);

/* The counts behind one output row. */
struct licit_protest_counts {
	long long protests;
	long long protested;     /* distinct procedure_id among the protests */
	long long procedures;    /* distinct procedures in the denominator */
	long long competitive;   /* of which open, selective or limited */
	int have_procedures;     /* 0: no procedures file was read */
	int have_types;          /* 0: the procedures have no procedure_type */
	long long comp_protests; /* protests against a competitive procedure */
	/* the numerators of the three rates over procedures: in a group row
	 * the same as protests, protested and comp_protests; in the ALL row
	 * only the groups that have procedures are pooled, so that protests
	 * with no procedure count (SFP) do not inflate the pooled rate */
	long long rated_protests, rated_protested, rated_comp_protests;
	long long unmatched;     /* protests whose procedure is not in --procedures */
	long long stage_known, award;
	long long outcome_known, dismissed, unfounded, founded, withdrawn, pending;
	long long founded_stage_known, founded_award;
	double median_days;      /* NAN when no protest has both dates */
	long long n_days;
	/* change_from_first: protests of the group's first year (-1: none) */
	long long first_year_protests;
	/* mean_entity_protest_rate: the sum of the rates (protests in the
	 * row / procedures in its denominator) of the entities having
	 * procedures in the row's denominator, and their number
	 * (n_entities < 0: no procedures file) */
	double sum_entity_rates;
	long long n_entities;
};

/* One measure of a row: value = numerator / denominator for ratios; NAN
 * value means "empty" (a missing or zero denominator, never 0). */
enum licit_measure_kind { LICIT_MEASURE_COUNT, LICIT_MEASURE_RATIO, LICIT_MEASURE_DAYS };
struct licit_protest_measure {
	const char *name;
	enum licit_measure_kind kind;
	double value;       /* NAN: empty */
	double numerator;   /* NAN: not applicable */
	double denominator; /* NAN: not applicable (median: the number of values) */
};

/* Which optional measures the caller wants. */
#define LICIT_PM_CHANGE 1u /* change_from_first (needs a year key) */
#define LICIT_PM_MEAN   2u /* mean_entity_protest_rate */
#define LICIT_PM_MAX 24

/* Fills out (LICIT_PM_MAX entries at least) with the measures of c, in
 * output order; returns their number. */
size_t licit_protest_measures(const struct licit_protest_counts *c, unsigned opts,
                              struct licit_protest_measure *out);

struct licit_protest_stats;

/* keys: the grouping (at least one, no repeats). */
struct licit_protest_stats *licit_protest_stats_new(const enum licit_protest_key *keys,
                                                    size_t nkeys, struct licit_error *err);
void licit_protest_stats_free(struct licit_protest_stats *s);

/* Procedures (canonical contract records): bind, then one call per row,
 * while the bound reader is open. A procedure is counted once, in the
 * group of its first row; its year is that of tender_start, else
 * award_date, else signed_date. A source without procedure_type is a
 * LICIT_WARNING to fn at bind: competitive counts are then unknown. A
 * value that cannot be used is a LICIT_WARNING to fn (not fatal). */
int licit_protest_stats_bind_procedures(struct licit_protest_stats *s,
                                        const struct licit_reader *r,
                                        licit_diag_fn fn, void *ctx,
                                        struct licit_error *err);
int licit_protest_stats_procedure(struct licit_protest_stats *s,
                                  const struct licit_row *row,
                                  licit_diag_fn fn, void *ctx,
                                  struct licit_error *err);

/* Protests (canonical protest records). Read them after the procedures.
 * The header needs procedure_id, one protest-only column (protest_id,
 * filed_date, resolved_date, stage, outcome) and the columns of the
 * grouping keys. */
int licit_protest_stats_bind_protests(struct licit_protest_stats *s,
                                      const struct licit_reader *r,
                                      struct licit_error *err);
int licit_protest_stats_protest(struct licit_protest_stats *s,
                                const struct licit_row *row,
                                licit_diag_fn fn, void *ctx,
                                struct licit_error *err);

/* Ends the input: builds the rows (groups sorted by key; with only
 * procedure-level keys, groups with procedures and no protest too).
 * with_procedures: 0 when no procedures file was read (no denominators). */
int licit_protest_stats_finish(struct licit_protest_stats *s, int with_procedures,
                               struct licit_error *err);
size_t licit_protest_stats_nrows(const struct licit_protest_stats *s);
/* Row i: its key values (nkeys of them, "" for unknown) and counts. */
const char *const *licit_protest_stats_keys(const struct licit_protest_stats *s, size_t i);
const struct licit_protest_counts *licit_protest_stats_row(const struct licit_protest_stats *s,
                                                           size_t i);
/* The pooled ALL row: every protest and every procedure; its rates pool
 * the groups that have procedures (see rated_protests). */
const struct licit_protest_counts *licit_protest_stats_total(const struct licit_protest_stats *s);

/* Input-wide figures for the caller's summary. */
struct licit_protest_summary {
	long long procedure_rows, procedures, competitive, no_procedure_id;
	int have_types;            /* 0: no procedure_type column (competitive unknown) */
	long long type_conflicts;  /* rows whose type disagrees with their procedure's first row */
	long long procedures_no_year;
	long long protests, unmatched, no_procedure_id_protests, duplicate_ids;
	long long bad_values;      /* unreadable dates, unknown stage/outcome, ... */
	long long groups_without_procedures, protests_without_procedures;
};
void licit_protest_stats_summary(const struct licit_protest_stats *s,
                                 struct licit_protest_summary *out);
/* 1 when the protest's procedure_id was found in the procedures (for an
 * --unmatched listing, call after licit_protest_stats_procedure calls). */
int licit_protest_stats_known_procedure(const struct licit_protest_stats *s,
                                        const char *procedure_id, size_t len);

/* ---- partial results (licit bidprotest-stats --partial / --merge) ---- */

/* Keep the protests instead of counting them: for a run that writes a
 * partial file. Call before the protests. */
void licit_protest_stats_keep(struct licit_protest_stats *s);
/* After the procedures and the protests of a kept run, instead of
 * finish: its state as a partial file (licit-bidprotest-stats(1),
 * PARTIAL RESULTS). with_procedures as for finish. */
int licit_protest_stats_partial_write(const struct licit_protest_stats *s, FILE *f,
                                      int with_procedures, struct licit_error *err);
/* Merges a partial file written with the same keys into s (which reads
 * no rows); name is for messages. Files that are truncated, of another
 * version, of other keys or damaged are refused naming name and the
 * line. Then finish with licit_protest_stats_merged_procedures(s). */
int licit_protest_stats_merge(struct licit_protest_stats *s, FILE *f, const char *name,
                              struct licit_error *err);
/* 1 when the merged files were written with --procedures. */
int licit_protest_stats_merged_procedures(const struct licit_protest_stats *s);

#endif
