#!/usr/bin/env bash
# Tests AuthDesk's packages the way people get them:
#
#   - builds them (scripts/package.sh: the .deb and the Windows installer,
#     within their size budgets) from the production build in build/bin;
#   - installs the .deb with apt, runs the installed /usr/bin/authdesk (its
#     version, the real window under Xvfb, a launch through the desktop entry),
#     checks the desktop entry, icons and libraries are where they belong;
#   - removes it with apt: the program is gone, the user's data stays;
#   - looks inside the Windows installer (7z reads NSIS archives);
#   - runs it under Wine: installs it, runs the installed authdesk.exe (CLI,
#     serve), the Windows build of the browser harness, and uninstalls it
#     (scripts/wine-test.sh, whose checks count here; logs in <output>/wine).
#
# Needs root (apt). Idempotent: an authdesk package installed before is removed
# first, and the package is never left installed. Prints "ok   <check>" or
# "FAIL <check>" per check, then "package-test: N passed, M failed" (which
# scripts/test.sh reads); exits 1 when a check failed.
#
# Usage: scripts/package-test.sh [--no-build]   (--no-build: test the packages already in build/bin)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${AUTHDESK_TEST_OUTPUT:-$root/test-output/package}
mkdir -p "$out"

build=1
[ "${1:-}" = --no-build ] && build=0

passed=0 failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() {
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -30 | sed 's/^/     /'
  failed=$((failed + 1))
}
# check NAME CMD...: one check, run in this shell; its output is shown only when it fails.
check() {
  local name=$1
  shift
  if "$@" >"$work/check.out" 2>&1; then pass "$name"; else fail "$name" "$(cat "$work/check.out")"; fi
}
done_() {
  echo "package-test: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

if [ "$(id -u)" -ne 0 ]; then
  fail "running as root (apt installs the package)" "run: sudo bash $0"
  done_
fi

version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
deb=build/bin/authdesk_${version}_amd64.deb
exe=build/bin/AuthDesk-${version}-amd64-installer.exe
sizes=(16 32 48 64 128 256 512)
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y "$@"; }
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' authdesk 2>/dev/null)" = installed ]; }

# One run at a time on this machine: the package is installed system-wide.
exec 8>/tmp/authdesk-package-test.lock
flock -w 900 8 || { fail "waiting for another package test to finish"; done_; }

work=$(mktemp -d "${TMPDIR:-/tmp}/authdesk-package-test.XXXXXX")
pids=() # processes this script started, ended by id on exit
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  if installed; then
    echo "package-test: removing the authdesk package it installed"
    apt_get remove authdesk >"$out/cleanup-remove.log" 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so an interrupted run still cleans up

echo "== build the packages"
if ((build)); then
  if bash scripts/package.sh >"$out/package.log" 2>&1; then
    grep -E 'bytes .* MB' "$out/package.log"
    pass "scripts/package.sh builds the .deb and the Windows installer within their size budgets"
  else
    tail -30 "$out/package.log"
    fail "scripts/package.sh (log: $out/package.log)"
    done_
  fi
fi
[ -f "$deb" ] || { fail "$deb exists"; done_; }

echo "== the files in the repository"
icons_current() {
  go run build/_icon/appicon.go -o "$work/appicon.png" -ico "$work/icon.ico" || return 1
  go run build/_icon/appicon.go -o "$work/windowicon.png" -size 128 || return 1
  cmp build/appicon.png "$work/appicon.png" && cmp build/windows/icon.ico "$work/icon.ico" ||
    { echo "regenerate: go run build/_icon/appicon.go -o build/appicon.png -ico build/windows/icon.ico"; return 1; }
  cmp build/windowicon.png "$work/windowicon.png" ||
    { echo "regenerate: go run build/_icon/appicon.go -o build/windowicon.png -size 128"; return 1; }
}
check "build/appicon.png, build/windowicon.png and build/windows/icon.ico are what build/_icon/appicon.go draws" icons_current
# desktop-file-validate exits 0 on warnings: fail on them too (hints are advice).
validate_desktop() {
  local o
  o=$(desktop-file-validate "$1" 2>&1) || { echo "$o"; return 1; }
  ! grep -E ': (error|warning):' <<<"$o"
}
check "build/linux/authdesk.desktop passes desktop-file-validate" validate_desktop build/linux/authdesk.desktop

