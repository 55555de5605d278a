package backend_test

import (
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend"
)

// The search matches what strings.Contains over the lower-cased names does,
// whichever way (ASCII without copies, or not) it gets there.
func TestMatchesSearch(t *testing.T) {
	u := backend.User{Username: "ada.l", FirstName: "Ada", LastName: "Lovelace-Byron"}
	ü := backend.User{Username: "zoe", FirstName: "Zoë", LastName: "MÜLLER"}
	for _, c := range []struct {
		u      backend.User
		search string
		want   bool
	}{
		{u, "", true},
		{u, "ADA", true},
		{u, "lace-by", true},
		{u, "ada lovelace", true}, // first and last name together
		{u, "a.l", true},
		{u, "ada  lovelace", false},
		{u, "byronx", false},
		{ü, "müll", true},
		{ü, "MÜLL", true},
		{ü, "zoë m", true},
		{ü, "zoe m", false},
	} {
		if got := backend.MatchesSearch(&c.u, strings.ToLower(c.search)); got != c.want {
			t.Errorf("%q in %+v: %v, want %v", c.search, c.u, got, c.want)
		}
	}
}

func FuzzMatchesSearchASCII(f *testing.F) {
	f.Add("Ada", "Lovelace", "ada", "LACE")
	f.Fuzz(func(t *testing.T, first, last, name, search string) {
		u := backend.User{Username: name, FirstName: first, LastName: last}
		lower := strings.ToLower(search)
		want := strings.Contains(strings.ToLower(name), lower) || strings.Contains(strings.ToLower(first), lower) ||
			strings.Contains(strings.ToLower(last), lower) || strings.Contains(strings.ToLower(first+" "+last), lower)
		if got := backend.MatchesSearch(&u, lower); got != want {
			t.Fatalf("%q in %+v: %v, want %v", search, u, got, want)
		}
	})
}
