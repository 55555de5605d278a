package oidc_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
)

// rawGet sends one request to the login's listener with the given Host and
// extra header bytes, and returns the status code.
func rawGet(t *testing.T, l *oidc.Login, host string, pad int) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", listenAddr(l), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET /callback?state=x&code=y HTTP/1.1\r\nHost: %s\r\nX-Pad: %s\r\nConnection: close\r\n\r\n", host, strings.Repeat("a", pad))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestCallbackRefusesOtherHostsAndHugeHeaders(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	l := begin(t, c)
	// A web page that rebound its own name to 127.0.0.1 cannot end the sign-in.
	if got := rawGet(t, l, "evil.example:"+strings.Split(listenAddr(l), ":")[1], 0); got != http.StatusMisdirectedRequest {
		t.Errorf("request for another host: %d", got)
	}
	if got := rawGet(t, l, listenAddr(l), oidc.MaxCallbackHeaderBytes+4096); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("headers over %d bytes: %d", oidc.MaxCallbackHeaderBytes, got)
	}
	select {
	case <-l.Done():
		t.Fatal("a refused request ended the sign-in")
	default:
	}
	signInPage, _ := browse(t, l.AuthURL())
	if signInPage != http.StatusOK {
		t.Fatalf("status %d", signInPage)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRequestTimeout(t *testing.T) {
	op := newTestOP(t)
	op.discoveryDelay = 2 * time.Second
	start := time.Now()
	res := oidc.Probe(context.Background(), oidc.Config{Issuer: op.issuer, ClientID: op.clientID}, oidc.WithTimeout(200*time.Millisecond))
	if res.Status != oidc.Unreachable || !strings.Contains(res.Reason, "did not answer in time (200ms)") {
		t.Errorf("%s: %s", res.Status, res.Reason)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the probe took %v despite a 200ms timeout", d)
	}
	c := oidc.NewClient(oidc.Config{Issuer: op.issuer, ClientID: op.clientID}, oidc.WithTimeout(200*time.Millisecond))
	_, err := c.Refresh(context.Background(), "some-token")
	wantError(t, err, backend.EUNAVAILABLE, "did not answer in time")
}
