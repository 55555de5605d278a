//go:build linux

package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// accessToken logs in to a running serve and returns the JWT it issued.
func accessToken(t *testing.T, base, user, pass string) string {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, pass)
	resp, err := http.Post(base+"/users/authenticate", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		JWTToken string `json:"jwtToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.JWTToken == "" {
		t.Fatalf("login %s: %d, %v", user, resp.StatusCode, err)
	}
	return v.JWTToken
}

// usersStatus is GET /users with token: 200 while it is accepted.
func usersStatus(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/users", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// `authdesk keys rotate` against a running serve: it runs inside serve
// (the control socket), new tokens name the new key at once, and the old
// token still works.
func TestKeysRotateWhileServeRuns(t *testing.T) {
	dir := t.TempDir()
	const pw = "river-stone-9431"
	if r := cliRun(t, dir, pw+"\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
		t.Fatalf("adding the admin: %+v", r)
	}
	base, logs, _ := startServe(t, dir)
	before := accessToken(t, base, "admin", pw)

	r := cliRun(t, dir, "", "keys", "rotate")
	if r.code != 0 {
		t.Fatalf("keys rotate: %+v", r)
	}
	// serve's stderr reaches logs through a pipe and a copying goroutine:
	// give the line a moment to arrive.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "ran a command for the local command line"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("keys rotate did not run inside serve; log:\n%s", logs.String())
		}
	}
	m := regexp.MustCompile(`New signing key (\S+) is in use\.\nAccess tokens signed with the previous key (\S+) stay valid until they expire`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] == m[2] {
		t.Fatalf("keys rotate said:\n%s", r.stdout)
	}
	after := accessToken(t, base, "admin", pw)
	if kid := jwtHeader(t, after)["kid"]; kid != m[1] {
		t.Errorf("a token issued after the rotation names key %v; want %s", kid, m[1])
	}
	if kid := jwtHeader(t, before)["kid"]; kid != m[2] {
		t.Errorf("the token from before names key %v; want %s", kid, m[2])
	}
	if usersStatus(t, base, before) != 200 || usersStatus(t, base, after) != 200 {
		t.Error("after the rotation a token of the old or the new key is refused")
	}

	for _, bad := range [][]string{{"keys"}, {"keys", "spin"}, {"keys", "rotate", "now"}} {
		if r := cliRun(t, dir, "", bad...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%+v)", bad, r.code, r)
		}
	}
	if r := cliRun(t, dir, "", "keys", "--help"); r.code != 0 || !strings.Contains(r.stdout, "rotate") {
		t.Errorf("keys --help: %+v", r)
	}
}

// Without a running AuthDesk the command opens the folder itself.
func TestKeysRotateOnAFreeFolder(t *testing.T) {
	dir := t.TempDir()
	if r := cliRun(t, dir, "river-stone-9431\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
		t.Fatalf("adding the admin: %+v", r)
	}
	first := cliRun(t, dir, "", "keys", "rotate")
	second := cliRun(t, dir, "", "keys", "rotate")
	if first.code != 0 || second.code != 0 || first.stdout == second.stdout {
		t.Fatalf("two rotations:\n%+v\n%+v", first, second)
	}
}

func jwtHeader(t *testing.T, token string) map[string]any {
	t.Helper()
	part, _, _ := strings.Cut(token, ".")
	raw, err := decodeSegment(part)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func decodeSegment(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
