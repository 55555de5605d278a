package bolt_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

var ctx = context.Background()

func TestAuthenticate_DemoAccount(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	now := clock.Now()

	g := MustLogin(t, auth, "test", "test")
	if g.User.Username != "test" || g.User.FirstName != "Test" || g.User.LastName != "User" || g.User.Role != backend.RoleAdmin || g.User.ID != "1" {
		t.Errorf("user = %+v", g.User)
	}
	if !g.AccessExpires.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("access expires %v, want %v", g.AccessExpires, now.Add(15*time.Minute))
	}
	if !g.RefreshExpires.Equal(now.Add(7 * 24 * time.Hour)) {
		t.Errorf("refresh expires %v, want 7 days on", g.RefreshExpires)
	}
	if len(g.RefreshToken) != 86 || strings.ContainsAny(g.RefreshToken, "+/=") {
		t.Errorf("refresh token %q is not 64 bytes of unpadded base64url", g.RefreshToken)
	}
	// The access token works for the API calls.
	if u, err := auth.GetUser(ctx, g.AccessToken, "1"); err != nil || u.Username != "test" {
		t.Fatalf("GetUser = %v, %v", u, err)
	}
}

func TestAuthenticate_ConfiguredLifetimes(t *testing.T) {
	clock := NewClock()
	db := MustOpenDBAt(t, t.TempDir(), bolt.Options{AccessTTL: time.Minute, RefreshTTL: time.Hour}, clock)
	g := MustLogin(t, bolt.NewAuthService(db), "test", "test")
	if !g.AccessExpires.Equal(clock.Now().Add(time.Minute)) || !g.RefreshExpires.Equal(clock.Now().Add(time.Hour)) {
		t.Fatalf("expiries %v, %v; want +1m, +1h", g.AccessExpires, g.RefreshExpires)
	}
}

func TestAuthenticate_UsernameIgnoresCase(t *testing.T) {
	db, _ := MustOpenDB(t)
	g := MustLogin(t, bolt.NewAuthService(db), "TeSt", "test")
	if g.User.Username != "test" {
		t.Fatalf("logged in as %q, want the stored spelling test", g.User.Username)
	}
}

func TestAuthenticate_WrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	_, errWrong := auth.Authenticate(ctx, "test", "wrong")
	_, errUnknown := auth.Authenticate(ctx, "nobody", "test")
	assertError(t, errWrong, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	assertError(t, errUnknown, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	if errWrong.Error() != errUnknown.Error() {
		t.Fatalf("errors differ: %q vs %q", errWrong, errUnknown)
	}
	// Passwords are case-sensitive even though usernames are not.
	_, err := auth.Authenticate(ctx, "test", "TEST")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
}

func TestAuthenticate_RejectsBadInputBeforeWork(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	for _, tc := range []struct{ user, pass, msg string }{
		{"", "", "Username and password are required"},
		{"", "test", "Username is required"},
		{"test", "", "Password is required"},
		{strings.Repeat("u", 65), "test", "Username must be at most 64 bytes"},
		{"test", strings.Repeat("p", 1025), "Password must be at most 1024 bytes"},
	} {
		_, err := auth.Authenticate(ctx, tc.user, tc.pass)
		assertError(t, err, backend.EINVALID, tc.msg)
	}
}

func TestAuthenticate_RealArgon2idParameters(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{NoDemoUser: true}) // real, OWASP-minimum hashing
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	MustAddUser(t, db, "alice", backend.RoleUser, "correct horse")
	MustLogin(t, bolt.NewAuthService(db), "alice", "correct horse")
	_, err := bolt.NewAuthService(db).Authenticate(ctx, "alice", "correct hose")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	hash := db.PasswordHash("alice")
	db.Close()

	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(hash, "$") != 5 {
		t.Fatalf("stored hash %q is not argon2id with m=19456,t=2,p=1", hash)
	}
	if strings.Contains(hash, "correct horse") {
		t.Fatal("password stored in clear")
	}
}

