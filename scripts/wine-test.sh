#!/usr/bin/env bash
# Runs AuthDesk's Windows build for real, under Wine (Debian's wine64), in a
# throw-away Wine prefix:
#
#   - the prefix: 64-bit, Windows 10, and a test-only bcryptprimitives.dll
#     (scripts/wine/processprng.c: Go >= 1.24 needs ProcessPrng, which Wine 8
#     lacks; built here with mingw-w64, never shipped);
#   - the NSIS installer (build/bin/AuthDesk-<version>-amd64-installer.exe,
#     from scripts/package.sh): with WebView2 missing and offline, a silent
#     install stops with a clear message and exit code 66 (bounded by a
#     timeout); with WebView2 marked present, `/S` installs authdesk.exe into
#     Program Files\AuthDesk with a Start menu shortcut and an uninstall entry;
#   - the installed authdesk.exe: `version`, `users add/list/passwd/remove`
#     with --password-stdin (a Windows CRLF line end included) on its default
#     data folder %AppData%\authdesk, the "already running" error while
#     `serve` holds that folder;
#   - `authdesk.exe serve` checked from Linux with curl (login, the refresh
#     cookie, users, revoke) and stopped the way Windows closes a program,
#     `taskkill` without /F (exit code 0, the folder free again);
#   - the browser harness cross-built for Windows (-tags harness), driven from
#     Linux Chromium by frontend/e2e/session.e2e.js (login, restore after a
#     restart, silent refresh, logout) through scripts/wine/run.sh;
#   - the tests of the Go packages with Windows-only code, as Windows test
#     binaries: backend/privatedir (the data folder's owner-only access list)
#     and app/closesignal (serve's hidden window for WM_CLOSE);
#   - the silent uninstall: program, shortcut and uninstall entry gone, the
#     data folder kept unchanged.
#
# Not covered: the window itself (WebView2 does not run under Wine).
#
# Prints "ok   <check>" or "FAIL <check>" per check, then
# "wine-test: N passed, M failed" (scripts/package-test.sh adds these to its
# own counts); exits 1 when a check failed. Logs of every Wine step stay in
# AUTHDESK_TEST_OUTPUT (default test-output/wine). Needs no root; the
# installer must have been built (scripts/package.sh windows, after
# `make build`) and frontend/dist too (the harness embeds it).
#
# Usage: scripts/wine-test.sh
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${AUTHDESK_TEST_OUTPUT:-$root/test-output/wine}
rm -rf "$out" && mkdir -p "$out"
started=$SECONDS

passed=0 failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() {
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | tail -30 | sed 's/^/     /'
  failed=$((failed + 1))
}
# check NAME CMD...: one check, run in this shell; its output is shown only when it fails
# (and kept in $out/check-<n>.log).
n=0
check() {
  local name=$1 log
  shift
  n=$((n + 1))
  log=$out/check-$n.log
  if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name (log: $log)" "$(cat "$log")"; fi
}
done_() {
  echo "wine-test: Wine steps took $((SECONDS - started)) s"
  echo "wine-test: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
installer=$root/build/bin/AuthDesk-${version}-amd64-installer.exe
export WINE=/usr/lib/wine/wine64 # Debian puts it off PATH
wineserver=/usr/lib/wine/wineserver
run=$root/scripts/wine/run.sh

prereqs() {
  local bad=0
  [ -x "$WINE" ] || { echo "no $WINE: install the Debian package wine64 (scripts/deps.sh does)"; bad=1; }
  command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "no x86_64-w64-mingw32-gcc: install gcc-mingw-w64-x86-64"; bad=1; }
  [ -f "$installer" ] || { echo "no $installer: run scripts/package.sh windows (after make build)"; bad=1; }
  [ -f frontend/dist/index.html ] || { echo "frontend/dist is not built: run make frontend"; bad=1; }
  return $bad
}
check "Wine, mingw-w64, the installer and the frontend build are there" prereqs
((failed)) && done_

