/* The engine of the Mexico rules: runs the table (licit_mx_rules) over the
 * rows, two passes (gather, then evaluate), holding per-group state only
 * in the families (lib/flags/rules.h). */
#include "rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/text.h"
#include "licit/values/value.h"

/* ---- the table -------------------------------------------------------------------- */

const struct flags_rule *const licit_mx_rules[] = {
	&mx_direct_threshold, &mx_split, &mx_supplier_share, &mx_direct_share, &mx_repeat_title,
	&mx_repeat_amount, &mx_same_day, &mx_holiday, &mx_round, &mx_long, &mx_early,
	&mx_short_period, &mx_failed_then_direct, &mx_no_rfc, &mx_sanctioned, &mx_new_company,
	&mx_scale_mismatch, &mx_bad_amount, &besa_late_payment, &besa_no_penalty,
	&besa_guarantee, &besa_unregistered, &mx_celp, NULL};

static size_t rule_ix(const struct flags_rule *r)
{
	size_t i = 0;
	while (licit_mx_rules[i] && licit_mx_rules[i] != r)
		i++;
	return i;
}

int flags_on(const struct licit_flags *f, const struct flags_rule *r)
{
	size_t i = rule_ix(r);
	return i < f->nrules && f->on[i];
}

void flags_off(struct licit_flags *f, const struct flags_rule *r)
{
	size_t i = rule_ix(r);
	if (i < f->nrules)
		f->on[i] = 0;
}

/* ---- small helpers ---------------------------------------------------------------- */

void flags_amount(double v, char *out, size_t cap) { licit_amount_format(v, out, cap); }

int flags_header_col(const struct flags_header *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (int)i;
	return -1;
}

int flags_setting_col(struct licit_flags *f, const struct flags_header *h, int on,
                      const char *code, const char *key, const struct mx_text *name)
{
	int c = flags_header_col(h, name->v);
	if (c < 0 && on && name->line && !f->col_warned)
		licit_diag(f->diag, f->dctx, LICIT_WARNING, f->s->path, name->line, key, NULL,
		           "column '%.200s' is not in %s: %s is not computable", name->v,
		           h->source, code);
	return c;
}

/* A table path: as given when absolute or present, else the file of
 * that name in the data folder when it is there, else as given (so that
 * the error names what the user wrote). */
static void table_path(const struct licit_flags_settings *s, const char *name, char *out,
                       size_t cap)
{
	snprintf(out, cap, "%s", name);
	if (name[0] == '/' || !s->data_dir || access(name, F_OK) == 0)
		return;
	char alt[1200];
	snprintf(alt, sizeof alt, "%s/%s", s->data_dir, name);
	if (access(alt, F_OK) == 0)
		snprintf(out, cap, "%s", alt);
}

int flags_table(struct licit_flags *f, const char *name, const struct licit_table_col *cols,
                int n, licit_table_row_fn fn, void *ctx, struct licit_error *err)
{
	char path[1300];
	table_path(f->s, name, path, sizeof path);
	return licit_table_load(path, cols, n, fn, ctx, NULL, err);
}

/* ---- patterns --------------------------------------------------------------------- */

int flags_rx_compile(struct licit_flags *f, struct rx *x, const char *pattern, long match_limit,
                     long depth_limit, const char *path, long line, const char *key,
                     struct licit_error *err)
{
	int ec;
	PCRE2_SIZE off;
	x->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, NULL);
	if (!x->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		return licit_error_set(err, path ? path : "", line, key,
		                       "bad pattern at offset %zu: %s", (size_t)off, (char *)msg);
	}
	(void)pcre2_jit_compile(x->re, PCRE2_JIT_COMPLETE); /* no JIT: interpreted */
	x->match_limit = match_limit;
	x->depth_limit = depth_limit;
	if (!(x->mc = pcre2_match_context_create(NULL)))
		return licit_error_set(err, "", 0, NULL, "out of memory");
	pcre2_set_match_limit(x->mc, (uint32_t)match_limit);
	pcre2_set_depth_limit(x->mc, (uint32_t)depth_limit);
	if (!f->jit_stack) /* JIT's own depth: up to 1 MiB of stack (the default is 32 KiB) */
		f->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	pcre2_jit_stack_assign(x->mc, NULL, f->jit_stack);
	return 0;
}

void flags_rx_free(struct rx *x)
{
	pcre2_match_context_free(x->mc);
	pcre2_code_free(x->re);
}

