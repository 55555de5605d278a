package serve_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app/serve"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
)

const guard = 10 * time.Second

func openBackend(t *testing.T) *bolt.AuthService {
	t.Helper()
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bolt.NewAuthService(db)
}

// start runs serve.Run in the background and returns the URL it printed and
// a stop function that cancels it and returns Run's error.
func start(t *testing.T, o serve.Options) (string, func() error) {
	t.Helper()
	pr, pw := io.Pipe()
	o.Ready = pw
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- serve.Run(ctx, o); pw.Close() }()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, pr)
	}()
	var line string
	select {
	case line = <-lines:
	case err := <-errc:
		cancel()
		t.Fatalf("Run ended before listening: %v", err)
	case <-time.After(guard):
		t.Fatal("the server never said it was listening")
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "AuthDesk API listening on ")
	if !ok {
		t.Fatalf("ready line %q", line)
	}
	var once sync.Once
	var stopErr error
	stop := func() error { // may be called more than once
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-errc:
			case <-time.After(guard):
				t.Fatal("Run did not return after its context ended")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { cancel() })
	return url, stop
}

func TestRunServesTheContractAndStopsCleanly(t *testing.T) {
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: openBackend(t)})
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}
	c := remote.NewClient(url)
	g, err := c.Authenticate(context.Background(), "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Refresh(context.Background(), g.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run returned %v after a clean shutdown", err)
	}
	if _, err := c.Authenticate(context.Background(), "test", "test"); err == nil {
		t.Fatal("still answering after shutdown")
	}
}

func TestRunWithTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: openBackend(t), TLSCert: certFile, TLSKey: keyFile})
	defer stop()
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %q, want https", url)
	}
	g, err := remote.NewClient(url, remote.WithRootCAs(pool)).Authenticate(context.Background(), "test", "test")
	if err != nil || g.User.Username != "test" {
		t.Fatalf("login over TLS: %v", err)
	}
}

func TestRunRefusesBadSetup(t *testing.T) {
	auth := openBackend(t)
	ctx := context.Background()
	if err := serve.Run(ctx, serve.Options{Addr: "127.0.0.1:0", Auth: auth, TLSCert: "/nonexistent.pem", TLSKey: "/nonexistent.key"}); err == nil ||
		!strings.Contains(err.Error(), "TLS certificate") {
		t.Fatalf("missing certificate: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := serve.Run(ctx, serve.Options{Addr: ln.Addr().String(), Auth: auth}); err == nil || !strings.Contains(err.Error(), "cannot listen") {
		t.Fatalf("address in use: %v", err)
	}
}

// parseFlags registers the serve flags on a set, as main.go does, and checks them.
func parseFlags(args []string) (serve.Options, error) {
	var o serve.Options
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.Register(fs)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return o, o.Check()
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil || o.Addr != "127.0.0.1:4000" || len(o.CORSOrigins) != 0 || o.MaxConns != serve.DefaultMaxConns ||
		!o.AccessLog.On() || o.LoginRate != httpapi.DefaultLoginRate || o.RefreshRate != httpapi.DefaultRefreshRate {
		t.Fatalf("defaults: %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"--access-log=off", "--max-conns", "50", "--public-host", "Auth.Example.",
		"--public-host", "lab", "--login-rate", "2/3s", "--refresh-rate", "off"})
	if err != nil || o.AccessLog.On() || o.MaxConns != 50 || strings.Join(o.PublicHosts, " ") != "auth.example lab" ||
		o.LoginRate != (httpapi.Rate{Burst: 2, Per: 3 * time.Second}) || !o.RefreshRate.Off() {
		t.Fatalf("parsed %+v, %v", o, err)
	}
	if o, err = parseFlags([]string{"--access-log"}); err != nil || !o.AccessLog.On() {
		t.Fatalf("--access-log alone: %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"--addr", ":8080", "--cors-origin", "https://App.Example/", "--cors-origin", "http://lab:5173"})
	if err != nil || o.Addr != ":8080" || strings.Join(o.CORSOrigins, " ") != "https://app.example http://lab:5173" {
		t.Fatalf("parsed %+v, %v", o, err)
	}
	for _, args := range [][]string{
		{"--tls-cert", "c.pem"},
		{"--cors-origin", "*"},
		{"--cors-origin", "https://app.example/path"},
		{"--addr", "4000"},
		{"extra"},
		{"--access-log=maybe"},
		{"--max-conns", "-5"},
		{"--public-host", "http://auth.example"},
		{"--public-host", ""},
		{"--login-rate", "30"},
		{"--refresh-rate", "0/1m"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("flags %q accepted", args)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and returns its files and a
// pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "authdesk test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, pool
}
