/* Cardinal's --map output (see licit/cardinal/cardinal_map.h): per map, ocids
 * numbered by licit_map, each with its ids numbered by another. */
#include "licit/cardinal/cardinal_map.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/array.h"
#include "licit/core/error.h"

static const char *const names[LICIT_NMAPS] = {
	"ocid_buyer_r038", "ocid_procuringentity_r038", "ocid_tenderer", "ocid_tenderer_r024",
	"ocid_tenderer_r028", "ocid_tenderer_r030", "ocid_tenderer_r035", "ocid_tenderer_r058"};

struct one {
	struct licit_map *ocids;
	struct licit_map **ids; /* per ocid */
	size_t cap;
};

struct licit_cardinal_maps {
	struct one m[LICIT_NMAPS];
};

struct licit_cardinal_maps *licit_cardinal_maps_new(void)
{
	struct licit_cardinal_maps *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	for (int i = 0; i < LICIT_NMAPS; i++)
		if (!(m->m[i].ocids = licit_map_new())) {
			licit_cardinal_maps_free(m);
			return NULL;
		}
	return m;
}

void licit_cardinal_maps_free(struct licit_cardinal_maps *m)
{
	if (!m)
		return;
	for (int i = 0; i < LICIT_NMAPS; i++) {
		size_t n = m->m[i].ocids ? licit_map_count(m->m[i].ocids) : 0;
		for (size_t k = 0; k < n; k++)
			licit_map_free(m->m[i].ids[k]);
		free(m->m[i].ids);
		licit_map_free(m->m[i].ocids);
	}
	free(m);
}

int licit_cardinal_maps_add(struct licit_cardinal_maps *m, enum licit_cmap which,
                            const char *ocid, const char *id)
{
	struct one *o = &m->m[which];
	int added;
	long k = licit_map_put(o->ocids, ocid, strlen(ocid), &added);
	if (k < 0)
		return -1;
	if ((size_t)k >= o->cap && LICIT_GROW(o->ids, o->cap, (size_t)k + 1) != LICIT_OK)
		return -1;
	if (added)
		o->ids[k] = NULL;
	if (which <= LICIT_MAP_PE_R038) { /* one id per process: the last */
		licit_map_free(o->ids[k]);
		o->ids[k] = NULL;
	}
	if (!o->ids[k] && !(o->ids[k] = licit_map_new()))
		return -1;
	return licit_map_put(o->ids[k], id, strlen(id), NULL) < 0 ? -1 : 0;
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
		                : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
		if (e)
			fputs(e, f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void licit_cardinal_maps_write(const struct licit_cardinal_maps *m, FILE *f)
{
	fputs("\"Maps\":{", f);
	for (int i = 0; i < LICIT_NMAPS; i++) {
		const struct one *o = &m->m[i];
		fprintf(f, "%s\"%s\":{", i ? "," : "", names[i]);
		size_t n = licit_map_count(o->ocids);
		for (size_t k = 0; k < n; k++) {
			if (k)
				fputc(',', f);
			put_string(f, licit_map_key(o->ocids, k, NULL));
			fputc(':', f);
			size_t ni = licit_map_count(o->ids[k]);
			if (i <= LICIT_MAP_PE_R038) {
				put_string(f, licit_map_key(o->ids[k], 0, NULL));
				continue;
			}
			fputc('[', f);
			for (size_t j = 0; j < ni; j++) {
				if (j)
					fputc(',', f);
				put_string(f, licit_map_key(o->ids[k], j, NULL));
			}
			fputc(']', f);
		}
		fputc('}', f);
	}
	fputc('}', f);
}
