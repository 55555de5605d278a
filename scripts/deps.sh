#!/usr/bin/env bash
# Installs what building and testing AuthDesk needs, and nothing when it is all there.
# Debian packages come from apt (as root; otherwise we print the sudo command and stop),
# npm packages from the committed lock file with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: GTK 3 and WebKitGTK 4.1 headers for the Wails window.
# Tests: a virtual X display, input and screenshots for the real-window test,
# Chromium for the browser end-to-end test. Packaging: nsis for the Windows installer;
# for the package test desktop-file-utils (desktop-file-validate), p7zip-full (7z reads the
# installer), libgtk-3-bin (gtk-launch starts the app from its desktop entry) and file.
# Keyring tests: gnome-keyring (a real Secret Service on a private bus) and libsecret-tools
# (secret-tool, to check entries as a person's tools see them). Fonts: fonts-dejavu-core, whose
# DejaVu Serif the window test sets as GTK's font to see that the page follows it.
# The Windows test (scripts/wine-test.sh): wine64 runs the installer and authdesk.exe,
# gcc-mingw-w64-x86-64 builds its test-only ProcessPrng shim, curl talks to `serve`.
packages=(
  build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth xdotool imagemagick chromium x11-utils dbus-daemon
  nsis desktop-file-utils p7zip-full libgtk-3-bin file
  gnome-keyring libsecret-tools fonts-dejavu-core
  wine64 gcc-mingw-w64-x86-64 curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: run: sudo apt-get update && sudo ${cmd[*]}" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  "${cmd[@]}" -qq
fi

# npm ci when node_modules is absent or older than the lock file.
lock=frontend/package-lock.json
stamp=frontend/node_modules/.package-lock.json
if [ -f "$lock" ] && { [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; }; then
  echo "deps: npm ci"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
