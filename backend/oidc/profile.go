package oidc

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Profile is what the provider says about the person, from the verified ID
// token and the userinfo endpoint. It holds no token and is safe to send to
// the UI and to log.
type Profile struct {
	Subject           string `json:"sub"`
	Issuer            string `json:"iss"`
	Name              string `json:"name,omitempty"`
	GivenName         string `json:"givenName,omitempty"`
	FamilyName        string `json:"familyName,omitempty"`
	PreferredUsername string `json:"preferredUsername,omitempty"`
	Email             string `json:"email,omitempty"`
	EmailVerified     bool   `json:"emailVerified"`
	Locale            string `json:"locale,omitempty"`
	// Claims lists the standard profile claims (OpenID Connect Core section
	// 5.1) the provider gave, in that section's order, as text. Anything not
	// on that list (nonce, at_hash, sid, custom claims) is left out.
	Claims []Claim `json:"claims"`
}

// Claim is one profile claim for display.
type Claim struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// shownClaims are the claims Profile.Claims may carry, in display order.
var shownClaims = []string{
	"sub", "iss", "name", "given_name", "middle_name", "family_name", "nickname", "preferred_username",
	"email", "email_verified", "phone_number", "phone_number_verified", "locale", "zoneinfo",
	"birthdate", "gender", "website", "profile", "picture", "address", "updated_at",
}

// claimSet is the raw claims of an ID token or a userinfo answer.
type claimSet map[string]any

func (cs claimSet) str(name string) string {
	s, _ := cs[name].(string)
	return strings.TrimSpace(s)
}

// merge adds the claims of other that cs lacks. OpenID Connect Core section
// 5.3.2: userinfo claims count only when its sub is the ID token's sub.
func (cs claimSet) merge(other claimSet) {
	if other.str("sub") != cs.str("sub") {
		return
	}
	for k, v := range other {
		if _, ok := cs[k]; !ok {
			cs[k] = v
		}
	}
}

func (cs claimSet) profile() *Profile {
	p := &Profile{
		Subject:           cs.str("sub"),
		Issuer:            cs.str("iss"),
		Name:              cs.str("name"),
		GivenName:         cs.str("given_name"),
		FamilyName:        cs.str("family_name"),
		PreferredUsername: cs.str("preferred_username"),
		Email:             cs.str("email"),
		Locale:            cs.str("locale"),
		Claims:            []Claim{},
	}
	p.EmailVerified, _ = boolClaim(cs["email_verified"])
	for _, name := range shownClaims {
		if v, ok := claimText(name, cs[name]); ok {
			p.Claims = append(p.Claims, Claim{Name: name, Value: v})
		}
	}
	return p
}

// boolClaim reads a boolean claim; some providers send "true" as a string.
func boolClaim(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		p, err := strconv.ParseBool(b)
		return p, err == nil
	}
	return false, false
}

func claimText(name string, v any) (string, bool) {
	switch x := v.(type) {
	case string:
		x = clip(x)
		return x, x != ""
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		if name == "updated_at" {
			return time.Unix(int64(x), 0).UTC().Format(time.RFC3339), true
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return x.String(), true
	case map[string]any:
		if name == "address" {
			if f, ok := x["formatted"].(string); ok && strings.TrimSpace(f) != "" {
				return clip(f), true
			}
		}
	}
	return "", false
}

// user is the backend.User for the claims: ID = sub, Username =
// preferred_username or email (or sub), FirstName = given_name (or name).
func (cs claimSet) user() backend.User {
	u := backend.User{
		ID:        cs.str("sub"),
		Username:  cs.str("preferred_username"),
		FirstName: cs.str("given_name"),
		LastName:  cs.str("family_name"),
	}
	if u.Username == "" {
		u.Username = cs.str("email")
	}
	if u.Username == "" {
		u.Username = u.ID
	}
	if u.FirstName == "" && u.LastName == "" {
		u.FirstName = cs.str("name")
	}
	return u
}
