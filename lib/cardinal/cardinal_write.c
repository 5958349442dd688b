/* Cardinal's output object (and --summary's counts). */
#include "indicators.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "licit/cardinal/cardinal_summary.h"

static const char *const group_names[NGROUPS] = {"OCID", "Buyer", "ProcuringEntity",
                                                  "Tenderer"};

static void put_json_string(FILE *f, const char *s)
{
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(t ? t : "\"\"", f);
	free(t);
	json_decref(j);
}

int licit_cardinal_write(const struct licit_cardinal *c, FILE *f, int meta, long counts[4])
{
	/* Cardinal's key order (serde_json with preserve_order): OCID and
	 * Tenderer always exist after its reduce step, Buyer and
	 * ProcuringEntity come from finalize, then empty OCID and Tenderer
	 * are swap_removed; identifiers in insertion (input) order; Meta last. */
	int order[NGROUPS] = {G_OCID, G_TENDERER, G_BUYER, G_PE};
	int n = 2;
	for (int gi = G_BUYER; gi <= G_PE; gi++)
		if (licit_map_count(c->g[gi].ids))
			order[n++] = gi;
	for (int drop = G_OCID; drop <= G_TENDERER; drop += G_TENDERER - G_OCID)
		for (int i = 0; i < n; i++)
			if (order[i] == drop && !licit_map_count(c->g[drop].ids)) {
				order[i] = order[--n];
				break;
			}
	int first = 1;
	fputc('{', f);
	for (int gi = 0; gi < NGROUPS; gi++)
		if (counts)
			counts[gi] = (long)licit_map_count(c->g[gi].ids);
	for (int oi = 0; oi < n; oi++) {
		const struct card_group *g = &c->g[order[oi]];
		size_t ni = licit_map_count(g->ids);
		fprintf(f, "%s\"%s\":{", first ? "" : ",", group_names[order[oi]]);
		first = 0;
		for (size_t i = 0; i < ni; i++) {
			if (i)
				fputc(',', f);
			put_json_string(f, licit_map_key(g->ids, i, NULL));
			fputs(":{", f);
			int vfirst = 1;
			for (int k = 0; k < LICIT_NIND; k++) {
				double v = g->val[i * LICIT_NIND + k];
				if (isnan(v))
					continue;
				fprintf(f, "%s\"%s\":", vfirst ? "" : ",", card_table[k]->code);
				vfirst = 0;
				card_put_num(f, v);
			}
			fputc('}', f);
		}
		fputc('}', f);
	}
	if (meta) {
		fputs(first ? "\"Meta\":{" : ",\"Meta\":{", f);
		int mfirst = 1;
		for (int i = 0; i < LICIT_NIND; i++)
			if (c->settled[i] && card_table[i]->meta &&
			    card_table[i]->meta(c, c->state[i], f, mfirst ? "" : ","))
				mfirst = 0;
		fputc('}', f);
	}
	if (c->maps) { /* Cardinal adds it after Meta */
		if (!first || meta)
			fputc(',', f);
		licit_cardinal_maps_write(c->maps, f);
	}
	fputs("}\n", f);
	return c->oom ? -1 : 0;
}

void licit_cardinal_write_summary(const struct licit_cardinal *c, FILE *f)
{
	if (!c->summary)
		return;
	long n[3][LICIT_NIND] = {{0}};
	static const int groups[4] = {0, 2, 2, 1}; /* G_OCID, G_BUYER, G_PE, G_TENDERER */
	for (int gi = 0; gi < NGROUPS; gi++) {
		const struct card_group *g = &c->g[gi];
		size_t ni = licit_map_count(g->ids);
		for (size_t i = 0; i < ni; i++)
			for (int k = 0; k < LICIT_NIND; k++)
				if (!isnan(g->val[i * LICIT_NIND + k]))
					n[groups[gi]][k]++;
	}
	licit_cardinal_summary_write(c->summary, c->s->enabled, n[0], n[1], n[2], f);
}
