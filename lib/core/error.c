/* Filling struct licit_error. */
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
