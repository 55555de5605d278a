package httpapi_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestAccessLogHasNoSecrets(t *testing.T) {
	e := newEnv(t)
	access, refresh := e.login("alice", alicePassword)
	a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: refresh})
	rotated := a.cookie().Value
	e.do(req{method: "GET", path: "/users", bearer: access})
	e.do(req{method: "GET", path: "/users/2?secret=" + url.QueryEscape(access), bearer: access})
	e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"` + rotated + `"}`})
	e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"wrong-` + alicePassword + `"}`})

	logs := e.logs.String()
	for name, secret := range map[string]string{
		"password": alicePassword, "access token": access, "refresh token": refresh,
		"rotated token": rotated, "cookie header": "refreshToken=", "authorization": "Bearer",
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s:\n%s", name, logs)
		}
	}
	// It is still an access log.
	for _, want := range []string{
		"method=POST path=/users/authenticate status=200",
		"method=POST path=/users/refresh-token status=200",
		"method=GET path=/users/2 status=200",
		"method=POST path=/users/revoke-token status=200",
		"method=POST path=/users/authenticate status=400",
		"duration=",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}