int flags_rx_match(struct licit_flags *f, struct rx *x, const char *s)
{
	int rc = pcre2_match(x->re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, f->md, x->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	x->hits++;
	x->error = rc;
	return -1;
}

void flags_rx_report(struct licit_flags *f, const struct rx *x, const char *code,
                     const char *what)
{
	if (!x->hits)
		return;
	PCRE2_UCHAR msg[128];
	pcre2_get_error_message(x->error, msg, sizeof msg);
	licit_diag(f->diag, f->dctx, LICIT_WARNING, NULL, 0, code, NULL,
	           "%lld value%s gave up at a PCRE2 limit (%s; match_limit = %ld, "
	           "depth_limit = %ld): %s",
	           x->hits, x->hits == 1 ? "" : "s", (char *)msg, x->match_limit,
	           x->depth_limit, what);
}

/* ---- a row's facts ---------------------------------------------------------------- */

long fx_day(const struct frow *x, enum licit_field f)
{
	return x->c.state[f] == LICIT_SLOT_OK ? (long)x->c.day[f] : -1;
}

const char *frow_title(struct frow *x, size_t *n)
{
	if (!x->title_done) {
		size_t tn = x->c.len[LICIT_F_TITLE];
		if (tn > sizeof x->title - 1)
			tn = sizeof x->title - 1;
		x->title_len = licit_text_fold(x->c.text[LICIT_F_TITLE], tn, x->title);
		x->title_done = 1;
	}
	*n = x->title_len;
	return x->title;
}

int frow_has_title(struct frow *x)
{
	if (x->title_done)
		return x->title_len > 0;
	const unsigned char *t = (const unsigned char *)x->c.text[LICIT_F_TITLE];
	size_t n = x->c.len[LICIT_F_TITLE];
	if (n > sizeof x->title - 1)
		n = sizeof x->title - 1; /* as frow_title reads it */
	for (size_t i = 0; i < n; i++)
		if ((unsigned)((t[i] | 32) - 'a') < 26u || (unsigned)(t[i] - '0') < 10u)
			return 1;
	size_t tn;
	frow_title(x, &tn);
	return tn > 0;
}

const char *fx_col(const struct frow *x, int c)
{
	return c >= 0 && (size_t)c < x->row->n ? x->row->v[c] : "";
}

/* The fields the rules read typed. */
#define NEED (LICIT_NEED(LICIT_F_TENDER_START) | LICIT_NEED(LICIT_F_TENDER_END) | \
              LICIT_NEED(LICIT_F_AWARD_DATE) | LICIT_NEED(LICIT_F_SIGNED_DATE) | \
              LICIT_NEED(LICIT_F_START_DATE) | LICIT_NEED(LICIT_F_END_DATE) | \
              LICIT_NEED(LICIT_F_AMOUNT) | LICIT_NEED(LICIT_F_AMOUNT_MXN) | \
              LICIT_NEED(LICIT_F_CURRENCY) | LICIT_NEED(LICIT_F_PROCEDURE_TYPE))

static int load(struct licit_flags *f, const struct licit_row *row)
{
	struct frow *x = &f->x;
	x->row = row;
	x->r = f->row++;
	x->title_done = 0;
	x->by = -1;
	if (licit_canon_load(&f->cx, row, &x->c) != LICIT_OK)
		return -1;
	x->direct = x->c.ptype == LICIT_PT_DIRECT;
	return 0;
}

/* ---- construction ----------------------------------------------------------------- */

static struct licit_flags *flags_new(const struct licit_flags_settings *s, licit_diag_fn diag,
                                     void *ctx, int job, struct licit_error *err)
{
	struct licit_flags *f = calloc(1, sizeof *f);
	if (!f) {
		licit_error_set(err, "", 0, NULL, "out of memory");
		return NULL;
	}
	f->job = job;
	f->s = s;
	f->p = s->mx;
	f->diag = diag;
	f->dctx = ctx;
	while (licit_mx_rules[f->nrules])
		f->nrules++;
	f->on = malloc(f->nrules * sizeof *f->on);
	f->fams = calloc(f->nrules, sizeof *f->fams);
	f->state = calloc(f->nrules, sizeof *f->state);
	f->rst = calloc(f->nrules, sizeof *f->rst);
	f->md = pcre2_match_data_create(4, NULL);
	if (!f->on || !f->fams || !f->state || !f->rst || !f->md)
		goto oom;
	memcpy(f->on, s->on, f->nrules * sizeof *f->on);
	/* every family once, in the order of its first rule */
	for (size_t i = 0; i < f->nrules; i++) {
		const struct flags_family *fam = licit_mx_rules[i]->family;
		size_t k = 0;
		while (k < f->nfams && f->fams[k] != fam)
			k++;
		if (k == f->nfams) {
			f->fams[f->nfams] = fam;
			if (!(f->state[f->nfams++] = calloc(1, fam->state_size)))
				goto oom;
		}
		f->rst[i] = f->state[k];
	}
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->init && f->fams[k]->init(f, f->state[k], err))
			goto fail;
	if (flags_custom_new(f, err))
		goto fail;
	size_t nr = f->nrules + f->ncustom;
	f->out = calloc(nr, sizeof *f->out);
	f->why = calloc(nr, sizeof *f->why);
	f->counts = calloc(nr, sizeof *f->counts);
	if (!f->out || !f->why || !f->counts)
		goto oom;
	return f;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
