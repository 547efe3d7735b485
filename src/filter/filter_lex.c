// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The filter lexer. As in ss (ssfilter.y yylex), every keyword, operator
 * and parenthesis is a blank-separated word: `( dport = 22 )` is six
 * tokens, `(dport` is one word (which then is not a host, and fails).
 * A backslash makes the next character part of the word.
 */
#include "filter.h"

#include <string.h>

static const struct {
	const char *word;
	enum filter_tok tok;
} lex_ops[] = {
	{ "(", FT_LPAREN }, { ")", FT_RPAREN },
	{ "!", FT_NOT }, { "not", FT_NOT },
	{ "&", FT_AND }, { "&&", FT_AND }, { "and", FT_AND },
	{ "|", FT_OR }, { "||", FT_OR }, { "or", FT_OR },
	{ "=", FT_EQ }, { "==", FT_EQ }, { "eq", FT_EQ },
	{ "!=", FT_NE }, { "ne", FT_NE }, { "neq", FT_NE },
	{ "<", FT_LT }, { "lt", FT_LT }, { ">", FT_GT }, { "gt", FT_GT },
	{ "<=", FT_LE }, { "le", FT_LE }, { "leq", FT_LE },
	{ ">=", FT_GE }, { "ge", FT_GE }, { "geq", FT_GE },
};

static enum filter_tok lex_classify(const char *w)
{
	for (size_t i = 0; i < sizeof(lex_ops) / sizeof(lex_ops[0]); i++)
		if (!strcmp(w, lex_ops[i].word))
			return lex_ops[i].tok;
	return FT_WORD;
}

static int lex_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int filter_lex_run(struct filter_lex *lx, const char *text, struct strbuf *err)
{
	size_t len = strlen(text), i = 0, o = 0;
	int ret = 0;

	lx->n = lx->pos = 0;
	if (len > FILTER_MAX_TEXT) {
		ret = error_set(err, "filter: longer than %u characters",
				FILTER_MAX_TEXT);
		goto out;
	}
	while (i < len) {
		struct filter_token *t;

		if (lex_blank(text[i])) {
			i++;
			continue;
		}
		if (lx->n == FILTER_MAX_TOKENS) {
			ret = error_set(err, "filter: more than %u words (column %zu)",
					FILTER_MAX_TOKENS, i + 1);
			goto out;
		}
		t = &lx->tok[lx->n++];
		t->col = (uint16_t)(i + 1);
		t->s = &lx->buf[o];
		while (i < len && !lex_blank(text[i])) {
			if (text[i] == '\\' && i + 1 < len)
				i++;
			lx->buf[o++] = text[i++];
		}
		lx->buf[o++] = '\0';
		t->type = (uint8_t)lex_classify(t->s);
	}
	lx->end_col = (unsigned)len + 1;
out:
	return ret;
}
