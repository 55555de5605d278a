package remote

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/netreason"
)

// errorBody covers both APIs' error shapes: {"message"} and ASP.NET's
// problem+json {"title","status","errors":{"Field":["..."]}}.
type errorBody struct {
	Message string              `json:"message"`
	Title   string              `json:"title"`
	Errors  map[string][]string `json:"errors"`
}

// parseError reads an error body; ok is false for anything that is not JSON
// (empty, HTML, text).
func parseError(body []byte) (e errorBody, ok bool) {
	if err := json.Unmarshal(body, &e); err != nil {
		return errorBody{}, false
	}
	return e, true
}

// isValidation reports whether r is a problem+json validation failure: the
// input was rejected before the server looked at the credentials.
func isValidation(r *response) bool {
	e, ok := parseError(r.body)
	return ok && len(e.Errors) > 0
}

// errorMessage is the sentence to show for a failed answer: the server's
// message, the field errors joined, the problem title, or the status text.
func errorMessage(r *response) string {
	e, ok := parseError(r.body)
	switch {
	case !ok:
	case strings.TrimSpace(e.Message) != "":
		return clip(strings.TrimSpace(e.Message))
	case len(e.Errors) > 0:
		return clip(joinFieldErrors(e.Errors))
	case strings.TrimSpace(e.Title) != "":
		return clip(strings.TrimSpace(e.Title))
	}
	return r.statusLine()
}

// joinFieldErrors turns {"Username":["The Username field is required."]}
// into one sentence per message, fields in a stable order.
func joinFieldErrors(errs map[string][]string) string {
	fields := make([]string, 0, len(errs))
	for f := range errs {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var parts []string
	for _, f := range fields {
		for _, m := range errs[f] {
			m = strings.TrimSpace(m)
			if m == "" {
				continue
			}
			if !strings.ContainsAny(m[len(m)-1:], ".!?") {
				m += "."
			}
			parts = append(parts, m)
		}
	}
	if len(parts) == 0 {
		return "The request was not valid."
	}
	return strings.Join(parts, " ")
}

// clip keeps a server's message to a length a dialog can show.
func clip(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// transportError explains why no answer came back. The cause is kept for the
// log; the message names the server and a reason a person can act on.
func (c *Client) transportError(err error) error {
	return backend.Wrap(backend.EUNAVAILABLE, err, "Cannot reach %s: %s", c.display, c.reason(err))
}

func (c *Client) reason(err error) string { return netreason.Reason(err, c.timeout, "server") }
