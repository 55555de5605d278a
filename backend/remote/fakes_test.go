package remote_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// tutorialFake is a hand-written stand-in for one of the two public tutorial
// APIs, with that API's quirks (the id types, cookie encodings and error bodies below). Only those two
// third-party servers are faked; everything of ours runs for real.
type tutorialFake struct {
	quirks fakeQuirks
	srv    *httptest.Server
	exp    time.Time // the cookie's Expires

	mu       sync.Mutex
	tokens   map[string]string // decoded refresh token -> user key
	cookies  []string          // raw Cookie headers received at refresh-token
	revoked  []string          // tokens named in revoke bodies
	wires    []string          // cookie values sent, as on the wire, in order
	revokeCT []string          // Content-Type of revoke requests
}

type fakeUser struct {
	id       any // float64-able number or string, as that API sends it
	username string
	password string
	role     string
}

type fakeQuirks struct {
	users []fakeUser
	// newToken returns the token (as the server stores it) and the cookie
	// value as it goes on the wire.
	newToken func() (token, wire string)
	// decodeCookie is how that server reads its own cookie back.
	decodeCookie func(wire string) string
	// invalid answers input the server rejects before checking credentials,
	// or "" if it accepts it.
	invalid       func(w http.ResponseWriter, username, password string) bool
	notFound      func(w http.ResponseWriter, r *http.Request)
	adminOnlyList bool // GET /users is for admins; 401 otherwise
	jsonOnRevoke  bool // revoke without a JSON Content-Type is 415
}

// aspnetQuirks: numeric id, base64 of 64 random bytes percent-encoded in
// the cookie, problem+json validation errors, empty 404s, and a revoke
// endpoint that insists on a JSON body.
func aspnetQuirks() fakeQuirks {
	return fakeQuirks{
		users: []fakeUser{{id: 1, username: "test", password: "test"}},
		newToken: func() (string, string) {
			raw := make([]byte, 64)
			rand.Read(raw)
			// Force the characters percent-encoding changes, so a client
			// that decodes or re-encodes the cookie is caught.
			raw[0], raw[1], raw[2] = 0xfb, 0xff, 0xbf // "+/+/"-ish prefix
			tok := base64.StdEncoding.EncodeToString(raw)
			return tok, url.QueryEscape(tok)
		},
		decodeCookie: func(wire string) string {
			d, _ := url.PathUnescape(wire) // Uri.UnescapeDataString
			return d
		},
		invalid: func(w http.ResponseWriter, username, password string) bool {
			errs := map[string][]string{}
			if username == "" {
				errs["Username"] = []string{"The Username field is required."}
			} else if len(username) > 20 {
				errs["Username"] = []string{"The field Username must be a string with a maximum length of 20."}
			}
			if password == "" {
				errs["Password"] = []string{"The Password field is required."}
			}
			if len(errs) == 0 {
				return false
			}
			w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]any{
				"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", "title": "One or more validation errors occurred.",
				"status": 400, "errors": errs,
			})
			return true
		},
		notFound:     func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) },
		jsonOnRevoke: true,
	}
}

// nodeQuirks: 24-hex string ids, 80-hex cookie, roles, HTML 404s, and
// GET /users for admins only.
func nodeQuirks() fakeQuirks {
	return fakeQuirks{
		users: []fakeUser{
			{id: "5f8d0d55b54764421b7156c9", username: "test", password: "test", role: "Admin"},
			{id: "5f8d0d55b54764421b7156ca", username: "bob", password: "bob-pass", role: "User"},
		},
		newToken: func() (string, string) {
			raw := make([]byte, 40)
			rand.Read(raw)
			tok := hex.EncodeToString(raw)
			return tok, tok
		},
		decodeCookie: func(wire string) string { d, _ := url.QueryUnescape(wire); return d },
		invalid: func(w http.ResponseWriter, username, password string) bool {
			if username != "" && password != "" {
				return false
			}
			writeJSON(w, 400, map[string]string{"message": `Validation error: "username" is required`})
			return true
		},
		notFound: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(404)
			io.WriteString(w, "<!DOCTYPE html><html><body><pre>Cannot "+r.Method+" "+r.URL.Path+"</pre></body></html>")
		},
		adminOnlyList: true,
	}
}

var fakeKey = []byte("fake tutorial signing key, 32 b!")

