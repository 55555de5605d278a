package backend

import "context"

// BrowserLogin is a backend that signs people in through the system browser
// (an OpenID Connect provider: RFC 8252's authorization code flow with PKCE
// and a loopback redirect). It is optional, like PasswordLogin: the session
// manager checks for it with a type assertion, and the password path knows
// nothing about it. docs/OIDC.md describes the flow.
type BrowserLogin interface {
	// BeginBrowserLogin prepares one sign-in: it may contact the backend
	// (discovery) and opens whatever the browser returns to. The caller
	// opens the flow's AuthURL in the system browser and waits on it.
	BeginBrowserLogin(ctx context.Context) (BrowserFlow, error)
	// ProviderName names the provider for "Sign in with <provider>".
	ProviderName() string
}

// BrowserFlow is one browser sign-in in progress. It ends exactly once: with
// a Grant, an error, Cancel, or its own timeout.
type BrowserFlow interface {
	// AuthURL is the address to open in the system browser. It holds no
	// secret (a PKCE challenge, state and nonce are not secrets).
	AuthURL() string
	// Wait blocks until the sign-in ends and returns the same Grant a
	// password login gives. If ctx ends first, the sign-in is cancelled.
	Wait(ctx context.Context) (*Grant, error)
	// Cancel ends the sign-in; Wait then returns an EUNAUTHORIZED error
	// wrapping context.Canceled.
	Cancel()
	// Done is closed once the sign-in has ended.
	Done() <-chan struct{}
}

// browserCapabilities fills the browser-login fields of Capabilities.
func browserCapabilities(b Refresher, c *Capabilities) {
	if bl, ok := b.(BrowserLogin); ok {
		c.BrowserLogin = true
		c.ProviderName = bl.ProviderName()
	}
}
