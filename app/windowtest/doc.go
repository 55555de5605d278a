// Package windowtest drives the real AuthDesk binary in a real window under
// Xvfb: xdotool for input, ImageMagick's import for screenshots. Its tests are
// behind the `windowtest` build tag because they need the production build
// (AUTHDESK_BIN) and an X server; scripts/test.sh runs them after the build.
package windowtest
