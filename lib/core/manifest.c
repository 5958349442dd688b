/* The manifest of a run (include/licit/core/manifest.h): its model and
 * its JSON, written with jansson. */
#include "licit/core/manifest.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/utf8.h"

struct mf_file {
	char *option; /* NULL: none named it */
	char *path;
	long long size;
	unsigned char sha[LICIT_SHA256_LEN];
};

struct mf_list {
	struct mf_file *f;
	size_t n, cap;
};

struct licit_manifest {
	char *tool, *version, *cwd;
	char **argv;
	int argc;
	char **env; /* name, value, name, value... */
	size_t nenv, capenv;
	struct mf_list list[LICIT_MANIFEST_NLISTS];
	long long count[LICIT_ROWS_NCOUNTS]; /* -1: not given */
	struct licit_error failed;           /* the observer's first failure */
	int has_failed;
};

static char *dup_or_null(const char *s, int *oom)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*oom = 1;
	return d;
}

struct licit_manifest *licit_manifest_new(const char *tool, const char *version)
{
	struct licit_manifest *m = calloc(1, sizeof *m);
	int oom = 0;
	if (!m)
		return NULL;
	m->tool = dup_or_null(tool, &oom);
	m->version = dup_or_null(version, &oom);
	for (int i = 0; i < LICIT_ROWS_NCOUNTS; i++)
		m->count[i] = -1;
	if (oom) {
		licit_manifest_free(m);
		return NULL;
	}
	return m;
}

void licit_manifest_free(struct licit_manifest *m)
{
	if (!m)
		return;
	free(m->tool);
	free(m->version);
	free(m->cwd);
	for (int i = 0; i < m->argc; i++)
		free(m->argv[i]);
	free(m->argv);
	for (size_t i = 0; i < m->nenv; i++)
		free(m->env[i]);
	free(m->env);
	for (int l = 0; l < LICIT_MANIFEST_NLISTS; l++) {
		for (size_t i = 0; i < m->list[l].n; i++) {
			free(m->list[l].f[i].option);
			free(m->list[l].f[i].path);
		}
		free(m->list[l].f);
	}
	free(m);
}

int licit_manifest_command(struct licit_manifest *m, int argc, const char *const *argv,
                           const char *cwd)
{
	int oom = 0;
	char **v = calloc((size_t)argc + 1, sizeof *v);
	if (!v)
		return LICIT_ERR;
	for (int i = 0; i < argc; i++)
		v[i] = dup_or_null(argv[i], &oom);
	char *dir = dup_or_null(cwd, &oom);
	if (oom) {
		for (int i = 0; i < argc; i++)
			free(v[i]);
		free(v);
		free(dir);
		return LICIT_ERR;
	}
	for (int i = 0; i < m->argc; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m->cwd);
	m->argv = v;
	m->argc = argc;
	m->cwd = dir;
	return LICIT_OK;
}

int licit_manifest_env(struct licit_manifest *m, const char *name, const char *value)
{
	if (LICIT_GROW(m->env, m->capenv, m->nenv + 2) != LICIT_OK)
		return LICIT_ERR;
	int oom = 0;
	char *n = dup_or_null(name, &oom), *v = dup_or_null(value, &oom);
	if (oom) {
		free(n);
		free(v);
		return LICIT_ERR;
	}
	m->env[m->nenv++] = n;
	m->env[m->nenv++] = v;
	return LICIT_OK;
}

static int listed(const struct mf_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->f[i].path, path) == 0)
			return 1;
	return 0;
}

int licit_manifest_has(const struct licit_manifest *m, const char *path)
{
	for (int l = 0; l < LICIT_MANIFEST_NLISTS; l++)
		if (listed(&m->list[l], path))
			return 1;
	return 0;
}

int licit_manifest_digest(struct licit_manifest *m, enum licit_manifest_list list,
                          const char *option, const char *path, long long size,
                          const unsigned char sha[LICIT_SHA256_LEN], struct licit_error *err)
{
	struct mf_list *l = &m->list[list];
	if (listed(l, path))
		return LICIT_OK;
	if (LICIT_GROW(l->f, l->cap, l->n + 1) != LICIT_OK)
		return licit_error_set(err, path, 0, NULL, "out of memory");
	struct mf_file *f = &l->f[l->n];
	int oom = 0;
	f->option = dup_or_null(option, &oom);
	f->path = dup_or_null(path, &oom);
	if (oom) {
		free(f->option);
		free(f->path);
		memset(f, 0, sizeof *f);
		return licit_error_set(err, path, 0, NULL, "out of memory");
	}
	f->size = size;
	memcpy(f->sha, sha, LICIT_SHA256_LEN);
	l->n++;
	return LICIT_OK;
}

int licit_manifest_file(struct licit_manifest *m, enum licit_manifest_list list,
                        const char *option, const char *path, struct licit_error *err)
{
	if (listed(&m->list[list], path))
		return LICIT_OK;
	unsigned char sha[LICIT_SHA256_LEN];
	long long size;
	if (licit_sha256_file(path, sha, &size, err) != LICIT_OK)
		return LICIT_ERR;
	return licit_manifest_digest(m, list, option, path, size, sha, err);
}