func newTutorialFake(t *testing.T, q fakeQuirks) *tutorialFake {
	f := &tutorialFake{quirks: q, tokens: map[string]string{},
		exp: time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *tutorialFake) user(username string) *fakeUser {
	for i := range f.quirks.users {
		if f.quirks.users[i].username == username {
			return &f.quirks.users[i]
		}
	}
	return nil
}

func (f *tutorialFake) body(u *fakeUser, jwtToken string) map[string]any {
	b := map[string]any{"id": u.id, "firstName": "First", "lastName": "Last", "username": u.username}
	if u.role != "" {
		b["role"] = u.role
	}
	if jwtToken != "" {
		b["jwtToken"] = jwtToken
	}
	return b
}

// issue answers a login or refresh: body, JWT and a new cookie.
func (f *tutorialFake) issue(w http.ResponseWriter, u *fakeUser) {
	token, wire := f.quirks.newToken()
	f.tokens[token] = u.username
	f.wires = append(f.wires, wire)
	idClaim, _ := json.Marshal(u.id)
	access, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"id": strings.Trim(string(idClaim), `"`), "exp": time.Now().Add(15 * time.Minute).Unix(),
	}).SignedString(fakeKey)
	w.Header().Add("Set-Cookie", "refreshToken="+wire+"; expires="+f.exp.Format(http.TimeFormat)+"; path=/; httponly")
	writeJSON(w, 200, f.body(u, access))
}

// caller checks the Bearer token.
func (f *tutorialFake) caller(r *http.Request) *fakeUser {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil
	}
	var claims jwt.MapClaims
	if _, err := jwt.ParseWithClaims(tok, &claims, func(*jwt.Token) (any, error) { return fakeKey, nil }); err != nil {
		return nil
	}
	for i := range f.quirks.users {
		idClaim, _ := json.Marshal(f.quirks.users[i].id)
		if strings.Trim(string(idClaim), `"`) == claims["id"] {
			return &f.quirks.users[i]
		}
	}
	return nil
}

func (f *tutorialFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	unauthorized := func() { writeJSON(w, 401, map[string]string{"message": "Unauthorized"}) }
	switch p := r.URL.Path; {
	case r.Method == "POST" && p == "/users/authenticate":
		var in struct{ Username, Password string }
		json.NewDecoder(r.Body).Decode(&in)
		if f.quirks.invalid(w, in.Username, in.Password) {
			return
		}
		u := f.user(in.Username)
		if u == nil || u.password != in.Password {
			writeJSON(w, 400, map[string]string{"message": "Username or password is incorrect"})
			return
		}
		f.issue(w, u)

	case r.Method == "POST" && p == "/users/refresh-token":
		raw := r.Header.Get("Cookie")
		f.cookies = append(f.cookies, raw)
		wire, _ := strings.CutPrefix(raw, "refreshToken=")
		token := f.quirks.decodeCookie(wire)
		name, ok := f.tokens[token]
		if !ok {
			writeJSON(w, 400, map[string]string{"message": "Invalid token"})
			return
		}
		delete(f.tokens, token) // rotation
		f.issue(w, f.user(name))

	case r.Method == "POST" && p == "/users/revoke-token":
		f.revokeCT = append(f.revokeCT, r.Header.Get("Content-Type"))
		u := f.caller(r)
		if u == nil {
			unauthorized()
			return
		}
		if f.quirks.jsonOnRevoke && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			w.WriteHeader(415)
			return
		}
		var in struct{ Token string }
		json.NewDecoder(r.Body).Decode(&in)
		f.revoked = append(f.revoked, in.Token)
		if in.Token == "" {
			writeJSON(w, 400, map[string]string{"message": "Token is required"})
			return
		}
		if owner, ok := f.tokens[in.Token]; !ok || (owner != u.username && u.role != "Admin") {
			writeJSON(w, 400, map[string]string{"message": "Invalid token"})
			return
		}
		delete(f.tokens, in.Token)
		writeJSON(w, 200, map[string]string{"message": "Token revoked"})

	case r.Method == "GET" && p == "/users":
		u := f.caller(r)
		if u == nil || (f.quirks.adminOnlyList && u.role != "Admin") {
			unauthorized()
			return
		}
		var out []map[string]any
		for i := range f.quirks.users {
			out = append(out, f.body(&f.quirks.users[i], ""))
		}
		writeJSON(w, 200, out)

	case r.Method == "GET" && strings.HasPrefix(p, "/users/") && strings.Count(p, "/") == 2:
		u := f.caller(r)
		if u == nil {
			unauthorized()
			return
		}
		id := strings.TrimPrefix(p, "/users/")
		for i := range f.quirks.users {
			idJSON, _ := json.Marshal(f.quirks.users[i].id)
			if strings.Trim(string(idJSON), `"`) == id {
				writeJSON(w, 200, f.body(&f.quirks.users[i], ""))
				return
			}
		}
		writeJSON(w, 404, map[string]string{"message": "User not found"})

	default:
		f.quirks.notFound(w, r)
	}
}

// seen returns copies of what the fake recorded.
func (f *tutorialFake) seen() (wires, cookies, revoked, revokeCT []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.wires...), append([]string(nil), f.cookies...),
		append([]string(nil), f.revoked...), append([]string(nil), f.revokeCT...)
}
