package remote

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// refreshCookie is the cookie both tutorial APIs keep the refresh token in.
const refreshCookie = "refreshToken"

// setCookie is a refreshToken cookie as the server sent it.
type setCookie struct {
	value   string    // raw, exactly as on the wire
	expires time.Time // zero when the server gave none
}

// refreshCookieFrom finds the refreshToken cookie among the Set-Cookie lines.
// The value is cut out by hand, because net/http's parser drops quotes and
// rejects some bytes, and the server must get back exactly what it sent.
// A later line wins; a line that deletes the cookie (Max-Age<=0 or an
// expiry in the past) counts as no cookie.
func refreshCookieFrom(h http.Header, now time.Time) (setCookie, bool) {
	var found setCookie
	ok := false
	for _, line := range h.Values("Set-Cookie") {
		pair, attrs, _ := strings.Cut(line, ";")
		name, value, hasEq := strings.Cut(pair, "=")
		if !hasEq || strings.TrimSpace(name) != refreshCookie {
			continue
		}
		c := setCookie{value: strings.Trim(value, " \t")}
		deleted := c.value == ""
		var maxAge *int
		for _, a := range strings.Split(attrs, ";") {
			k, v, _ := strings.Cut(a, "=")
			k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			switch k {
			case "expires":
				if t, err := parseCookieTime(v); err == nil {
					c.expires = t.UTC()
				}
			case "max-age":
				if n, err := strconv.Atoi(v); err == nil {
					maxAge = &n
				}
			}
		}
		// Max-Age wins over Expires (RFC 6265 §5.3).
		if maxAge != nil {
			if *maxAge <= 0 {
				deleted = true
			} else {
				c.expires = now.Add(time.Duration(*maxAge) * time.Second).UTC()
			}
		} else if !c.expires.IsZero() && !c.expires.After(now) {
			deleted = true
		}
		if deleted {
			found, ok = setCookie{}, false
			continue
		}
		found, ok = c, true
	}
	return found, ok
}

// parseCookieTime accepts the date forms servers use for Expires: RFC 1123
// (Node, ASP.NET), RFC 850 and asctime, plus the old dashed Netscape form.
func parseCookieTime(v string) (time.Time, error) {
	if t, err := http.ParseTime(v); err == nil {
		return t, nil
	}
	return time.Parse("Mon, 02-Jan-2006 15:04:05 MST", v)
}

// sendable reports whether a stored cookie value can go back in a Cookie
// header as it is. A value with separators or control bytes cannot have
// come from a Set-Cookie line this client accepted.
func sendable(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if b := v[i]; b <= ' ' || b == ';' || b == 0x7f {
			return false
		}
	}
	return true
}
