package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// GET /users/{id}/refresh-tokens is paged: the body stays a JSON array, and
// X-Next-Cursor (with a Link rel="next") leads to the rest.
func TestRefreshTokens_Paged(t *testing.T) {
	e := newEnv(t)
	var access string
	for range 5 { // five sessions: five current tokens
		access, _ = e.login("test", "test")
	}
	seen := map[string]bool{}
	path := "/users/1/refresh-tokens?limit=2"
	pages := 0
	for path != "" {
		a := e.do(req{method: "GET", path: path, bearer: access})
		if a.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, a.StatusCode, a.body)
		}
		var list []struct {
			Token    string `json:"token"`
			IsActive bool   `json:"isActive"`
		}
		if err := json.Unmarshal(a.body, &list); err != nil {
			t.Fatalf("body is not a JSON array: %s", a.body)
		}
		if len(list) > 2 {
			t.Fatalf("page of %d records with limit=2", len(list))
		}
		for _, r := range list {
			if seen[r.Token] {
				t.Fatalf("token %s on two pages", r.Token)
			}
			seen[r.Token] = true
		}
		pages++
		next := a.Header.Get("X-Next-Cursor")
		link := a.Header.Get("Link")
		if next == "" {
			if link != "" {
				t.Fatalf("Link %q on the last page", link)
			}
			break
		}
		if !strings.HasPrefix(link, "</users/1/refresh-tokens?") || !strings.HasSuffix(link, `>; rel="next"`) || !strings.Contains(link, "limit=2") {
			t.Fatalf("Link = %q", link)
		}
		path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
	if len(seen) != 5 || pages != 3 {
		t.Fatalf("%d tokens on %d pages, want 5 on 3", len(seen), pages)
	}

	// Without parameters: the first page of the default size, all five here.
	a := e.do(req{method: "GET", path: "/users/1/refresh-tokens", bearer: access})
	if a.StatusCode != 200 || a.Header.Get("X-Next-Cursor") != "" || strings.Count(string(a.body), `"token"`) != 5 {
		t.Fatalf("unpaged: %d %s", a.StatusCode, a.body)
	}
	for _, bad := range []string{"limit=0", "limit=-1", "limit=abc", "limit=100000", "cursor=!!"} {
		a := e.do(req{method: "GET", path: "/users/1/refresh-tokens?" + bad, bearer: access})
		if a.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad, a.StatusCode, a.body)
		}
	}
}
