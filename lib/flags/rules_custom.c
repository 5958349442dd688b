/* The custom rules: a PCRE2 pattern on one input column ([custom.NAME]
 * sections), raised when it matches. */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

struct custom {
	const char *code, *field;
	struct rx rx;
	int col;
};

int flags_custom_new(struct licit_flags *f, struct licit_error *err)
{
	const struct licit_flags_settings *s = f->s;
	f->ncustom = s->ncustom;
	f->custom = calloc(s->ncustom + 1, sizeof *f->custom);
	if (!f->custom)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	for (size_t i = 0; i < s->ncustom; i++) {
		f->custom[i].code = s->custom[i].code;
		f->custom[i].field = s->custom[i].field;
		if (flags_rx_compile(f, &f->custom[i].rx, s->custom[i].pattern,
		                     s->custom[i].match_limit, s->custom[i].depth_limit, s->path,
		                     s->custom[i].line, "pattern", err))
			return LICIT_ERR;
	}
	return 0;
}

void flags_custom_free(struct licit_flags *f)
{
	for (size_t i = 0; f->custom && i < f->ncustom; i++)
		flags_rx_free(&f->custom[i].rx);
	free(f->custom);
}

void flags_custom_bind(struct licit_flags *f, const struct flags_header *r)
{
	for (size_t i = 0; i < f->ncustom; i++) {
		const struct mx_text name = {f->custom[i].field, f->s->custom[i].line};
		f->custom[i].col = flags_setting_col(f, r, 1, f->custom[i].code, "field", &name);
	}
}

const char *flags_custom_code(const struct licit_flags *f, size_t i)
{
	return f->custom[i].code;
}

enum licit_outcome flags_custom_eval(struct licit_flags *f, size_t i, struct frow *x,
                                     struct why *w)
{
	(void)w;
	const char *v = fx_col(x, f->custom[i].col);
	int m = *v ? flags_rx_match(f, &f->custom[i].rx, v) : -1;
	return m < 0 ? LICIT_NA : m ? LICIT_RAISED : LICIT_NOT_RAISED;
}

void flags_custom_explain(const struct licit_flags *f, size_t i, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)w;
	snprintf(o->value, sizeof o->value, "%.40s", fx_col(x, f->custom[i].col));
	snprintf(o->reason, sizeof o->reason, "%s matches the pattern", f->custom[i].field);
}

void flags_custom_report(struct licit_flags *f)
{
	for (size_t i = 0; i < f->ncustom; i++)
		flags_rx_report(f, &f->custom[i].rx, f->custom[i].code, "counted as not computable");
}

void flags_custom_add_hits(struct licit_flags *f, const struct licit_flags *job)
{
	for (size_t i = 0; i < f->ncustom; i++) {
		const struct rx *j = &job->custom[i].rx;
		if (j->hits) {
			f->custom[i].rx.hits += j->hits;
			f->custom[i].rx.error = j->error;
		}
	}
}
