/* Cardinal's --map output ("Maps"): which buyers, procuring entities and
 * tenderers each flagged contracting process involves, per indicator, in
 * Cardinal's shape:
 *   "ocid_buyer_r038": {ocid: buyer id}, "ocid_procuringentity_r038": {...},
 *   "ocid_tenderer": {ocid: [tenderer ids]} (every submitted bid's
 *   tenderers, with R025, R038 or R048), "ocid_tenderer_r024", "..._r028",
 *   "..._r030", "..._r035", "..._r058": {ocid: [the flagged tenderers]}.
 * Processes and ids in first-seen order. */
#ifndef LICIT_CARDINAL_MAP_H
#define LICIT_CARDINAL_MAP_H

#include <stdio.h>

enum licit_cmap {
	LICIT_MAP_BUYER_R038, LICIT_MAP_PE_R038, LICIT_MAP_TENDERER, LICIT_MAP_R024,
	LICIT_MAP_R028, LICIT_MAP_R030, LICIT_MAP_R035, LICIT_MAP_R058, LICIT_NMAPS
};

struct licit_cardinal_maps;

struct licit_cardinal_maps *licit_cardinal_maps_new(void);
void licit_cardinal_maps_free(struct licit_cardinal_maps *m);
/* Adds id to the set of ocid (the two R038 maps: sets ocid's one id).
 * -1 when memory runs out. */
int licit_cardinal_maps_add(struct licit_cardinal_maps *m, enum licit_cmap which,
                            const char *ocid, const char *id);
/* Writes "Maps":{...} (no comma before it). */
void licit_cardinal_maps_write(const struct licit_cardinal_maps *m, FILE *f);

#endif