echo "== the .deb"
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: authdesk" test "$(field Package)" = authdesk
check "Version: $version (wails.json)" test "$(field Version)" = "$version"
check "Architecture: amd64" test "$(field Architecture)" = amd64
deps_ok() {
  local d
  d=$(field Depends)
  echo "Depends: $d"
  grep -qw 'libgtk-3-0' <<<"$d" && grep -qw 'libwebkit2gtk-4.1-0' <<<"$d"
}
check "Depends on libgtk-3-0 and libwebkit2gtk-4.1-0" deps_ok
expected_files() {
  echo ./usr/bin/authdesk
  echo ./usr/share/applications/authdesk.desktop
  echo ./usr/share/doc/authdesk/copyright
  for s in "${sizes[@]}"; do echo "./usr/share/icons/hicolor/${s}x${s}/apps/authdesk.png"; done
}
deb_files() {
  diff <(expected_files | sort) <(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sort)
}
check "the .deb holds exactly the binary, the desktop entry, 7 icon sizes and the copyright" deb_files

echo "== install with apt"
if installed || [ -n "$(dpkg-query -W -f='${Status}' authdesk 2>/dev/null)" ]; then
  echo "package-test: an authdesk package is already there: removing it first"
  apt_get purge authdesk >"$out/pre-remove.log" 2>&1 || { cat "$out/pre-remove.log"; fail "removing the old authdesk package"; done_; }
fi
if apt_get install "./$deb" >"$out/install.log" 2>&1 && installed; then
  pass "apt-get install ./$(basename "$deb")"
else
  tail -20 "$out/install.log"
  fail "apt-get install ./$(basename "$deb") (log: $out/install.log)"
  done_
fi
check "dpkg knows authdesk $version" test "$(dpkg-query -W -f='${Version}' authdesk)" = "$version"
check "authdesk on PATH is /usr/bin/authdesk" test "$(command -v authdesk)" = /usr/bin/authdesk
v=$(/usr/bin/authdesk version 2>&1)
check "/usr/bin/authdesk version prints \"authdesk $version\" (got \"$v\")" test "$v" = "authdesk $version"

installed_entry() {
  local f=/usr/share/applications/authdesk.desktop
  test -f "$f" && cmp "$f" build/linux/authdesk.desktop && validate_desktop "$f" &&
    grep -qx 'Exec=/usr/bin/authdesk' "$f" && grep -qx 'Icon=authdesk' "$f"
}
check "/usr/share/applications/authdesk.desktop is installed and valid" installed_entry
png_size() { # file: prints WIDTHxHEIGHT from the PNG header
  local sig
  sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  [ "$sig" = 89504e470d0a1a0a ] || { echo "not a PNG"; return; }
  echo "$((16#$(od -An -tx1 -j16 -N4 "$1" | tr -d ' \n')))x$((16#$(od -An -tx1 -j20 -N4 "$1" | tr -d ' \n')))"
}
icons_installed() {
  local s f bad=0
  for s in "${sizes[@]}"; do
    f=/usr/share/icons/hicolor/${s}x${s}/apps/authdesk.png
    if [ ! -f "$f" ]; then echo "missing: $f"; bad=1; continue; fi
    [ "$(png_size "$f")" = "${s}x${s}" ] || { echo "$f is $(png_size "$f"), want ${s}x${s}"; bad=1; }
  done
  return $bad
}
check "icons in /usr/share/icons/hicolor/<n>x<n>/apps/authdesk.png, 16 to 512, each its size" icons_installed

