/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_WATCH_SCREEN_H
#define SOCKVET_RENDER_WATCH_SCREEN_H

/*
 * `sockvet watch`'s full screen (ncursesw): draws a watch view and the
 * interaction state cmd_watch.c keeps, and reads keys. The only file
 * that includes curses; it never decides what to show (watch_view.c
 * does) nor when to sample (cmd_watch.c).
 */

#include <stdbool.h>
#include <stddef.h>

#include "../util/strbuf.h"
#include "watch_view.h"

enum watch_pane {
	WATCH_PANE_MAIN,
	WATCH_PANE_DETAIL,       /* Enter: the selected listener */
	WATCH_PANE_FINDING,      /* v: the selected finding's evidence, change, verify */
	WATCH_PANE_HELP,         /* ? */
};

#define WATCH_INPUT_MAX 256

/* What the person is doing; cmd_watch.c changes it, the screen draws it. */
struct watch_ui {
	enum watch_pane pane;
	unsigned sel;            /* listener row */
	unsigned finding;        /* finding, in the verdict pane */
	bool prompt;             /* typing a filter after '/' */
	char input[WATCH_INPUT_MAX];
	size_t input_len;
	char filter_text[WATCH_INPUT_MAX];   /* the filter in force, "" none */
	char status[256];        /* one line: a filter error, a note */
	bool status_error;
	const struct watch_detail *detail;   /* the detail pane's, when open */
};

/* Keys other than plain characters, as watch_screen_key() returns them. */
enum {
	WATCH_KEY_NONE = -1,     /* timeout, or interrupted by a signal */
	WATCH_KEY_UP = 0x1000,
	WATCH_KEY_DOWN,
	WATCH_KEY_ENTER,
	WATCH_KEY_ESC,
	WATCH_KEY_BACKSPACE,
	WATCH_KEY_RESIZE,
	WATCH_KEY_PGUP,
	WATCH_KEY_PGDN,
};

/* Enter curses mode; color: use colours (else bold/reverse only). */
int watch_screen_open(bool color, struct strbuf *err);
/* Leave curses mode and restore the terminal; safe to call twice. */
void watch_screen_close(void);
/* From a crash signal's handler: the terminal back, nothing else. */
void watch_screen_emergency_restore(void);
void watch_screen_draw(const struct watch_view *v, const struct watch_ui *ui);
/* The next key, waiting at most timeout_ms. */
int watch_screen_key(int timeout_ms);

#endif
