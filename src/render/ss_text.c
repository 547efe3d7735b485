// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ss text layout engine, reproducing iproute2 6.1's buffering so
 * that output is identical even when ss renders in several batches.
 *
 * ss writes every field as a token into 1 MiB chunks: a 16-bit length,
 * the bytes, padding to an even offset. A chunk has BUF_CHUNK bytes of
 * which 16 are its header (next and end pointers on 64-bit), so
 * CHUNK_DATA bytes hold tokens. A piece of text that would not leave
 * room for a terminating NUL moves its whole token to a new chunk
 * (unless the token is the first of its chunk). When a row is complete
 * and five chunks are in use, the batch is laid out and printed, and
 * the chunks are freed. Column widths come from the longest token seen
 * so far in each column; ss never resets them, so they only grow, and
 * the token still being written when a batch is printed does not count.
 * Those quirks are what decide where batches end, so they are kept,
 * with these constants, exactly; the memory held is at most a batch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ss_fmt.h"

#define BUF_CHUNK (1024 * 1024)
#define CHUNK_HDR 16
#define CHUNK_DATA (BUF_CHUNK - CHUNK_HDR)
#define BUF_CHUNKS_MAX 5
#define LEN_ALIGN(x) (((x) + 1u) & ~1u)
#define OUT_BUF (256 * 1024)

struct chunk {
	struct chunk *next;
	size_t end;            /* bytes of data[] in use */
	unsigned char *data;   /* CHUNK_DATA bytes */
};

enum align { AL_LEFT, AL_RIGHT };

struct ss_text {
	const struct ss_view *v;
	FILE *fp;
	struct ss_fmt fmt;

	struct chunk *head, *tail;
	struct chunk *spare;   /* printed chunks, kept to skip fresh page faults */
	size_t cur;            /* offset of the current token in tail */
	int chunks;
	int col;               /* enum ss_col of the current token */

	bool disabled[SS_COL_MAX];
	uint32_t max_len[SS_COL_MAX];
	int width[SS_COL_MAX];

	char *out;
	size_t out_len;
	bool write_failed;
	int write_errno;         /* errno of the first failed write */
};

static const enum align col_align[SS_COL_MAX] = {
	AL_LEFT, AL_LEFT, AL_LEFT, AL_LEFT, AL_RIGHT, AL_LEFT, AL_RIGHT,
	AL_LEFT, AL_LEFT, AL_LEFT,
};

/* Left delimiter: none before the ports and the last two columns. */
static const unsigned col_delim[SS_COL_MAX] = { 0, 1, 1, 1, 1, 0, 1, 0, 0, 0 };

static uint16_t tok_len(const struct chunk *c, size_t at)
{
	uint16_t l;

	memcpy(&l, c->data + at, 2);
	return l;
}

static void tok_set_len(struct chunk *c, size_t at, uint16_t l)
{
	memcpy(c->data + at, &l, 2);
}

static int chunk_new(struct ss_text *t, struct strbuf *err)
{
	struct chunk *c = t->spare;

	if (c) {
		t->spare = c->next;
	} else {
		c = malloc(sizeof(*c));
		if (c)
			c->data = malloc(CHUNK_DATA);
		if (!c || !c->data) {
			free(c);
			return error_set(err, "cannot allocate the output buffer");
		}
	}
	c->next = NULL;
	tok_set_len(c, 0, 0);
	c->end = 2;
	if (t->tail && t->head)
		t->tail->next = c;
	else
		t->head = c;
	t->tail = c;
	t->cur = 0;
	t->chunks++;
	return 0;
}

/*
 * A printed batch's chunks go to the spare list: freeing 5 MiB lets
 * malloc return it to the kernel, and every batch would then pay a page
 * fault per 4 KiB again. The memory held stays one batch, as before.
 */
static void chunks_recycle(struct ss_text *t)
{
	if (t->tail) {
		t->tail->next = t->spare;
		t->spare = t->head;
	}
	t->head = t->tail = NULL;
	t->chunks = 0;
}

static void chunk_list_free(struct chunk *c)
{
	struct chunk *n;

	for (; c; c = n) {
		n = c->next;
		free(c->data);
		free(c);
	}
}

/* ss's out(): append to the current token, moving it when it won't fit. */
static int tok_put(struct ss_text *t, const char *s, size_t n,
		   struct strbuf *err)
{
	struct chunk *c;
	size_t avail, room;
	uint16_t l;

