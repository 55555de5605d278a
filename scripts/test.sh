#!/usr/bin/env bash
# Runs every AuthDesk test suite in order and prints each suite's counts, then a
# total. Stops at the first failing suite (later suites need the earlier ones:
# the window and browser tests run the binaries the build step makes).
# Full logs go to test-output/; screenshots to test-output/window and
# test-output/e2e.
set -uo pipefail
cd "$(dirname "$0")/.."
out=test-output
rm -rf "$out" && mkdir -p "$out"
total_pass=0
total_fail=0

summary() { # suite passed failed
  echo "$1: $2 passed, $3 failed"
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
}

finish() {
  echo
  echo "total: $total_pass passed, $total_fail failed"
  [ "$total_fail" -eq 0 ] && [ "${1:-0}" -eq 0 ]
  exit $?
}

# count_go LOG: passes and failures of go test -v output (subtests included).
count_go() {
  local p f
  p=$(grep -cE '^\s*--- PASS' "$1")
  f=$(grep -cE '^\s*--- FAIL' "$1")
  echo "$p $f"
}

step() { echo; echo "== $*"; }

step "go vet"
go vet ./... && go vet -tags harness ./... && go vet -tags oidcprovider ./backend/oidc/ || { summary vet 0 1; finish 1; }

step "go test -race ./..."
go test -race -count=1 -v ./... >"$out/go-test.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|---.FAIL|panic:|\s+--- FAIL)' "$out/go-test.log"
read -r p f < <(count_go "$out/go-test.log")
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1   # build failure or panic: no --- FAIL line
# A real OpenID provider: zitadel/oidc's example OP, which the test fetches
# through the Go proxy (first run), builds and starts on loopback.
echo "-- go test -race -tags oidcprovider ./backend/oidc/ (real OpenID provider)"
go test -race -count=1 -v -tags oidcprovider -run '^TestRealProvider$' ./backend/oidc/ >"$out/go-oidcprovider.log" 2>&1
orc=$?
grep -E '^(ok|FAIL|---.FAIL|panic:|\s+--- FAIL)|go get .*go build' "$out/go-oidcprovider.log"
read -r op of < <(count_go "$out/go-oidcprovider.log")
[ $orc -ne 0 ] && [ "$of" -eq 0 ] && of=1
p=$((p + op)); f=$((f + of))
[ $orc -eq 0 ] || rc=1
summary go "$p" "$f"
[ $rc -eq 0 ] || finish 1

# A count, not a duration: Go 1.26's fuzz coordinator can fail a run whose
# -fuzztime deadline lands mid-execution ("context deadline exceeded", no
# crasher; golang/go#75804). A count has no deadline to race.
fuzz_budget=${AUTHDESK_FUZZ_EXECS:-50000x}
step "fuzz (seed corpora ran above; $fuzz_budget new inputs each)"
fuzz_pass=0
while read -r pkg target; do
  [ -z "$pkg" ] && continue
  if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzz_budget" "$pkg" >"$out/fuzz-$target.log" 2>&1; then
    echo "ok   $target"
    fuzz_pass=$((fuzz_pass + 1))
  else
    tail -20 "$out/fuzz-$target.log"
    summary fuzz "$fuzz_pass" 1
    finish 1
  fi
done < <(grep -rlE '^func Fuzz' --include='*_test.go' backend app 2>/dev/null | while read -r file; do
  for t in $(sed -nE 's/^func (Fuzz[A-Za-z0-9_]+)\(.*/\1/p' "$file"); do echo "./$(dirname "$file") $t"; done
done)
summary fuzz "$fuzz_pass" 0

step "vitest"
(cd frontend && NO_COLOR=1 npx vitest run --reporter=default) 2>&1 | tee "$out/vitest.log"
rc=${PIPESTATUS[0]}
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$out/vitest.log" | grep -E '^ +Tests ' | tail -1)
p=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$plain")
f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$plain")
p=${p:-0}; f=${f:-0}
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
summary vitest "$p" "$f"
[ $rc -eq 0 ] || finish 1

step "production build and test harness build"
if make --no-print-directory build harness >"$out/build.log" 2>&1; then
  ls -l build/bin/authdesk build/bin/authdesk-harness
  summary build 1 0
else
  tail -40 "$out/build.log"
  summary build 0 1
  finish 1
fi

# The window and browser suites run with a real system keyring: a private
# D-Bus session with GNOME Keyring unlocked on it (see withkeyring); one
# e2e file (keyring-none) points its app where no D-Bus session answers.
go build -o build/bin/withkeyring ./backend/keyring/keyringtest/withkeyring || finish 1

step "real window under Xvfb (with a real keyring)"
AUTHDESK_BIN="$PWD/build/bin/authdesk" AUTHDESK_TEST_OUTPUT="$PWD/$out/window" \
  build/bin/withkeyring -- go test -count=1 -v -tags windowtest ./app/windowtest/ >"$out/window.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|\s*--- |panic:)|window_test|screenshot' "$out/window.log"
read -r p f < <(count_go "$out/window.log")
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
summary window "$p" "$f"
[ $rc -eq 0 ] || finish 1

step "packages: the .deb installed and removed with apt, the installed app's window; the Windows installer, installed and run under Wine"
AUTHDESK_TEST_OUTPUT="$PWD/$out/package" bash scripts/package-test.sh 2>&1 | tee "$out/package-test.log"
rc=${PIPESTATUS[0]}
p=$(sed -nE 's/^package-test: ([0-9]+) passed, [0-9]+ failed$/\1/p' "$out/package-test.log" | tail -1)
f=$(sed -nE 's/^package-test: [0-9]+ passed, ([0-9]+) failed$/\1/p' "$out/package-test.log" | tail -1)
p=${p:-0}; f=${f:-0}
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
summary package "$p" "$f"
[ $rc -eq 0 ] || finish 1

step "browser end-to-end (headless Chromium, real frontend build, real Go services, a real keyring)"
AUTHDESK_HARNESS="$PWD/build/bin/authdesk-harness" AUTHDESK_TEST_OUTPUT="$PWD/$out/e2e" \
  build/bin/withkeyring -- node --test --test-concurrency=1 --test-reporter=spec frontend/e2e/*.e2e.js 2>&1 | tee "$out/e2e.log"
rc=${PIPESTATUS[0]}
p=$(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$out/e2e.log" | tail -1)
f=$(sed -nE 's/^ℹ fail ([0-9]+)$/\1/p' "$out/e2e.log" | tail -1)
p=${p:-0}; f=${f:-0}
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
summary e2e "$p" "$f"
finish $rc
