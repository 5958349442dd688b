/* R044 (see licit/cardinal/cardinal_r044.h). */
#include "licit/cardinal/cardinal_r044.h"

#include <string.h>

#include "licit/cardinal/cardinal_line.h"

typedef struct licit_json J;

struct tenderer {
	const char *id;
	const char *address; /* NULL: not compared */
	const J *contact;
};

/* Lower case as Rust's to_lowercase for ASCII, Latin-1 and Latin
 * Extended-A letters (the letters of Spanish and its neighbours); other
 * bytes as they are. */
static size_t lower(char *d, const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z') {
			d[k++] = (char)(c + 32);
		} else if (c == 0xC3 && i + 1 < n) { /* U+00C0..U+00FF */
			unsigned char c2 = (unsigned char)s[++i];
			d[k++] = (char)c;
			d[k++] = (char)(c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97 ? c2 + 0x20 : c2);
		} else if ((c == 0xC4 || c == 0xC5) && i + 1 < n) { /* U+0100..U+017F */
			unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[++i] & 0x3Fu);
			if ((cp < 0x138 && !(cp & 1)) || (cp > 0x138 && cp < 0x149 && (cp & 1)) ||
			    (cp > 0x149 && cp < 0x178 && !(cp & 1)))
				cp++;
			else if (cp == 0x178)
				cp = 0xFF;
			else if (cp == 0x179 || cp == 0x17B || cp == 0x17D)
				cp++;
			d[k++] = (char)(0xC0 | cp >> 6);
			d[k++] = (char)(0x80 | (cp & 0x3F));
		} else {
			d[k++] = (char)c;
		}
	}
	return k;
}

static const char *address(const J *party, struct licit_arena *a)
{
	const J *ad = licit_json_get(party, "address");
	if (!licit_json_is_object(ad) || !licit_json_get_raw(ad, "streetAddress"))
		return NULL;
	static const char *const fields[] = {"streetAddress", "locality", "region", "postalCode",
	                                     "countryName"};
	size_t len = 0;
	for (int i = 0; i < 5; i++) {
		const J *v = licit_json_get(ad, fields[i]);
		len += licit_json_is_string(v) ? 2 * v->n + 1 : 0; /* lower case may grow */
	}
	char *s = licit_arena_alloc(a, len + 1);
	if (!s)
		return NULL;
	size_t k = 0;
	for (int i = 0; i < 5; i++) {
		const J *v = licit_json_get(ad, fields[i]);
		if (!licit_json_is_string(v))
			continue;
		size_t from = licit_rust_space_start(v->u.s, v->n);
		size_t to = v->n - licit_rust_space_end(v->u.s, v->n);
		k += lower(s + k, v->u.s + from, to > from ? to - from : 0);
		s[k++] = ' ';
	}
	s[k] = '\0';
	return s;
}

static int same_contact(const J *x, const J *y)
{
	static const char *const fields[] = {"name", "email", "telephone", "faxNumber", "url"};
	if (!licit_json_is_object(x) || !licit_json_is_object(y))
		return 0;
	for (int i = 0; i < 5; i++) {
		const char *a = licit_json_str(licit_json_get(x, fields[i]));
		const char *b = licit_json_str(licit_json_get(y, fields[i]));
		if (a && b)
			return strcmp(a, b) == 0;
	}
	return 0;
}

static int has_role(const J *party, const char *role)
{
	const J *roles = licit_json_get(party, "roles");
	size_t i;
	const J *r;
	licit_json_foreach(roles, i, r)
		if (licit_json_is_string(r) && strcmp(r->u.s, role) == 0)
			return 1;
	return 0;
}

long licit_r044(const J *release, struct licit_arena *a, const char ***ids)
{
	const J *parties = licit_json_get(release, "parties");
	size_t np = licit_json_size(parties), n = 0;
	if (np < 2)
		return 0;
	struct tenderer *t = licit_arena_alloc(a, np * sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < np; i++) {
		const J *p = licit_json_at(parties, i);
		const char *id = licit_json_str(licit_json_get(p, "id"));
		if (!id || !has_role(p, "tenderer"))
			continue;
		size_t k = 0;
		while (k < n && strcmp(t[k].id, id) != 0)
			k++;
		t[k] = (struct tenderer){id, address(p, a), licit_json_get_raw(p, "contactPoint")};
		if (k == n)
			n++;
	}
	const char **out = licit_arena_alloc(a, (n ? n : 1) * sizeof *out);
	if (!out)
		return -1;
	size_t nf = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			if (i == j)
				continue;
			if ((t[i].address && t[j].address && strcmp(t[i].address, t[j].address) == 0) ||
			    same_contact(t[j].contact, t[i].contact)) {
				out[nf++] = t[i].id;
				break;
			}
		}
	*ids = out;
	return (long)nf;
}
