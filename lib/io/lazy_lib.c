/* Shared libraries loaded on first use (lazy_lib.h). */
#include "lazy_lib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static void load(struct lazy_lib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(l->why, sizeof l->why, "%s", e ? e : "not found");
		return;
	}
	for (size_t i = 0; i < l->nsym; i++) { /* every symbol, or none */
		void *f = dlsym(h, l->sym[i].name);
		if (!f) {
			snprintf(l->why, sizeof l->why, "%s has no %s", l->soname, l->sym[i].name);
			dlclose(h);
			return;
		}
		/* (POSIX: a function pointer and void * have one representation) */
		memcpy((char *)l->table + l->sym[i].at, &f, sizeof f);
	}
	l->ok = 1; /* never closed: its functions serve to the end of the run */
}

int lazy_lib_load(struct lazy_lib *l, const char *what, struct licit_error *err)
{
	pthread_mutex_lock(&l->lock);
	if (!l->tried) {
		l->tried = 1;
		load(l);
	}
	int ok = l->ok;
	pthread_mutex_unlock(&l->lock);
	if (ok)
		return LICIT_OK;
	return licit_error_set(err, NULL, 0, NULL, "%s needs %s, which cannot be loaded: %s", what,
	                       l->soname, l->why);
}
