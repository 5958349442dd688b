/* Raw JSON lines: for the tools that read each line as Cardinal does
 * (licit coverage, licit prepare), the reader's input stack (files,
 * standard input, compressed and zipped input, BOM) without its parsing. */
#include "reader_impl.h"

#include <errno.h>
#include <string.h>

#include "licit/io/json.h"

int lines_detect(const struct input *in)
{
	size_t i = in->pos;
	while (i < in->len && (in->buf[i] == ' ' || in->buf[i] == '\t' ||
	                       in->buf[i] == '\r' || in->buf[i] == '\n'))
		i++;
	if (i == in->len || in->buf[i] == '{' || in->buf[i] == '[')
		return 1;
	const char *nl = memchr(in->buf + i, '\n', in->len - i);
	size_t n = nl ? (size_t)(nl - (in->buf + i)) : in->len - i;
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	struct licit_json_error je;
	/* text that is JSON but for bytes that are not UTF-8 is JSON too */
	int json = licit_json_parse(in->buf + i, n, &a, NULL, &je) != NULL || je.utf8;
	licit_arena_fini(&a);
	return json;
}

int lines_open(struct licit_reader *r, struct licit_error *err)
{
	static const char *const names[] = {"line"};
	r->raw = 1;
	r->format = LICIT_FMT_JSONL;
	if (reader_set_header(r, names, NULL, 1) < 0)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	return LICIT_OK;
}

int licit_reader_is_raw(const struct licit_reader *r)
{
	return r->raw;
}

int licit_reader_line(struct licit_reader *r, const char **s, size_t *n, long *line,
                      struct licit_error *err)
{
	if (!r->raw)
		return licit_error_set(err, r->source, 0, NULL, "input is not raw JSON lines");
	if (r->failed)
		return licit_error_set(err, r->source, r->raw_line, NULL,
		                       "input unreadable after an earlier error");
	int rc = input_line(&r->in, s, n);
	if (rc < 0) {
		r->failed = 1;
		return licit_error_set(err, r->source, r->raw_line + 1, NULL, "read error: %s",
		                       input_error(errno));
	}
	if (rc == 1)
		return LICIT_EOF;
	*line = ++r->raw_line;
	return reader_abort_mark(r, *s, *n, *line, err);
}
