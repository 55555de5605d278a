package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/authdesk/authdesk/backend"
)

// tokenCtx carries the client's HTTP client to golang.org/x/oauth2.
func (c *Client) tokenCtx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.http)
}

// verifyIDToken checks an ID token (OpenID Connect Core section 3.1.3.7):
// go-oidc checks the signature against the provider's JWKS (fetching it
// again when the token names a key it has not seen), iss, aud and exp; this
// adds azp, nonce (when wantNonce is not empty) and at_hash.
func (c *Client) verifyIDToken(ctx context.Context, d *discovered, raw, wantNonce, accessToken string) (claimSet, error) {
	name := c.ProviderName()
	tok, err := d.verifier.Verify(ctx, raw)
	if err != nil {
		var expired *gooidc.TokenExpiredError
		msg := err.Error()
		switch {
		case errors.As(err, &expired):
			return nil, backend.Wrap(backend.EUNAUTHORIZED, err,
				"The ID token from %s expired at %s, and this computer's clock says %s. If the clock is wrong, correct it and sign in again.",
				name, expired.Expiry.UTC().Format(time.RFC3339), c.now().UTC().Format(time.RFC3339))
		case strings.Contains(msg, "expected audience"):
			return nil, backend.Wrap(backend.EUNAUTHORIZED, err,
				"The ID token from %s was issued to another application, not to client ID %q.", name, c.cfg.ClientID)
		case strings.Contains(msg, "issued by a different provider"):
			return nil, backend.Wrap(backend.EUNAUTHORIZED, err,
				"The ID token was not issued by %s (its iss is another provider).", c.cfg.Issuer)
		case strings.Contains(msg, "fetching keys"):
			return nil, backend.Wrap(backend.EUNAVAILABLE, err,
				"Could not fetch the signing keys of %s to check the ID token. Try again later.", name)
		case strings.Contains(msg, "signature"), strings.Contains(msg, "malformed jwt"), strings.Contains(msg, "unexpected signature algorithm"):
			return nil, backend.Wrap(backend.EUNAUTHORIZED, err,
				"The ID token's signature does not match any signing key of %s, so it cannot be trusted.", name)
		}
		return nil, backend.Wrap(backend.EUNAUTHORIZED, err, "The ID token from %s could not be verified.", name)
	}
	var cs claimSet
	if err := tok.Claims(&cs); err != nil {
		return nil, backend.Wrap(backend.EUNAUTHORIZED, err, "The ID token from %s could not be read.", name)
	}
	if tok.Subject == "" {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, "The ID token from %s names no person (no sub).", name)
	}
	// Core 3.1.3.7 items 4 and 5: with several audiences, azp must be us.
	if azp := cs.str("azp"); (len(tok.Audience) > 1 || azp != "") && azp != c.cfg.ClientID {
		return nil, backend.Errorf(backend.EUNAUTHORIZED,
			"The ID token from %s was issued to another application (azp is not client ID %q).", name, c.cfg.ClientID)
	}
	if wantNonce != "" && subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(wantNonce)) != 1 {
		return nil, backend.Errorf(backend.EUNAUTHORIZED,
			"The ID token from %s does not belong to this sign-in (its nonce does not match). Please sign in again.", name)
	}
	if tok.AccessTokenHash != "" && accessToken != "" {
		if err := tok.VerifyAccessToken(accessToken); err != nil {
			return nil, backend.Wrap(backend.EUNAUTHORIZED, err,
				"The access token from %s does not match its ID token (at_hash), so neither can be trusted.", name)
		}
	}
	return cs, nil
}

