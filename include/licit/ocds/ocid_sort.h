/* Grouping JSON Lines releases by ocid whatever the input order, in a
 * bounded amount of memory: release texts are kept in memory up to a
 * budget; past it, the kept ones are sorted by ocid and written to a
 * temporary file (a run), and the runs are merged at the end. Groups come
 * out in byte order of ocid, the members of a group in byte order of
 * their text, so that the result does not depend on the input order. */
#ifndef LICIT_OCID_SORT_H
#define LICIT_OCID_SORT_H

#include <stddef.h>

/* The default budget: the bytes of release text (plus a small overhead
 * per release) kept in memory before a run is written. */
#define LICIT_OCID_SORT_DEFAULT_BUDGET ((size_t)32 << 20)

struct licit_ocid_sort;

/* One release of a group: its text (not NUL-terminated) and the input
 * line it came from. */
struct licit_ocid_member {
	const char *text;
	size_t len;
	long line;
};

/* budget 0 = the default. NULL when memory runs out. */
struct licit_ocid_sort *licit_ocid_sort_new(size_t budget);
void licit_ocid_sort_free(struct licit_ocid_sort *s); /* accepts NULL */

/* Adds a release (text copied). 0, or -1 on allocation or temporary-file
 * failure (then licit_ocid_sort_error says which). */
int licit_ocid_sort_add(struct licit_ocid_sort *s, const char *ocid, size_t olen,
                        const char *text, size_t len, long line);

/* After the last add: the next group, in ocid order. Returns 1 with
 * *members and *n set (valid until the next call), 0 when there are no more
 * groups, -1 on a read or allocation failure. */
int licit_ocid_sort_next(struct licit_ocid_sort *s,
                         const struct licit_ocid_member **members, size_t *n);

/* Releases added so far, runs written so far. */
long licit_ocid_sort_count(const struct licit_ocid_sort *s);
int licit_ocid_sort_runs(const struct licit_ocid_sort *s);
/* The last failure ("cannot create a temporary file: ..."), or "". */
const char *licit_ocid_sort_error(const struct licit_ocid_sort *s);

/* Parses a memory size: digits with an optional K, M or G suffix (powers
 * of 1024). -1 if invalid. */
long long licit_parse_size(const char *s);

#endif
