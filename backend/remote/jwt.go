package remote

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// accessExpiry reads exp from an access token without checking its
// signature: the client cannot check a server's signature and only needs to
// know when to refresh. Zero when the token does not say.
func accessExpiry(token string) time.Time {
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &claims); err != nil || claims.ExpiresAt == nil {
		return time.Time{}
	}
	return claims.ExpiresAt.Time.UTC()
}
