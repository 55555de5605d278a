package backend_test

import (
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend"
)

func TestCheckServerURL(t *testing.T) {
	for _, tc := range []struct {
		in, norm string
		warn     bool
	}{
		{"http://localhost:4000/", "http://localhost:4000", false},
		{"  HTTP://LocalHost:4000 ", "http://localhost:4000", false},
		{"http://127.0.0.1:4000", "http://127.0.0.1:4000", false},
		{"http://[::1]:4000", "http://[::1]:4000", false},
		{"https://api.example.com/auth", "https://api.example.com/auth", false},
		{"http://api.example.com", "http://api.example.com", true},
		{"http://192.168.1.20:4000", "http://192.168.1.20:4000", true},
	} {
		norm, warn, err := backend.CheckServerURL(tc.in)
		if err != nil || norm != tc.norm || (warn != "") != tc.warn {
			t.Errorf("CheckServerURL(%q) = %q, %q, %v; want %q, warning %v", tc.in, norm, warn, err, tc.norm, tc.warn)
		}
	}
	for in, msg := range map[string]string{
		"":                           "Enter the server's address",
		"localhost:4000":             "must start with http:// or https://",
		"ftp://example.com":          "must start with http:// or https://",
		"http://":                    "must name a host",
		"http://user:pw@example.com": "must not contain a user name or password",
		"http://example.com/?x=1":    "must not contain a query",
		"http://example.com/#top":    "must not contain a fragment",
		"http://example.com:99999":   "port",
	} {
		_, _, err := backend.CheckServerURL(in)
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), msg) {
			t.Errorf("CheckServerURL(%q) = %v, want invalid %q", in, err, msg)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "app.localhost": true, "127.0.0.1": true, "127.8.9.10": true,
		"::1": true, "example.com": false, "localhost.example.com": false, "10.0.0.1": false, "": false, "::": false,
	} {
		if got := backend.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
