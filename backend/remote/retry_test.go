package remote_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
)

// A served API that throttles (the real per-address buckets) answers 429 with
// Retry-After; the client turns it back into ETOOMANY with the wait, so the
// window can count down in remote mode too.
func TestThrottledServerGivesTooManyWithTheWait(t *testing.T) {
	s := newServed(t)
	auth := bolt.NewAuthService(s.db)
	api := httpapi.New(auth, auth)
	api.Log = slog.New(slog.DiscardHandler)
	api.LoginLimit = httpapi.NewLimiter(httpapi.Rate{Burst: 1, Per: 20 * time.Second}, 0, s.clock.Now)
	api.RefreshLimit = httpapi.NewLimiter(httpapi.Rate{Burst: 1, Per: 45 * time.Second}, 0, s.clock.Now)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	c := remote.NewClient(srv.URL)

	g := mustLogin(t, c, "alice", alicePassword)
	_, err := c.Authenticate(ctx, "alice", alicePassword)
	assertError(t, err, backend.ETOOMANY, "Try again in 20 s")
	if got := backend.RetryAfter(err); got != 20*time.Second {
		t.Fatalf("RetryAfter %v, want 20s", got)
	}
	g, err = c.Refresh(ctx, g.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.ETOOMANY)
	if got := backend.RetryAfter(err); got != 45*time.Second {
		t.Fatalf("refresh RetryAfter %v, want 45s", got)
	}
}

func TestRetryAfterForms(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	for _, tc := range []struct {
		status int
		header string
		code   string
		wait   time.Duration
	}{
		{429, "7", backend.ETOOMANY, 7 * time.Second},
		{429, now.Add(90 * time.Second).Format(http.TimeFormat), backend.ETOOMANY, 90 * time.Second},
		{429, "", backend.ETOOMANY, 0},
		{429, "soon", backend.ETOOMANY, 0},
		{429, "-5", backend.ETOOMANY, 0},
		{429, "864000", backend.ETOOMANY, 24 * time.Hour},
		{503, "3", backend.EBUSY, 3 * time.Second},
		{503, now.Add(-time.Minute).Format(http.TimeFormat), backend.EBUSY, 0},
		{503, "", backend.EUNAVAILABLE, 0}, // down, not busy: no countdown
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			w.Write([]byte(`{"message":"Slow down"}`))
		}))
		c := remote.NewClient(srv.URL)
		c.Now = func() time.Time { return now }
		_, err := c.Authenticate(ctx, "alice", alicePassword)
		srv.Close()
		if backend.ErrorCode(err) != tc.code || backend.RetryAfter(err) != tc.wait {
			t.Errorf("%d Retry-After %q: %v (wait %v), want %s and %v", tc.status, tc.header, err, backend.RetryAfter(err), tc.code, tc.wait)
		}
		if tc.code != backend.EUNAVAILABLE && backend.ErrorMessage(err) != "Slow down" {
			t.Errorf("message %q", backend.ErrorMessage(err))
		}
	}
}
