/* The typed canonical record (see licit/record/canon.h): each needed field
 * read once into its slot, then the fallback rules applied, once. */
#include "licit/record/canon.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/io/reader.h"
#include "licit/values/value.h"

static const char *const ptype_names[] = {"", "open", "selective", "limited", "direct", ""};
static const char *const ctype_names[] = {"", "goods", "services", "works", ""};

const char *licit_ptype_name(enum licit_ptype t)
{
	return (unsigned)t < sizeof ptype_names / sizeof *ptype_names ? ptype_names[t] : "";
}

const char *licit_ctype_name(enum licit_ctype t)
{
	return (unsigned)t < sizeof ctype_names / sizeof *ctype_names ? ctype_names[t] : "";
}

int licit_canon_init_cols(struct licit_canon_ctx *cx, const struct licit_cols *cols, uint64_t need)
{
	memset(cx, 0, sizeof *cx);
	cx->need = need;
	licit_canon_bind(cx, cols);
	if (need & LICIT_NEED_INTERN) {
		cx->buyers = licit_map_new();
		cx->suppliers = licit_map_new();
		if (!cx->buyers || !cx->suppliers) {
			licit_canon_free(cx);
			return LICIT_ERR;
		}
	}
	return LICIT_OK;
}

void licit_canon_bind(struct licit_canon_ctx *cx, const struct licit_cols *cols)
{
	cx->cols = *cols;
	cx->nhave = cx->nlack = cx->ntyped = 0;
	cx->maxcol = 0;
	cx->ordered = 1;
	for (int f = 0; f < LICIT_NFIELDS; f++) {
		cx->type[f] = (uint8_t)licit_field_type((enum licit_field)f);
		cx->ordered &= cols->col[f] == f;
		if (cols->col[f] < 0) {
			cx->lack[cx->nlack++] = (uint8_t)f;
			continue;
		}
		cx->have[cx->nhave++] = (uint8_t)f;
		if ((size_t)cols->col[f] > cx->maxcol)
			cx->maxcol = (size_t)cols->col[f];
		if (cx->need & LICIT_NEED(f))
			cx->typed[cx->ntyped++] = (uint8_t)f;
	}
}

int licit_canon_init(struct licit_canon_ctx *cx, const struct licit_reader *r, uint64_t need)
{
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	return licit_canon_init_cols(cx, &cols, need);
}

void licit_canon_free(struct licit_canon_ctx *cx)
{
	licit_map_free(cx->buyers);
	licit_map_free(cx->suppliers);
	cx->buyers = cx->suppliers = NULL;
}

/* ---- the slots ------------------------------------------------------------ */

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A plain decimal ("-12.50"): the grammar of licit_parse_number. With at
 * most 15 significant digits and 22 decimals, units and 10^scale are both
 * exact doubles, so one division gives the correctly rounded value, the
 * same as strtod's. 0, or -1 not a plain decimal, -2 beyond a double. */
static int decimal(const char *s, size_t n, struct licit_decimal *d)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	uint64_t u = 0;
	int digits = 0, scale = 0;
	size_t start = i;
	unsigned c;
	/* the whole part, then after one '.' (not first, not last) the fraction */
	for (; i < n && (c = (unsigned char)s[i] - '0') <= 9; i++) {
		digits += digits || c; /* leading zeros are not digits */
		if (digits <= 18)
			u = u * 10 + c;
	}
	if (i < n) {
		if (s[i] != '.' || i == start || i + 1 >= n)
			return -1;
		for (i++; i < n; i++, scale++) {
			if ((c = (unsigned char)s[i] - '0') > 9)
				return -1;
			digits += digits || c;
			if (digits <= 18)
				u = u * 10 + c;
		}
	}
	if (i == start)
		return -1;
	d->exact = digits <= 18;
	d->scale = (uint8_t)(scale > 255 ? 255 : scale);
	d->units = d->exact ? (neg ? -(int64_t)u : (int64_t)u) : 0;
	if (digits <= 15 && scale <= 22) {
		double v = (double)u / pow10_exact[scale];
		d->value = neg ? -v : v;
		return 0;
	}
	/* the slow path: strtod on a NUL-terminated copy (the row's values are
	 * NUL-terminated, so the text itself serves) */
	char *end;
	double v = strtod(s, &end);
	if (!(v <= DBL_MAX && v >= -DBL_MAX))
		return -2;
	d->value = v;
	return 0;
}

static int day_of(const char *s, size_t n, int32_t *out)
{
	long d;
	if (n != 10 || licit_date_days(s, &d) != 0)
		return -1;
	*out = (int32_t)d;
	return 0;
}

