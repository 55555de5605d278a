package backend

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// maxExp is the last second a JWT exp may name (end of year 9999): anything
// later is nonsense, and keeping it bounded keeps time arithmetic safe.
const maxExp = 253402300799

// AccessExpiry reads the exp claim from a JWT's payload without verifying the
// signature: the client cannot verify a remote server's tokens and only needs
// to know when to refresh. ok is false for anything that is not a JWT with a
// sensible numeric exp.
func AccessExpiry(token string) (exp time.Time, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	// JWTs use unpadded base64url; tolerate padding from lax issuers.
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	// Decode into any so only a JSON number counts: a json.Number field
	// would also accept "1700000000" as a string.
	var claims struct {
		Exp any `json:"exp"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil {
		return time.Time{}, false
	}
	num, isNum := claims.Exp.(json.Number)
	if !isNum {
		return time.Time{}, false
	}
	// exp is a NumericDate: seconds, possibly with a fraction.
	secs, err := num.Float64()
	if err != nil || math.IsNaN(secs) || secs < 1 || secs > maxExp {
		return time.Time{}, false
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC(), true
}

// AccessExpiryOrZero is AccessExpiry for callers that treat "unknown" as the
// zero time (a Grant's AccessExpires).
func AccessExpiryOrZero(token string) time.Time {
	exp, _ := AccessExpiry(token)
	return exp
}
