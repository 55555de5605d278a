package oidc_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/oidc"
)

func TestProbeReportsWhatItFound(t *testing.T) {
	op := newTestOP(t)
	res := oidc.Probe(context.Background(), oidc.Config{Issuer: op.issuer, ClientID: op.clientID})
	if res.Status != oidc.Reachable {
		t.Fatalf("%s: %s", res.Status, res.Reason)
	}
	for field, want := range map[string]string{
		res.AuthorizationEndpoint: op.issuer + "/authorize",
		res.TokenEndpoint:         op.issuer + "/token",
		res.UserinfoEndpoint:      op.issuer + "/userinfo",
		res.RevocationEndpoint:    op.issuer + "/revoke",
		res.EndSessionEndpoint:    op.issuer + "/logout?ui=simple",
		res.JWKSURI:               op.issuer + "/jwks",
	} {
		if field != want {
			t.Errorf("got %q, want %q", field, want)
		}
	}
	if !res.PKCES256 || res.Keys != 1 || len(res.SigningAlgs) != 1 || res.SigningAlgs[0] != "RS256" || len(res.Warnings) != 0 {
		t.Errorf("%+v", res)
	}
	want := "is an OpenID provider: sign-in with PKCE, profile (userinfo), token revocation, logout at the provider; 1 signing key."
	if !strings.HasSuffix(res.Reason, want) {
		t.Errorf("reason %q", res.Reason)
	}
}

func TestProbeSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(op *testOP)
		issuer func(op *testOP) string
		status string
		reason string
	}{
		{name: "discovery 503", status: oidc.Unreachable, reason: "with an error (HTTP 503); it may be starting or broken",
			setup: func(op *testOP) { op.discoveryStatus = http.StatusServiceUnavailable }},
		{name: "no discovery document", status: oidc.NotOIDC, reason: "There is no discovery document at",
			issuer: func(op *testOP) string { return op.issuer + "/realms/missing" }},
		{name: "a web page", status: oidc.NotOIDC, reason: "answered with a web page",
			setup: func(op *testOP) { op.discoveryBody = "<html><body>Welcome to nginx!</body></html>" }},
		{name: "not JSON", status: oidc.NotOIDC, reason: "is not valid JSON",
			setup: func(op *testOP) { op.discoveryStatus, op.discoveryBody = http.StatusOK, "issuer: x" }},
		{name: "issuer mismatch", status: oidc.Misconfigured, reason: `Use exactly "https://sso.example.com/realms/staff" as the issuer URL`,
			setup: func(op *testOP) {
				op.meta = func(m map[string]any) { m["issuer"] = "https://sso.example.com/realms/staff" }
			}},
		{name: "trailing slash", status: oidc.Misconfigured, reason: "The provider calls itself",
			issuer: func(op *testOP) string { return op.issuer + "/" }},
		{name: "no token endpoint", status: oidc.NotOIDC, reason: "has no token_endpoint",
			setup: func(op *testOP) { op.meta = func(m map[string]any) { delete(m, "token_endpoint") } }},
		{name: "plain http endpoint elsewhere", status: oidc.Misconfigured, reason: "token_endpoint must use https://",
			setup: func(op *testOP) {
				op.meta = func(m map[string]any) { m["token_endpoint"] = "http://sso.example.com/token" }
			}},
		{name: "no S256", status: oidc.Misconfigured, reason: "does not support PKCE with S256 (it offers plain)",
			setup: func(op *testOP) {
				op.meta = func(m map[string]any) { m["code_challenge_methods_supported"] = []string{"plain"} }
			}},
		{name: "no code flow", status: oidc.Misconfigured, reason: "authorization code flow",
			setup: func(op *testOP) {
				op.meta = func(m map[string]any) { m["response_types_supported"] = []string{"id_token"} }
			}},
		{name: "JWKS empty", status: oidc.Misconfigured, reason: "is empty, so no ID token could be verified",
			setup: func(op *testOP) { op.jwksBody = `{"keys":[]}` }},
		{name: "JWKS only encryption keys", status: oidc.Misconfigured, reason: "has no signing key AuthDesk can use",
			setup: func(op *testOP) { op.jwksBody = `{"keys":[{"kty":"RSA","use":"enc","kid":"e","n":"AQAB","e":"AQAB"}]}` }},
		{name: "JWKS not JSON", status: oidc.NotOIDC, reason: "The key set (JWKS) at",
			setup: func(op *testOP) { op.jwksBody = `<keys/>` }},
		{name: "huge discovery document", status: oidc.Unreachable, reason: "its answer was too large",
			setup: func(op *testOP) {
				op.discoveryStatus, op.discoveryBody = http.StatusOK, `{"issuer":"`+strings.Repeat("a", oidc.MaxBodyBytes)+`"}`
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := newTestOP(t)
			if tc.setup != nil {
				tc.setup(op)
			}
			issuer := op.issuer
			if tc.issuer != nil {
				issuer = tc.issuer(op)
			}
			res := oidc.Probe(context.Background(), oidc.Config{Issuer: issuer, ClientID: op.clientID})
			if res.Status != tc.status || !strings.Contains(res.Reason, tc.reason) {
				t.Errorf("%s: %s\nwant %s: ...%s...", res.Status, res.Reason, tc.status, tc.reason)
			}
		})
	}
}

