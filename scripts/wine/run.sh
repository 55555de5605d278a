#!/usr/bin/env bash
# Runs a Windows program under Wine as if it were a Linux one, for the tests:
#
#   scripts/wine/run.sh PROGRAM.exe [ARG]...
#
# - arguments that are absolute Linux paths (/x/y, or --flag=/x/y) become the
#   Windows paths Wine gives them (Z:\x\y), so the e2e tests' temp folders work;
# - standard input, output and error and the exit code pass through;
# - SIGTERM or SIGINT to this script ask the program to stop the way Windows
#   does: a console program (the harness) gets Ctrl+C (Wine turns a SIGINT
#   into CTRL_C_EVENT, which Go's os/signal reports as os.Interrupt); a GUI
#   program (the installed authdesk.exe) gets WM_CLOSE through
#   `taskkill /IM <name>` without /F, as Task Manager or taskkill would
#   (this needs an X display: DISPLAY). A SIGTERM straight to a Wine process
#   would end it on the spot instead.
#
# WINEPREFIX (and WINEDEBUG, WINE) come from the caller, scripts/wine-test.sh.
set -uo pipefail
wine=${WINE:-/usr/lib/wine/wine64}
[ $# -ge 1 ] || { echo "usage: $0 PROGRAM.exe [ARG]..." >&2; exit 2; }
[ -n "${WINEPREFIX:-}" ] || { echo "$0: WINEPREFIX is not set" >&2; exit 2; }

winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }
args=()
for a in "$@"; do
  case $a in
    /*) args+=("$(winpath "$a")") ;;
    --*=/*) args+=("${a%%=*}=$(winpath "${a#*=}")") ;;
    *) args+=("$a") ;;
  esac
done

# In the background so the trap below can run while it does. Standard input
# is passed on explicitly (a background command would otherwise read /dev/null).
"$wine" "${args[@]}" <&0 &
pid=$!

# The PE header's Subsystem field: 2 is a GUI program, 3 a console one.
exe=$1
case $exe in [A-Za-z]:\\*) exe=$(sed 's/^\([A-Za-z]\):/\L\1:/; s/\\/\//g' <<<"$exe"); exe="$WINEPREFIX/dosdevices/$exe" ;; esac
subsystem() {
  local pe
  pe=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ') || return
  od -An -tu2 -j$((pe + 92)) -N2 "$1" | tr -d ' '
}
if [ "$(subsystem "$exe" 2>/dev/null)" = 2 ]; then
  close() { "$wine" taskkill /IM "$(basename "${exe//\\//}")" >/dev/null 2>&1; }
else
  close() { kill -INT "$pid" 2>/dev/null; }
fi
trap close TERM INT
# wait returns early when a trapped signal arrives: wait again until the
# program has ended, then once more for its exit code (127 when the first wait
# already collected it).
while :; do
  wait "$pid"
  rc=$?
  kill -0 "$pid" 2>/dev/null || break
done
wait "$pid" 2>/dev/null
again=$?
[ "$again" -ne 127 ] && rc=$again
exit "$rc"