work=$(mktemp -d "${TMPDIR:-/tmp}/authdesk-wine-test.XXXXXX")
pids=() # processes this script started, ended by id on exit
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  "$wineserver" -k 2>/dev/null # this prefix's server only (WINEPREFIX is set)
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The prefix: no Mono or Gecko
# download prompts, no Wine debug chatter, none of this machine's AuthDesk
# settings.
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset WAYLAND_DISPLAY AUTHDESK_DATA_DIR
# An X display of its own: taskkill's WM_CLOSE needs the hidden window
# `serve` opens on Windows, and Wine creates windows only with a display.
for d in $(seq 270 330); do
  [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ] || { export DISPLAY=:$d; break; }
done
Xvfb "$DISPLAY" -screen 0 1024x768x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=("$!")
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${DISPLAY#:}" ] && break; sleep 0.2; done
c=$WINEPREFIX/drive_c
winuser=$(id -un)
appdata=$c/users/$winuser/AppData/Roaming
data=$appdata/authdesk
prog='C:\Program Files\AuthDesk\authdesk.exe'
progdir="$c/Program Files/AuthDesk"
shortcut="$c/ProgramData/Microsoft/Windows/Start Menu/Programs/AuthDesk.lnk"
uninst_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\AuthDesk'
webview2_key='HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}'

# Go packages with Windows-only code, whose tests also run as Windows binaries.
wintest_pkgs="./backend/privatedir ./app/closesignal ./backend/keyring ./app/winconsole"
# While Wine boots: cross-build the browser harness and those tests.
(
  GOOS=windows GOARCH=amd64 go build -tags harness -ldflags "-X main.version=$version" \
    -o "$work/authdesk-harness.exe" . &&
    for pkg in $wintest_pkgs; do
      GOOS=windows GOARCH=amd64 go test -c -o "$work/$(basename "$pkg").test.exe" "$pkg" || exit 1
    done
) >"$out/cross-build.log" 2>&1 &
build_pid=$!
pids+=("$build_pid")

echo "== a fresh Wine prefix (Windows 10, 64-bit)"
boot() {
  "$wineserver" -p 2>/dev/null # one server for the whole run: each Wine start is then faster
  timeout -k 5 120 "$WINE" wineboot -i >"$out/wineboot.log" 2>&1 || { cat "$out/wineboot.log"; return 1; }
  "$WINE" reg add 'HKCU\Software\Wine' /v Version /d win10 /f >>"$out/wineboot.log" 2>&1
  local q
  q=$("$WINE" reg query 'HKCU\Software\Wine' /v Version 2>&1 | tr -d '\r')
  echo "$q" | tee -a "$out/wineboot.log"
  grep -qE 'Version +REG_SZ +win10$' <<<"$q"
}
check "wineboot makes the prefix and sets it to Windows 10" boot
shim() {
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$work/bcryptprimitives.dll" \
    scripts/wine/processprng.c scripts/wine/processprng.def -ladvapi32 &&
    cp "$work/bcryptprimitives.dll" "$c/windows/system32/bcryptprimitives.dll"
}
check "the test-only ProcessPrng shim (scripts/wine/processprng.c) is built into system32" shim

echo "== the installer"
# Offline, with no WebView2: the bootstrapper cannot install it (under wine64
# it cannot even start: it is a 32-bit program), so the install must stop.
no_webview2() {
  local rc
  timeout -k 5 120 "$WINE" "$installer" /S >"$out/install-no-webview2.log" 2>&1
  rc=$?
  cat "$out/install-no-webview2.log"
  echo "exit code $rc"
  [ $rc -ne 124 ] || { echo "the installer was still running after 120 s"; return 1; }
  [ $rc -eq 66 ] || return 1
  grep -q 'needs the Microsoft Edge WebView2 Runtime' "$out/install-no-webview2.log" || { echo "no message on stderr"; return 1; }
  [ ! -e "$progdir/authdesk.exe" ] || { echo "it installed authdesk.exe anyway"; return 1; }
}
check "WebView2 missing (offline): /S stops within 120 s with exit code 66 and says why; nothing installed" no_webview2

mark_webview2() { "$WINE" reg add "$webview2_key" /v pv /d 131.0.2903.86 /f /reg:64; }
check "WebView2 marked present in the prefix (EdgeUpdate pv)" mark_webview2

install() {
  local rc
  timeout -k 5 120 "$WINE" "$installer" /S >"$out/install.log" 2>&1
  rc=$?
  cat "$out/install.log"
  echo "exit code $rc"
  [ $rc -eq 0 ]
}
check "the installer runs silently (/S) and exits 0" install
files() {
  ls -l "$progdir"
  [ -f "$progdir/authdesk.exe" ] && [ -f "$progdir/authdesk.com" ] && [ -f "$progdir/uninstall.exe" ]
}
check "authdesk.exe, authdesk.com and uninstall.exe are in C:\\Program Files\\AuthDesk" files
# The PE header's Subsystem field: 2 is a GUI program, 3 a console one.
subsystem() {
  local pe
  pe=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ') || return
  od -An -tu2 -j$((pe + 92)) -N2 "$1" | tr -d ' '
}
kinds() {
  local gui con
  gui=$(subsystem "$progdir/authdesk.exe") con=$(subsystem "$progdir/authdesk.com")
  echo "authdesk.exe subsystem $gui, authdesk.com subsystem $con"
  [ "$gui" = 2 ] && [ "$con" = 3 ]
}
check "authdesk.exe is a GUI program and authdesk.com its console companion (PE subsystems 2 and 3)" kinds
lnk() {
  [ -f "$shortcut" ] || { echo "no $shortcut"; return 1; }
  # A shell link keeps its target's path (as ANSI and/or UTF-16 text).
  local text
  text=$(strings -a "$shortcut"; strings -a -el "$shortcut")
  echo "$text"
  grep -qiF 'C:\Program Files\AuthDesk\authdesk.exe' <<<"$text"
}
check "the Start menu shortcut AuthDesk.lnk points at authdesk.exe" lnk
uninstall_entry() {
  local q
  q=$("$WINE" reg query "$uninst_key" /reg:64 2>&1 | tr -d '\r')
  echo "$q"
  grep -qE 'DisplayName +REG_SZ +AuthDesk$' <<<"$q" &&
    grep -qE "DisplayVersion +REG_SZ +${version//./\\.}\$" <<<"$q" &&
    grep -qF 'QuietUninstallString    REG_SZ    "C:\Program Files\AuthDesk\uninstall.exe" /S' <<<"$q"
}
check "the uninstall entry names AuthDesk $version and its quiet uninstaller" uninstall_entry
v=$("$run" "$prog" version 2>&1 | tr -d '\r')
check "the installed authdesk.exe version prints \"authdesk $version\" (got \"$v\")" test "$v" = "authdesk $version"

echo "== the installed CLI on %AppData%\\authdesk"
# cli NAME STDIN ARGS...: runs the installed authdesk.exe, keeps its output.
cli() {
  local name=$1 input=$2
  shift 2
  printf '%b' "$input" | timeout -k 5 60 "$run" "$prog" "$@" >"$out/cli-$name.log" 2>&1
  local rc=$?
  cat "$out/cli-$name.log"
  return $rc
}
# A Windows line end after the password, as `echo pw| authdesk ...` in cmd gives.
add_admin() {
  cli add-admin 'admin-pass-1\r\n' users add --username admin --first-name Ada --last-name Admin --role Admin --password-stdin &&
    ls -l "$data" && test -f "$data/backend.db"
}
check "users add --role Admin --password-stdin (CRLF line end) creates %AppData%\\authdesk\\backend.db" add_admin
check "users add a User" cli add-alice 'alice-pass-1\n' users add --username alice --first-name Alice --last-name Liddell --password-stdin
check "users add another" cli add-bob 'bob-pass-1\n' users add --username bob --first-name Bob --last-name Builder --password-stdin
check "users passwd alice --password-stdin" cli passwd-alice 'alice-pass-2\n' users passwd alice --password-stdin
check "users remove bob" cli remove-bob '' users remove bob
listed() {
  cli list '' users list || return 1
  grep -qE '^[0-9]+ +admin +Ada +Admin +Admin' "$out/cli-list.log" &&
    grep -qE '^[0-9]+ +alice +Alice +Liddell +User' "$out/cli-list.log" &&
    ! grep -qw bob "$out/cli-list.log"
}
check "users list shows admin (Admin) and alice (User), and bob no more" listed

# From cmd, typing `authdesk` in the install folder runs authdesk.com (cmd
# tries .COM before .EXE), which runs authdesk.exe with the console's input
# and output, waits, and exits with its exit code.
incmd() { # NAME COMMAND-LINE: cmd /c in the install folder, output kept
  local name=$1 rc
  (cd "$progdir" && timeout -k 5 60 "$WINE" cmd /c "$2") >"$out/cmd-$name.log" 2>&1
  rc=$?
  tr -d '\r' <"$out/cmd-$name.log"
  return $rc
}
cmd_list() {
  incmd list 'authdesk users list' || return 1
  tr -d '\r' <"$out/cmd-list.log" | grep -qE '^[0-9]+ +alice +Alice +Liddell +User'
}
check "in cmd, \"authdesk users list\" runs authdesk.com and prints the list" cmd_list
cmd_fail() {
  local rc
  incmd fail 'authdesk users remove nobody'
  rc=$?
  echo "exit code $rc"
  [ $rc -eq 1 ] && grep -qi 'nobody' "$out/cmd-fail.log"
}
check "in cmd, a failing \"authdesk users remove nobody\" prints why and exits 1" cmd_fail

echo "== authdesk.exe serve, from Linux with curl"
"$run" "$prog" serve --addr 127.0.0.1:0 >"$out/serve.out" 2>"$out/serve.log" &
serve_pid=$!
pids+=("$serve_pid")
url=
for _ in $(seq 150); do
  url=$(sed -n 's/^AuthDesk API listening on \(http[^ ]*\).*/\1/p' "$out/serve.out" | tr -d '\r')
  [ -n "$url" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -n "$url" ]; then
  pass "serve listens on $url"
else
  fail "serve starts (log: $out/serve.log)" "$(cat "$out/serve.out" "$out/serve.log")"
fi

second() {
  local rc
  cli second '' users list
  rc=$?
  [ $rc -eq 1 ] && grep -q 'already running with this data folder (C:\\users\\.*\\AppData\\Roaming\\authdesk)' "$out/cli-second.log"
}
check "a second process on the same folder: \"AuthDesk is already running with this data folder (...AppData\\Roaming\\authdesk)\", exit 1" second

jar=$work/cookies
# api METHOD PATH [BODY] [curl args...]: prints the status line's code, then the body.
api() {
  local method=$1 path=$2 body=$3
  shift 3
  curl -sS -m 10 -o "$work/body" -w '%{http_code}\n' -X "$method" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} "$@" "$url$path"
  cat "$work/body"
  echo
}
login() {
  local r
  r=$(api POST /users/authenticate '{"username":"admin","password":"admin-pass-1"}' -c "$jar" -D "$work/headers")
  echo "$r"
  cat "$work/headers"
  head -1 <<<"$r" | grep -qx 200 &&
    grep -q '"jwtToken":"ey' <<<"$r" &&
    grep -qiE '^set-cookie: refreshToken=[^;]+;.*HttpOnly' "$work/headers"
}
check "POST /users/authenticate admin (the CRLF-ended password): 200, a JWT, an HttpOnly refreshToken cookie" login
alice() {
  local old new
  old=$(api POST /users/authenticate '{"username":"alice","password":"alice-pass-1"}')
  new=$(api POST /users/authenticate '{"username":"alice","password":"alice-pass-2"}')
  echo "old: $old"
  echo "new: $new"
  head -1 <<<"$old" | grep -qx 400 && head -1 <<<"$new" | grep -qx 200
}
check "alice's old password is refused (400), the one set by users passwd works" alice
token=
refresh() {
  local r old
  old=$(awk '$6 == "refreshToken" {print $7}' "$jar")
  r=$(api POST /users/refresh-token '' -b "$jar" -c "$jar")
  echo "$r"
  token=$(sed -n 's/.*"jwtToken":"\([^"]*\)".*/\1/p' <<<"$r")
  head -1 <<<"$r" | grep -qx 200 && [ -n "$token" ] && [ -n "$old" ] &&
    [ "$(awk '$6 == "refreshToken" {print $7}' "$jar")" != "$old" ]
}
check "POST /users/refresh-token with the cookie: 200, a new JWT and a new (rotated) cookie" refresh
users() {
  local r
  r=$(api GET /users '' -H "Authorization: Bearer $token")
  echo "$r"
  head -1 <<<"$r" | grep -qx 200 && grep -q '"username":"admin"' <<<"$r" && grep -q '"username":"alice"' <<<"$r"
}
check "GET /users with the new JWT lists admin and alice" users
revoke() {
  local r cur
  cur=$(awk '$6 == "refreshToken" {print $7}' "$jar")
  r=$(api POST /users/revoke-token "{\"token\":\"$cur\"}" -H "Authorization: Bearer $token")
  echo "revoke: $r"
  head -1 <<<"$r" | grep -qx 200 || return 1
  r=$(api POST /users/refresh-token '' -b "$jar")
  echo "refresh after revoke: $r"
  head -1 <<<"$r" | grep -qx 400
}
check "POST /users/revoke-token: 200, and the revoked token no longer refreshes (400)" revoke

