/* Compressed and archived inputs under the reader: the first bytes say
 * what a stream is (gzip, zstd, xz, bzip2, zip); zlib (gzip: libarchive
 * does not check a gzip's CRC) or libarchive decodes it and a stdio stream
 * (fopencookie) hands the decoded bytes to the back ends, which read it as
 * they read a plain file. */
#define _GNU_SOURCE /* fopencookie */
#include "reader_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "archive_lib.h"
#include "licit/io/unpack.h"

enum packing { PACK_NONE, PACK_GZIP, PACK_STREAM, PACK_ZIP };

static enum packing packing_of(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1F && b[1] == 0x8B)
		return PACK_GZIP;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD)
		return PACK_STREAM; /* zstd */
	if (n >= 6 && memcmp(b, "\xFD" "7zXZ\0", 6) == 0)
		return PACK_STREAM; /* xz */
	if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9')
		return PACK_STREAM; /* bzip2 */
	if (n >= 4 && b[0] == 'P' && b[1] == 'K' &&
	    ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6) || (b[2] == 7 && b[3] == 8)))
		return PACK_ZIP;
	return PACK_NONE;
}

/* ---- libarchive over a FILE whose first bytes were already read -------- */

struct unpacked {
	const struct licit_la *la; /* libarchive's functions */
	struct archive *a;
	FILE *src;
	int owned;
	char *prefix;      /* bytes read from src before the decoder existed */
	size_t plen, ppos;
	int src_errno;     /* a read error of src */
	char buf[1 << 16];
};

static la_ssize_t src_read(struct archive *a, void *c, const void **out)
{
	(void)a;
	struct unpacked *u = c;
	if (u->ppos < u->plen) {
		*out = u->prefix + u->ppos;
		size_t n = u->plen - u->ppos;
		u->ppos = u->plen;
		return (la_ssize_t)n;
	}
	size_t n = fread(u->buf, 1, sizeof u->buf, u->src);
	if (n == 0 && ferror(u->src)) {
		u->src_errno = errno ? errno : EIO;
		u->la->set_error(a, u->src_errno, "read error: %s", strerror(u->src_errno));
		return -1;
	}
	*out = u->buf;
	return (la_ssize_t)n;
}

static void unpacked_free(struct unpacked *u)
{
	if (!u)
		return;
	if (u->a)
		u->la->read_free(u->a);
	if (u->owned && u->src)
		fclose(u->src);
	free(u->prefix);
	free(u);
}

static ssize_t cookie_read(void *c, char *buf, size_t size)
{
	struct unpacked *u = c;
	la_ssize_t n = u->la->read_data(u->a, buf, size);
	if (n < 0) {
		/* the source's own read error, else "Bad message": corrupt data */
		errno = u->src_errno ? u->src_errno : EBADMSG;
		return -1;
	}
	return (ssize_t)n;
}

static int cookie_close(void *c)
{
	unpacked_free(c);
	return 0;
}

