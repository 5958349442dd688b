/* Cardinal's settings: pipe-separated sets, defaults, and each
 * indicator's keys as its table entry gives them (typed and ranged; the
 * settings file reader checks a value against them once). */
#include "indicators.h"

#include <stdlib.h>
#include <string.h>

/* Rust's split_terminator('|'): "a|b|" gives a, b; "" gives nothing. */
int licit_strset_parse(struct licit_strset *s, const char *list)
{
	licit_strset_fini(s);
	if (!list || !*list)
		return 0;
	const char *p = list;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		/* "open | selective": blanks around an element are not part of it */
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!bar && n == 0)
			break;
		char **v = realloc(s->v, (s->n + 1) * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		if (!(v[s->n] = malloc(n + 1)))
			return -1;
		memcpy(v[s->n], p, n);
		v[s->n++][n] = '\0';
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

int licit_strset_has(const struct licit_strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 1;
	return 0;
}

void licit_strset_fini(struct licit_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void licit_cardinal_settings_init(struct licit_cardinal_settings *s)
{
	memset(s, 0, sizeof *s);
	s->r003_threshold = 15;
	s->r035_threshold = 1;
	s->r025_percentile = 75;
	s->r038_min_bids = 2;
	s->r038_min_processes = 2;
	s->r048_digits = 2;
	s->r048_min_processes = 20;
	licit_strset_parse(&s->r018_methods, "open|selective");
}

void licit_cardinal_settings_fini(struct licit_cardinal_settings *s)
{
	licit_strset_fini(&s->price_methods);
	licit_strset_fini(&s->no_price_methods);
	licit_strset_fini(&s->exclude_method_details);
	licit_strset_fini(&s->r003_methods);
	licit_strset_fini(&s->r018_methods);
	for (size_t i = 0; i < s->r003_ndetails; i++)
		free(s->r003_details[i]);
	free(s->r003_details);
	free(s->r003_details_days);
	s->r003_details = NULL;
	s->r003_details_days = NULL;
	s->r003_ndetails = 0;
}

const struct licit_cardinal_param *licit_cardinal_param(enum licit_cardinal_ind i,
                                                        const char *key)
{
	for (const struct licit_cardinal_param *p = card_table[i]->params; p->key; p++)
		if (strcmp(p->key, key) == 0)
			return p;
	return NULL;
}

int licit_cardinal_param_set(struct licit_cardinal_settings *s,
                             const struct licit_cardinal_param *p, double x, const char *list)
{
	char *field = (char *)s + p->off;
	if (p->has >= 0)
		*(int *)(void *)((char *)s + p->has) = 1;
	switch (p->type) {
	case LICIT_CP_INT: *(long *)(void *)field = (long)x; return 0;
	case LICIT_CP_REAL: *(double *)(void *)field = x; return 0;
	default: return licit_strset_parse((struct licit_strset *)(void *)field, list);
	}
}