# stopped PID LOG WHAT: checks that the serve run.sh's PID started stops
# cleanly within 20 s of WHAT: exit code 0 and "stopped serving" in LOG.
stopped() {
  local pid=$1 rc
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "serve still runs 20 s after $3"
    return 1
  fi
  wait "$pid"
  rc=$?
  tr -d '\r' <"$2"
  echo "exit code $rc"
  [ $rc -eq 0 ] && grep -q 'msg="stopped serving"' "$2"
}

# authdesk.exe is a GUI program: no console, so no Ctrl+C. Windows asks it to
# close as taskkill (without /F) does, with WM_CLOSE, which run.sh sends.
stop_serve() {
  kill -TERM "$serve_pid"
  stopped "$serve_pid" "$out/serve.log" taskkill || return 1
  cli after-serve '' users list # the folder is free again
}
check "taskkill /IM authdesk.exe (no /F) stops serve cleanly: \"stopped serving\", exit code 0 within 20 s, the folder free again" stop_serve

# serve started from a console through authdesk.com: its output comes
# through, and when authdesk.exe is closed the way Windows closes it,
# authdesk.com ends with its exit code. (Ctrl+C cannot be typed here: Wine
# gives a program whose output is redirected no console, and ends it on
# SIGINT. authdesk.com's own Ctrl+C handling runs in app/winconsole's tests,
# as a Windows binary below.)
console_serve() {
  local pid
  "$run" 'C:\Program Files\AuthDesk\authdesk.com' serve --addr 127.0.0.1:0 >"$out/com-serve.out" 2>"$out/com-serve.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 150); do
    grep -q '^AuthDesk API listening on http' "$out/com-serve.out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tr -d '\r' <"$out/com-serve.out"
  grep -q '^AuthDesk API listening on http' "$out/com-serve.out" || { cat "$out/com-serve.log"; return 1; }
  "$WINE" taskkill /IM authdesk.exe >/dev/null 2>&1
  stopped "$pid" "$out/com-serve.log" taskkill
}
check "authdesk.com serve: serve's output comes through, and closing authdesk.exe ends authdesk.com with serve's exit code 0 (\"stopped serving\")" console_serve

