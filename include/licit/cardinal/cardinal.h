/* The Open Contracting Partnership's red-flag indicators, computed as
 * the Cardinal tool (ocdscardinal indicators) computes them, over OCDS
 * compiled releases; and Cardinal's output object. */
#ifndef LICIT_CARDINAL_H
#define LICIT_CARDINAL_H

#include <stdio.h>

#include "licit/core/error.h"
#include "licit/io/json.h"
#include "licit/io/reader.h"

/* The indicators, in output order. */
enum licit_cardinal_ind {
	LICIT_R003, LICIT_R018, LICIT_R024, LICIT_R025, LICIT_R028, LICIT_R030,
	LICIT_R035, LICIT_R036, LICIT_R038, LICIT_R044, LICIT_R048, LICIT_R058, LICIT_NIND
};
const char *licit_cardinal_code(enum licit_cardinal_ind i);
/* The indicator with this code ("R024"), or -1. */
int licit_cardinal_lookup(const char *code);
/* 1 when licit computes the indicator (the others are accepted in the
 * settings and ignored with a warning). */
int licit_cardinal_implemented(enum licit_cardinal_ind i);

/* A pipe-separated list ("open|selective"), split; empty = no filter. */
struct licit_strset {
	char **v;
	size_t n;
};
/* Splits "a|b|c"; blanks around each element are dropped. */
int licit_strset_parse(struct licit_strset *s, const char *pipe_list);
int licit_strset_has(const struct licit_strset *s, const char *x);
void licit_strset_fini(struct licit_strset *s);

struct licit_prepare_settings;

struct licit_cardinal_settings {
	int enabled[LICIT_NIND];
	const char *currency;                          /* NULL: first seen */
	struct licit_strset price_methods;             /* allow list */
	struct licit_strset no_price_methods;          /* deny list */
	struct licit_strset exclude_method_details;    /* [exclusions] */
	long r003_threshold;                           /* days, default 15 */
	struct licit_strset r003_methods;
	char **r003_details;                           /* method details ... */
	long *r003_details_days;                       /* ... and their threshold */
	size_t r003_ndetails;
	struct licit_strset r018_methods;              /* default open|selective */
	int r024_has_threshold, r058_has_threshold;
	double r024_threshold, r058_threshold;
	long r035_threshold;                           /* default 1 */
	long r025_percentile;                          /* default 75 */
	int r025_has_threshold, r038_has_threshold, r048_has_threshold;
	double r025_threshold, r038_threshold;
	long r038_min_bids, r038_min_processes;        /* default 2, 2 */
	long r048_digits, r048_threshold, r048_min_processes; /* 2, -, 20 */
	/* NULL, or Cardinal's prepare (licit/cardinal/prepare.h) made on each release
	 * before the indicators read it (a settings file with [defaults],
	 * [redactions], [corrections], [modifications] or [codelists.*]) */
	const struct licit_prepare_settings *prepare;
	int map; /* --map: Cardinal's "Maps" in the output (licit/cardinal/cardinal_map.h) */
	int summary; /* --summary: counts per indicator (licit/cardinal/cardinal_summary.h) */
};
void licit_cardinal_settings_init(struct licit_cardinal_settings *s);
void licit_cardinal_settings_fini(struct licit_cardinal_settings *s);

/* A key of an indicator's settings section ([R024] threshold = 0.05), as
 * the indicator's table entry gives it: the settings reader checks the
 * value against its type and range once, then stores it. */
enum licit_cardinal_ptype {
	LICIT_CP_INT,    /* an integer in [lo, hi] */
	LICIT_CP_REAL,   /* a number in [lo, hi] */
	LICIT_CP_METHODS /* a pipe-separated list of procurement methods */
};
struct licit_cardinal_param {
	const char *key;
	enum licit_cardinal_ptype type;
	double lo, hi;
	size_t off; /* its field in struct licit_cardinal_settings: long, double
	             * or struct licit_strset */
	long has;   /* the offset of an int set to 1 with it, or -1 */
};
/* Indicator i's key of that name; NULL when its section has none. */
const struct licit_cardinal_param *licit_cardinal_param(enum licit_cardinal_ind i,
                                                        const char *key);
/* Stores a value read and checked: x for a number, list for methods.
 * -1 when memory runs out. */
int licit_cardinal_param_set(struct licit_cardinal_settings *s,
                             const struct licit_cardinal_param *p, double x, const char *list);

struct licit_cardinal;
struct licit_cardinal *licit_cardinal_new(const struct licit_cardinal_settings *s);
void licit_cardinal_free(struct licit_cardinal *c);

/* Folds one compiled release into the results. */
void licit_cardinal_release(struct licit_cardinal *c, const struct licit_json *release);

/* Reads OCDS through the licit reader (opts: encoding and the like; the
 * format is OCDS): JSON Lines (one compiled release, record or package
 * per line; a line that is not JSON or not OCDS skipped, and told to
 * diag as a LICIT_ERROR diagnostic with its file, line and field), or JSON documents in any OCDS packaging; an object that is
 * no package or record is taken as a compiled release, as Cardinal
 * does. path "-" = standard input. Returns 0, or -1 with err when the
 * input cannot be read. */
int licit_cardinal_read(struct licit_cardinal *c, const char *path,
                        const struct licit_reader_opts *opts,
                        licit_diag_fn diag, void *ctx, struct licit_error *err);

/* Computes the fence-based indicators and writes Cardinal's output
 * object (with "Meta" when meta is set) and a newline. Returns the
 * number of results per group in counts[4] (OCID, Buyer,
 * ProcuringEntity, Tenderer) when counts is not NULL. */
void licit_cardinal_finish(struct licit_cardinal *c);
/* With settings.summary: per indicator, processes flagged, not flagged and
 * not computable (and why), one line each (licit/cardinal/cardinal_summary.h). */
void licit_cardinal_write_summary(const struct licit_cardinal *c, FILE *f);

int licit_cardinal_write(const struct licit_cardinal *c, FILE *f, int meta,
                         long counts[4]);

/* Quantile as Cardinal computes it (statrs: R type 8, "median-unbiased"),
 * of v[0..n) sorted ascending; NAN when n == 0. */
double licit_cardinal_quantile(const double *sorted, size_t n, double tau);
/* A double as serde_json writes it: shortest round-trip form, "1.0" for
 * integers, null for NaN and infinities. Returns the length. */
int licit_cardinal_format(double v, char *out, size_t cap);

#endif
