/* --summary in Cardinal mode (see licit/cardinal/cardinal_summary.h). */
#include "licit/cardinal/cardinal_summary.h"
#include "indicators.h"

#include <stdlib.h>
#include <string.h>

typedef struct licit_json J;

#define MAX_REASONS 6

struct licit_cardinal_summary {
	long processes;
	long missing[LICIT_NIND];
	const char *reason[LICIT_NIND][MAX_REASONS];
	long nreason[LICIT_NIND][MAX_REASONS];
};

struct licit_cardinal_summary *licit_cardinal_summary_new(void)
{
	return calloc(1, sizeof(struct licit_cardinal_summary));
}

void licit_cardinal_summary_free(struct licit_cardinal_summary *s)
{
	free(s);
}

static const J *path(const J *v, const char *a, const char *b, const char *c)
{
	v = licit_json_get(v, a);
	if (v && b)
		v = licit_json_get(v, b);
	if (v && c)
		v = licit_json_get(v, c);
	return v;
}

static int submitted(const J *release)
{
	const J *d = path(release, "bids", "details", NULL);
	size_t i;
	const J *b;
	licit_json_foreach(d, i, b) {
		const char *st = licit_json_str(licit_json_get(b, "status"));
		if (st && strcmp(st, "invited") != 0 && strcmp(st, "withdrawn") != 0)
			return 1;
	}
	return 0;
}

static int tenderer_parties(const J *release)
{
	int n = 0;
	size_t i, j;
	const J *p, *r;
	licit_json_foreach(licit_json_get(release, "parties"), i, p)
		licit_json_foreach(licit_json_get(p, "roles"), j, r)
			if (licit_json_is_string(r) && strcmp(r->u.s, "tenderer") == 0) {
				n++;
				break;
			}
	return n;
}

static int classified_award(const J *release)
{
	size_t i, j;
	const J *a, *it;
	licit_json_foreach(licit_json_get(release, "awards"), i, a)
		licit_json_foreach(licit_json_get(a, "items"), j, it)
			if (licit_json_is_string(path(it, "classification", "id", NULL)))
				return 1;
	return 0;
}

/* ---- why a release cannot be computed, per indicator (its table entry's
 * missing) ---- */

static int has_awards(const J *release)
{
	return licit_json_is_array(licit_json_get(release, "awards"));
}

static int has_bids(const J *release)
{
	return licit_json_is_array(path(release, "bids", "details", NULL));
}

const char *card_missing_r003(const J *release)
{
	if (!licit_json_is_string(path(release, "tender", "tenderPeriod", "startDate")))
		return "no /tender/tenderPeriod/startDate";
	if (!licit_json_is_string(path(release, "tender", "tenderPeriod", "endDate")))
		return "no /tender/tenderPeriod/endDate";
	return NULL;
}

const char *card_missing_r018(const J *release)
{
	if (!licit_json_is_number(path(release, "tender", "numberOfTenderers", NULL)))
		return "no /tender/numberOfTenderers";
	if (!licit_json_is_string(path(release, "tender", "procurementMethod", NULL)))
		return "no /tender/procurementMethod";
	return NULL;
}

const char *card_missing_r030(const J *release)
{
	if (!licit_json_is_string(path(release, "tender", "tenderPeriod", "endDate")))
		return "no /tender/tenderPeriod/endDate";
	if (!has_bids(release))
		return "no /bids/details";
	return has_awards(release) ? NULL : "no /awards";
}

const char *card_missing_bids_awards(const J *release)
{
	if (!has_bids(release))
		return "no /bids/details";
	return has_awards(release) ? NULL : "no /awards";
}

const char *card_missing_submitted(const J *release)
{
	if (!has_bids(release))
		return "no /bids/details";
	return submitted(release) ? NULL : "no submitted bid (/bids/details[]/status)";
}

const char *card_missing_r048(const J *release)
{
	if (!has_awards(release))
		return "no /awards";
	return classified_award(release) ? NULL : "no /awards[]/items[]/classification/id";
}

const char *card_missing_r044(const J *release)
{
	return tenderer_parties(release) >= 2 ? NULL : "fewer than two /parties[] with role tenderer";
}

const char *licit_cardinal_missing(enum licit_cardinal_ind i, const J *release)
{
	return card_table[i]->missing ? card_table[i]->missing(release) : NULL;
}

void licit_cardinal_summary_take(struct licit_cardinal_summary *s, const int *enabled,
                                 const J *release)
{
	s->processes++;
	for (int i = 0; i < LICIT_NIND; i++) {
		const char *why = enabled[i] ? licit_cardinal_missing(i, release) : NULL;
		if (!why)
			continue;
		s->missing[i]++;
		int k = 0;
		while (k < MAX_REASONS && s->reason[i][k] && s->reason[i][k] != why)
			k++;
		if (k == MAX_REASONS)
			continue;
		s->reason[i][k] = why;
		s->nreason[i][k]++;
	}
}

void licit_cardinal_summary_write(const struct licit_cardinal_summary *s, const int *enabled,
                                  const long *flagged, const long *tenderers,
                                  const long *buyers, FILE *f)
{
	for (int i = 0; i < LICIT_NIND; i++) {
		if (!enabled[i])
			continue;
		long comp = s->processes - s->missing[i];
		fprintf(f, "%s: %ld processes: ", licit_cardinal_code(i), s->processes);
		if (card_table[i]->per_party)
			fprintf(f, "%ld computable, %ld not computable", comp, s->missing[i]);
		else
			fprintf(f, "%ld flagged, %ld not flagged, %ld not computable", flagged[i],
			        comp - flagged[i], s->missing[i]);
		for (int k = 0; k < MAX_REASONS && s->reason[i][k]; k++)
			fprintf(f, "%s%ld %s", k ? ", " : " (", s->nreason[i][k], s->reason[i][k]);
		if (s->reason[i][0])
			fputc(')', f);
		if (tenderers[i] || buyers[i])
			fprintf(f, "; flagged tenderers %ld, buyers and procuring entities %ld",
			        tenderers[i], buyers[i]);
		fputc('\n', f);
	}
}
