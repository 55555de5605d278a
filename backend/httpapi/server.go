package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Tokens is what the served API needs from the embedded backend beyond
// backend.Authenticator; *bolt.AuthService implements it.
type Tokens interface {
	// RefreshTokens lists a user's refresh tokens (GET /users/{id}/refresh-tokens).
	RefreshTokens(ctx context.Context, accessToken, id string) ([]backend.RefreshTokenRecord, error)
	// UserFromAccessToken checks a Bearer token and returns its user.
	UserFromAccessToken(ctx context.Context, accessToken string) (*backend.User, error)
}

// MaxBodyBytes caps request bodies; a login is a few hundred bytes.
const MaxBodyBytes = 1 << 20

// Server is the served API. Set the fields, then use Handler.
type Server struct {
	Auth   backend.Authenticator
	Tokens Tokens

	// CORSOrigins are origins allowed besides the loopback ones, as
	// normalised by NormalizeOrigin.
	CORSOrigins []string

	// Log receives the access log and internal errors; never tokens,
	// cookies or passwords.
	Log *slog.Logger

	// Now is the clock for token records' isExpired/isActive.
	Now func() time.Time

	// LoginLimit throttles POST /users/authenticate and RefreshLimit
	// POST /users/refresh-token, per client address; nil means no limit.
	LoginLimit, RefreshLimit *Limiter

	// Hosts, when set, refuses requests for other host names with 421.
	Hosts *HostPolicy

	// NoAccessLog turns the one-line-per-request log off; errors are
	// still logged.
	NoAccessLog bool
}

// New returns a Server over the embedded backend.
func New(auth backend.Authenticator, tokens Tokens) *Server {
	return &Server{Auth: auth, Tokens: tokens, Log: slog.Default(), Now: time.Now}
}

// Handler returns the API: access log outermost (so it sees every status),
// then the Host check, then CORS, then the routes (some throttled).
func (s *Server) Handler() http.Handler {
	origins := make(map[string]bool, len(s.CORSOrigins))
	for _, o := range s.CORSOrigins {
		origins[o] = true
	}
	return s.accessLog(s.recoverPanics(s.checkHost(cors(origins, http.HandlerFunc(s.route)))))
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
