#!/bin/sh
# The committed completion scripts (contrib/completion) are what
# `sockvet completion bash|zsh` makes from the option tables today: an
# option added to a table without `make completion` fails here. And they
# complete: bash through its completion function, every long option of
# every command's --list-options offered. No root.
. "$(dirname "$0")/lib.sh"
SV=${SOCKVET:-$E2E_ROOT/sockvet}
e2e_init
T=$E2E_TMP
top=$E2E_ROOT

tap_plan 5

for sh in bash zsh; do
	f=$top/contrib/completion/sockvet.bash
	[ $sh = zsh ] && f=$top/contrib/completion/_sockvet
	if "$SV" completion $sh >"$T/$sh" 2>"$T/$sh.err" && diff -u "$f" "$T/$sh" >"$T/$sh.diff"; then
		tap_ok "contrib/completion for $sh is the generated one"
	else
		tap_not_ok "contrib/completion for $sh is the generated one (run make completion)"
		tap_diag_file "$T/$sh.diff" 30
		tap_diag_file "$T/$sh.err"
	fi
done

# Every command in --help, and every option each lists, completes in bash.
if ! command -v bash >/dev/null 2>&1; then
	tap_skip "bash completes every option: bash not installed"
else
	cmds=$("$SV" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
	: >"$T/missing"
	for c in $cmds; do
		for o in $("$SV" "$c" --list-options | tr ' ' '\n' | sed -n 's/^\(--[a-z0-9-]*\).*/\1/p'); do
			got=$(bash -c '. "$1"; COMP_WORDS=(sockvet "$2" "$3"); COMP_CWORD=2; _sockvet; printf "%s\n" "${COMPREPLY[@]}"' \
				_ "$top/contrib/completion/sockvet.bash" "$c" "$o")
			echo "$got" | grep -qx -- "$o" || echo "$c $o" >>"$T/missing"
		done
	done
	if [ -n "$cmds" ] && [ ! -s "$T/missing" ]; then
		tap_ok "bash completes every long option of every command ($(echo $cmds | wc -w) commands)"
	else
		tap_not_ok "bash completes every long option of every command"
		tap_diag_file "$T/missing"
	fi
fi

# Argument and operand words come from sockvet's own tables.
got=$(bash -c '. "$1"; COMP_WORDS=(sockvet lab run accept-overflow-e); COMP_CWORD=3; _sockvet; echo "${COMPREPLY[*]}"' \
	_ "$top/contrib/completion/sockvet.bash")
got2=$(bash -c '. "$1"; COMP_WORDS=(sockvet check --symptom re); COMP_CWORD=3; _sockvet; echo "${COMPREPLY[*]}"' \
	_ "$top/contrib/completion/sockvet.bash")
if [ "$got" = "accept-overflow-emfile" ] && [ "$got2" = "refused reset" ]; then
	tap_ok "bash: lab scenario names and --symptom words complete"
else
	tap_not_ok "bash: lab scenario names and --symptom words complete (got '$got', '$got2')"
fi

# A shell it does not know is a usage error (64), with nothing on stdout.
"$SV" completion fish >"$T/fish.out" 2>"$T/fish.err"
rc=$?
if [ $rc -eq 64 ] && [ ! -s "$T/fish.out" ]; then
	tap_ok "completion fish: a usage error, exit 64"
else
	tap_not_ok "completion fish: a usage error, exit 64 (got $rc)"
fi
[ "$TAP_FAILED" -eq 0 ]
