/* libFuzzer target: the xlsx reader. Either the bytes are split (at the
 * first two bytes' proportions) into the shared strings, the styles and
 * the sheet XML of a workbook, or (first byte a multiple of 3) they are
 * read as comma-separated lines and written as a well-formed sheet whose
 * cells are shared strings, inline strings, numbers and dates, so that
 * the seed samples reach every cell kind. The workbook is zipped by
 * libarchive and read as the reader reads any spreadsheet; odd first
 * bytes ask for a sheet by name. */
#include "fuzz_pack.h"

struct out {
	char *s;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *p = realloc(o->s, cap);
		if (!p)
			return;
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

static void put_escaped(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '<' ? "&lt;" : s[i] == '&' ? "&amp;" : s[i] == '"' ? "&quot;" : NULL;
		if (e)
			put(o, e, strlen(e));
		else if ((unsigned char)s[i] >= 0x20 || s[i] == '\t')
			put(o, s + i, 1);
	}
}

/* Lines and commas to sheet XML (and its shared strings). */
static void csv_to_sheet(const char *d, size_t n, struct out *sheet, struct out *sst)
{
	char tmp[64];
	int k = 0;
	long row = 0;
	put(sheet, "<worksheet><sheetData>", 22);
	put(sst, "<sst>", 5);
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e < n && d[e] != '\n')
			e++;
		int len = snprintf(tmp, sizeof tmp, "<row r=\"%ld\">", row += 1 + (d[i] == '#'));
		put(sheet, tmp, (size_t)len);
		for (size_t c = i, col = 0; c <= e; col++) {
			size_t f = c;
			while (f < e && d[f] != ',')
				f++;
			size_t digits = 0;
			while (c + digits < f && ((d[c + digits] >= '0' && d[c + digits] <= '9') || d[c + digits] == '.' || d[c + digits] == 'E'))
				digits++;
			if (f > c) {
				len = snprintf(tmp, sizeof tmp, "<c r=\"%c%ld\"", (char)('A' + col % 26), row);
				put(sheet, tmp, (size_t)len);
				if (digits == f - c) {
					put(sheet, col % 2 ? " s=\"1\"><v>" : "><v>", col % 2 ? 11 : 4);
					put(sheet, d + c, f - c);
					put(sheet, "</v></c>", 8);
				} else if (col % 2) {
					put(sheet, " t=\"inlineStr\"><is><t>", 22);
					put_escaped(sheet, d + c, f - c);
					put(sheet, "</t></is></c>", 13);
				} else {
					len = snprintf(tmp, sizeof tmp, " t=\"s\"><v>%d</v></c>", k++);
					put(sheet, tmp, (size_t)len);
					put(sst, "<si><t>", 7);
					put_escaped(sst, d + c, f - c);
					put(sst, "</t></si>", 9);
				}
			}
			c = f + 1;
		}
		put(sheet, "</row>", 6);
		i = e + 1;
	}
	put(sheet, "</sheetData></worksheet>", 24);
	put(sst, "</sst>", 6);
}

static const char workbook[] =
	"<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets>"
	"<sheet name=\"Hoja1\" r:id=\"rId1\"/><sheet name=\"B\" r:id=\"rId2\"/></sheets></workbook>";
static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Target=\"/xl/worksheets/sheet1.xml\"/></Relationships>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 1 << 16)
		return 0;
	const char *d = (const char *)data + 2;
	size_t n = size - 2, a = n * data[0] / 256, b = (n - a) * data[1] / 256;
	static const char styles[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
	struct part p[] = {
		{"[Content_Types].xml", "<Types/>", 8},
		{"xl/workbook.xml", workbook, sizeof workbook - 1},
		{"xl/_rels/workbook.xml.rels", rels, sizeof rels - 1},
		{"xl/sharedStrings.xml", d, a},
		{"xl/styles.xml", d + a, b},
		{"xl/worksheets/sheet1.xml", d + a + b, n - a - b},
	};
	struct out sheet = {0}, sst = {0};
	if (data[0] % 3 == 0) {
		csv_to_sheet((const char *)data + 1, size - 1, &sheet, &sst);
		p[3] = (struct part){"xl/sharedStrings.xml", sst.s, sst.len};
		p[4] = (struct part){"xl/styles.xml", styles, sizeof styles - 1};
		p[5] = (struct part){"xl/worksheets/sheet1.xml", sheet.s, sheet.len};
		n = sheet.len + sst.len;
	}
	size_t cap = 2 * n + 8192;
	char *buf = malloc(cap);
	if (!buf)
		return 0;
	size_t len = pack(1, ARCHIVE_FILTER_NONE, p, 6, buf, cap);
	struct licit_reader_opts o = {0};
	o.sheet = data[0] & 1 ? "B" : NULL;
	if (len)
		read_all(buf, len, &o);
	free(buf);
	free(sheet.s);
	free(sst.s);
	return 0;
}
