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
