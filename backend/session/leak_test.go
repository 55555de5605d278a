package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// TestNothingForTheUIHoldsATokenProperty drives random sequences of logins,
// refreshes, failures, logouts, switches and restarts, and checks that no
// Session value, OnChange payload or log line ever contains a token the
// backends handed out.
func TestNothingForTheUIHoldsATokenProperty(t *testing.T) {
	for seed := range uint64(25) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			h := newHarness(t)
			other := newFakeAuth("rem", h.clock.Now)
			var shown []string // JSON of everything that reached the "UI"
			show := func(s *session.Session, r session.Reason) {
				b, err := json.Marshal(struct {
					S *session.Session
					R session.Reason
				}{s, r})
				if err != nil {
					t.Fatalf("marshal: %v", err)
				}
				shown = append(shown, string(b))
			}
			drain := func() {
				for {
					select {
					case e := <-h.events:
						show(e.s, e.r)
					default:
						return
					}
				}
			}
			h.start()
			ctx := context.Background()
			for range 40 {
				switch rng.IntN(9) {
				case 0, 1:
					password := "pw"
					if rng.IntN(4) == 0 {
						password = "wrong"
					}
					s, _ := h.m.Login(ctx, []string{"alice", "bob"}[rng.IntN(2)], password)
					show(s, "")
				case 2:
					h.clock.Add(time.Duration(rng.IntN(20*60)) * time.Second)
					h.tick()
				case 3:
					err := []error{backend.Errorf(backend.EUNAVAILABLE, "down"), errors.New("dial tcp: refused"),
						backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)}[rng.IntN(3)]
					h.auth.failRefresh(err)
					other.failRefresh(err)
				case 4:
					h.auth.refuseLast()
					other.refuseLast()
					_ = h.m.Do(ctx, listUsers)
				case 5:
					_ = h.m.Logout(ctx)
				case 6:
					b := embedded(h.auth)
					if rng.IntN(2) == 0 {
						b = remote(other)
					}
					_ = h.m.Switch(ctx, b)
				case 7:
					h.restart()
				case 8:
					s, _ := h.m.Session(ctx)
					show(s, "")
				}
				drain()
			}
			h.m.Close()
			drain()

			tokens := append(h.auth.tokens(), other.tokens()...)
			if len(tokens) == 0 || len(shown) == 0 {
				t.Fatal("the run issued no tokens or showed nothing; the check would be empty")
			}
			// Control: JSON encoding does not hide a token from the search.
			leak, _ := json.Marshal(backend.Grant{RefreshToken: tokens[len(tokens)-1]})
			if findToken(string(leak), tokens) == "" {
				t.Fatal("the search cannot see a token in marshalled JSON")
			}
			for _, s := range shown {
				if tok := findToken(s, tokens); tok != "" {
					t.Fatalf("token shown to the UI: %s", s)
				}
			}
			if tok := findToken(h.logs.String(), tokens); tok != "" {
				t.Fatalf("token %q in the log", tok)
			}
		})
	}
}

func findToken(s string, tokens []string) string {
	for _, tok := range tokens {
		if strings.Contains(s, tok) {
			return tok
		}
	}
	return ""
}
