package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// enrolAlice turns alice's second factor on and returns her TOTP secret and
// recovery codes. The clock moves past the confirming code's step.
func (e *env) enrolAlice() (secret string, recovery []string) {
	e.t.Helper()
	m := bolt.NewMFAService(e.db)
	users, err := bolt.NewAdminService(e.db).Users(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	var id string
	for _, u := range users {
		if u.Username == "alice" {
			id = u.ID
		}
	}
	key, err := m.BeginEnrolment(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	if recovery, err = m.ConfirmEnrolment(context.Background(), id, e.code(key.Secret, 0)); err != nil {
		e.t.Fatal(err)
	}
	e.clock.Add(30 * time.Second)
	return key.Secret, recovery
}

// code is what an authenticator app shows for secret, steps away from now.
func (e *env) code(secret string, steps int) string {
	e.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, e.clock.Now().Add(time.Duration(steps)*30*time.Second),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// passwordStep posts alice's password and returns the challenge.
func (e *env) passwordStep() string {
	e.t.Helper()
	a := e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"` + alicePassword + `"}`})
	if a.StatusCode != http.StatusOK {
		e.t.Fatalf("password step: %d %s", a.StatusCode, a.body)
	}
	if a.cookie() != nil || len(a.Header.Values("Set-Cookie")) != 0 {
		e.t.Fatal("the password step set a cookie")
	}
	var got map[string]any
	if err := json.Unmarshal(a.body, &got); err != nil {
		e.t.Fatal(err)
	}
	if got["mfaRequired"] != true || len(got) != 3 {
		e.t.Fatalf("password step body %s", a.body)
	}
	exp, err := time.Parse(time.RFC3339, got["expires"].(string))
	if err != nil || exp.Sub(e.clock.Now()) > 5*time.Minute || exp.Sub(e.clock.Now()) < 299*time.Second {
		e.t.Fatalf("expires %v (%v), want in 5 minutes", got["expires"], err)
	}
	return got["challenge"].(string)
}

func codeBody(challenge, code string) string {
	return `{"challenge":` + strconv.Quote(challenge) + `,"code":` + strconv.Quote(code) + `}`
}

func TestMFA_ServedTwoSteps(t *testing.T) {
	e := newEnv(t)
	secret, recovery := e.enrolAlice()

	ch := e.passwordStep()
	a := e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(ch, e.code(secret, 0))})
	if a.StatusCode != http.StatusOK {
		t.Fatalf("code step: %d %s", a.StatusCode, a.body)
	}
	var l loginAnswer
	if err := json.Unmarshal(a.body, &l); err != nil || l.JWTToken == "" || l.Username != "alice" || a.cookie() == nil {
		t.Fatalf("code step body %s, cookie %v", a.body, a.cookie())
	}
	// The usual login answer: the token lists users, the cookie refreshes.
	if a := e.do(req{method: "GET", path: "/users", bearer: l.JWTToken}); a.StatusCode != http.StatusOK {
		t.Fatalf("GET /users with the new token: %d", a.StatusCode)
	}
	if a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: a.cookie().Value}); a.StatusCode != http.StatusOK {
		t.Fatalf("refresh with the new cookie: %d", a.StatusCode)
	}
	// The challenge is used up.
	expect(t, e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(ch, e.code(secret, 1))}),
		http.StatusBadRequest, bolt.MsgChallengeEnded)

	// A recovery code, once.
	if a := e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(e.passwordStep(), recovery[0])}); a.StatusCode != http.StatusOK {
		t.Fatalf("recovery code: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(e.passwordStep(), recovery[0])}),
		http.StatusBadRequest, bolt.MsgWrongCode)

	// Users without a second factor still get the tutorial's answer at once.
	if access, refresh := e.login("test", "test"); access == "" || refresh == "" {
		t.Fatal("one-step login broke")
	}
}

func TestMFA_ServedRefusals(t *testing.T) {
	e := newEnv(t)
	secret, _ := e.enrolAlice()
	ch := e.passwordStep()
	a := e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(ch, "12345")})
	expect(t, a, http.StatusBadRequest, bolt.MsgCodeShape)
	if n := attemptsLeft(t, a); n != nil {
		t.Fatal("a malformed code spent an attempt")
	}
	expect(t, e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody("", "123456")}),
		http.StatusBadRequest, "Challenge is required")
	expect(t, e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody("made-up", "123456")}),
		http.StatusBadRequest, bolt.MsgChallengeEnded)
	expect(t, e.do(req{method: "GET", path: "/users/authenticate/mfa"}), http.StatusMethodNotAllowed, "Method not allowed")

	wrong := "000000"
	for wrong == e.code(secret, 0) || wrong == e.code(secret, -1) || wrong == e.code(secret, 1) {
		wrong = "111111"
	}
	for left := 4; left >= 0; left-- {
		a := e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(ch, wrong)})
		msg := bolt.MsgWrongCode
		if left == 0 {
			msg = bolt.MsgLastWrongCode
		}
		expect(t, a, http.StatusBadRequest, msg)
		if n := attemptsLeft(t, a); n == nil || *n != left {
			t.Fatalf("attemptsLeft %v, want %d (%s)", n, left, a.body)
		}
	}
	if n := attemptsLeft(t, e.do(req{method: "POST", path: "/users/authenticate/mfa", body: codeBody(ch, wrong)})); n == nil || *n != 0 {
		t.Fatal("an ended challenge must say attemptsLeft 0")
	}
	// Five failures: the account waits, with Retry-After, also for the password.
	a = e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"` + alicePassword + `"}`})
	if a.StatusCode != http.StatusTooManyRequests || a.Header.Get("Retry-After") == "" {
		t.Fatalf("password after five wrong codes: %d %s", a.StatusCode, a.body)
	}
}

func attemptsLeft(t *testing.T, a answer) *int {
	t.Helper()
	var body struct {
		AttemptsLeft *int `json:"attemptsLeft"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil {
		t.Fatal(err)
	}
	return body.AttemptsLeft
}
