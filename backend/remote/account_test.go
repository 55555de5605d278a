package remote_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/remote"
)

// The account calls against the real served API.
func TestAccountAgainstServedBackend(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL)
	c.Now = s.clock.Now
	here := mustLogin(t, c, "alice", alicePassword)
	s.clock.Add(time.Minute)
	there := mustLogin(t, c, "alice", alicePassword)

	if ok, err := c.OffersAccount(ctx, here.AccessToken); err != nil || !ok {
		t.Fatalf("OffersAccount = %v, %v", ok, err)
	}
	list, err := c.MySessions(ctx, here.AccessToken)
	if err != nil || len(list) != 2 || !list[0].Current || list[1].Current {
		t.Fatalf("MySessions = %+v, %v", list, err)
	}
	if list[0].Client != "127.0.0.1" || list[0].UserAgent != remote.UserAgent || list[0].Started.IsZero() || list[0].Expires.IsZero() {
		t.Fatalf("this session %+v", list[0])
	}

	// Refusals keep their kind and the server's words.
	err = c.ChangePassword(ctx, here.AccessToken, "wrong-password", "new-password")
	assertError(t, err, backend.EINVALID, backend.MsgWrongCurrentPassword)
	err = c.ChangePassword(ctx, here.AccessToken, alicePassword, "short")
	assertError(t, err, backend.EINVALID, "Password must be at least 8 characters")
	err = c.ChangePassword(ctx, "not-a-token", alicePassword, "new-password")
	assertError(t, err, backend.EUNAUTHORIZED, "Unauthorized")
	err = c.SignOutSession(ctx, here.AccessToken, list[0].ID)
	assertError(t, err, backend.EINVALID, backend.MsgCurrentSession)
	err = c.SignOutSession(ctx, here.AccessToken, "no/such/../session")
	assertError(t, err, backend.ENOTFOUND, backend.MsgSessionNotFound)

	// Sign the other one out: its refresh token is refused.
	if err := c.SignOutSession(ctx, here.AccessToken, list[1].ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(ctx, there.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")

	// A third, then a password change ends it and keeps this one.
	third := mustLogin(t, c, "alice", alicePassword)
	if err := c.ChangePassword(ctx, here.AccessToken, alicePassword, "new-password"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(ctx, third.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")
	here2, err := c.Refresh(ctx, here.RefreshToken)
	if err != nil {
		t.Fatalf("this session's refresh after the change: %v", err)
	}
	mustLogin(t, c, "alice", "new-password")
	mustLogin(t, c, "alice", "new-password")
	if n, err := c.SignOutOtherSessions(ctx, here2.AccessToken); err != nil || n != 2 {
		t.Fatalf("SignOutOtherSessions = %d, %v", n, err)
	}
}

func TestAccountThrottledAgainstServedBackend(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL)
	c.Now = s.clock.Now
	g := mustLogin(t, c, "alice", alicePassword)
	for range 5 {
		_ = c.ChangePassword(ctx, g.AccessToken, "wrong-password", "new-password")
	}
	err := c.ChangePassword(ctx, g.AccessToken, alicePassword, "new-password")
	assertError(t, err, backend.ETOOMANY, "Too many attempts, try again in 2 s")
	if backend.RetryAfter(err) != 2*time.Second {
		t.Fatalf("retry after %v", backend.RetryAfter(err))
	}
}

// The tutorial's own APIs have no account routes: the client says so and
// nothing else changes.
func TestAccountNotOfferedByTheTutorialAPIs(t *testing.T) {
	for name, q := range map[string]fakeQuirks{"aspnet": aspnetQuirks(), "node": nodeQuirks()} {
		t.Run(name, func(t *testing.T) {
			f := newTutorialFake(t, q)
			c := remote.NewClient(f.srv.URL)
			g := mustLogin(t, c, "test", "test")
			ok, err := c.OffersAccount(ctx, g.AccessToken)
			if err != nil || ok {
				t.Fatalf("OffersAccount = %v, %v", ok, err)
			}
			if _, err := c.ListUsers(ctx, g.AccessToken); err != nil {
				t.Fatalf("the tutorial's routes after the probe: %v", err)
			}
			if _, err := c.Refresh(ctx, g.RefreshToken); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The answer is asked once per client; a refused token or an outage is not
// remembered.
func TestOffersAccountIsRemembered(t *testing.T) {
	var calls atomic.Int32
	status := atomic.Int32{}
	status.Store(http.StatusUnauthorized)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(status.Load()))
		if status.Load() == http.StatusOK {
			w.Write([]byte(`[]`))
		} else {
			w.Write([]byte(`{"message":"Unauthorized"}`))
		}
	}))
	t.Cleanup(srv.Close)
	c := remote.NewClient(srv.URL)
	_, err := c.OffersAccount(ctx, "token")
	assertError(t, err, backend.EUNAUTHORIZED, "Unauthorized")
	status.Store(http.StatusOK)
	for range 3 {
		if ok, err := c.OffersAccount(ctx, "token"); err != nil || !ok {
			t.Fatalf("OffersAccount = %v, %v", ok, err)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("%d requests, want 2", calls.Load())
	}
	// Something that answers 200 with other JSON is not the account API.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"hello":"world"}`))
	}))
	t.Cleanup(other.Close)
	if ok, err := remote.NewClient(other.URL).OffersAccount(ctx, "token"); err != nil || ok {
		t.Fatalf("other JSON: %v, %v", ok, err)
	}
}

// A server's sessions list is taken up to maxSessionsListed entries, and
// long fields are cut like other server text.
func TestMySessionsLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var b strings.Builder
		b.WriteString("[")
		for i := range 1001 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"s%d","client":"192.0.2.1","userAgent":%q,"current":%v}`, i, strings.Repeat("x", 500), i == 0)
		}
		b.WriteString("]")
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	list, err := remote.NewClient(srv.URL).MySessions(ctx, "token")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1000 || !list[0].Current || list[999].ID != "s999" {
		t.Fatalf("%d sessions, first %+v", len(list), list[0].ID)
	}
	if n := len(list[0].UserAgent); n >= 500 {
		t.Fatalf("user agent kept whole: %d bytes", n)
	}
	// A session without an id is not this API.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"client":"192.0.2.1"}]`))
	}))
	t.Cleanup(bad.Close)
	_, err = remote.NewClient(bad.URL).MySessions(ctx, "token")
	if backend.ErrorCode(err) != backend.EUNAVAILABLE {
		t.Fatalf("session without id: %v", err)
	}
}