	if (t->disabled[t->col])
		return 0;
	if (!t->head && chunk_new(t, err) < 0)
		return -1;
	c = t->tail;
	avail = CHUNK_DATA - c->end;
	l = tok_len(c, t->cur);
	if (n >= avail && t->cur != 0) {
		struct chunk *old = c;
		size_t at = t->cur;

		if (chunk_new(t, err) < 0)
			return -1;
		c = t->tail;
		memcpy(c->data, old->data + at, 2u + l);
		c->end = 2u + l;
		old->end -= 2u + l;
		avail = CHUNK_DATA - c->end;
	}
	room = n < avail ? n : avail;
	if (room > 65535u - l)
		room = 65535u - l;
	memcpy(c->data + c->end, s, room);
	c->end += room;
	tok_set_len(c, t->cur, (uint16_t)(l + room));
	return 0;
}

/* ss's field_flush(): close the token, start the next one. */
static int tok_flush(struct ss_text *t, struct strbuf *err)
{
	struct chunk *c = t->tail;
	uint16_t l;
	unsigned pad;

	if (t->disabled[t->col])
		return 0;
	l = tok_len(c, t->cur);
	pad = l % 2;
	if (l > t->max_len[t->col])
		t->max_len[t->col] = l;
	/* ss compares an int with a size_t here: negative means room */
	if ((long)(CHUNK_DATA - c->end) - (long)pad >= 0 &&
	    (CHUNK_DATA - c->end) - pad < 2) {
		c->end += pad;
		return chunk_new(t, err);
	}
	t->cur = t->cur + 2 + LEN_ALIGN(l);
	tok_set_len(c, t->cur, 0);
	c->end = t->cur + 2;
	return 0;
}

static void write_fail(struct ss_text *t)
{
	if (!t->write_failed)
		t->write_errno = errno;
	t->write_failed = true;
}

/* The message of a failed write, with its errno. */
static int write_error(const struct ss_text *t, struct strbuf *err)
{
	if (!t->write_errno)
		return error_set(err, "cannot write the listing");
	return error_set(err, "cannot write the listing: %s", strerror(t->write_errno));
}

static int out_flush(struct ss_text *t)
{
	if (t->out_len && fwrite(t->out, 1, t->out_len, t->fp) != t->out_len)
		write_fail(t);
	t->out_len = 0;
	return t->write_failed ? -1 : 0;
}

static void out_put(struct ss_text *t, const void *s, size_t n)
{
	if (n > OUT_BUF - t->out_len) {
		out_flush(t);
		if (n > OUT_BUF) {
			if (fwrite(s, 1, n, t->fp) != n)
				write_fail(t);
			return;
		}
	}
	memcpy(t->out + t->out_len, s, n);
	t->out_len += n;
}

static void out_spaces(struct ss_text *t, int n)
{
	while (n > 0) {
		int k = n < 256 ? n : 256;

		if ((size_t)k > OUT_BUF - t->out_len)
			out_flush(t);
		memset(t->out + t->out_len, ' ', (size_t)k);
		t->out_len += (size_t)k;
		n -= k;
	}
}

/* ss's render_calc_width(), compact and screen-spreading variants. */
static void calc_width(struct ss_text *t)
{
	int screen = -1, len = 0, linecols = 0, eol = -1;
	bool first = true;

	if (t->v->tty && t->v->screen_width > 0)
		screen = t->v->screen_width;
	for (int c = 0; c < SS_COL_MAX; c++) {
		if (t->disabled[c])
			continue;
		if (!first && t->max_len[c])
			t->width[c] = (int)(t->max_len[c] + col_delim[c]);
		else
			t->width[c] = (int)t->max_len[c];
		if (screen > 0 && t->width[c] > screen)
			t->width[c] = screen;
		if (t->width[c])
			first = false;
	}
	if (screen <= 0)
		return;
	for (int c = 0; c < SS_COL_MAX; c++) {
		int pad, spacing, rem;
		bool last = true;

		if (!t->width[c])
			continue;
		linecols++;
		len += t->width[c];
		for (int n = c + 1; n < SS_COL_MAX; n++)
			if (t->width[n]) {
				last = false;
				break;
			}
		if (!last && len < screen)
			continue;
		if (len != screen) {
			if (len > screen) {
				/* this column starts the next line */
				len -= t->width[c];
				c--;
				linecols--;
			}
			pad = screen - len;
			spacing = linecols ? pad / linecols : 0;
			rem = linecols ? pad % linecols : 0;
			for (int k = c; k > eol; k--) {
				if (!t->width[k])
					continue;
				t->width[k] += spacing;
				if (rem) {
					t->width[k]++;
					rem--;
				}
			}
		}
		eol = c;
		len = 0;
		linecols = 0;
	}
}

