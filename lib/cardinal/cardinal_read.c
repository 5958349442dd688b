/* Cardinal mode's input: OCDS through the common reader, the release
 * hook, and what is kept of each release when parsing. */
#include "indicators.h"

#include <stdio.h>
#include <string.h>

#include "licit/cardinal/prepare.h"
#include "licit/io/reader.h"

static int take_release(void *ctx, const J *release)
{
	struct licit_cardinal *c = ctx;
	if (c->s->prepare) { /* the reader's tree, written in place */
		licit_arena_reset(&c->prepared);
		if (licit_prepare_release(c->s->prepare, (J *)release, &c->prepared, 0, NULL, NULL,
		                          NULL) < 0)
			return -1;
	}
	licit_cardinal_release(c, release);
	return 0;
}

/* All that the indicators, --summary and --map read of a release, and
 * what finding and compiling releases read (ocid, id, date, tag; each
 * array's objects' id), inside any packaging. */
#define KEEP_END {NULL, NULL}
static const struct licit_json_keep id_only[] = {{"id", NULL}, KEEP_END};
static const struct licit_json_keep value_kept[] = {{"amount", NULL}, {"currency", NULL},
                                                    KEEP_END};
static const struct licit_json_keep period_kept[] = {{"startDate", NULL}, {"endDate", NULL},
                                                     KEEP_END};
static const struct licit_json_keep tender_kept[] = {
	{"id", NULL}, {"status", NULL}, {"procurementMethod", NULL},
	{"procurementMethodDetails", NULL}, {"tenderPeriod", period_kept},
	{"numberOfTenderers", NULL}, {"procuringEntity", id_only}, KEEP_END};
static const struct licit_json_keep item_kept[] = {{"id", NULL}, {"classification", id_only},
                                                   KEEP_END};
static const struct licit_json_keep award_kept[] = {
	{"id", NULL}, {"status", NULL}, {"suppliers", id_only}, {"items", item_kept}, KEEP_END};
static const struct licit_json_keep bid_kept[] = {
	{"id", NULL}, {"status", NULL}, {"date", NULL}, {"value", value_kept},
	{"tenderers", id_only}, KEEP_END};
static const struct licit_json_keep bids_kept[] = {{"details", bid_kept}, KEEP_END};
static const struct licit_json_keep address_kept[] = {
	{"streetAddress", NULL}, {"locality", NULL}, {"region", NULL}, {"postalCode", NULL},
	{"countryName", NULL}, KEEP_END};
static const struct licit_json_keep contact_kept[] = {
	{"name", NULL}, {"email", NULL}, {"telephone", NULL}, {"faxNumber", NULL}, {"url", NULL},
	KEEP_END};
static const struct licit_json_keep party_kept[] = {
	{"id", NULL}, {"roles", NULL}, {"address", address_kept}, {"contactPoint", contact_kept},
	KEEP_END};
#define RELEASE_KEPT                                                                       \
	{"ocid", NULL}, {"id", NULL}, {"date", NULL}, {"tag", NULL}, {"tender", tender_kept},   \
	{"awards", award_kept}, {"bids", bids_kept}, {"buyer", id_only}, {"parties", party_kept}
static const struct licit_json_keep release_kept[] = {RELEASE_KEPT, KEEP_END};
static const struct licit_json_keep record_kept[] = {
	{"ocid", NULL}, {"compiledRelease", release_kept}, {"releases", release_kept}, KEEP_END};
/* a line or document: a release, a record or a package */
static const struct licit_json_keep cardinal_keep[] = {
	RELEASE_KEPT, {"releases", release_kept}, {"records", record_kept},
	{"compiledRelease", release_kept}, KEEP_END};

int licit_cardinal_read(struct licit_cardinal *c, const char *path,
                        const struct licit_reader_opts *opts,
                        licit_diag_fn diag, void *ctx, struct licit_error *err)
{
	struct licit_reader_opts o = *opts;
	o.format = LICIT_FMT_OCDS;
	o.release = take_release;
	o.release_ctx = c;
	/* what no indicator reads; an object is a release without them */
	static const char *const unread[] = {
		"parties", "contracts", "planning", "documents", "milestones", "amendments",
		"relatedProcesses", "implementation", "address", "contactPoint",
		"additionalClassifications", "description", "unit", "language", NULL};
	/* R044 reads the parties' addresses and contact points */
	static const char *const unread_r044[] = {
		"contracts", "planning", "documents", "milestones", "amendments",
		"relatedProcesses", "implementation", "additionalClassifications", "description",
		"unit", "language", NULL};
	o.release_skip = c->s->enabled[LICIT_R044] ? unread_r044 : unread;
	if (!c->s->prepare) /* prepare reads and writes much more */
		o.release_keep = cardinal_keep;
	struct licit_reader *r = licit_reader_open(path, &o, err);
	if (!r)
		return -1;
	const struct licit_row *row;
	int rc;
	while ((rc = licit_reader_next(r, &row, err)) != LICIT_EOF) {
		if (rc == LICIT_OK) /* the hook takes every release: no rows */
			continue;
		if (licit_reader_failed(r))
			break;
		licit_diag_error(diag, ctx, LICIT_ERROR, err);
	}
	licit_reader_close(r);
	return rc == LICIT_EOF ? 0 : -1;
}
