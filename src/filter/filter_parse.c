// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The filter grammar, by recursive descent (ss: misc/ssfilter.y):
 *
 *   expr    := unary { (OR | AND | nothing) unary }   left to right
 *   unary   := NOT unary | '(' expr ')' | predicate
 *   predicate := KEYWORD [OP] VALUE | autobound
 *
 * `!` binds tightest; `and` and `or` bind equally (see parse_expr). An empty text is no filter (ss ''
 * lists everything); `( )`, a dangling operator or a bare host are
 * errors, as in ss.
 */
#include "filter_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct parser {
	struct filter *f;
	struct filter_lex *lx;
	struct strbuf *err;
	unsigned depth;
};

/* Deeper nesting than any hand-written filter; bounds the recursion. */
#define FILTER_MAX_DEPTH 64

static const struct filter_token *parse_peek(struct parser *p)
{
	static const struct filter_token end = { FT_END, 0, "" };

	return p->lx->pos < p->lx->n ? &p->lx->tok[p->lx->pos] : &end;
}

static unsigned parse_col(struct parser *p)
{
	const struct filter_token *t = parse_peek(p);

	return t->type == FT_END ? p->lx->end_col : t->col;
}

static int parse_node(struct parser *p, enum filter_kind kind, unsigned col,
		      int left, int right)
{
	struct filter_node *n;

	if (p->f->n == FILTER_MAX_NODES)
		return error_set(p->err, "filter: more than %u conditions (column %u)",
				 FILTER_MAX_NODES, col);
	n = &p->f->nodes[p->f->n];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->col = (uint16_t)col;
	n->left = (int16_t)left;
	n->right = (int16_t)right;
	n->user_only = (left >= 0 && p->f->nodes[left].user_only) ||
		       (right >= 0 && p->f->nodes[right].user_only);
	return (int)p->f->n++;
}

static int parse_expr(struct parser *p);

static int parse_op(struct parser *p, const struct filter_keyword *kw,
		    struct filter_node *n)
{
	const struct filter_token *t = parse_peek(p);
	static const uint8_t ops[] = {
		[FT_EQ] = FOP_EQ, [FT_NE] = FOP_NE, [FT_LT] = FOP_LT,
		[FT_GT] = FOP_GT, [FT_LE] = FOP_LE, [FT_GE] = FOP_GE,
	};

	n->op = FOP_EQ;
	if (t->type < FT_EQ || t->type > FT_GE)
		return 0;
	if ((t->type == FT_NE && !kw->ne_ok) ||
	    (t->type > FT_NE && !kw->all_ops))
		return error_set(p->err, "filter: '%s' does not take '%s' (column %u)",
				 kw->word, t->s, t->col);
	n->op = ops[t->type];
	p->lx->pos++;
	return 0;
}

static bool has_family_prefix(const char *s)
{
	return !strncmp(s, "inet:", 5) || !strncmp(s, "inet6:", 6) ||
	       !strncmp(s, "unix:", 5);
}

static int parse_predicate(struct parser *p)
{
	const struct filter_token *kt = parse_peek(p), *vt;
	const struct filter_keyword *kw = NULL;
	struct filter_node *n;
	int id, ret;

	if (kt->type == FT_WORD)
		kw = filter_keyword_find(kt->s);
	if (!kw) {
		if (kt->type == FT_END)
			return error_set(p->err, "filter: expected a condition at the end (column %u)",
					 parse_col(p));
		if (!strcmp(kt->s, "state") || !strcmp(kt->s, "exclude"))
			return error_set(p->err, "filter: '%s' words come before the expression (column %u)",
					 kt->s, kt->col);
		return error_set(p->err, "filter: expected a condition (src, dst, sport, dport, dev, fwmark, cgroup, autobound, ...) rather than '%s' (column %u)",
				 kt->s, kt->col);
	}
	p->lx->pos++;
	id = parse_node(p, kw->kind, kt->col, -1, -1);
	if (id < 0)
		return id;
	n = &p->f->nodes[id];
	n->user_only = kw->kind >= FK_RECVQ;
	if (kw->val == FV_NONE) {
		filter_port_range(p->f);
		return id;
	}
	ret = parse_op(p, kw, n);
	if (ret < 0)
		return ret;
	vt = parse_peek(p);
	if (vt->type != FT_WORD) {
		const char *opw = p->lx->pos > 0 && p->lx->tok[p->lx->pos - 1].type != FT_WORD ?
			p->lx->tok[p->lx->pos - 1].s : NULL;

		return error_set(p->err, "filter: expected %s after '%s%s%s' (column %u)",
				 kw->what, kw->word, opw ? " " : "", opw ? opw : "",
				 parse_col(p));
	}
	p->lx->pos++;
	ret = filter_value_parse(kw, vt, n, p->f, p->err);
	if (ret < 0)
		return ret;
	if (kw->val == FV_HOST && has_family_prefix(vt->s))
		p->f->family_only = n->u.host.family;
	if (kw->val == FV_COUNT || kw->val == FV_USEC)
		p->f->needs |= kw->kind >= FK_RTT && kw->kind <= FK_LASTACK ?
			FILTER_NEED_TCPINFO : 0;
	if (kw->kind == FK_PID || kw->kind == FK_COMM)
		p->f->needs |= FILTER_NEED_PROCS;
	return id;
}