static int next_enabled(const struct ss_text *t, int c, bool *eol)
{
	*eol = false;
	do {
		if (c == SS_COL_MAX - 1) {
			*eol = true;
			c = 0;
		} else {
			c++;
		}
	} while (t->disabled[c]);
	return c;
}

/*
 * Copies n bytes, or when n <= SMALL a fixed SMALL bytes: a fixed size is
 * two vector moves instead of a call. The caller guarantees SMALL bytes
 * of room at both ends; the extra bytes are overwritten or never used.
 */
#define SMALL 32

static inline void copy_small(char *dst, const unsigned char *src, size_t n)
{
	if (n <= SMALL)
		memcpy(dst, src, SMALL);
	else
		memcpy(dst, src, n);
}

static inline void spaces_small(char *dst, size_t n)
{
	if (n <= SMALL)
		memset(dst, ' ', SMALL);
	else
		memset(dst, ' ', n);
}

/*
 * ss's render(): lay the batch out, print it, free it. Longer than 80
 * lines on purpose: it is the per-token loop of every listing, and the
 * unchecked fast path and the checked slow path share the column state
 * (c, started, eol, printed) that a split would pass through memory for
 * every token; bench/RESULTS.md has what the fast path bought.
 */
static int render(struct ss_text *t)
{
	bool started = false, eol = false;
	bool wrap[SS_COL_MAX];
	int nxt[SS_COL_MAX];
	int c = 0;

	if (!t->head)
		return 0;
	t->tail->end += tok_len(t->tail, t->cur) % 2;
	calc_width(t);
	for (int k = 0; k < SS_COL_MAX; k++)
		nxt[k] = next_enabled(t, k, &wrap[k]);
	while (c < SS_COL_MAX && !t->width[c])
		c++;
	for (struct chunk *ch = t->head; ch; ch = ch->next) {
		size_t at = 0;

		while (at < ch->end) {
			uint16_t l = tok_len(ch, at);
			int printed = 0, w = c < SS_COL_MAX ? t->width[c] : 0;
			/* at most: delimiter, padding to w, the text, newline */
			size_t most = 2u + (size_t)l + (size_t)(w > 0 ? w : 0) +
				      2 * SMALL;

			if (most > OUT_BUF - t->out_len && most <= OUT_BUF)
				out_flush(t);
			if (most <= OUT_BUF - t->out_len && c < SS_COL_MAX &&
			    at + 2 + SMALL <= CHUNK_DATA) {
				/* the same bytes as below, without a bounds check each */
				char *o = t->out + t->out_len;
				int pre = started ? (int)col_delim[c] : 0;
				int s = 0;

				if (pre)
					*o++ = ' ';
				if (w && col_align[c] == AL_RIGHT) {
					s = w - l - pre;
					if (s > 0) {
						spaces_small(o, (size_t)s);
						o += s;
					} else {
						s = 0;
					}
				}
				copy_small(o, ch->data + at + 2, l);
				o += l;
				printed = pre + s + l;
				if (w && col_align[c] == AL_LEFT && w > printed) {
					spaces_small(o, (size_t)(w - printed));
					o += w - printed;
				}
				started = true;
				eol = wrap[c];
				c = nxt[c];
				if (eol) {
					*o++ = '\n';
					started = false;
				}
				t->out_len = (size_t)(o - t->out);
				at += 2 + LEN_ALIGN(l);
				continue;
			}
			if (started && c < SS_COL_MAX) {
				out_put(t, " ", col_delim[c]);
				printed = (int)col_delim[c];
			}
			started = true;
			if (w && col_align[c] == AL_RIGHT) {
				int s = w - l - printed;

				out_spaces(t, s);
				if (s > 0)
					printed += s;
			}
			out_put(t, ch->data + at + 2, l);
			printed += l;
			if (w && col_align[c] == AL_LEFT)
				out_spaces(t, w - printed);
			c = c < SS_COL_MAX ? next_enabled(t, c, &eol) : 0;
			if (eol) {
				out_put(t, "\n", 1);
				started = false;
			}
			at += 2 + LEN_ALIGN(l);
		}
	}
	if (started)
		out_put(t, "\n", 1);
	chunks_recycle(t);
	t->col = 0;
	return out_flush(t);
}

