package bolt

import (
	"errors"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The embedded backend both issues and checks access tokens; issuer and
// audience still pin them so a token minted for something else with the same
// key (a future served API on another port, say) is not accepted by accident.
const (
	tokenIssuer   = "authdesk"
	tokenAudience = "authdesk"
	// tokenLeeway absorbs clock steps between issuing and checking.
	tokenLeeway = 5 * time.Second
	// maxAccessTokenBytes keeps absurd input from reaching the JSON decoder.
	maxAccessTokenBytes = 4096
)

// accessClaims are the JWT's claims. "id" is what the tutorial's clients read;
// sub carries the same value for everything else. "sid" names the session
// (token family) the token was issued to: a token is accepted only while that
// session lives, so logout, revocation, a password change and the end of the
// session lifetime end its access tokens too, with one lookup per request.
type accessClaims struct {
	ID        string `json:"id"`
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// signAccessToken returns an HS256 JWT for user id in session sid, valid for
// ttl from now.
func signAccessToken(key []byte, id uint64, sid string, now time.Time, ttl time.Duration) (string, time.Time, error) {
	uid := strconv.FormatUint(id, 10)
	exp := now.Add(ttl)
	claims := accessClaims{
		ID:        uid,
		SessionID: sid,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   uid,
			Issuer:    tokenIssuer,
			Audience:  jwt.ClaimStrings{tokenAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = keyID(key) // which key to check it with (keys.go)
	s, err := tok.SignedString(key)
	// NumericDate keeps whole seconds; report the expiry the token really has.
	return s, exp.Truncate(time.Second), err
}

// verifyAccessToken returns the user and session IDs of a valid token, or
// false; the caller checks that the session still lives. Every
// check is explicit: the method is pinned to HS256 so neither "none" nor a
// public-key algorithm can be substituted, and exp, iss and aud must be present.
func verifyAccessToken(key []byte, token string, now func() time.Time) (uint64, string, bool) {
	id := keyID(key)
	return verifyAccessTokenWith(func(kid string) []byte {
		if kid == "" || kid == id {
			return key
		}
		return nil
	}, token, now)
}

// verifyAccessTokenWith is verifyAccessToken with the key chosen by the
// token's kid header: keyFor returns nil for a kid that names no key in use,
// and the token is refused without trying any key.
func verifyAccessTokenWith(keyFor func(kid string) []byte, token string, now func() time.Time) (uint64, string, bool) {
	if token == "" || len(token) > maxAccessTokenBytes || !compactJWS(token) {
		return 0, "", false
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithLeeway(tokenLeeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(), // one token, one spelling
	)
	var claims accessClaims
	_, err := p.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		kid, isString := t.Header["kid"].(string)
		if _, present := t.Header["kid"]; present && (!isString || kid == "") {
			return nil, errUnknownKey
		}
		key := keyFor(kid)
		if key == nil {
			return nil, errUnknownKey
		}
		return key, nil
	})
	if err != nil || claims.ID != claims.Subject || claims.SessionID == "" {
		return 0, "", false
	}
	uid, ok := parseUserID(claims.ID)
	return uid, claims.SessionID, ok
}

// errUnknownKey refuses a token whose kid names no signing key in use.
var errUnknownKey = errors.New("unknown signing key")

// compactJWS reports whether token uses only the base64url alphabet and dots.
// Go's base64 decoder skips CR and LF, so without this a token with a line
// break inside would verify as the same token (found by the fuzzer).
func compactJWS(token string) bool {
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