func TestAuthenticate_BcryptImportIsRehashed(t *testing.T) {
	db := MustOpenDBAt(t, t.TempDir(), bolt.Options{}, nil)
	auth := bolt.NewAuthService(db)
	for _, prefix := range []string{"$2a$", "$2b$"} {
		h, err := bcrypt.GenerateFromPassword([]byte("tutorial"), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		hash := prefix + string(h[4:]) // x/crypto writes $2a$; $2b$ is the same algorithm
		name := "imported" + prefix[2:3]
		if _, err := bolt.NewAdminService(db).ImportUser(ctx, backend.User{Username: name, Role: backend.RoleUser}, hash); err != nil {
			t.Fatal(err)
		}
		_, err = auth.Authenticate(ctx, name, "wrong")
		assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
		MustLogin(t, auth, name, "tutorial")
		MustLogin(t, auth, name, "tutorial") // and again, now against the new hash
	}
	for _, name := range []string{"importeda", "importedb"} {
		if h := db.PasswordHash(name); !strings.HasPrefix(h, "$argon2id$") {
			t.Errorf("%s still has hash %q after login", name, h)
		}
	}
}

func TestImportUser_RejectsUnknownHash(t *testing.T) {
	db, _ := MustOpenDB(t)
	for _, h := range []string{"", "plain", "$2y$nope", "$argon2id$v=19$m=19456,t=2,p=1$short$x", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"} {
		_, err := bolt.NewAdminService(db).ImportUser(ctx, backend.User{Username: "x"}, h)
		if backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("ImportUser(%q) err = %v, want EINVALID", h, err)
		}
	}
}

func TestListUsers_AdminSeesAllUserSeesSelf(t *testing.T) {
	db, _ := MustOpenDB(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "password1")
	MustAddUser(t, db, "carol", backend.RoleUser, "password1")
	auth := bolt.NewAuthService(db)

	all, err := auth.ListUsers(ctx, MustLogin(t, auth, "test", "test").AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if names := usernames(all); names != "test,bob,carol" {
		t.Errorf("admin sees %s", names)
	}
	mine, err := auth.ListUsers(ctx, MustLogin(t, auth, "bob", "password1").AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0] != *bob {
		t.Errorf("bob sees %+v, want only %+v", mine, bob)
	}
}

func usernames(users []backend.User) string {
	var s []string
	for _, u := range users {
		s = append(s, u.Username)
	}
	return strings.Join(s, ",")
}

func TestGetUser_SelfOrAdmin(t *testing.T) {
	db, _ := MustOpenDB(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "password1")
	carol := MustAddUser(t, db, "carol", backend.RoleUser, "password1")
	auth := bolt.NewAuthService(db)
	admin := MustLogin(t, auth, "test", "test").AccessToken
	bobs := MustLogin(t, auth, "bob", "password1").AccessToken

	if u, err := auth.GetUser(ctx, bobs, bob.ID); err != nil || *u != *bob {
		t.Errorf("bob gets himself: %+v, %v", u, err)
	}
	if u, err := auth.GetUser(ctx, admin, carol.ID); err != nil || *u != *carol {
		t.Errorf("admin gets carol: %+v, %v", u, err)
	}
	_, err := auth.GetUser(ctx, bobs, carol.ID)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	// Whether user 99 exists is none of bob's business.
	_, err = auth.GetUser(ctx, bobs, "99")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	for _, id := range []string{"99", "0", "abc", "01", ""} {
		_, err = auth.GetUser(ctx, admin, id)
		assertError(t, err, backend.ENOTFOUND, backend.MsgUserNotFound)
	}
}

func TestAccessToken_Refused(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	good := MustLogin(t, auth, "test", "test").AccessToken
	key := db.SigningKey()
	now := clock.Now()

	var goodClaims jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(good, &goodClaims); err != nil {
		t.Fatal(err)
	}
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"id": "1", "sub": "1", "sid": goodClaims["sid"], "iss": "authdesk", "aud": "authdesk",
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, k any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	forged := sign(jwt.SigningMethodHS256, key, claims(nil))
	if _, err := auth.ListUsers(ctx, forged); err != nil {
		t.Fatalf("control: a correctly signed token was refused: %v", err)
	}

	for name, tok := range map[string]string{
		"empty":            "",
		"garbage":          "not.a.jwt",
		"tampered payload": parts[0] + "." + strings.TrimRight(jwtSegment(`{"id":"2","sub":"2","iss":"authdesk","aud":"authdesk","exp":9999999999}`), "=") + "." + parts[2],
		"tampered sig":     parts[0] + "." + parts[1] + "." + flipLast(parts[2]),
		"alg none":         sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"HS384 same key":   sign(jwt.SigningMethodHS384, key, claims(nil)),
		"RS256":            sign(jwt.SigningMethodRS256, rsaKey, claims(nil)),
		"other key":        sign(jwt.SigningMethodHS256, []byte("0123456789abcdef0123456789abcdef"), claims(nil)),
		"wrong audience":   sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["aud"] = "someone-else" })),
		"wrong issuer":     sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["iss"] = "evil" })),
		"no exp":           sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"no aud":           sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { delete(c, "aud") })),
		"id differs sub":   sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["sub"] = "2" })),
		"expired":          sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-6 * time.Second).Unix() })),
		"unknown user":     sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["id"], c["sub"] = "42", "42" })),
		"no session":       sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { delete(c, "sid") })),
		"unknown session":  sign(jwt.SigningMethodHS256, key, claims(func(c jwt.MapClaims) { c["sid"] = "00112233445566778899aabbccddeeff" })),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := auth.ListUsers(ctx, tok)
			assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
			_, err = auth.GetUser(ctx, tok, "1")
			assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
			err = auth.Revoke(ctx, tok, strings.Repeat("A", 43))
			assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
		})
	}
}

