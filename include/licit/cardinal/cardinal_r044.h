/* R044, business similarities between suppliers, as Cardinal's r044
 * branch defines it: in one contracting process, two different tenderers
 * (parties with the role "tenderer") with the same address, or the same
 * contact point, are flagged, and so is the process. */
#ifndef LICIT_CARDINAL_R044_H
#define LICIT_CARDINAL_R044_H

#include <stddef.h>

#include "licit/core/arena.h"
#include "licit/io/json.h"

/* The ids of the flagged tenderers of the release, in parties order
 * (*ids in a); 0 when none, -1 when memory runs out.
 *
 * A party's address is compared when its address object has a
 * streetAddress member: streetAddress, locality, region, postalCode and
 * countryName (those that are strings), each trimmed and lower-cased,
 * joined. Contact points are compared on the first of name, email,
 * telephone, faxNumber and url that both give as strings (Cardinal's
 * rule). Of parties with one id, the last counts. */
long licit_r044(const struct licit_json *release, struct licit_arena *a, const char ***ids);

#endif