fail:
	licit_flags_free(f);
	return NULL;
}

struct licit_flags *licit_flags_new(const struct licit_flags_settings *s, licit_diag_fn diag,
                                    void *ctx, struct licit_error *err)
{
	return flags_new(s, diag, ctx, 0, err);
}

void licit_flags_free(struct licit_flags *f)
{
	if (!f)
		return;
	for (size_t k = 0; k < f->nfams; k++) {
		if (f->fams[k]->fini)
			f->fams[k]->fini(f->state[k]);
		free(f->state[k]);
	}
	flags_custom_free(f);
	licit_canon_free(&f->cx);
	pcre2_jit_stack_free(f->jit_stack);
	pcre2_match_data_free(f->md);
	free(f->fams);
	free(f->state);
	free(f->rst);
	free(f->on);
	free(f->out);
	free(f->why);
	free(f->counts);
	free(f);
}

void licit_flags_set_text(struct licit_flags *f, int on) { f->text = on; }

void licit_flags_set_threads(struct licit_flags *f, int n) { f->threads = n; }

void licit_flags_bind(struct licit_flags *f, const struct licit_reader *r)
{
	licit_flags_bind_names(f, licit_reader_header(r), licit_reader_ncols(r),
	                       licit_reader_source(r));
}

void licit_flags_bind_names(struct licit_flags *f, const char *const *names, size_t n,
                            const char *source)
{
	const struct flags_header h = {names, n, source};
	for (int i = 0; i < LICIT_NFIELDS; i++)
		f->cols.col[i] = flags_header_col(&h, licit_field_name((enum licit_field)i));
	licit_canon_free(&f->cx);
	licit_canon_init_cols(&f->cx, &f->cols, NEED); /* no interning: cannot fail */
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->bind)
			f->fams[k]->bind(f, f->state[k], &h);
	flags_custom_bind(f, &h);
	f->col_warned = 1;
}

/* The canonical fields the rules and the typed record read (the others
 * pass 2 never looks at). */
static const enum licit_field read_fields[] = {
	LICIT_F_OCID, LICIT_F_BUYER_ID, LICIT_F_BUYER_NAME, LICIT_F_PROCEDURE_TYPE,
	LICIT_F_CHARACTER, LICIT_F_CONTRACT_TYPE, LICIT_F_EXCEPTION, LICIT_F_TENDER_START,
	LICIT_F_TENDER_END, LICIT_F_AWARD_DATE, LICIT_F_SIGNED_DATE, LICIT_F_START_DATE,
	LICIT_F_END_DATE, LICIT_F_CONTRACT_ID, LICIT_F_TITLE, LICIT_F_AMOUNT, LICIT_F_CURRENCY,
	LICIT_F_AMOUNT_MXN, LICIT_F_SUPPLIER_ID, LICIT_F_SUPPLIER_NAME, LICIT_F_SUPPLIER_RFC,
	LICIT_F_SUPPLIER_SIZE, LICIT_F_SUPPLIER_SIZE_BUYER, LICIT_F_STATUS};

int licit_flags_reads(const struct licit_flags *f, const char *name)
{
	int fl = licit_field_lookup(name);
	for (size_t i = 0; fl >= 0 && i < sizeof read_fields / sizeof read_fields[0]; i++)
		if ((int)read_fields[i] == fl)
			return 1;
	const struct licit_mx_params *p = f->p;
	const struct mx_text *cols[] = {&p->col_invoice, &p->col_payment, &p->col_due,
	                                &p->col_delivered, &p->col_penalty, &p->col_guarantee};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (cols[i]->v && strcmp(cols[i]->v, name) == 0)
			return 1;
	for (size_t i = 0; i < f->ncustom; i++)
		if (strcmp(f->s->custom[i].field, name) == 0)
			return 1;
	return 0;
}