func TestProbeUnreachable(t *testing.T) {
	res := oidc.Probe(context.Background(), oidc.Config{Issuer: "http://" + freeAddr(t), ClientID: "x"})
	if res.Status != oidc.Unreachable || !strings.Contains(res.Reason, "connection refused") {
		t.Errorf("%s: %s", res.Status, res.Reason)
	}
}

func TestProbeWarns(t *testing.T) {
	op := newTestOP(t)
	op.meta = func(m map[string]any) {
		delete(m, "code_challenge_methods_supported")
		delete(m, "revocation_endpoint")
		m["scopes_supported"] = []string{"openid", "profile", "email"}
	}
	res := oidc.Probe(context.Background(), oidc.Config{Issuer: op.issuer, ClientID: op.clientID})
	if res.Status != oidc.Reachable || len(res.Warnings) != 3 {
		t.Fatalf("%s: %s %q", res.Status, res.Reason, res.Warnings)
	}
	all := strings.Join(res.Warnings, "\n")
	for _, w := range []string{"does not advertise PKCE", "offline_access", "no revocation endpoint"} {
		if !strings.Contains(all, w) {
			t.Errorf("no warning about %q in %q", w, all)
		}
	}
	// Without advertised PKCE, sign-in still sends S256 and works.
	c, _ := newClient(t, op)
	signIn(t, c)
}

func TestConfig(t *testing.T) {
	n := oidc.Config{Issuer: " https://sso.example.com/realms/staff ", ClientID: " authdesk "}.Normalize()
	if n.Issuer != "https://sso.example.com/realms/staff" || n.ClientID != "authdesk" || strings.Join(n.Scopes, " ") != "openid profile email offline_access" {
		t.Errorf("%+v", n)
	}
	n = oidc.Config{Scopes: []string{"profile  groups", "profile"}}.Normalize()
	if strings.Join(n.Scopes, " ") != "openid profile groups" {
		t.Errorf("scopes %q: openid must be added, duplicates dropped", n.Scopes)
	}
	for _, tc := range []struct {
		cfg oidc.Config
		msg string
	}{
		{oidc.Config{ClientID: "a"}, "The issuer URL is required"},
		{oidc.Config{Issuer: "sso.example.com", ClientID: "a"}, "must be a full address starting with https://"},
		{oidc.Config{Issuer: "http://sso.example.com", ClientID: "a"}, "must use https://"},
		{oidc.Config{Issuer: "https://u:p@sso.example.com", ClientID: "a"}, "must not contain a user name or password"},
		{oidc.Config{Issuer: "https://sso.example.com?x=1", ClientID: "a"}, "must not have a query"},
		{oidc.Config{Issuer: "https://sso.example.com"}, "The client ID is required"},
		{oidc.Config{Issuer: "https://sso.example.com", ClientID: strings.Repeat("a", oidc.MaxClientIDBytes+1)}, "at most 256 bytes"},
		{oidc.Config{Issuer: "https://sso.example.com/" + strings.Repeat("a", oidc.MaxIssuerBytes), ClientID: "a"}, "at most 2048 bytes"},
		{oidc.Config{Issuer: "https://sso.example.com", ClientID: "a", Scopes: []string{`bad"scope`}}, "has a character scopes cannot have"},
		{oidc.Config{Issuer: "https://sso.example.com", ClientID: "a", Scopes: []string{strings.Repeat("s", oidc.MaxScopesBytes)}}, "at most 1024 bytes"},
	} {
		wantError(t, tc.cfg.Validate(), "invalid", tc.msg)
	}
	for _, ok := range []string{"https://sso.example.com", "http://localhost:8080/realms/dev", "http://127.0.0.1:9998/", "http://[::1]:8080"} {
		if err := (oidc.Config{Issuer: ok, ClientID: "a"}).Validate(); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	// A client with a bad config says so on use, before any request.
	_, err := oidc.NewClient(oidc.Config{Issuer: "http://sso.example.com", ClientID: "a"}).Begin(context.Background())
	wantError(t, err, "invalid", "must use https://")
}