static FILE *as_stream(struct unpacked *u, const char *name, struct licit_error *err)
{
	FILE *f = fopencookie(u, "r", (cookie_io_functions_t){
		.read = cookie_read, .close = cookie_close});
	if (!f) {
		licit_error_set(err, name, 0, NULL, "out of memory");
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

static struct unpacked *unpacked_new(FILE *src, int owned, const char *prefix, size_t n,
                                     enum packing k, const char *name,
                                     struct licit_error *err)
{
	struct licit_error why;
	const struct licit_la *la =
		licit_la_load(k == PACK_ZIP ? "zip input" : "compressed input", &why);
	if (!la) {
		licit_error_set(err, name, 0, NULL, "%s", why.text);
		return NULL;
	}
	struct unpacked *u = calloc(1, sizeof *u);
	if (!u || (n && !(u->prefix = malloc(n)))) {
		free(u);
		licit_error_set(err, name, 0, NULL, "out of memory");
		return NULL;
	}
	if (n)
		memcpy(u->prefix, prefix, n);
	u->plen = n;
	u->src = src;
	u->la = la;
	u->a = la->read_new();
	if (!u->a) {
		u->src = NULL;
		unpacked_free(u);
		licit_error_set(err, name, 0, NULL, "out of memory");
		return NULL;
	}
	if (k == PACK_ZIP) {
		la->read_support_format_zip(u->a);
	} else {
		la->read_support_filter_all(u->a);
		la->read_support_format_raw(u->a);
	}
	if (la->read_open2(u->a, u, NULL, src_read, NULL, NULL) != ARCHIVE_OK) {
		licit_error_set(err, name, 0, NULL, "cannot read the compressed input: %s",
		                la->error_string(u->a));
		u->src = NULL;
		unpacked_free(u);
		return NULL;
	}
	u->owned = owned; /* from here on, closing u closes src */
	return u;
}

/* ---- gzip through zlib, which checks each member's CRC and length ---------- */

struct gunzip {
	z_stream z;
	FILE *src;
	int owned;
	char *prefix;
	size_t plen;
	int fed_prefix, member_done, done;
	unsigned char in[1 << 16];
};

static void gunzip_free(struct gunzip *g)
{
	inflateEnd(&g->z);
	if (g->owned)
		fclose(g->src);
	free(g->prefix);
	free(g);
}

/* More input; 0 at the end of the file, -1 on a read error. */
static int gunzip_feed(struct gunzip *g)
{
	if (!g->fed_prefix) {
		g->fed_prefix = 1;
		g->z.next_in = (unsigned char *)g->prefix;
		g->z.avail_in = (uInt)g->plen;
		return g->plen > 0 || gunzip_feed(g);
	}
	size_t n = fread(g->in, 1, sizeof g->in, g->src);
	if (n == 0 && ferror(g->src))
		return -1;
	g->z.next_in = g->in;
	g->z.avail_in = (uInt)n;
	return n > 0;
}

static ssize_t gunzip_read(void *c, char *buf, size_t size)
{
	struct gunzip *g = c;
	if (size > 1u << 30)
		size = 1u << 30;
	g->z.next_out = (unsigned char *)buf;
	g->z.avail_out = (uInt)size;
	while (!g->done && g->z.avail_out == size) {
		if (g->z.avail_in == 0) {
			int f = gunzip_feed(g);
			if (f < 0)
				return -1; /* errno from the source */
			if (f == 0) {
				if (!g->member_done) {
					errno = EBADMSG; /* cut short */
					return -1;
				}
				g->done = 1;
				break;
			}
		}
		if (g->member_done) {
			/* another member may follow (concatenated gzip files);
			 * anything else after one is ignored, as gzip does */
			if (g->z.next_in[0] != 0x1F) {
				g->done = 1;
				break;
			}
			inflateReset(&g->z);
			g->member_done = 0;
		}
		int rc = inflate(&g->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			g->member_done = 1;
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			errno = EBADMSG; /* corrupt data, or a CRC or length mismatch */
			return -1;
		}
	}
	return (ssize_t)(size - g->z.avail_out);
}

static int gunzip_close(void *c)
{
	gunzip_free(c);
	return 0;
}

/* A member that holds data: not a folder, nor a file an archiver adds. */
static int data_member(const struct unpacked *u, struct archive_entry *e)
{
	const char *p = u->la->entry_pathname(e);
	if (!p || u->la->entry_filetype(e) != AE_IFREG)
		return 0;
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	return *base && *base != '.' && strncmp(p, "__MACOSX/", 9) != 0;
}

static int is_xlsx_member(const char *p)
{
	return strcmp(p, "xl/workbook.xml") == 0;
}

/* The data members of a zip read from a seekable f (left at its start);
 * *xlsx set when it is a spreadsheet. -1 with err filled on failure. */
static int zip_list(FILE *f, const char *name, char ***names, int *xlsx,
                    struct licit_error *err)
{
	*names = NULL;
	*xlsx = 0;
	rewind(f);
	struct unpacked *u = unpacked_new(f, 0, NULL, 0, PACK_ZIP, name, err);
	if (!u)
		return -1;
	int n = 0, rc = 0;
	struct archive_entry *e;
	int st;
	while ((st = u->la->read_next_header(u->a, &e)) == ARCHIVE_OK) {
		if (is_xlsx_member(u->la->entry_pathname(e)))
			*xlsx = 1;
		if (!data_member(u, e))
			continue;
		char **p = realloc(*names, (size_t)(n + 1) * sizeof *p);
		if (!p || !(p[n] = strdup(u->la->entry_pathname(e)))) {
			if (p)
				*names = p;
			rc = licit_error_set(err, name, 0, NULL, "out of memory");
			break;
		}
		*names = p;
		n++;
	}
	if (rc == 0 && st != ARCHIVE_EOF)
		rc = licit_error_set(err, name, 0, NULL, "unreadable zip archive: %s",
		                     u->la->error_string(u->a));
	unpacked_free(u);
	rewind(f);
	if (rc) {
		licit_unpack_free(*names, n);
		*names = NULL;
		return -1;
	}
	return n;
}

void licit_unpack_free(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- standard input ------------------------------------------------------ */

/* A zip on standard input, copied to a temporary file (a zip is read from
 * its end); shared by every "-:member" source of the process. */
static FILE *stdin_copy;

/* The first n bytes of f, put back (glibc keeps them in the buffer). */
static size_t peek(FILE *f, unsigned char *b, size_t n)
{
	size_t got = fread(b, 1, n, f);
	for (size_t i = got; i > 0; i--)
		if (ungetc(b[i - 1], f) == EOF)
			return 0;
	return got;
}

/* A seekable copy of f's remaining bytes (prefix first); NULL on failure. */
static FILE *spool(FILE *f, const char *prefix, size_t n)
{
	FILE *t = tmpfile();
	if (!t)
		return NULL;
	char buf[1 << 16];
	size_t k;
	if (n && fwrite(prefix, 1, n, t) != n)
		goto fail;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, k, t) != k)
			goto fail;
	if (ferror(f) || fflush(t) != 0)
		goto fail;
	rewind(t);
	return t;
fail:
	fclose(t);
	return NULL;
}

int licit_unpack_stdin_copied(void)
{
	return stdin_copy != NULL;
}

static FILE *stdin_zip(void)
{
	if (!stdin_copy)
		stdin_copy = spool(stdin, NULL, 0);
	return stdin_copy;
}

static int regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- expanding operands --------------------------------------------------- */

static int keep(const char *path, char ***out)
{
	*out = malloc(sizeof **out);
	if (!*out || !((*out)[0] = strdup(path))) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 1;
}

int licit_unpack_expand(const char *path, char ***out)
{
	int std = strcmp(path, "-") == 0;
	unsigned char magic[4];
	/* a pipe given by name (<(zcat ...)) is not peeked: its bytes
	 * would be gone when the reader opens it */
	if (!std && !regular_file(path))
		return keep(path, out);
	FILE *f = std ? stdin : fopen(path, "rb");
	if (!f)
		return keep(path, out);
	size_t got = std ? (stdin_copy ? 0 : peek(f, magic, 4)) : fread(magic, 1, 4, f);
	if ((!std || !stdin_copy) && packing_of(magic, got) != PACK_ZIP) {
		if (!std)
			fclose(f);
		return keep(path, out);
	}
	FILE *z = std ? stdin_zip() : f;
	char **names = NULL;
	int xlsx = 0;
	struct licit_error err;
	int n = z ? zip_list(z, path, &names, &xlsx, &err) : -1;
	if (!std)
		fclose(f);
	if (n <= 0 || xlsx) {
		licit_unpack_free(names, n);
		return keep(path, out);
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(path) + 1 + strlen(names[i]) + 1;
		char *full = malloc(len);
		if (!full) {
			licit_unpack_free(names, n);
			return -1;
		}
		snprintf(full, len, "%s:%s", path, names[i]);
		free(names[i]);
		names[i] = full;
	}
	*out = names;
	return n;
}

int licit_unpack_expand_all(char *const *in, int n, char ***out)
{
	char **all = calloc(1, sizeof *all);
	int total = 0;
	for (int i = 0; all && i < n; i++) {
		char **one = NULL;
		int k = licit_unpack_expand(in[i], &one);
		char **p = k < 0 ? NULL : realloc(all, (size_t)(total + k + 1) * sizeof *p);
		if (!p) {
			licit_unpack_free(one, k);
			licit_unpack_free(all, total);
			return -1;
		}
		all = p;
		memcpy(all + total, one, (size_t)k * sizeof *one);
		free(one);
		total += k;
		all[total] = NULL;
	}
	if (!all)
		return -1;
	*out = all;
	return total;
}

const char *licit_unpack_archive(const char *name, char *buf, size_t cap)
{
	if (!name || regular_file(name))
		return name;
	for (const char *c = strchr(name, ':'); c; c = strchr(c + 1, ':')) {
		if ((size_t)(c - name) >= cap)
			break;
		snprintf(buf, cap, "%.*s", (int)(c - name), name);
		if (strcmp(buf, "-") == 0 || regular_file(buf))
			return buf;
	}
	return name;
}

/* ---- the reader's hooks ------------------------------------------------------ */

int unpack_open_member(const char *path, FILE **f, int *owned, char **member,
                       struct licit_error *err)
{
	*f = NULL;
	*owned = 0;
	*member = NULL;
	if (strcmp(path, "-") == 0) {
		if (!stdin_copy)
			return 0;
		rewind(stdin_copy); /* a spreadsheet given on standard input */
		*f = stdin_copy;
		return 1;
	}
	if (regular_file(path))
		return 0;
	for (const char *c = strchr(path, ':'); c; c = strchr(c + 1, ':')) {
		size_t len = (size_t)(c - path);
		char *arch = strndup(path, len);
		if (!arch)
			return licit_error_set(err, path, 0, NULL, "out of memory");
		int std = strcmp(arch, "-") == 0;
		if (std || regular_file(arch)) {
			*f = std ? stdin_zip() : fopen(arch, "rb");
			*owned = !std;
			free(arch);
			if (!*f)
				return licit_error_set(err, path, 0, NULL, "%s",
				                       std ? "cannot copy standard input"
				                           : strerror(errno));
			if (std)
				rewind(*f);
			if (!(*member = strdup(c + 1))) {
				if (*owned)
					fclose(*f);
				return licit_error_set(err, path, 0, NULL, "out of memory");
			}
			return 1;
		}
		free(arch);
	}
	return 0;
}

/* Opens the zip member named member (or, when NULL, its only data member,
 * or its first sheet when it is a spreadsheet) from a seekable src. */
static FILE *zip_open(struct licit_reader *r, FILE *src, int owned,
                      struct licit_error *err)
{
	char **names;
	int xlsx;
	const char *want = r->member;
	int n = zip_list(src, r->source, &names, &xlsx, err);
	if (n < 0)
		goto fail;
	if (xlsx && !want) {
		licit_unpack_free(names, n);
		/* a sheet is read as a CSV would be */
		r->opts.format = LICIT_FMT_CSV;
		r->opts.delimiter = ',';
		return xlsx_open(src, owned, r->source, r->opts.sheet, err);
	}
	if (!want && n != 1) {
		if (n == 0)
			licit_error_set(err, r->source, 0, NULL, "zip archive holds no file");
		else
			licit_error_set(err, r->source, 0, NULL, "zip archive holds %d files (%s, "
			                "%s%s): name one as %s:%s, or give the archive as an "
			                "operand to read them all", n, names[0], names[1],
			                n > 2 ? ", ..." : "", r->source, names[0]);
		licit_unpack_free(names, n);
		goto fail;
	}
	int found = 0;
	for (int i = 0; i < n && !found; i++)
		found = !want || strcmp(names[i], want) == 0;
	licit_unpack_free(names, n);
	if (!found) {
		licit_error_set(err, r->source, 0, NULL, "no such file in the zip archive");
		goto fail;
	}
	struct unpacked *u = unpacked_new(src, owned, NULL, 0, PACK_ZIP, r->source, err);
	if (!u)
		goto fail;
	struct archive_entry *e;
	while (u->la->read_next_header(u->a, &e) == ARCHIVE_OK)
		if (data_member(u, e) && (!want || strcmp(u->la->entry_pathname(e), want) == 0))
			return as_stream(u, r->source, err);
	licit_error_set(err, r->source, 0, NULL, "unreadable zip archive: %s",
	                u->la->error_string(u->a));
	unpacked_free(u);
	return NULL;
fail:
	if (owned)
		fclose(src);
	return NULL;
}

int unpack_wrap(struct licit_reader *r, struct licit_error *err)
{
	struct input *in = &r->in;
	enum packing k = packing_of((const unsigned char *)in->buf, in->len);
	if (k == PACK_NONE) {
		if (r->member)
			return licit_error_set(err, r->source, 0, NULL, "not a zip archive");
		return 0;
	}
	FILE *d;
	if (k == PACK_GZIP) {
		struct gunzip *g = calloc(1, sizeof *g);
		if (!g || !(g->prefix = malloc(in->len)) || inflateInit2(&g->z, 15 + 16) != Z_OK) {
			if (g)
				free(g->prefix);
			free(g);
			return licit_error_set(err, r->source, 0, NULL, "out of memory");
		}
		memcpy(g->prefix, in->buf, in->len);
		g->plen = in->len;
		g->src = in->f;
		g->owned = in->owned;
		in->owned = 0; /* g closes it now */
		d = fopencookie(g, "r", (cookie_io_functions_t){
			.read = gunzip_read, .close = gunzip_close});
		if (!d) {
			gunzip_free(g);
			in->f = NULL;
			return licit_error_set(err, r->source, 0, NULL, "out of memory");
		}
		setvbuf(d, NULL, _IOFBF, 1 << 16);
	} else if (k == PACK_STREAM) {
		struct unpacked *u = unpacked_new(in->f, in->owned, in->buf, in->len, k,
		                                  r->source, err);
		struct archive_entry *e;
		if (!u)
			return LICIT_ERR;
		if (u->la->read_next_header(u->a, &e) != ARCHIVE_OK) {
			licit_error_set(err, r->source, 0, NULL, "cannot read the compressed "
			                "input: %s", u->la->error_string(u->a));
			u->owned = 0;
			unpacked_free(u);
			return LICIT_ERR;
		}
		in->owned = 0; /* u closes it now */
		d = as_stream(u, r->source, err);
		if (!d) {
			unpacked_free(u); /* closes the source too */
			in->f = NULL;
			return LICIT_ERR;
		}
	} else {
		/* a zip is read from its end: a pipe is copied to a file first */
		FILE *src = in->f;
		int owned = in->owned;
		if (fseeko(src, 0, SEEK_SET) != 0) {
			src = spool(in->f, in->buf, in->len);
			if (!src)
				return licit_error_set(err, r->source, 0, NULL, "cannot copy the zip "
				                       "archive to a temporary file: %s", strerror(errno));
			if (in->owned)
				fclose(in->f);
			in->owned = 0;
			owned = 1;
		} else {
			in->owned = 0;
		}
		in->f = NULL;
		d = zip_open(r, src, owned, err);
		if (!d)
			return LICIT_ERR;
		free(r->member); /* found: what it holds is read as any input */
		r->member = NULL;
	}
	in->f = d;
	in->owned = 1;
	in->pos = in->len = 0;
	in->eof = 0;
	in->size = -1; /* the decoded size is not known */
	return 1;
}