/* ss's field_next(): a full batch is printed at the end of a row. */
static int field_next(struct ss_text *t, struct strbuf *err)
{
	if (t->col == SS_COL_MAX - 1 && t->chunks >= BUF_CHUNKS_MAX)
		return render(t) < 0 ?
		       write_error(t, err) : 0;
	if (tok_flush(t, err) < 0)
		return -1;
	t->col = t->col == SS_COL_MAX - 1 ? 0 : t->col + 1;
	return 0;
}

int ss_text_new(struct ss_text **out, const struct ss_view *v, FILE *fp,
		struct strbuf *err)
{
	struct ss_text *t = calloc(1, sizeof(*t));
	int ret = -1;

	if (!t)
		return error_set(err, "cannot allocate the text renderer");
	t->v = v;
	t->fp = fp;
	t->disabled[SS_COL_NETID] = !v->show_netid;
	t->disabled[SS_COL_STATE] = !v->show_state;
	t->out = malloc(OUT_BUF);
	if (!t->out) {
		error_set(err, "cannot allocate the output buffer");
		goto out;
	}
	if (ss_fmt_init(&t->fmt, v, err) < 0)
		goto out;
	if (v->show_header) {
		for (int c = 0; c < SS_COL_MAX - 1; c++) {
			const char *h = ss_fmt_header((enum ss_col)c);

			if (tok_put(t, h, strlen(h), err) < 0 ||
			    field_next(t, err) < 0)
				goto out;
		}
	}
	*out = t;
	t = NULL;
	ret = 0;
out:
	ss_text_free(t);
	return ret;
}

/*
 * tok_put and tok_flush for a whole row at once, when the row fits in
 * the current chunk with room to spare: then neither moves a token nor
 * opens a chunk, and this leaves exactly the bytes, lengths and widths
 * they would. Returns false, having changed nothing, when it does not fit.
 */
static bool row_fast(struct ss_text *t, const struct ss_fmt *fmt)
{
	struct chunk *c = t->tail;
	size_t need = 3, at, end;

	if (!c)
		return false;
	for (int col = 0; col <= SS_COL_PROC; col++)
		if (!t->disabled[col])
			need += fmt->f[col].len + 3u;
	/* tok_put moves a token at n >= avail; tok_flush needs 2 after pad */
	if (CHUNK_DATA - c->end <= need)
		return false;
	at = t->cur;
	end = c->end;
	for (int col = 0; col <= SS_COL_PROC; col++) {
		uint32_t l = fmt->f[col].len;

		if (t->disabled[col])
			continue;
		/* the token at `at` is new and empty: field_next just opened it */
		memcpy(c->data + end, fmt->f[col].buf, l);
		tok_set_len(c, at, (uint16_t)l);
		if (col == SS_COL_PROC) {
			end += l;
			break;
		}
		if (l > t->max_len[col])
			t->max_len[col] = l;
		at += 2 + LEN_ALIGN(l);
		tok_set_len(c, at, 0);
		end = at + 2;
	}
	t->cur = at;
	c->end = end;
	t->col = SS_COL_PROC;
	return true;
}

int ss_text_row(struct ss_text *t, const struct ss_row *row,
		struct strbuf *err)
{
	struct ss_fmt *fmt = &t->fmt;

	ss_fmt_row(fmt, row);
	while (t->col != SS_COL_NETID)
		if (field_next(t, err) < 0)
			return -1;
	if (row_fast(t, fmt))
		return 0;
	for (int c = 0; c <= SS_COL_PROC; c++) {
		const struct ss_field *f = &fmt->f[c];

		if ((f->len || f->touched) &&
		    tok_put(t, f->buf, f->len, err) < 0)
			return -1;
		if (c < SS_COL_PROC && field_next(t, err) < 0)
			return -1;
	}
	return 0;
}

int ss_text_finish(struct ss_text *t, struct strbuf *err)
{
	if (render(t) < 0)
		return write_error(t, err);
	if (fflush(t->fp) == EOF) {
		write_fail(t);
		return write_error(t, err);
	}
	return 0;
}

void ss_text_free(struct ss_text *t)
{
	if (!t)
		return;
	chunk_list_free(t->head);
	chunk_list_free(t->spare);
	if (t->fmt.mem)
		ss_fmt_release(&t->fmt);
	free(t->out);
	free(t);
}
