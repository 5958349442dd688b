/* The growable array (include/licit/core/array.h). */
#include "licit/core/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/error.h"

void *licit_zeroed(size_t n, size_t elem)
{
	if (elem && n > SIZE_MAX / elem)
		return NULL;
	size_t bytes = n * elem;
	void *p = malloc(bytes > 0 ? bytes : 1);
	if (p)
		memset(p, 0, bytes);
	return p;
}

size_t licit_grow_cap(size_t cap, size_t need, size_t elem)
{
	if (need <= cap)
		return cap;
	size_t c = cap < 16 ? 16 : cap;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return 0;
		c *= 2;
	}
	return elem && c > SIZE_MAX / elem ? 0 : c;
}

int licit_resize(void *pp, size_t old, size_t n, size_t elem)
{
	if (elem && n > SIZE_MAX / elem)
		return LICIT_ERR;
	void *p;
	memcpy(&p, pp, sizeof p);
	void *q = realloc(p, n * elem > 0 ? n * elem : 1);
	if (!q)
		return LICIT_ERR;
	if (n > old)
		memset((char *)q + old * elem, 0, (n - old) * elem);
	memcpy(pp, &q, sizeof q);
	return LICIT_OK;
}

int licit_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return LICIT_OK;
	size_t c = licit_grow_cap(*cap, need, elem);
	if (!c || licit_resize(pp, *cap, c, elem) != LICIT_OK)
		return LICIT_ERR;
	*cap = c;
	return LICIT_OK;
}