func jwtSegment(s string) string { return strings.TrimRight(b64url(s), "=") }

func flipLast(s string) string {
	last := s[len(s)-2]
	if last == 'A' {
		last = 'B'
	} else {
		last = 'A'
	}
	return s[:len(s)-2] + string(last) + s[len(s)-1:]
}

func TestAccessToken_ExpiresAfterTTLWithSmallLeeway(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	tok := MustLogin(t, auth, "test", "test").AccessToken

	clock.Add(15*time.Minute + 4*time.Second) // inside the 5 s leeway
	if _, err := auth.ListUsers(ctx, tok); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
	clock.Add(2 * time.Second)
	_, err := auth.ListUsers(ctx, tok)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
}

func TestAccessToken_RemovedUserIsRefused(t *testing.T) {
	db, _ := MustOpenDB(t)
	MustAddUser(t, db, "bob", backend.RoleUser, "password1")
	auth := bolt.NewAuthService(db)
	tok := MustLogin(t, auth, "bob", "password1").AccessToken
	if err := bolt.NewAdminService(db).RemoveUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err := auth.ListUsers(ctx, tok)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
}

func TestDemoAccountActive_FollowsPasswordChanges(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	want := func(step string, active bool) {
		t.Helper()
		for range 2 { // the second answer comes from the cache
			got, err := auth.DemoAccountActive(ctx)
			if err != nil || got != active {
				t.Fatalf("%s: DemoAccountActive = %v, %v; want %v", step, got, err, active)
			}
		}
	}
	want("fresh", true)
	if err := admin.SetPassword(ctx, "test", "s3cret-enough"); err != nil {
		t.Fatal(err)
	}
	want("after password change", false)
	// "test" is only ever the seeded password: it cannot be set again.
	err := admin.SetPassword(ctx, "test", "test")
	assertError(t, err, backend.EINVALID, "Password must be at least 8 characters")
	want("after refusing test", false)
	if err := admin.RemoveUser(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	want("after removal", false)

	none := MustOpenDBAt(t, t.TempDir(), bolt.Options{NoDemoUser: true}, nil)
	if got, err := bolt.NewAuthService(none).DemoAccountActive(ctx); err != nil || got {
		t.Fatalf("with --no-demo-user: %v, %v", got, err)
	}
}
