package backend

import (
	"encoding/base64"
	"testing"
	"time"
)

func jwtWith(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestAccessExpiry(t *testing.T) {
	padded := base64.URLEncoding.EncodeToString([]byte(`{"exp":1700000000}`))
	tests := []struct {
		name  string
		token string
		want  time.Time
		ok    bool
	}{
		{"integer exp", jwtWith(`{"sub":"1","exp":1700000000}`), time.Unix(1700000000, 0), true},
		{"fractional exp", jwtWith(`{"exp":1700000000.5}`), time.Unix(1700000000, 5e8), true},
		{"padded payload", "a." + padded + ".b", time.Unix(1700000000, 0), true},
		{"no exp", jwtWith(`{"sub":"1"}`), time.Time{}, false},
		{"string exp", jwtWith(`{"exp":"1700000000"}`), time.Time{}, false},
		{"negative exp", jwtWith(`{"exp":-5}`), time.Time{}, false},
		{"absurd exp", jwtWith(`{"exp":1e300}`), time.Time{}, false},
		{"not json", jwtWith(`exp=1700000000`), time.Time{}, false},
		{"two segments", "a.b", time.Time{}, false},
		{"opaque token", "d2f1c0ffee", time.Time{}, false},
		{"bad base64", "a.!!!.b", time.Time{}, false},
		{"empty", "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AccessExpiry(tt.token)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Fatalf("AccessExpiry = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzAccessExpiry checks that no input panics and that any expiry reported is
// one that later arithmetic can use.
func FuzzAccessExpiry(f *testing.F) {
	f.Add(jwtWith(`{"exp":1700000000}`))
	f.Add(jwtWith(`{"exp":1.5}`))
	f.Add(jwtWith(`{"exp":null}`))
	f.Add("a.e30.b")
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		exp, ok := AccessExpiry(token)
		if !ok {
			if !exp.IsZero() {
				t.Fatalf("not ok but exp = %v", exp)
			}
			return
		}
		if exp.Unix() <= 0 || exp.Unix() > maxExp {
			t.Fatalf("exp %v out of range", exp)
		}
		again, _ := AccessExpiry(token)
		if !again.Equal(exp) {
			t.Fatalf("not deterministic: %v then %v", exp, again)
		}
	})
}
