package remote_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/remote"
)

func TestProbe(t *testing.T) {
	s := newServed(t)
	aspnet := newTutorialFake(t, aspnetQuirks())
	node := newTutorialFake(t, nodeQuirks())
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>welcome</html>"))
	}))
	defer web.Close()
	dead := "http://" + deadAddress(t)

	for _, tc := range []struct {
		name, url, status, reason string
	}{
		{"served AuthDesk", s.srv.URL, remote.Reachable, "answers like"},
		{"ASP.NET-style", aspnet.srv.URL, remote.Reachable, "answers like"},
		{"Node-style", node.srv.URL, remote.Reachable, "answers like"},
		{"wrong path (empty 404)", aspnet.srv.URL + "/api", remote.NotThisAPI, "404 Not Found"},
		{"wrong path (HTML 404)", node.srv.URL + "/api", remote.NotThisAPI, "404 Not Found"},
		{"a web page", web.URL, remote.NotThisAPI, "not with the JSON"},
		{"nothing there", dead, remote.Unreachable, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := remote.Probe(ctx, tc.url)
			if got.Status != tc.status || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("Probe(%s) = %+v, want %s with %q", tc.url, got, tc.status, tc.reason)
			}
		})
	}

	// The probe logs no one in: the fakes issued no refresh token.
	if w, _, _, _ := aspnet.seen(); len(w) != 0 {
		t.Fatalf("the probe created %d sessions", len(w))
	}
	s.fault.set("500 html")
	if got := remote.Probe(ctx, s.srv.URL); got.Status != remote.Unreachable {
		t.Fatalf("a failing server: %+v", got)
	}
}

func TestCheckURL(t *testing.T) {
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
		norm, warn, err := remote.CheckURL(tc.in)
		if err != nil || norm != tc.norm || (warn != "") != tc.warn {
			t.Errorf("CheckURL(%q) = %q, %q, %v; want %q, warning %v", tc.in, norm, warn, err, tc.norm, tc.warn)
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
		_, _, err := remote.CheckURL(in)
		assertError(t, err, "invalid", msg)
	}
}