echo "== the browser harness for Windows, driven from Linux Chromium"
wait "$build_pid"
build_rc=$?
if [ $build_rc -eq 0 ]; then
  pass "GOOS=windows go build -tags harness (and the Windows test binaries)"
else
  fail "the Windows cross-builds (log: $out/cross-build.log)" "$(cat "$out/cross-build.log")"
fi
if [ $build_rc -eq 0 ]; then
  # The e2e helpers start AUTHDESK_HARNESS with Linux paths and stop it with
  # SIGTERM: run.sh turns both into their Windows forms.
  printf '#!/bin/sh\nexec %q %q "$@"\n' "$run" "$work/authdesk-harness.exe" >"$work/authdesk-harness"
  chmod +x "$work/authdesk-harness"
  AUTHDESK_HARNESS=$work/authdesk-harness AUTHDESK_TEST_OUTPUT=$out/e2e \
    node --test --test-concurrency=1 --test-reporter=spec frontend/e2e/session.e2e.js >"$out/e2e.log" 2>&1
  rc=$?
  sed -nE 's/^ *(✔|✖) /\1 /p' "$out/e2e.log" | sed 's/^/     /'
  p=$(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$out/e2e.log" | tail -1)
  f=$(sed -nE 's/^ℹ fail ([0-9]+)$/\1/p' "$out/e2e.log" | tail -1)
  p=${p:-0} f=${f:-0}
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  if [ "$f" -eq 0 ] && [ "$p" -gt 0 ]; then
    pass "frontend/e2e/session.e2e.js against authdesk-harness.exe under Wine: $p tests (login, the sign-in kept in Credential Manager, restore after restart, silent refresh, logout)"
  else
    fail "frontend/e2e/session.e2e.js under Wine: $p passed, $f failed (log: $out/e2e.log)" "$(grep -E '✖|Error|error' "$out/e2e.log" | head -30)"
  fi

  for pkg in $wintest_pkgs; do
    name=$(basename "$pkg")
    timeout -k 5 120 "$WINE" "$work/$name.test.exe" -test.v >"$out/$name-test.log" 2>&1
    rc=$?
    tr -d '\r' <"$out/$name-test.log" | grep -E '^\s*--- (PASS|FAIL|SKIP)' | sed 's/^/     /'
    p=$(grep -cE '^\s*--- PASS' "$out/$name-test.log")
    f=$(grep -cE '^\s*--- FAIL' "$out/$name-test.log")
    if [ $rc -eq 0 ] && [ "$f" -eq 0 ] && [ "$p" -gt 0 ]; then
      pass "${pkg#./}'s tests as a Windows binary: $p passed"
    else
      fail "${pkg#./}'s tests under Wine (log: $out/$name-test.log)" "$(cat "$out/$name-test.log")"
    fi
  done
fi

echo "== the silent uninstall"
before=$(cat "$data"/*.db 2>/dev/null | sha256sum)
uninstall() {
  # NSIS uninstallers copy themselves to %TEMP% and return at once: wait for
  # the copy to finish (the program and the entry gone), 60 s at most.
  timeout -k 5 60 "$WINE" "C:\\Program Files\\AuthDesk\\uninstall.exe" /S >"$out/uninstall.log" 2>&1 || { cat "$out/uninstall.log"; return 1; }
  for _ in $(seq 300); do
    [ ! -e "$progdir" ] && break # the uninstaller removes the folder last
    sleep 0.2
  done
  cat "$out/uninstall.log"
}
check "uninstall.exe /S runs" uninstall
gone() {
  local bad=0
  [ -e "$progdir/authdesk.exe" ] && { echo "still there: authdesk.exe"; bad=1; }
  [ -e "$progdir/authdesk.com" ] && { echo "still there: authdesk.com"; bad=1; }
  [ -e "$progdir/uninstall.exe" ] && { echo "still there: uninstall.exe"; bad=1; }
  [ -e "$progdir" ] && { echo "still there: $progdir"; bad=1; }
  [ -e "$shortcut" ] && { echo "still there: the Start menu shortcut"; bad=1; }
  "$WINE" reg query "$uninst_key" /reg:64 >/dev/null 2>&1 && { echo "still there: $uninst_key"; bad=1; }
  return $bad
}
check "the program, its folder, the shortcut and the uninstall entry are gone" gone
kept() {
  ls -l "$data"
  [ -f "$data/backend.db" ] && [ "$(cat "$data"/*.db | sha256sum)" = "$before" ]
}
check "the data folder %AppData%\\authdesk is kept, unchanged" kept

done_