# Every library the installed binary loads must be found, and come from a
# package that installing authdesk pulls in (so a clean system gets it too).
libs_from_depends() {
  local missing closure lib path pkg bad=0
  missing=$(ldd /usr/bin/authdesk | grep 'not found')
  [ -z "$missing" ] || { echo "$missing"; return 1; }
  closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances --installed authdesk | grep -v '^ ' | sed 's/:amd64$//' | sort -u)
  while read -r lib path; do
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
    [ -z "$pkg" ] && pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
    if [ -z "$pkg" ] || ! grep -qx "$pkg" <<<"$closure"; then
      echo "$lib ($path) comes from ${pkg:-no package}, which authdesk's Depends do not pull in"
      bad=1
    fi
  done < <(objdump -p /usr/bin/authdesk | awk '/NEEDED/{print $2}' | while read -r l; do
    echo "$l $(ldd /usr/bin/authdesk | awk -v l="$l" '$1==l{print $3}')"
  done)
  return $bad
}
check "every library /usr/bin/authdesk needs comes with its Depends" libs_from_depends

echo "== the installed app's window (Xvfb)"
AUTHDESK_BIN=/usr/bin/authdesk AUTHDESK_TEST_OUTPUT="$root/test-output/installed" \
  go test -count=1 -v -tags windowtest -run TestWindowOpensOnLoginPage ./app/windowtest/ >"$out/window.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|\s*--- |panic:)|screenshot' "$out/window.log"
if [ $rc -eq 0 ] && grep -q -- '--- PASS: TestWindowOpensOnLoginPage' "$out/window.log"; then
  pass "the installed /usr/bin/authdesk opens its window on the login page"
else
  fail "the installed app's window test (log: $out/window.log)"
fi

# Launch it the way a desktop does, through the desktop entry (gtk-launch
# reads /usr/share/applications/authdesk.desktop), with a fresh home: it must
# open its window, which must carry the desktop entry's StartupWMClass (so
# docks group it under our icon), and it must create its data in the config
# folder the README names.
launch_from_entry() {
  local n disp xpid wid pid cls want home=$work/home
  mkdir -p "$home"
  for n in $(seq 200 260); do
    [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] || { disp=:$n; break; }
  done
  [ -n "${disp:-}" ] || { echo "no free X display"; return 1; }
  Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
  xpid=$!
  pids+=("$xpid")
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.2; done
  env -u AUTHDESK_DATA_DIR HOME="$home" XDG_CONFIG_HOME="$home/.config" DISPLAY="$disp" GDK_BACKEND=x11 \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1 DBUS_SESSION_BUS_ADDRESS=disabled: \
    gtk-launch authdesk >"$out/gtk-launch.log" 2>&1 || { cat "$out/gtk-launch.log"; return 1; }
  for _ in $(seq 300); do
    wid=$(DISPLAY=$disp xdotool search --onlyvisible --name '^AuthDesk$' 2>/dev/null | head -1)
    [ -n "$wid" ] && break
    sleep 0.2
  done
  [ -n "$wid" ] || { echo "no window titled AuthDesk within 60 s"; return 1; }
  pid=$(DISPLAY=$disp xdotool getwindowpid "$wid")
  [ -n "$pid" ] && pids+=("$pid")
  [ "$(readlink -f "/proc/$pid/exe")" = /usr/bin/authdesk ] || { echo "the window's process $pid is not /usr/bin/authdesk"; return 1; }
  cls=$(DISPLAY=$disp xprop -id "$wid" WM_CLASS | sed -n 's/.*= "\([^"]*\)", "\([^"]*\)"/\2/p')
  want=$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/authdesk.desktop)
  echo "WM_CLASS class \"$cls\", StartupWMClass \"$want\""
  [ -n "$cls" ] && [ "$cls" = "$want" ] || return 1
  for _ in $(seq 50); do [ -f "$home/.config/authdesk/backend.db" ] && break; sleep 0.2; done
  [ -f "$home/.config/authdesk/backend.db" ] || { echo "no $home/.config/authdesk/backend.db"; return 1; }
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$xpid"
}
check "launched through its desktop entry: window opens, WM_CLASS matches StartupWMClass, data in ~/.config/authdesk" launch_from_entry

