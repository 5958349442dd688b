/* Compressed and archived inputs: gzip, zstd, xz and bzip2 streams and zip
 * archives (libarchive), recognised from their first bytes. The reader
 * decodes them below its pull API, so every tool reads them unchanged; a
 * zip member is named "ARCHIVE:MEMBER" ("bulk.zip:2015.csv", and
 * "-:2015.csv" for a zip on standard input). */
#ifndef LICIT_UNPACK_H
#define LICIT_UNPACK_H

#include <stddef.h>

#include "licit/core/error.h"

/* Expands one input operand: a zip archive (not a spreadsheet) becomes
 * one name per file it holds, "path:member", in archive order; any other
 * path, and one that cannot be read (the reader reports it when it opens
 * it), is kept as it is. A zip on standard input ("-") is copied to a
 * temporary file first so that each member can be read. Returns the
 * number of names in *out (malloc'd, strings too; free with
 * licit_unpack_free), or -1 when out of memory. */
int licit_unpack_expand(const char *path, char ***out);
void licit_unpack_free(char **names, int n);
/* licit_unpack_expand over n operands: the names, in order, in *out
 * (NULL-terminated; free with licit_unpack_free); -1 when out of memory. */
int licit_unpack_expand_all(char *const *in, int n, char ***out);

/* The file an input name reads: for "ARCHIVE:MEMBER" (when no file has
 * that whole name) the archive, copied into buf; else name itself. So
 * that an output is never the archive an input comes from. */
const char *licit_unpack_archive(const char *name, char *buf, size_t cap);

/* 1 when standard input was a zip or spreadsheet and has been copied to a
 * temporary file: every later open of "-" reads that copy from its start,
 * so a tool that reads "-" twice needs no spool of its own. */
int licit_unpack_stdin_copied(void);

#endif
