package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// UserAgent is what the client calls itself in requests.
const UserAgent = "AuthDesk (desktop)"

// request is one call to the API.
type request struct {
	method string
	path   string // below the base URL, starting with "/"
	body   any    // sent as JSON when non-nil
	bearer string // access token for Authorization, if any
	cookie string // raw refreshToken cookie value, if any
}

// response is a server's answer, body already read (and capped).
type response struct {
	status int
	header http.Header
	body   []byte
}

// send makes the request and reads the answer. Only failures to get an
// answer at all come back as errors (EUNAVAILABLE); every status code is the
// caller's to interpret.
func (c *Client) send(ctx context.Context, rq request) (*response, error) {
	if c.base == "" {
		return nil, backend.Wrap(backend.EUNAVAILABLE, errNoBase, "No server address is set. Choose one in Settings.")
	}
	var body io.Reader
	if rq.body != nil {
		b, err := json.Marshal(rq.body)
		if err != nil {
			return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot encode the request")
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, c.base+rq.path, body)
	if err != nil {
		return nil, backend.Wrap(backend.EUNAVAILABLE, err, "%s is not a usable server address", c.display)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", UserAgent) // the server's sessions list shows it
	if rq.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+rq.bearer)
	}
	if rq.cookie != "" {
		// Written by hand so the value goes out exactly as it came in.
		req.Header.Set("Cookie", refreshCookie+"="+rq.cookie)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, c.transportError(err)
	}
	if len(data) > MaxBodyBytes {
		return nil, backend.Errorf(backend.EUNAVAILABLE, "The server's answer was too large (%s sent more than %d bytes)", c.display, MaxBodyBytes)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// decode reads a 2xx JSON body into v. Anything that does not parse means
// the address is not (or not only) the API AuthDesk expects.
func (c *Client) decode(r *response, v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return c.notTheAPI(err, "its answer was not the JSON expected")
	}
	return nil
}

func (c *Client) notTheAPI(cause error, why string) error {
	return backend.Wrap(backend.EUNAVAILABLE, cause,
		"%s did not answer like the AuthDesk/tutorial API (%s). Check the server address in Settings.", c.display, why)
}

// failure turns a non-2xx answer into the error the rules below give, for
// the calls that have no more specific rule for that status.
func (c *Client) failure(r *response) error {
	msg := errorMessage(r)
	retry, hasRetry := retryAfter(r.header, c.Now())
	switch {
	case r.status == http.StatusTooManyRequests:
		// Throttled: the countdown comes from Retry-After (zero if none).
		return backend.RetryAfterError(backend.ETOOMANY, retry, "%s", msg)
	case r.status == http.StatusServiceUnavailable && hasRetry:
		// Busy for now, and the server said when to try again.
		return backend.RetryAfterError(backend.EBUSY, retry, "%s", msg)
	case r.status >= 500:
		return backend.Errorf(backend.EUNAVAILABLE, "%s answered with a server error: %s", c.display, msg)
	case r.status >= 300 && r.status < 400:
		where := r.header.Get("Location")
		return backend.Errorf(backend.EUNAVAILABLE, "%s redirects to %q. Use the address it redirects to in Settings.", c.display, where)
	case r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed:
		return c.notTheAPI(errors.New(r.statusLine()), r.statusLine())
	default:
		return backend.Errorf(backend.EUNAVAILABLE, "%s refused the request: %s", c.display, msg)
	}
}

// maxRetryAfter caps a server's Retry-After, so a wrong header cannot lock
// the login page for days.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After: delay-seconds or an HTTP date (RFC 9110
// 10.2.3). ok is false when the header is missing or unreadable.
func retryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}

// statusLine is "404 Not Found", or just the number for unknown codes.
func (r *response) statusLine() string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)))
}
