package session_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"

	"github.com/authdesk/authdesk/backend"
)

// fakeClock is a wall clock that only moves when a test moves it.
type fakeClock = backendtest.Clock

func newFakeClock() *fakeClock {
	return backendtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
}

// fakeAuth is a backend.Authenticator with rotating refresh tokens, JWT-shaped
// access tokens carrying an exp, call records and scripted failures.
type fakeAuth struct {
	name       string // prefixes every token, so two fakes never share one
	now        func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration // 0: grants do not say when refresh tokens expire
	opaque     bool          // issue access tokens that are not JWTs

	mu           sync.Mutex
	seq          int
	live         map[string]string // usable refresh tokens -> username
	refused      map[string]bool   // access tokens ListUsers will refuse
	issued       []string          // every token ever handed out
	lastGrant    *backend.Grant
	refreshErrs  []error     // results for the next Refresh calls (nil = behave normally)
	refreshAt    []time.Time // fake time of every Refresh call
	refreshedTok []string    // token presented to each Refresh call
	revokes      [][2]string // access, refresh of every Revoke call
	revokeErr    error
	listed       []string      // access token presented to each ListUsers call
	gate         chan struct{} // when set, Refresh waits for it to close
	started      chan struct{} // when set, Refresh sends on it before waiting
}

var errBadPassword = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgBadCredentials)

func newFakeAuth(name string, now func() time.Time) *fakeAuth {
	return &fakeAuth{
		name:       name,
		now:        now,
		accessTTL:  15 * time.Minute,
		refreshTTL: 7 * 24 * time.Hour,
		live:       map[string]string{},
		refused:    map[string]bool{},
	}
}

func (f *fakeAuth) grantLocked(username string) *backend.Grant {
	f.seq++
	now := f.now()
	exp := now.Add(f.accessTTL)
	access := fmt.Sprintf("%s-opaque-access-%d", f.name, f.seq)
	grantExp := exp
	if !f.opaque {
		enc := base64.RawURLEncoding.EncodeToString
		access = enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
			enc(fmt.Appendf(nil, `{"sub":%q,"exp":%d}`, username, exp.Unix())) + "." +
			enc(fmt.Appendf(nil, "%s-sig-%d", f.name, f.seq))
		// Deliberately later than the token's exp: the manager must go by
		// the token, which is what the server enforces.
		grantExp = exp.Add(time.Hour)
	}
	refresh := fmt.Sprintf("%s-refresh-%d", f.name, f.seq)
	f.live[refresh] = username
	f.issued = append(f.issued, access, refresh)
	g := &backend.Grant{
		User:          backend.User{ID: "id-" + username, Username: username, FirstName: "First", Role: backend.RoleUser},
		AccessToken:   access,
		AccessExpires: grantExp,
		RefreshToken:  refresh,
	}
	if f.refreshTTL > 0 {
		g.RefreshExpires = now.Add(f.refreshTTL)
	}
	f.lastGrant = g
	return g
}

func (f *fakeAuth) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if password != "pw" {
		return nil, errBadPassword
	}
	return f.grantLocked(username), nil
}

func (f *fakeAuth) Refresh(ctx context.Context, token string) (*backend.Grant, error) {
	f.mu.Lock()
	f.refreshAt = append(f.refreshAt, f.now())
	f.refreshedTok = append(f.refreshedTok, token)
	gate, started := f.gate, f.started
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.refreshErrs) > 0 {
		err := f.refreshErrs[0]
		f.refreshErrs = f.refreshErrs[1:]
		if err != nil {
			return nil, err
		}
	}
	username, ok := f.live[token]
	if !ok {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	}
	delete(f.live, token) // rotation: a refresh token works once
	return f.grantLocked(username), nil
}

func (f *fakeAuth) Revoke(ctx context.Context, access, refresh string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokes = append(f.revokes, [2]string{access, refresh})
	if f.revokeErr != nil {
		return f.revokeErr
	}
	delete(f.live, refresh)
	return nil
}

func (f *fakeAuth) ListUsers(ctx context.Context, access string) ([]backend.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listed = append(f.listed, access)
	if f.refused[access] || !slices.Contains(f.issued, access) {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	}
	return []backend.User{f.lastGrant.User}, nil
}

func (f *fakeAuth) GetUser(ctx context.Context, access, id string) (*backend.User, error) {
	users, err := f.ListUsers(ctx, access)
	if err != nil {
		return nil, err
	}
	return &users[0], nil
}

// Helpers for tests, all locked.

func (f *fakeAuth) last() backend.Grant {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.lastGrant
}

func (f *fakeAuth) refuse(access string) { f.mu.Lock(); f.refused[access] = true; f.mu.Unlock() }

// refuseLast makes the newest access token (if any) be refused.
func (f *fakeAuth) refuseLast() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lastGrant != nil {
		f.refused[f.lastGrant.AccessToken] = true
	}
}

func (f *fakeAuth) failRefresh(errs ...error) {
	f.mu.Lock()
	f.refreshErrs = append(f.refreshErrs, errs...)
	f.mu.Unlock()
}

func (f *fakeAuth) refreshTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refreshAt)
}

// listedWith returns the access token of every ListUsers call so far.
func (f *fakeAuth) listedWith() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.listed)
}

func (f *fakeAuth) refreshCount() int { return len(f.refreshTimes()) }

func (f *fakeAuth) presented() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refreshedTok)
}

func (f *fakeAuth) revoked() [][2]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.revokes)
}

func (f *fakeAuth) isLive(refresh string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.live[refresh]
	return ok
}

func (f *fakeAuth) tokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.issued)
}

func (f *fakeAuth) setRevokeErr(err error) { f.mu.Lock(); f.revokeErr = err; f.mu.Unlock() }

// lockedBuffer collects log output from several goroutines.
type lockedBuffer = backendtest.Buffer