void licit_manifest_count(struct licit_manifest *m, enum licit_manifest_count which,
                          long long n)
{
	m->count[which] = (m->count[which] < 0 ? 0 : m->count[which]) + n;
}

/* ---- JSON ------------------------------------------------------------------ */

/* Adds value to obj under key, taking the reference; 0 or -1. */
static int put(json_t *obj, const char *key, json_t *value)
{
	return value ? json_object_set_new(obj, key, value) : -1;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *files_json(const struct mf_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++) {
		const struct mf_file *f = &l->f[i];
		char hex[LICIT_SHA256_HEX];
		licit_sha256_hex(f->sha, hex);
		json_t *o = json_object();
		if (!o || put(o, "option", str_or_null(f->option)) || put(o, "path", json_string(f->path)) ||
		    put(o, "size", json_integer(f->size)) || put(o, "sha256", json_string(hex)) ||
		    json_array_append_new(a, o)) {
			json_decref(o);
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *manifest_json(const struct licit_manifest *m)
{
	static const char *const lists[] = {"inputs", "tables", "outputs"};
	static const char *const counts[] = {"read", "written", "problems", "skipped"};
	json_t *o = json_object(), *argv = json_array(), *env = json_object(),
	       *rows = json_object();
	int bad = !o || !argv || !env || !rows;
	for (int i = 0; !bad && i < m->argc; i++)
		bad = json_array_append_new(argv, json_string(m->argv[i])) != 0;
	for (size_t i = 0; !bad && i + 1 < m->nenv; i += 2)
		bad = put(env, m->env[i], json_string(m->env[i + 1])) != 0;
	for (int i = 0; !bad && i < LICIT_ROWS_NCOUNTS; i++)
		bad = put(rows, counts[i], m->count[i] < 0 ? json_null()
		                                           : json_integer(m->count[i])) != 0;
	bad = bad || put(o, "manifest", json_integer(LICIT_MANIFEST_VERSION)) ||
	      put(o, "licit_version", str_or_null(m->version)) ||
	      put(o, "tool", str_or_null(m->tool)) || put(o, "argv", json_incref(argv)) ||
	      put(o, "cwd", str_or_null(m->cwd)) || put(o, "env", json_incref(env));
	for (int l = 0; !bad && l < LICIT_MANIFEST_NLISTS; l++)
		bad = put(o, lists[l], files_json(&m->list[l])) != 0;
	bad = bad || put(o, "rows", json_incref(rows));
	json_decref(argv);
	json_decref(env);
	json_decref(rows);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The first string of m that is not UTF-8 (a JSON string cannot hold
 * it: a file name in Latin-1, say), NULL when all are. */
static const char *not_utf8(const struct licit_manifest *m)
{
	const char *s[] = {m->tool, m->version, m->cwd};
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (s[i] && !licit_utf8_valid(s[i], strlen(s[i])))
			return s[i];
	for (int i = 0; i < m->argc; i++)
		if (!licit_utf8_valid(m->argv[i], strlen(m->argv[i])))
			return m->argv[i];
	for (size_t i = 0; i < m->nenv; i++)
		if (!licit_utf8_valid(m->env[i], strlen(m->env[i])))
			return m->env[i];
	for (int l = 0; l < LICIT_MANIFEST_NLISTS; l++)
		for (size_t i = 0; i < m->list[l].n; i++) {
			const struct mf_file *f = &m->list[l].f[i];
			if (!licit_utf8_valid(f->path, strlen(f->path)))
				return f->path;
			if (f->option && !licit_utf8_valid(f->option, strlen(f->option)))
				return f->option;
		}
	return NULL;
}

char *licit_manifest_json(const struct licit_manifest *m, struct licit_error *err)
{
	if (m->has_failed) {
		if (err)
			*err = m->failed;
		return NULL;
	}
	const char *bad = not_utf8(m);
	if (bad) {
		licit_error_set(err, NULL, 0, NULL, "manifest: '%.80s' is not UTF-8: a JSON "
		                "manifest cannot hold it", bad);
		return NULL;
	}
	json_t *o = manifest_json(m);
	char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	size_t n = text ? strlen(text) : 0;
	char *out = text ? malloc(n + 2) : NULL;
	if (out) {
		memcpy(out, text, n);
		out[n] = '\n';
		out[n + 1] = '\0';
	}
	free(text);
	if (!out)
		licit_error_set(err, NULL, 0, NULL, "out of memory");
	return out;
}

/* ---- the files the library loads ---------------------------------------- */

static struct licit_manifest *observer;
static pthread_mutex_t observer_lock = PTHREAD_MUTEX_INITIALIZER;

void licit_manifest_observe(struct licit_manifest *m)
{
	pthread_mutex_lock(&observer_lock);
	observer = m;
	pthread_mutex_unlock(&observer_lock);
}

void licit_manifest_loaded(const char *path)
{
	pthread_mutex_lock(&observer_lock);
	struct licit_manifest *m = observer;
	if (m && path && strcmp(path, "-") != 0 && !licit_manifest_has(m, path) &&
	    licit_manifest_file(m, LICIT_MANIFEST_TABLE, NULL, path, &m->failed) != LICIT_OK)
		m->has_failed = 1;
	pthread_mutex_unlock(&observer_lock);
}
