/* Cardinal's `prepare` (ocdscardinal 0.0.8): corrections of quality
 * issues in an OCDS compiled release, made in place, and the issues it
 * reports (not set, invalid, is zero). Settings are the [defaults],
 * [redactions], [corrections], [modifications] and [codelists.*]
 * sections of a Cardinal settings file. */
#ifndef LICIT_PREPARE_H
#define LICIT_PREPARE_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/arena.h"
#include "licit/core/error.h"
#include "licit/io/json.h"

struct licit_ini;
struct licit_ini_entry;

struct licit_prepare_settings {
	/* [defaults]: NULL = not set */
	const char *currency, *item_classification_scheme, *bid_status, *award_status;
	int party_roles;
	/* [redactions] */
	double *redact_amount;
	size_t nredact_amount;
	char **redact_org_id;
	size_t nredact_org_id;
	/* [corrections] */
	int award_status_by_contract_status;
	/* [modifications] */
	int move_auctions;
	const char *prefix_buyer;    /* "" = none */
	const char *prefix_tenderer; /* "" = none */
	const char *split_method_details; /* NULL = not set */
	/* [codelists.bid_status], [codelists.award_status]: code -> code */
	const struct licit_ini_entry **bid_codes, **award_codes;
	size_t nbid_codes, naward_codes;
};

/* 1 for the sections of Cardinal's settings that are not indicators'
 * (defaults, redactions, corrections, modifications, codelists.*,
 * output). */
int licit_prepare_section(const char *section);

/* Checks one entry of such a section: a known key with a value of the
 * right kind; otherwise LICIT_ERR with err naming path, line and key. */
int licit_prepare_check(const struct licit_ini_entry *e, const char *path,
                        struct licit_error *err);

/* Reads the sections from ini (borrowed: it must outlive s), checking
 * every entry and section (an unknown [codelists.X] is an error);
 * LICIT_ERR with err. ini may be NULL (no settings). */
int licit_prepare_settings_load(struct licit_prepare_settings *s, const struct licit_ini *ini,
                                struct licit_error *err);
void licit_prepare_settings_fini(struct licit_prepare_settings *s);

/* A quality issue: Cardinal's columns (line, ocid, path, array indexes,
 * incorrect value, error description). ocid is the release's ocid
 * member (NULL when it has none). */
typedef void (*licit_prepare_issue_fn)(void *ctx, long line, const struct licit_json *ocid,
                                       const char *path, const char *indexes,
                                       const char *value, const char *description);
/* Corrects one release in place (the tree must be writable memory: one
 * that licit_json_parse or licit_ocds_compile made; new values go into
 * a). A correction it cannot make is a LICIT_WARNING to warn (no
 * source; the line given). -1 when memory runs out. */
int licit_prepare_release(const struct licit_prepare_settings *s, struct licit_json *release,
                          struct licit_arena *a, long line, licit_prepare_issue_fn issue,
                          licit_diag_fn warn, void *ctx);

/* A value as serde_json writes it (compact; of members with the same name
 * the last one, at the place of the first), as Cardinal's output, and
 * a newline. */
void licit_cardinal_json_write(FILE *f, const struct licit_json *v);

#endif