echo "== user data, then remove with apt"
data=$work/data
# The users commands never create the demo account: add someone, then list.
users=$(echo 'kept-password-1' | /usr/bin/authdesk --data-dir "$data" users add --username ada \
  --first-name Ada --last-name Lovelace --password-stdin 2>&1 &&
  /usr/bin/authdesk --data-dir "$data" users list 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -qw ada <<<"$users" && [ -f "$data/backend.db" ]; then
  pass "/usr/bin/authdesk --data-dir DIR users add/list makes DIR/backend.db (lists the new user)"
else
  fail "/usr/bin/authdesk --data-dir DIR users list (exit $rc)" "$users"
fi
before=$(cat "$data/backend.db" "$work/home/.config/authdesk/backend.db" 2>/dev/null | sha256sum)

if apt_get remove authdesk >"$out/remove.log" 2>&1; then
  pass "apt-get remove authdesk"
else
  tail -20 "$out/remove.log"
  fail "apt-get remove authdesk (log: $out/remove.log)"
fi
check "authdesk is no longer installed" bash -c '! dpkg-query -W -f="\${db:Status-Status}" authdesk 2>/dev/null | grep -qx installed'
gone() {
  local f bad=0
  for f in /usr/bin/authdesk /usr/share/applications/authdesk.desktop /usr/share/doc/authdesk \
    $(for s in "${sizes[@]}"; do echo "/usr/share/icons/hicolor/${s}x${s}/apps/authdesk.png"; done); do
    [ -e "$f" ] && { echo "still there: $f"; bad=1; }
  done
  return $bad
}
check "/usr/bin/authdesk, the desktop entry and the icons are gone" gone
kept() {
  [ -f "$data/backend.db" ] && [ -f "$work/home/.config/authdesk/backend.db" ] &&
    [ "$(cat "$data/backend.db" "$work/home/.config/authdesk/backend.db" | sha256sum)" = "$before" ]
}
check "user data survives removal (the --data-dir folder and ~/.config/authdesk, unchanged)" kept

echo "== the Windows installer"
if [ ! -f "$exe" ]; then
  fail "$exe exists"
else
  listing=$(7z l "$exe" 2>&1)
  has() { grep -qE "[[:space:]/]$1\$" <<<"$listing" || { echo "not in the installer: $1"; return 1; }; }
  contents() { has authdesk.exe && has uninstall.exe && has MicrosoftEdgeWebview2Setup.exe; }
  check "it installs authdesk.exe and an uninstaller, with the WebView2 bootstrapper" contents
  rm -rf "$work/win" && mkdir -p "$work/win"
  if 7z e -o"$work/win" "$exe" authdesk.exe >/dev/null 2>&1; then
    win_exe() {
      local f=$work/win/authdesk.exe
      file "$f" | grep -q 'PE32+ executable (GUI) x86-64' || { file "$f"; return 1; }
      # the version resource (UTF-16) carries wails.json's version and names
      strings -el "$f" | grep -A1 -x ProductVersion | grep -qx "$version" || { echo "no ProductVersion $version"; return 1; }
      strings -el "$f" | grep -A1 -x OriginalFilename | grep -qx authdesk.exe || { echo "no OriginalFilename authdesk.exe"; return 1; }
    }
    check "the installed authdesk.exe is a 64-bit GUI program with version $version in its resources" win_exe
  else
    fail "7z extracts authdesk.exe from the installer"
  fi
  inst_ver() { strings -el "$exe" | grep -A1 -x ProductVersion | grep -qx "$version"; }
  check "the installer's own version resource says $version" inst_ver
fi

# Its own script, runnable alone; its checks count here.
echo "== Windows under Wine: the installer, the installed CLI and serve, the harness (scripts/wine-test.sh)"
AUTHDESK_TEST_OUTPUT="$out/wine" bash scripts/wine-test.sh 2>&1 | tee "$work/wine-test.out"
rc=${PIPESTATUS[0]}
wp=$(sed -nE 's/^wine-test: ([0-9]+) passed, [0-9]+ failed$/\1/p' "$work/wine-test.out" | tail -1)
wf=$(sed -nE 's/^wine-test: [0-9]+ passed, ([0-9]+) failed$/\1/p' "$work/wine-test.out" | tail -1)
wp=${wp:-0} wf=${wf:-0}
[ $rc -ne 0 ] && [ "$wf" -eq 0 ] && wf=1 # it ended before counting
passed=$((passed + wp))
failed=$((failed + wf))

done_