// userinfo fetches the userinfo endpoint's claims with accessToken. ok is
// false, with a nil error, when the provider has no userinfo endpoint.
func (c *Client) userinfo(ctx context.Context, d *discovered, accessToken string) (claimSet, bool, error) {
	if d.meta.UserinfoEndpoint == "" {
		return nil, false, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.meta.UserinfoEndpoint, nil)
	if err != nil {
		return nil, false, backend.Wrap(backend.EINVALID, err, "The provider's userinfo address is not valid")
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, false, c.transportError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, false, c.transportError(err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, false, backend.Errorf(backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	case resp.StatusCode != http.StatusOK:
		return nil, false, backend.Errorf(backend.EUNAVAILABLE, "%s answered the profile request with HTTP %d", c.ProviderName(), resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/jwt" {
		return nil, false, backend.Errorf(backend.EUNAVAILABLE, "%s sends a signed profile (application/jwt), which AuthDesk does not read", c.ProviderName())
	}
	var cs claimSet
	if err := json.Unmarshal(body, &cs); err != nil || cs.str("sub") == "" {
		return nil, false, backend.Errorf(backend.EUNAVAILABLE, "%s's profile answer is not an OpenID userinfo document", c.ProviderName())
	}
	return cs, true, nil
}

// grant turns a token response into a backend.Grant. claims may be nil (a
// refresh without a new ID token): the last known profile supplies the user.
func (c *Client) grant(tok *oauth2.Token, claims claimSet) *backend.Grant {
	g := &backend.Grant{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	now := c.now()
	switch {
	case tok.ExpiresIn > 0:
		g.AccessExpires = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	case !tok.Expiry.IsZero():
		g.AccessExpires = tok.Expiry
	}
	// Keycloak says how long its refresh token lives; most providers do not.
	if s := numberExtra(tok.Extra("refresh_expires_in")); s > 0 {
		g.RefreshExpires = now.Add(time.Duration(s) * time.Second)
	}
	if claims != nil {
		g.User = claims.user()
	} else if p := c.LastProfile(); p != nil {
		g.User = profileClaims(p).user()
	}
	return g
}

func numberExtra(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	case json.Number:
		i, _ := n.Int64()
		return i
	}
	return 0
}

// remember keeps the verified claims (for LastProfile and the user of a later
// refresh without an ID token) and the raw ID token (for EndSessionURL).
func (c *Client) remember(claims claimSet, rawIDToken string) {
	p := claims.profile()
	c.mu.Lock()
	c.last = p
	if rawIDToken != "" {
		c.idTok = rawIDToken
	}
	c.mu.Unlock()
}

// profileClaims rebuilds a claim set from a Profile's shown claims.
func profileClaims(p *Profile) claimSet {
	cs := claimSet{}
	for _, cl := range p.Claims {
		cs[cl.Name] = cl.Value
	}
	return cs
}

// withUserinfo adds the userinfo claims to claims (same sub only). A failed
// userinfo call is logged: the ID token alone is enough to sign in.
func (c *Client) withUserinfo(ctx context.Context, d *discovered, claims claimSet, accessToken string) claimSet {
	ui, ok, err := c.userinfo(ctx, d, accessToken)
	switch {
	case err != nil:
		c.log().Warn("oidc: could not read the userinfo profile; using the ID token's claims", "provider", c.ProviderName(), "err", err)
	case ok && claims == nil:
		return ui
	case ok && ui.str("sub") != claims.str("sub"):
		c.log().Warn("oidc: userinfo is for another subject than the ID token; ignored", "provider", c.ProviderName())
	case ok:
		claims.merge(ui)
	}
	return claims
}

// Refresh renews the session with the refresh_token grant (RFC 6749 section
// 6). A provider that rotates refresh tokens sends a new one, which the
// Grant carries; one that does not leaves the old one valid, and the Grant
// carries that. invalid_grant means the session is over (EUNAUTHORIZED);
// network failures, 5xx and a provider that cannot be discovered right now
// are EUNAVAILABLE and keep it.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*backend.Grant, error) {
	if refreshToken == "" {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	}
	d, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := d.oauth.TokenSource(c.tokenCtx(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return nil, c.tokenError(err, duringRefresh)
	}
	if tok.AccessToken == "" {
		return nil, backend.Errorf(backend.EUNAVAILABLE, "%s answered the session refresh without an access token", c.ProviderName())
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = refreshToken // no rotation: the old one stays valid
	}
	var claims claimSet
	raw, _ := tok.Extra("id_token").(string)
	if raw != "" {
		// Core 12.2: a refreshed ID token is checked like the first one
		// (no nonce), and must be about the same person.
		claims, err = c.verifyIDToken(ctx, d, raw, "", tok.AccessToken)
		if err != nil {
			return nil, err
		}
		if last := c.LastProfile(); last != nil && last.Subject != "" && last.Subject != claims.str("sub") {
			return nil, backend.Errorf(backend.EUNAUTHORIZED, "%s's new ID token is about another person. Please sign in again.", c.ProviderName())
		}
	}
	if claims == nil && c.LastProfile() == nil {
		// A restart restores the session from the refresh token alone: ask
		// userinfo who it belongs to.
		claims = c.withUserinfo(ctx, d, nil, tok.AccessToken)
	} else if claims != nil {
		claims = c.withUserinfo(ctx, d, claims, tok.AccessToken)
	}
	if claims != nil {
		c.remember(claims, raw)
	}
	return c.grant(tok, claims), nil
}

// Revoke ends the session at the provider (RFC 7009): the refresh token if
// there is one, else the access token. It does nothing, successfully, when
// the provider advertises no revocation endpoint. Revocation of an unknown
// or already-revoked token is success (RFC 7009 section 2.2).
func (c *Client) Revoke(ctx context.Context, accessToken, refreshToken string) error {
	token, hint := refreshToken, "refresh_token"
	if token == "" {
		token, hint = accessToken, "access_token"
	}
	if token == "" {
		return nil
	}
	d, err := c.discover(ctx)
	if err != nil {
		return err
	}
	if d.meta.RevocationEndpoint == "" {
		return nil
	}
	form := url.Values{"token": {token}, "token_type_hint": {hint}, "client_id": {c.cfg.ClientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.meta.RevocationEndpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return backend.Wrap(backend.EINVALID, err, "The provider's revocation address is not valid")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &oe)
	switch {
	case resp.StatusCode >= 500 || oe.Error == "temporarily_unavailable":
		return backend.Errorf(backend.EUNAVAILABLE, "%s could not revoke the session right now (HTTP %d)", c.ProviderName(), resp.StatusCode)
	case oe.Error == "invalid_client" || oe.Error == "unauthorized_client" || resp.StatusCode == http.StatusUnauthorized:
		return backend.Errorf(backend.EINVALID, "%s does not let client ID %q revoke its tokens (%s)", c.ProviderName(), c.cfg.ClientID, describe(oe.Error, oe.Description))
	case oe.Error != "":
		return backend.Errorf(backend.EINVALID, "%s refused to revoke the session: %s", c.ProviderName(), describe(oe.Error, oe.Description))
	}
	return backend.Errorf(backend.EUNAVAILABLE, "%s answered the revocation with HTTP %d", c.ProviderName(), resp.StatusCode)
}

// EndSessionURL is the provider's RP-initiated logout address (OpenID
// Connect RP-Initiated Logout 1.0) with idTokenHint (may be empty; see
// IDTokenHint) and the client ID, for the system browser. It is "" when the
// provider advertises no end_session_endpoint or was not discovered yet (any
// sign-in or refresh discovers it).
func (c *Client) EndSessionURL(idTokenHint string) string {
	d := c.cached()
	if d == nil || d.meta.EndSessionEndpoint == "" {
		return ""
	}
	u, err := url.Parse(d.meta.EndSessionEndpoint)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", c.cfg.ClientID)
	u.RawQuery = q.Encode()
	return u.String()
}

// IDTokenHint is the last verified ID token, for EndSessionURL. It is kept
// in memory only and is "" after a restart until the next refresh that
// returns an ID token.
func (c *Client) IDTokenHint() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.idTok
}

// LastProfile is the profile from the last verified ID token and userinfo
// answer, or nil before any. It makes no request.
func (c *Client) LastProfile() *Profile {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		return nil
	}
	p := *c.last
	p.Claims = slices.Clone(c.last.Claims)
	return &p
}

// Profile asks the userinfo endpoint for the person's current profile with
// accessToken (an authorised call: EUNAUTHORIZED means the access token was
// refused, so the session manager refreshes and retries once). Without a
// userinfo endpoint it returns the last ID token's profile.
func (c *Client) Profile(ctx context.Context, accessToken string) (*Profile, error) {
	d, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	ui, ok, err := c.userinfo(ctx, d, accessToken)
	if err != nil {
		return nil, err
	}
	if !ok {
		if p := c.LastProfile(); p != nil {
			return p, nil
		}
		return nil, backend.Errorf(backend.ENOTFOUND, "%s gave no profile", c.ProviderName())
	}
	if last := c.LastProfile(); last != nil {
		if last.Subject != ui.str("sub") {
			return nil, backend.Errorf(backend.EUNAUTHORIZED, "%s's profile is about another person", c.ProviderName())
		}
		prev := profileClaims(last)
		for k, v := range prev {
			if _, has := ui[k]; !has {
				ui[k] = v
			}
		}
	}
	c.remember(ui, "")
	return ui.profile(), nil
}