static int parse_unary(struct parser *p)
{
	const struct filter_token *t = parse_peek(p);
	int id, ret;

	if (++p->depth > FILTER_MAX_DEPTH) {
		ret = error_set(p->err, "filter: nested deeper than %u (column %u)",
				FILTER_MAX_DEPTH, parse_col(p));
		goto out;
	}
	if (t->type == FT_NOT) {
		p->lx->pos++;
		id = parse_unary(p);
		ret = id < 0 ? id : parse_node(p, FK_NOT, t->col, id, -1);
	} else if (t->type == FT_LPAREN) {
		p->lx->pos++;
		if (parse_peek(p)->type == FT_RPAREN) {
			ret = error_set(p->err, "filter: empty parentheses (column %u)",
					parse_col(p));
			goto out;
		}
		ret = parse_expr(p);
		if (ret >= 0 && parse_peek(p)->type != FT_RPAREN)
			ret = error_set(p->err, "filter: expected ')' to close the '(' of column %u (column %u)",
					t->col, parse_col(p));
		else if (ret >= 0)
			p->lx->pos++;
	} else {
		ret = parse_predicate(p);
	}
out:
	p->depth--;
	return ret;
}

static bool parse_starts_term(enum filter_tok t)
{
	return t == FT_WORD || t == FT_NOT || t == FT_LPAREN;
}

/*
 * `and`, `or` and juxtaposition bind equally, left to right, as in ss's
 * grammar (exprlist: exprlist '|' expr | exprlist '&' expr | exprlist
 * expr): `a or b and c` is `( a or b ) and c`. Checked on ss 6.1 with
 * listeners on :41001 and :41002: `sport = :41001 or sport = :41002 and
 * sport = :41003` lists nothing.
 */
static int parse_expr(struct parser *p)
{
	int l = parse_unary(p), r;

	while (l >= 0) {
		const struct filter_token *t = parse_peek(p);
		enum filter_kind kind = t->type == FT_OR ? FK_OR : FK_AND;
		unsigned col = t->col;

		if (t->type == FT_AND || t->type == FT_OR)
			p->lx->pos++;
		else if (!parse_starts_term(t->type))
			break;
		r = parse_unary(p);
		l = r < 0 ? r : parse_node(p, kind, col, l, r);
	}
	return l;
}

void filter_init(struct filter *f)
{
	f->n = 0;
	f->root = -1;
	f->has_states = false;
	f->states = 0;
	f->needs = 0;
	f->family_only = 0;
	f->preferred_family = 0;
	f->svc_protos = 0;
	f->port_lo = 32768;      /* the kernel's default ip_local_port_range */
	f->port_hi = 60999;
}

int filter_parse(struct filter *f, const char *text, struct strbuf *err)
{
	struct filter_lex *lx;
	struct parser p = { f, NULL, err, 0 };
	int ret;

	lx = malloc(sizeof(*lx));
	if (!lx)
		return error_set(err, "filter: out of memory");
	p.lx = lx;
	f->n = 0;
	f->root = -1;
	f->needs = 0;
	f->family_only = 0;
	ret = filter_lex_run(lx, text, err);
	if (ret < 0 || lx->n == 0)
		goto out;
	ret = parse_expr(&p);
	if (ret >= 0 && lx->pos < lx->n) {
		const struct filter_token *t = &lx->tok[lx->pos];

		ret = error_set(err, t->type == FT_RPAREN ?
				"filter: unexpected '%s' with no '(' open (column %u)" :
				"filter: unexpected '%s' (column %u)", t->s, t->col);
	}
	if (ret >= 0) {
		f->root = ret;
		ret = 0;
	}
out:
	free(lx);
	return ret < 0 ? -1 : 0;
}