size_t licit_flags_nrules(const struct licit_flags *f) { return f->nrules + f->ncustom; }

const char *licit_flags_rule(const struct licit_flags *f, size_t i, long long counts[3])
{
	if (i < f->nrules && !f->on[i])
		return NULL;
	if (counts)
		memcpy(counts, f->counts[i], sizeof f->counts[i]);
	return i < f->nrules ? licit_mx_rules[i]->code : flags_custom_code(f, i - f->nrules);
}

/* ---- the passes ------------------------------------------------------------------- */

int licit_flags_gather(struct licit_flags *f, const struct licit_row *row)
{
	if (load(f, row))
		return -1;
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->gather && f->fams[k]->gather(f, f->state[k], &f->x) < 0)
			return -1;
	return 0;
}

int licit_flags_failed(struct licit_error *err, const char *source, long line)
{
	int e = errno;
	if (!e || e == ENOMEM)
		return licit_error_set(err, source, line, NULL, "out of memory");
	return licit_error_set(err, source, line, NULL,
	                       "temporary file (in $TMPDIR, else /tmp): %s", strerror(e));
}

int licit_flags_settle(struct licit_flags *f)
{
	f->row = 0; /* pass 2 numbers the rows again, across the inputs */
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->settle && f->fams[k]->settle(f, f->state[k]) < 0)
			return -1;
	return 0;
}

static void record(struct licit_flags *f, size_t i, const char *code, enum licit_outcome o)
{
	struct licit_flag *r = &f->out[f->nout++];
	r->code = code;
	r->outcome = o;
	r->value[0] = r->reason[0] = '\0';
	f->counts[i][o == LICIT_RAISED ? 0 : o == LICIT_NOT_RAISED ? 1 : 2]++;
}

int licit_flags_eval(struct licit_flags *f, const struct licit_row *row,
                     const struct licit_flag **out, size_t *n)
{
	f->nout = 0;
	if (load(f, row))
		return -1;
	struct frow *x = &f->x;
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->prepare)
			f->fams[k]->prepare(f, f->state[k], x);
	for (size_t i = 0; i < f->nrules; i++) {
		if (!f->on[i])
			continue;
		const struct flags_rule *r = licit_mx_rules[i];
		void *st = f->rst[i];
		struct why *w = &f->why[i];
		enum licit_outcome o = r->eval(f, st, x, w);
		record(f, i, r->code, o);
		if (o == LICIT_RAISED && f->text)
			r->explain(f, st, x, w, &f->out[f->nout - 1]);
	}
	for (size_t i = 0; i < f->ncustom; i++) {
		struct why *w = &f->why[f->nrules + i];
		enum licit_outcome o = flags_custom_eval(f, i, x, w);
		record(f, f->nrules + i, flags_custom_code(f, i), o);
		if (o == LICIT_RAISED && f->text)
			flags_custom_explain(f, i, x, w, &f->out[f->nout - 1]);
	}
	*out = f->out;
	*n = f->nout;
	return 0;
}

void licit_flags_report(struct licit_flags *f)
{
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->report)
			f->fams[k]->report(f, f->state[k]);
	flags_custom_report(f);
}

/* ---- -j N ------------------------------------------------------------------------- */

struct licit_flags *licit_flags_job_new(const struct licit_flags *f, struct licit_error *err)
{
	struct licit_flags *j = flags_new(f->s, NULL, NULL, 1, err); /* f has said it all */
	if (j)
		j->text = f->text;
	return j;
}

int licit_flags_merge(struct licit_flags *f, struct licit_flags *job, struct licit_error *err)
{
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->merge &&
		    f->fams[k]->merge(f, f->state[k], job->state[k], f->row, err) != LICIT_OK)
			return LICIT_ERR;
	f->row += job->row;
	job->row = 0;
	return LICIT_OK;
}

void licit_flags_share(struct licit_flags *job, const struct licit_flags *f)
{
	for (size_t k = 0; k < f->nfams; k++)
		if (f->fams[k]->share)
			f->fams[k]->share(job->state[k], f->state[k]);
}

long licit_flags_rows(const struct licit_flags *f) { return f->row; }

void licit_flags_set_row(struct licit_flags *f, long row) { f->row = row; }

void licit_flags_add_counts(struct licit_flags *f, const struct licit_flags *job)
{
	for (size_t i = 0; i < f->nrules + f->ncustom; i++)
		for (int k = 0; k < 3; k++)
			f->counts[i][k] += job->counts[i][k];
	flags_custom_add_hits(f, job);
}