static int count_of(const char *s, size_t n, int64_t max, int64_t *out)
{
	if (!n || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return -1;
		v = v * 10 + c;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* (the names' first letters differ: one comparison a row) */
static enum licit_ptype ptype_of(const char *s)
{
	enum licit_ptype t = s[0] == 'o'   ? LICIT_PT_OPEN
	                     : s[0] == 's' ? LICIT_PT_SELECTIVE
	                     : s[0] == 'l' ? LICIT_PT_LIMITED
	                     : s[0] == 'd' ? LICIT_PT_DIRECT
	                                   : LICIT_PT_OTHER;
	return t != LICIT_PT_OTHER && strcmp(s, ptype_names[t]) == 0 ? t : LICIT_PT_OTHER;
}

static enum licit_ctype ctype_of(const char *s)
{
	enum licit_ctype t = s[0] == 'g'   ? LICIT_CT_GOODS
	                     : s[0] == 's' ? LICIT_CT_SERVICES
	                     : s[0] == 'w' ? LICIT_CT_WORKS
	                                   : LICIT_CT_OTHER;
	return t != LICIT_CT_OTHER && strcmp(s, ctype_names[t]) == 0 ? t : LICIT_CT_OTHER;
}

static uint32_t currency_of(const char *s, size_t n)
{
	if (n != 3)
		return LICIT_CUR_OTHER;
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return LICIT_CUR_OTHER;
	return LICIT_CUR(s[0], s[1], s[2]);
}

/* Reads field f's text into its typed slot; 0 ok, -1 bad. */
static int typed(struct licit_canon *c, int f, enum licit_type t)
{
	const char *s = c->text[f];
	size_t n = c->len[f];
	int64_t v;
	switch (t) {
	case LICIT_T_DATE:
		return day_of(s, n, &c->day[f]);
	case LICIT_T_AMOUNT:
		return decimal(s, n, f == LICIT_F_AMOUNT ? &c->amount : &c->amount_mxn) ? -1 : 0;
	case LICIT_T_CURRENCY:
		c->currency = currency_of(s, n);
		return c->currency == LICIT_CUR_OTHER ? -1 : 0;
	case LICIT_T_PROCTYPE:
		c->ptype = ptype_of(s);
		return c->ptype == LICIT_PT_OTHER ? -1 : 0;
	case LICIT_T_CONTRACT_TYPE:
		c->ctype = ctype_of(s);
		return c->ctype == LICIT_CT_OTHER ? -1 : 0;
	case LICIT_T_COUNT:
		if (f == LICIT_F_N_TENDERERS) {
			if (count_of(s, n, 100000, &v))
				return -1;
			c->n_tenderers = (int32_t)v;
		} else {
			if (count_of(s, n, (int64_t)LICIT_COUNT_MAX, &v))
				return -1;
			c->source_line = v;
		}
		return 0;
	case LICIT_T_FLAG: {
		if (n != 1 || (s[0] != '0' && s[0] != '1'))
			return -1;
		int8_t b = (int8_t)(s[0] - '0');
		if (f == LICIT_F_FRAMEWORK)
			c->framework = b;
		else if (f == LICIT_F_CONSOLIDATED)
			c->consolidated = b;
		else if (f == LICIT_F_MULTIYEAR)
			c->multiyear = b;
		else
			c->test = b;
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- the fallback rules ------------------------------------------------------ */

static const enum licit_field chain[LICIT_DATED_BY] = {LICIT_F_SIGNED_DATE, LICIT_F_AWARD_DATE,
                                                      LICIT_F_START_DATE};

const enum licit_field *licit_canon_dated_by(void)
{
	return chain;
}

static void dated_by(struct licit_canon *c)
{
	c->date = LICIT_NO_DAY;
	c->year = 0;
	c->date_field = -1;
	for (int i = 0; i < LICIT_DATED_BY; i++) {
		int f = chain[i];
		if (!c->len[f])
			continue;
		c->date_field = f;
		if (c->state[f] == LICIT_SLOT_OK) {
			c->date = c->day[f];
			const char *s = c->text[f];
			c->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		}
		return;
	}
}

static void amounts(struct licit_canon *c)
{
	int cur_mxn = c->currency == LICIT_CUR_MXN;
	c->has_mxn = c->has_amt = 0;
	c->amt_field = -1;
	if (c->state[LICIT_F_AMOUNT_MXN] == LICIT_SLOT_OK) {
		c->has_mxn = c->has_amt = 1;
		c->mxn = c->amt = c->amount_mxn.value;
		c->amt_cur = LICIT_CUR_MXN;
		c->amt_field = LICIT_F_AMOUNT_MXN;
		return;
	}
	if (c->len[LICIT_F_AMOUNT_MXN]) {
		/* a bad amount_mxn is not replaced by amount: the row's peso
		 * amount is unknown */
		c->amt_field = LICIT_F_AMOUNT_MXN;
		return;
	}
	if (c->state[LICIT_F_AMOUNT] == LICIT_SLOT_OK) {
		c->has_amt = 1;
		c->amt = c->amount.value;
		c->amt_cur = c->currency;
		c->amt_field = LICIT_F_AMOUNT;
		if (cur_mxn) {
			c->has_mxn = 1;
			c->mxn = c->amt;
		}
	} else if (c->len[LICIT_F_AMOUNT]) {
		c->amt_field = LICIT_F_AMOUNT;
	}
}

static void key(struct licit_canon *c, int id, int name, const char **k, uint32_t *kl)
{
	int f = c->len[id] ? id : name;
	*k = c->text[f];
	*kl = c->len[f];
}

static int intern(struct licit_map *m, const char *k, uint32_t n, int32_t *ix)
{
	*ix = -1;
	if (!m || !n)
		return LICIT_OK;
	long i = licit_map_put(m, k, n, NULL);
	if (i < 0)
		return LICIT_ERR;
	*ix = (int32_t)i;
	return LICIT_OK;
}

int licit_canon_load(struct licit_canon_ctx *cx, const struct licit_row *row,
                     struct licit_canon *c)
{
	static const int dates[] = {LICIT_F_TENDER_START, LICIT_F_TENDER_END, LICIT_F_AWARD_DATE,
	                            LICIT_F_SIGNED_DATE,  LICIT_F_START_DATE, LICIT_F_END_DATE};
	c->currency = 0;
	c->ptype = LICIT_PT_NONE;
	c->ctype = LICIT_CT_NONE;
	c->n_tenderers = -1;
	c->framework = c->consolidated = c->multiyear = c->test = -1;
	c->source_line = -1;
	memset(c->state, LICIT_SLOT_EMPTY, sizeof c->state);
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
		c->day[dates[i]] = LICIT_NO_DAY;
	for (int k = 0; k < cx->nlack; k++) {
		c->text[cx->lack[k]] = "";
		c->len[cx->lack[k]] = 0;
	}
	if (row->len && cx->ordered && row->n >= LICIT_NFIELDS) { /* a canonical file's row */
		memcpy(c->text, row->v, sizeof c->text);
		for (int f = 0; f < LICIT_NFIELDS; f++)
			c->len[f] = (uint32_t)row->len[f];
	} else if (row->len && cx->maxcol < row->n) { /* the usual row: no checks per field */
		for (int k = 0; k < cx->nhave; k++) {
			int f = cx->have[k], i = cx->cols.col[f];
			c->text[f] = row->v[i];
			c->len[f] = (uint32_t)row->len[i];
		}
	} else {
		for (int k = 0; k < cx->nhave; k++) {
			int f = cx->have[k];
			size_t i = (size_t)cx->cols.col[f];
			c->text[f] = i < row->n ? row->v[i] : "";
			c->len[f] = i >= row->n ? 0 : (uint32_t)(row->len ? row->len[i] : strlen(row->v[i]));
		}
	}
	for (int k = 0; k < cx->ntyped; k++) {
		int f = cx->typed[k];
		if (c->len[f])
			c->state[f] = typed(c, f, (enum licit_type)cx->type[f]) ? LICIT_SLOT_BAD
			                                                         : LICIT_SLOT_OK;
	}
	if (c->state[LICIT_F_CURRENCY] == LICIT_SLOT_EMPTY)
		c->currency = LICIT_CUR_MXN; /* an empty currency is MXN */
	dated_by(c);
	amounts(c);
	key(c, LICIT_F_BUYER_ID, LICIT_F_BUYER_NAME, &c->buyer, &c->buyer_len);
	key(c, LICIT_F_SUPPLIER_ID, LICIT_F_SUPPLIER_NAME, &c->supplier, &c->supplier_len);
	if (intern(cx->buyers, c->buyer, c->buyer_len, &c->buyer_ix) ||
	    intern(cx->suppliers, c->supplier, c->supplier_len, &c->supplier_ix))
		return LICIT_ERR;
	return LICIT_OK;
}

const char *licit_canon_why(const struct licit_canon *c, enum licit_field f)
{
	if ((unsigned)f >= LICIT_NFIELDS || c->state[f] != LICIT_SLOT_BAD)
		return NULL;
	switch (licit_field_type(f)) {
	case LICIT_T_DATE:
		return "not a YYYY-MM-DD date";
	case LICIT_T_AMOUNT: {
		struct licit_decimal d;
		return decimal(c->text[f], c->len[f], &d) == -2 ? "beyond the range of a double"
		                                                : "not a plain decimal number";
	}
	case LICIT_T_CURRENCY:
		return "not a three-letter currency code";
	case LICIT_T_PROCTYPE:
		return "not open, selective, limited or direct";
	case LICIT_T_CONTRACT_TYPE:
		return "not goods, services or works";
	case LICIT_T_COUNT:
		return f == LICIT_F_N_TENDERERS ? "not a whole number 0 to 100000"
		                                : "not a whole number 0 to 10^15";
	case LICIT_T_FLAG:
		return "not 1 or 0";
	default:
		return NULL;
	}
}

static const char *key_of(const struct licit_map *m, int32_t i, size_t *len)
{
	if (!m || i < 0 || (size_t)i >= licit_map_count(m)) {
		if (len)
			*len = 0;
		return "";
	}
	return licit_map_key(m, (size_t)i, len);
}

const char *licit_canon_buyer(const struct licit_canon_ctx *cx, int32_t i, size_t *len)
{
	return key_of(cx->buyers, i, len);
}

const char *licit_canon_supplier(const struct licit_canon_ctx *cx, int32_t i, size_t *len)
{
	return key_of(cx->suppliers, i, len);
}
