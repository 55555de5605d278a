#!/bin/sh
# Builds zitadel/oidc's example OpenID provider (the one the OIDC tests sign
# in with) into the file named by $1, from a temporary module, through the Go
# module proxy. Run it as: PORT=9998 REDIRECT_URI=http://127.0.0.1/callback <file>
# It serves the issuer http://localhost:$PORT/ with a public native client
# "native" (PKCE, refresh tokens) and the user test-user@localhost / verysecure.
# It is built and then run (rather than `go run`) so whoever starts it can
# stop exactly that process.
set -eu
out=${1:?usage: scripts/oidc-provider.sh OUTPUT_FILE}
case $out in /*) ;; *) out="$PWD/$out" ;; esac
module=github.com/zitadel/oidc/v3
version=v3.52.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
printf 'module authdesk.test/oidcprovider\n\ngo 1.26\n' >go.mod
GOWORK=off GOFLAGS=-mod=mod go get "$module/example/server@$version"
GOWORK=off GOFLAGS=-mod=mod go build -o "$out" "$module/example/server"
