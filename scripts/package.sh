#!/usr/bin/env bash
# Builds AuthDesk's installable packages into build/bin/ from the production
# build (`make package` runs `make build` first, then this):
#
#   authdesk_<version>_amd64.deb              Debian/Ubuntu, made with nfpm
#   AuthDesk-<version>-amd64-installer.exe    Windows, NSIS, cross-built here
#
# and fails when one is over its size budget (.deb 5 MB, installer 8 MB).
# The version is wails.json's info.productVersion (the Makefile passes it as
# VERSION; run alone, this reads it the same way).
#
# Usage: scripts/package.sh [deb] [windows]     (no argument: both)
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
DEB_MAX=5000000  # bytes
EXE_MAX=8000000  # bytes
bin=build/bin
stage=$bin/package

want_deb=0 want_win=0
for a in "${@:-deb windows}"; do
  for w in $a; do
    case $w in
      deb) want_deb=1 ;;
      windows) want_win=1 ;;
      *) echo "usage: $0 [deb] [windows]" >&2; exit 2 ;;
    esac
  done
done

version=${VERSION:-$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)}
[ -n "$version" ] || { echo "package: no info.productVersion in wails.json" >&2; exit 1; }
json() { node -e 'const w=require("./wails.json"); const v=process.argv[1].split(".").reduce((o,k)=>o&&o[k],w); process.stdout.write(v==null?"":String(v))' "$1"; }

mkdir -p "$bin"
# One packaging run at a time in this tree (it rewrites build/bin/package).
exec 9>"$bin/.package.lock"
flock -w 900 9 || { echo "package: another packaging run holds $bin/.package.lock" >&2; exit 1; }

# The Linux binary comes from `make build`; make sure it is that build and
# this version, not a stale or dev one.
if [ ! -x "$bin/authdesk" ]; then
  echo "package: $bin/authdesk is missing: run \`make package\` (or \`make build\` first)" >&2
  exit 1
fi
got=$("$bin/authdesk" version 2>&1 || true)
if [ "$got" != "authdesk $version" ]; then
  echo "package: $bin/authdesk says \"$got\", want \"authdesk $version\": run \`make build\`" >&2
  exit 1
fi
if [ ! -f frontend/dist/index.html ]; then
  echo "package: frontend/dist is not built: run \`make frontend\`" >&2
  exit 1
fi

size_line() { # file limit
  local s
  s=$(stat -c %s "$1")
  printf '%-44s %9d bytes  %5.2f MB  (limit %.1f MB)\n' "$(basename "$1")" "$s" \
    "$(awk -v s="$s" 'BEGIN{print s/1e6}')" "$(awk -v s="$2" 'BEGIN{print s/1e6}')"
  [ "$s" -le "$2" ]
}
over=0

if ((want_deb)); then
  echo "== Debian package"
  if readelf -S "$bin/authdesk" | grep -q '\.symtab'; then
    echo "package: $bin/authdesk has a symbol table: build it with -ldflags \"-s -w\" (wails build does in production mode)" >&2
    exit 1
  fi
  rm -rf "$stage" && mkdir -p "$stage"
  go run build/_icon/appicon.go -hicolor "$stage/hicolor"
  {
    echo "AuthDesk"
    echo
    json info.copyright; echo
  } >"$stage/copyright"
  deb="$bin/authdesk_${version}_amd64.deb"
  rm -f "$bin"/authdesk_*_amd64.deb
  AUTHDESK_VERSION="$version" AUTHDESK_MAINTAINER="$(json author.name)${AUTHDESK_EMAIL:+ <$AUTHDESK_EMAIL>}" \
    go run "$NFPM" package --config build/linux/nfpm.yaml --packager deb --target "$deb"
  # nfpm's xz is a pure-Go encoder that packs the binary about 20% worse than
  # xz itself (4.8 MB against 4.0 MB for a 12.8 MB binary): let Debian's own
  # dpkg-deb recompress the very same package (same control data, same files).
  rm -rf "$stage/deb"
  dpkg-deb -R "$deb" "$stage/deb"
  dpkg-deb --root-owner-group -Zxz -z6 -b "$stage/deb" "$deb" >/dev/null
  rm -rf "$stage/deb"
  size_line "$deb" "$DEB_MAX" || over=1
fi

if ((want_win)); then
  echo "== Windows installer"
  command -v makensis >/dev/null || { echo "package: makensis is missing (Debian package nsis; scripts/deps.sh installs it)" >&2; exit 1; }
  # Wails' Windows build drops AuthDesk-res.syso (a Windows object) in the
  # project root while it compiles, and writes into build/windows/installer.
  # A Linux `go build` or `go test` running in this tree at that moment would
  # try to link the .syso, so build in a private copy of the sources instead.
  src=$(mktemp -d "${TMPDIR:-/tmp}/authdesk-windows.XXXXXX")
  trap 'rm -rf "$src"' EXIT
  for e in *; do
    case $e in build | frontend | test-output | tmp) ;; *) cp -a "$e" "$src/" ;; esac
  done
  mkdir -p "$src/build" "$src/frontend"
  cp -a build/appicon.png build/windowicon.png build/windows "$src/build/"
  cp -a frontend/dist frontend/package.json "$src/frontend/"
  rm -f "$src/build/windows/installer/wails_tools.nsh"
  rm -rf "$src/build/windows/installer/tmp"
  # authdesk.com, the console companion the installer puts next to
  # authdesk.exe (app/winconsole: `authdesk users ...` from cmd waits and
  # prints like any command-line program).
  mkdir -p "$src/build/windows/installer/console"
  GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "-s -w" \
    -o "$src/build/windows/installer/console/authdesk.com" ./app/winconsole ||
    { echo "package: building authdesk.com failed" >&2; exit 1; }
  (
    cd "$src"
    go tool wails build -platform windows/amd64 -nsis -s -m -skipbindings -trimpath \
      -tags webkit2_41 -ldflags "-X main.version=$version"
  ) >"$bin/windows-build.log" 2>&1 || { tail -40 "$bin/windows-build.log"; echo "package: the Windows build failed (log: $bin/windows-build.log)" >&2; exit 1; }
  installer="AuthDesk-${version}-amd64-installer.exe"
  if [ ! -f "$src/build/bin/$installer" ]; then
    tail -40 "$bin/windows-build.log"
    echo "package: wails made no $installer (log: $bin/windows-build.log)" >&2
    exit 1
  fi
  rm -f "$bin"/AuthDesk-*-amd64-installer.exe
  mv "$src/build/bin/$installer" "$bin/$installer"
  mv "$src/build/bin/authdesk.exe" "$bin/authdesk.exe"
  cp "$src/build/windows/installer/console/authdesk.com" "$bin/authdesk.com"
  size_line "$bin/$installer" "$EXE_MAX" || over=1
fi

if ((over)); then
  echo "package: over the size budget" >&2
  exit 1
fi
