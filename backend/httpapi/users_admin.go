package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// AuthDesk's extensions of the users routes (docs/API.md, "Paging and
// search" and "Managing accounts"): GET /users with paging parameters, and
// the admin's POST /users, PATCH and DELETE /users/{id}, POST
// /users/{id}/reset-password and POST /users/{id}/unlock. The tutorial's
// GET /users without paging parameters is answered as before.

// FeaturesHeader names what the server offers for users on every paged
// answer: "paging", and "admin" when accounts can be managed. Remote
// clients probe with GET /users?limit=1 and read it.
const FeaturesHeader = "X-AuthDesk-Users"

// pagingParams are the query parameters that ask GET /users for a page.
var pagingParams = []string{"limit", "cursor", "search", "sort", "order"}

// routeAccounts answers the extension routes and reports whether it did;
// everything else is left to route.
func (s *Server) routeAccounts(w http.ResponseWriter, r *http.Request, seg []string) bool {
	pager, _ := s.Auth.(backend.TokenUserPager)
	admin, _ := s.Auth.(backend.TokenUserAdmin)
	var allow string
	var h func(http.ResponseWriter, *http.Request, []string, caller)
	switch {
	case len(seg) == 1 && pager != nil:
		allow = "GET, POST"
		switch {
		case r.Method == http.MethodGet && wantsPage(r.URL.Query()):
			h = s.pageUsers
		case r.Method == http.MethodGet:
			return false // the tutorial's GET /users
		case r.Method == http.MethodPost && admin != nil:
			h = s.createUser
		}
	case admin == nil:
		return false
	case len(seg) == 2 && isUserID(seg[1]):
		allow = "GET, PATCH, DELETE"
		switch r.Method {
		case http.MethodGet:
			return false
		case http.MethodPatch:
			h = s.updateUser
		case http.MethodDelete:
			h = s.removeUser
		}
	case len(seg) == 3 && isUserID(seg[1]) && seg[2] == "reset-password":
		allow = "POST"
		if r.Method == http.MethodPost {
			h = s.resetPassword
		}
	case len(seg) == 3 && isUserID(seg[1]) && seg[2] == "unlock":
		allow = "POST"
		if r.Method == http.MethodPost {
			h = s.unlockUser
		}
	default:
		return false
	}
	switch {
	case h != nil:
		s.authorized(h)(w, r, seg)
	case r.Method == http.MethodOptions:
		w.Header().Set("Allow", allow+", OPTIONS")
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
	}
	return true
}

// isUserID: the embedded backend's ids are decimal numbers, so other
// second segments ("authenticate", ...) stay the routes they are.
func isUserID(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func wantsPage(q url.Values) bool {
	for _, p := range pagingParams {
		if q.Has(p) {
			return true
		}
	}
	return false
}

// userRowBody is a user in a page: the contract's user, plus for admins
// whether the account is disabled and until when its login is throttled.
type userRowBody struct {
	userBody
	Disabled    *bool     `json:"disabled,omitempty"`
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
}

// pageUsers is GET /users?limit&cursor&search&sort&order. The body is the
// contract's array; X-Total-Count, X-Next-Cursor and Link say the rest.
func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	q := r.URL.Query()
	uq := backend.UserQuery{Search: q.Get("search"), Sort: backend.UserSort(q.Get("sort")), Cursor: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > backend.MaxUserPage {
			writeError(w, http.StatusBadRequest, "limit must be a whole number from 1 to 1000")
			return
		}
		uq.Limit = n
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		uq.Desc = true
	default:
		writeError(w, http.StatusBadRequest, "order must be asc or desc")
		return
	}
	page, err := s.Auth.(backend.TokenUserPager).PageUsers(r.Context(), c.token, uq)
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	features := "paging"
	if _, ok := s.Auth.(backend.TokenUserAdmin); ok {
		features += ", admin"
	}
	h := w.Header()
	h.Set(FeaturesHeader, features)
	h.Set("X-Total-Count", strconv.Itoa(page.Total))
	h.Set("Access-Control-Expose-Headers", "Retry-After, X-Total-Count, X-Next-Cursor, Link, "+FeaturesHeader)
	if page.Next != "" {
		h.Set("X-Next-Cursor", page.Next)
		link := url.Values{}
		for _, p := range pagingParams {
			if v := q.Get(p); v != "" {
				link.Set(p, v)
			}
		}
		link.Set("cursor", page.Next)
		h.Set("Link", "<"+r.URL.EscapedPath()+"?"+link.Encode()+`>; rel="next"`)
	}
	admin := s.isAdmin(r, c)
	out := make([]userRowBody, 0, len(page.Users))
	for _, e := range page.Users {
		row := userRowBody{userBody: newUserBody(e.User)}
		if admin {
			row.Disabled = &e.Disabled
		}
		if !e.LockedUntil.IsZero() {
			row.LockedUntil = e.LockedUntil.UTC()
		}
		out = append(out, row)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) isAdmin(r *http.Request, c caller) bool {
	u, err := s.Tokens.UserFromAccessToken(r.Context(), c.token)
	return err == nil && u.Role == backend.RoleAdmin
}

// createUser is POST /users {"username","password","firstName","lastName","role"}.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	var body struct {
		Username  string       `json:"username"`
		Password  string       `json:"password"`
		FirstName string       `json:"firstName"`
		LastName  string       `json:"lastName"`
		Role      backend.Role `json:"role"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	u, err := s.Auth.(backend.TokenUserAdmin).CreateUser(withClient(r), c.token, backend.NewUser{
		Username: body.Username, Password: body.Password, FirstName: body.FirstName, LastName: body.LastName, Role: body.Role,
	})
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	w.Header().Set("Location", "/users/"+url.PathEscape(u.ID))
	writeJSON(w, http.StatusCreated, newUserBody(*u))
}

// updateUser is PATCH /users/{id} with any of "firstName", "lastName",
// "role", "disabled"; absent fields stay as they are.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	var body struct {
		FirstName *string       `json:"firstName"`
		LastName  *string       `json:"lastName"`
		Role      *backend.Role `json:"role"`
		Disabled  *bool         `json:"disabled"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	if body.FirstName == nil && body.LastName == nil && body.Role == nil && body.Disabled == nil {
		writeError(w, http.StatusBadRequest, "Nothing to change: give firstName, lastName, role or disabled")
		return
	}
	e, err := s.Auth.(backend.TokenUserAdmin).UpdateUser(withClient(r), c.token, seg[1], backend.UserChanges{
		FirstName: body.FirstName, LastName: body.LastName, Role: body.Role, Disabled: body.Disabled,
	})
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	row := userRowBody{userBody: newUserBody(e.User), Disabled: &e.Disabled}
	if !e.LockedUntil.IsZero() {
		row.LockedUntil = e.LockedUntil.UTC()
	}
	writeJSON(w, http.StatusOK, row)
}

// removeUser is DELETE /users/{id}.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	if err := s.Auth.(backend.TokenUserAdmin).RemoveUser(withClient(r), c.token, seg[1]); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"User removed"})
}

// resetPassword is POST /users/{id}/reset-password {"password"}.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	var body struct {
		Password string `json:"password"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	if err := s.Auth.(backend.TokenUserAdmin).ResetPassword(withClient(r), c.token, seg[1], body.Password); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"Password reset"})
}

// unlockUser is POST /users/{id}/unlock.
func (s *Server) unlockUser(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	if err := s.Auth.(backend.TokenUserAdmin).UnlockUser(withClient(r), c.token, seg[1]); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"User unlocked"})
}
