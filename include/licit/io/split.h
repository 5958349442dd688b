/* Cutting a delimited-text file into ranges of whole records, so that
 * several jobs can read it at once (the -j N of kpi, dedupe and flags).
 *
 * A cut is only made where it is sure to fall between two records as the
 * in-situ CSV back end reads them: the file has no CR byte, no line is
 * empty, starts with a space or holds only delimiters, spaces and quotes
 * (a record of blank fields is no row), and every quote is where a
 * quoted field opens or closes (or a "" inside one). Any other file is left
 * whole, and read by one job. */
#ifndef LICIT_SPLIT_H
#define LICIT_SPLIT_H

#include "licit/core/error.h"

struct licit_range {
	long long start, end; /* bytes [start, end) of the file; the first
	                         range starts at 0, with the header */
	long line;            /* the line its first record starts on */
	long recno;           /* the data records before it */
};

/* Cuts path (CSV with this delimiter, or TSV when tsv) into at most n
 * ranges of at least min bytes each, scanning it with up to n threads.
 * Returns how many ranges (>= 2) with *out malloc'd; 0 when the file is
 * left whole (too small, or not sure to cut: see above); -1 with err on a
 * read error. */
int licit_split_csv(const char *path, char delim, int tsv, int n, long long min,
                    struct licit_range **out, struct licit_error *err);

#endif
