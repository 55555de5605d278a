package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/authdesk/authdesk/backend/httpapi"
)

func TestCORS(t *testing.T) {
	e := newEnv(t, func(s *httpapi.Server) { s.CORSOrigins = []string{"https://app.example"} })
	for _, tc := range []struct {
		origin  string
		allowed bool
	}{
		{"http://localhost:5173", true},
		{"http://127.0.0.1:3000", true},
		{"http://[::1]:8080", true},
		{"https://localhost", true},
		{"https://app.example", true}, // listed
		{"https://evil.example", false},
		{"http://localhost.evil.example", false},
		{"null", false},
	} {
		t.Run(tc.origin, func(t *testing.T) {
			a := e.do(req{method: "POST", path: "/users/authenticate", body: `{}`, header: map[string]string{"Origin": tc.origin}})
			if !slices.Contains(a.Header.Values("Vary"), "Origin") {
				t.Errorf("Vary %q lacks Origin", a.Header.Values("Vary"))
			}
			got, creds := a.Header.Get("Access-Control-Allow-Origin"), a.Header.Get("Access-Control-Allow-Credentials")
			if tc.allowed && (got != tc.origin || creds != "true") {
				t.Errorf("allowed origin got ACAO %q, ACAC %q", got, creds)
			}
			if !tc.allowed && (got != "" || creds != "") {
				t.Errorf("disallowed origin got ACAO %q, ACAC %q", got, creds)
			}
			// The request itself is answered either way; the browser decides.
			expect(t, a, 400, "Username and password are required")

			pre := e.do(req{method: "OPTIONS", path: "/users/authenticate", header: map[string]string{
				"Origin": tc.origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
			}})
			switch {
			case tc.allowed && pre.StatusCode != http.StatusNoContent:
				t.Errorf("preflight status %d", pre.StatusCode)
			case tc.allowed && (pre.Header.Get("Access-Control-Allow-Origin") != tc.origin ||
				pre.Header.Get("Access-Control-Allow-Credentials") != "true" ||
				pre.Header.Get("Access-Control-Allow-Headers") != "Content-Type, Authorization" ||
				pre.Header.Get("Access-Control-Allow-Methods") != "GET, POST, PATCH, DELETE, OPTIONS"):
				t.Errorf("preflight headers %v", pre.Header)
			case !tc.allowed && (pre.StatusCode != http.StatusForbidden || pre.Header.Get("Access-Control-Allow-Origin") != ""):
				t.Errorf("disallowed preflight: %d %v", pre.StatusCode, pre.Header)
			}
		})
	}
}

func TestNormalizeOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://App.Example":       "https://app.example",
		"http://localhost:5173/":    "http://localhost:5173",
		"https://app.example:8443 ": "https://app.example:8443",
	} {
		if got, err := httpapi.NormalizeOrigin(in); err != nil || got != want {
			t.Errorf("NormalizeOrigin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"*", "app.example", "ftp://app.example", "https://app.example/path", "https://u:p@app.example", "https://app.example?x=1"} {
		if got, err := httpapi.NormalizeOrigin(bad); err == nil {
			t.Errorf("NormalizeOrigin(%q) = %q, want an error", bad, got)
		}
	}
}
