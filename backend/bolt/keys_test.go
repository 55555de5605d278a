package bolt_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdesk/authdesk/backend/bolt"
)

// kidOf reads the kid header of an access token.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

// forge signs a token for user 1 in session sid with key, naming kid (or
// no kid when kid is nil), valid for ttl from now.
func forge(t *testing.T, key []byte, kid any, sid any, now time.Time, ttl time.Duration) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": "1", "sub": "1", "sid": sid,
		"iss": "authdesk", "aud": "authdesk", "iat": now.Unix(), "exp": now.Add(ttl).Unix()})
	if kid != nil {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sessionID(t *testing.T, token string) any {
	t.Helper()
	var c jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatal(err)
	}
	return c["sid"]
}

func accepted(auth *bolt.AuthService, token string) bool {
	_, err := auth.ListUsers(context.Background(), token)
	return err == nil
}

func TestTokensNameTheirKey(t *testing.T) {
	db, _ := MustOpenDB(t)
	g := MustLogin(t, bolt.NewAuthService(db), "test", "test")
	if kid := kidOf(t, g.AccessToken); kid == "" || kid != bolt.KeyID(db.SigningKey()) {
		t.Fatalf("kid = %q; want the signing key's ID %q", kid, bolt.KeyID(db.SigningKey()))
	}
}

func TestRotatedKeyKeepsItsTokensUntilTheyExpireThenIsDropped(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	opts := bolt.Options{AccessTTL: 10 * time.Minute}
	db := MustOpenDBAt(t, dir, opts, clock)
	auth := bolt.NewAuthService(db)
	before := MustLogin(t, auth, "test", "test")
	oldKey := append([]byte(nil), db.SigningKey()...)

	rot, err := db.RotateSigningKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rot.OldKeyID != bolt.KeyID(oldKey) || rot.NewKeyID != bolt.KeyID(db.SigningKey()) || rot.NewKeyID == rot.OldKeyID {
		t.Fatalf("rotation = %+v", rot)
	}
	if !rot.OldUntil.After(before.AccessExpires) {
		t.Fatalf("the old key retires at %s, before its last token expires (%s)", rot.OldUntil, before.AccessExpires)
	}
	after := MustLogin(t, auth, "test", "test")
	if kidOf(t, after.AccessToken) != rot.NewKeyID {
		t.Fatal("a token issued after the rotation is not signed with the new key")
	}
	if !accepted(auth, before.AccessToken) || !accepted(auth, after.AccessToken) {
		t.Fatal("after the rotation, a token of the old or the new key is refused")
	}
	// Refresh tokens are not signed with this key: the session goes on.
	if _, err := auth.Refresh(context.Background(), before.RefreshToken); err != nil {
		t.Fatalf("refresh after rotation: %v", err)
	}

	// A token of the old key that claims to live longer than any it issued
	// shows when the key itself stops counting.
	sid := sessionID(t, after.AccessToken)
	long := forge(t, oldKey, rot.OldKeyID, sid, clock.Now(), 24*time.Hour)
	if !accepted(auth, long) {
		t.Fatal("control: the old key's token was refused while the key still retires")
	}
	// Across a restart too.
	db.Close()
	db = MustOpenDBAt(t, dir, opts, clock)
	auth = bolt.NewAuthService(db)
	if !accepted(auth, before.AccessToken) && clock.Now().Before(before.AccessExpires) {
		t.Fatal("after a restart the old key's token is refused")
	}
	if !accepted(auth, long) {
		t.Fatal("after a restart the retiring key is gone early")
	}

	clock.Set(rot.OldUntil)
	if accepted(auth, long) {
		t.Fatal("the old key still verifies after its tokens have all expired")
	}
	db.Close()
	db = MustOpenDBAt(t, dir, opts, clock)
	again, err := db.RotateSigningKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if again.Dropped != 0 {
		t.Fatalf("Open left %d expired keys in the file (dropped only at the next rotation)", again.Dropped)
	}
}

func TestUnknownKeyIDIsRefused(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	g := MustLogin(t, auth, "test", "test")
	key := db.SigningKey()
	sid := sessionID(t, g.AccessToken)
	now := clock.Now()
	if !accepted(auth, forge(t, key, bolt.KeyID(key), sid, now, time.Minute)) {
		t.Fatal("control: a token with the right key and kid was refused")
	}
	other := make([]byte, 32)
	if _, err := rand.Read(other); err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"unknown kid, right key":  forge(t, key, "not-a-key-we-have", sid, now, time.Minute),
		"empty kid":               forge(t, key, "", sid, now, time.Minute),
		"numeric kid":             forge(t, key, 7, sid, now, time.Minute),
		"another key and its kid": forge(t, other, bolt.KeyID(other), sid, now, time.Minute),
		"another key, our kid":    forge(t, other, bolt.KeyID(key), sid, now, time.Minute),
	} {
		if accepted(auth, tok) {
			t.Errorf("%s: accepted", name)
		}
	}
	// A key rotated out twice over is unknown once its time is up.
	oldKey := append([]byte(nil), key...)
	rot, err := db.RotateSigningKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(rot.OldUntil.Add(time.Second))
	if accepted(auth, forge(t, oldKey, rot.OldKeyID, sid, clock.Now(), time.Minute)) {
		t.Error("a dropped key's kid was accepted")
	}
}
