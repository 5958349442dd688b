/* Filling struct licit_error; sending struct licit_diag. */
#include "licit/core/error.h"

#include <stdio.h>
#include <string.h>

void licit_error_clear(struct licit_error *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

int licit_error_set(struct licit_error *e, const char *source, long line,
                    const char *field, const char *fmt, ...)
{
	if (!e)
		return LICIT_ERR;
	snprintf(e->source, sizeof e->source, "%s", source ? source : "");
	e->line = line;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	return LICIT_ERR;
}

void licit_diag(licit_diag_fn fn, void *ctx, enum licit_severity severity,
                const char *source, long line, const char *field, const char *value,
                const char *fmt, ...)
{
	if (!fn)
		return;
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct licit_diag d = {severity, source, line, field, value, text};
	fn(ctx, &d);
}

void licit_diag_error(licit_diag_fn fn, void *ctx, enum licit_severity severity,
                      const struct licit_error *e)
{
	if (!fn || !e)
		return;
	struct licit_diag d = {severity, e->source[0] ? e->source : NULL, e->line,
	                       e->field[0] ? e->field : NULL, NULL, e->text};
	fn(ctx, &d);
}

const char *licit_severity_name(enum licit_severity s)
{
	return s == LICIT_NOTE ? "note" : s == LICIT_WARNING ? "warning" : "error";
}
