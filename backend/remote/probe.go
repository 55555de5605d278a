package remote

import (
	"context"
	"net/http"

	"github.com/authdesk/authdesk/backend"
)

// Probe outcomes.
const (
	Reachable   = "reachable"
	Unreachable = "unreachable"
	NotThisAPI  = "not_this_api"
)

// ProbeResult is what Settings' "Test connection" shows.
type ProbeResult struct {
	URL    string `json:"url"`
	Status string `json:"status"` // Reachable, Unreachable or NotThisAPI
	Reason string `json:"reason"` // a sentence for the person
}

// Probe checks whether baseURL is an API AuthDesk can log in to. It posts an
// empty JSON object to /users/authenticate: every implementation of the
// contract rejects it as invalid input (400 with {message} or problem+json)
// before looking up anyone, so the probe creates no session and cannot count
// as a failed login against any account.
func Probe(ctx context.Context, baseURL string, opts ...Option) ProbeResult {
	c := NewClient(baseURL, opts...)
	res := ProbeResult{URL: c.display}
	r, err := c.send(ctx, request{method: http.MethodPost, path: "/users/authenticate", body: struct{}{}})
	if err != nil {
		res.Status, res.Reason = Unreachable, backend.ErrorMessage(err)
		return res
	}
	_, isJSON := parseError(r.body)
	switch {
	case r.status >= 500:
		res.Status = Unreachable
		res.Reason = "The server answered with an error (" + r.statusLine() + "); it may be starting or broken."
	case (r.status == http.StatusBadRequest || r.status == http.StatusUnauthorized || r.status == http.StatusUnprocessableEntity) && isJSON:
		res.Status, res.Reason = Reachable, "The server answers like the AuthDesk/tutorial API."
	case r.status >= 300 && r.status < 400:
		res.Status = NotThisAPI
		res.Reason = "The server redirects to " + quote(r.header.Get("Location")) + "; use that address instead."
	case !isJSON:
		res.Status = NotThisAPI
		res.Reason = "Something answers there (" + r.statusLine() + "), but not with the JSON the API sends. Check the address and port."
	default:
		res.Status = NotThisAPI
		res.Reason = "Something answers there (" + r.statusLine() + "), but not like the AuthDesk/tutorial API."
	}
	return res
}

func quote(s string) string {
	if s == "" {
		return "another address"
	}
	return `"` + s + `"`
}
