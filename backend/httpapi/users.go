package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// userBody is a user as the contract shows it; jwtToken only after a login
// or refresh.
type userBody struct {
	ID        json.RawMessage `json:"id"`
	FirstName string          `json:"firstName"`
	LastName  string          `json:"lastName"`
	Username  string          `json:"username"`
	Role      backend.Role    `json:"role,omitempty"`
	JWTToken  string          `json:"jwtToken,omitempty"`
}

func newUserBody(u backend.User) userBody {
	return userBody{ID: idJSON(u.ID), FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, Role: u.Role}
}

// idJSON writes a canonical decimal id as a number (1, like the ASP.NET
// API) and anything else as a string.
func idJSON(id string) json.RawMessage {
	if n, err := strconv.ParseUint(id, 10, 64); err == nil && strconv.FormatUint(n, 10) == id {
		return json.RawMessage(id)
	}
	b, _ := json.Marshal(id)
	return b
}

// listUsers is GET /users.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	users, err := s.Auth.ListUsers(r.Context(), c.token)
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	out := make([]userBody, 0, len(users))
	for _, u := range users {
		out = append(out, newUserBody(u))
	}
	writeJSON(w, http.StatusOK, out)
}

// getUser is GET /users/{id}.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	u, err := s.Auth.GetUser(r.Context(), c.token, seg[1])
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newUserBody(*u))
}

// tokenBody is a refresh token record as the contract shows it.
type tokenBody struct {
	Token           string    `json:"token"`
	Expires         time.Time `json:"expires"`
	Created         time.Time `json:"created"`
	CreatedByIP     string    `json:"createdByIp"`
	Revoked         time.Time `json:"revoked,omitzero"`
	RevokedByIP     string    `json:"revokedByIp,omitempty"`
	ReplacedByToken string    `json:"replacedByToken,omitempty"`
	ReasonRevoked   string    `json:"reasonRevoked,omitempty"`
	IsExpired       bool      `json:"isExpired"`
	IsRevoked       bool      `json:"isRevoked"`
	IsActive        bool      `json:"isActive"`
}

// TokenPager is implemented by stores whose token listing is paged;
// *bolt.AuthService does. limit 0 means the store's default page size.
type TokenPager interface {
	RefreshTokenPage(ctx context.Context, accessToken, id string, limit int, cursor string) ([]backend.RefreshTokenRecord, string, error)
}

// refreshTokens is GET /users/{id}/refresh-tokens[?limit=N&cursor=C]. The
// token field is the embedded store's identifier (a hash prefix): it cannot
// be used to log in. The body stays the contract's JSON array; when more
// records follow, X-Next-Cursor carries the cursor for the next page and Link
// (rel="next") the URL that fetches it.
func (s *Server) refreshTokens(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "limit must be a positive whole number")
			return
		}
		limit = n
	}
	var records []backend.RefreshTokenRecord
	var next string
	var err error
	if p, ok := s.Tokens.(TokenPager); ok {
		records, next, err = p.RefreshTokenPage(r.Context(), c.token, seg[1], limit, q.Get("cursor"))
	} else {
		records, err = s.Tokens.RefreshTokens(r.Context(), c.token, seg[1])
	}
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	// Browser clients on other origins may read the paging headers.
	w.Header().Set("Access-Control-Expose-Headers", "X-Next-Cursor, Link")
	if next != "" {
		w.Header().Set("X-Next-Cursor", next)
		link := url.Values{"cursor": {next}}
		if limit != 0 {
			link.Set("limit", strconv.Itoa(limit))
		}
		w.Header().Set("Link", "<"+r.URL.EscapedPath()+"?"+link.Encode()+`>; rel="next"`)
	}
	now := s.now()
	out := make([]tokenBody, 0, len(records))
	for _, t := range records {
		out = append(out, tokenBody{
			Token:           t.Token,
			Expires:         t.Expires.UTC(),
			Created:         t.Created.UTC(),
			CreatedByIP:     t.CreatedBy,
			Revoked:         t.Revoked.UTC(),
			RevokedByIP:     t.RevokedBy,
			ReplacedByToken: t.ReplacedBy,
			ReasonRevoked:   t.ReasonRevoked,
			IsExpired:       t.IsExpired(now),
			IsRevoked:       t.IsRevoked(),
			IsActive:        t.IsActive(now),
		})
	}
	writeJSON(w, http.StatusOK, out)
}
