package backend

import (
	"container/heap"
	"context"
	"encoding/base64"
	"encoding/json"
	"iter"
	"strings"
	"time"
	"unicode/utf8"
)

// Paged, searchable user lists and the admin's account management. Both are
// optional capabilities: an adapter implements the token-carrying interfaces
// (TokenUserPager, TokenUserAdmin), the session layer binds the access token
// and hands callers above it an Accounts. docs/API.md describes how the
// served API offers them.

// UserSort names the order of a user page.
type UserSort string

const (
	SortByID        UserSort = "id" // the order users were added in
	SortByUsername  UserSort = "username"
	SortByFirstName UserSort = "firstName"
	SortByLastName  UserSort = "lastName"
)

// Limits of a user query.
const (
	DefaultUserPage = 100
	MaxUserPage     = 1000
	MaxSearchBytes  = 128
	// MaxNameBytes bounds first and last names.
	MaxNameBytes = 128
)

// UserQuery asks for one page of users.
type UserQuery struct {
	// Search keeps the users whose username, first name, last name or full
	// name contains it, ignoring case. Empty keeps everyone.
	Search string
	Sort   UserSort // empty means SortByID
	Desc   bool
	Limit  int    // 0 means DefaultUserPage
	Cursor string // from the previous page's Next; "" for the first page
}

// Check validates q and fills in the defaults.
func (q *UserQuery) Check() error {
	switch q.Sort {
	case "":
		q.Sort = SortByID
	case SortByID, SortByUsername, SortByFirstName, SortByLastName:
	default:
		return Errorf(EINVALID, "sort must be one of id, username, firstName, lastName")
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultUserPage
	case q.Limit < 0 || q.Limit > MaxUserPage:
		return Errorf(EINVALID, "limit must be between 1 and %d", MaxUserPage)
	}
	switch {
	case len(q.Search) > MaxSearchBytes:
		return Errorf(EINVALID, "search must be at most %d bytes", MaxSearchBytes)
	case !utf8.ValidString(q.Search):
		return Errorf(EINVALID, "search must be text")
	}
	q.Search = strings.TrimSpace(q.Search)
	return nil
}

// UserEntry is a user in a page. Disabled and LockedUntil are filled in for
// admins only.
type UserEntry struct {
	User
	Disabled    bool
	LockedUntil time.Time // zero when the next login need not wait
}

// UserPage is one page of a user query.
type UserPage struct {
	Users []UserEntry
	Next  string // cursor of the next page; "" after the last
	Total int    // how many users match the search, over all pages
}

// NewUser is an account an admin creates.
type NewUser struct {
	Username  string
	FirstName string
	LastName  string
	Role      Role // empty means RoleUser
	Password  string
}

// UserChanges are an admin's edits of an account; nil fields stay as they are.
type UserChanges struct {
	FirstName *string
	LastName  *string
	Role      *Role
	Disabled  *bool
}

// CheckNames refuses empty, too long or unprintable first and last names.
func CheckNames(first, last string) error {
	switch {
	case strings.TrimSpace(first) == "" || strings.TrimSpace(last) == "":
		return Errorf(EINVALID, "First and last name are required")
	case len(first) > MaxNameBytes || len(last) > MaxNameBytes:
		return Errorf(EINVALID, "First and last name must be at most %d bytes", MaxNameBytes)
	case !printableText(first) || !printableText(last):
		return Errorf(EINVALID, "First and last name must be printable text")
	}
	return nil
}

func printableText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// TokenUserPager pages and searches the users an access token may see: all
// of them for an admin, only themself for anyone else.
type TokenUserPager interface {
	PageUsers(ctx context.Context, accessToken string, q UserQuery) (*UserPage, error)
}

// TokenUserAdmin is an admin's account management. Non-admins get
// EUNAUTHORIZED. Nobody removes or disables themself, and the last enabled
// admin is never removed, disabled or made a User (ECONFLICT).
type TokenUserAdmin interface {
	CreateUser(ctx context.Context, accessToken string, u NewUser) (*User, error)
	UpdateUser(ctx context.Context, accessToken, id string, ch UserChanges) (*UserEntry, error)
	// ResetPassword sets a new password and ends the user's sessions.
	ResetPassword(ctx context.Context, accessToken, id, password string) error
	// UnlockUser clears the user's failed-login count.
	UnlockUser(ctx context.Context, accessToken, id string) error
	RemoveUser(ctx context.Context, accessToken, id string) error
}

// UserFeatures says what a backend offers for the user list and accounts.
type UserFeatures struct {
	Paging bool // search, sort and pages are done by the backend
	Admin  bool // TokenUserAdmin works
}

// UserFeatureProber is implemented by adapters that learn from their server
// what it supports (the remote client). Others offer what they implement.
type UserFeatureProber interface {
	UserFeatures(ctx context.Context, accessToken string) (UserFeatures, error)
}

// Accounts is paging and account management as callers above the session
// layer use it: the access token is bound in (session.Manager.DoAccounts).
// Page works with any user directory (a backend without paging is paged in
// memory); the admin calls give ENOTFOUND when the backend has no admin side.
type Accounts interface {
	Features(ctx context.Context) (UserFeatures, error)
	Page(ctx context.Context, q UserQuery) (*UserPage, error)
	Create(ctx context.Context, u NewUser) (*User, error)
	Update(ctx context.Context, id string, ch UserChanges) (*UserEntry, error)
	ResetPassword(ctx context.Context, id, password string) error
	Unlock(ctx context.Context, id string) error
	Remove(ctx context.Context, id string) error
}

// userCursor is what a cursor carries: the query it belongs to and the
// position of the last row handed out (its sort key and ID). Rows are ordered
// by (key, ID), so a cursor stays valid while users are added or removed: the
// next page starts after that position, wherever it now is.
type userCursor struct {
	Sort   UserSort `json:"s"`
	Desc   bool     `json:"d,omitempty"`
	Search string   `json:"q,omitempty"`
	Key    string   `json:"k,omitempty"`
	ID     string   `json:"i"`
}

func encodeCursor(c userCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(q UserQuery) (*userCursor, error) {
	if q.Cursor == "" {
		return nil, nil
	}
	bad := Errorf(EINVALID, "cursor is not one AuthDesk handed out for this query")
	raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
	if err != nil || len(raw) > 1024 {
		return nil, bad
	}
	var c userCursor
	if json.Unmarshal(raw, &c) != nil || c.ID == "" {
		return nil, bad
	}
	if c.Sort != q.Sort || c.Desc != q.Desc || c.Search != q.Search {
		return nil, bad
	}
	return &c, nil
}

// NewCursor is the cursor after the row with sort key key and ID id, for
// adapters that read pages in order themselves (the embedded store's ID order).
func NewCursor(q UserQuery, key, id string) string {
	return encodeCursor(userCursor{Sort: q.Sort, Desc: q.Desc, Search: q.Search, Key: key, ID: id})
}

// CursorID returns the ID a cursor continues after.
func CursorID(cursor string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	var c userCursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID == "" {
		return "", false
	}
	return c.ID, true
}

// CursorKey returns the sort key a cursor continues after.
func CursorKey(cursor string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	var c userCursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID == "" {
		return "", false
	}
	return c.Key, true
}

// SortKey is the key rows are ordered by, before the ID.
func SortKey(u *User, s UserSort) string {
	switch s {
	case SortByUsername:
		return strings.ToLower(u.Username)
	case SortByFirstName:
		return strings.ToLower(u.FirstName + "\x00" + u.LastName)
	case SortByLastName:
		return strings.ToLower(u.LastName + "\x00" + u.FirstName)
	}
	return ""
}

// MatchesSearch reports whether u matches a search (already lower case).
func MatchesSearch(u *User, lower string) bool {
	if lower == "" {
		return true
	}
	if containsFold(u.Username, lower) || containsFold(u.FirstName, lower) || containsFold(u.LastName, lower) {
		return true
	}
	// "first last": only a search with a space can match across the two.
	return strings.Contains(lower, " ") && containsFold(u.FirstName+" "+u.LastName, lower)
}

func containsFold(s, lower string) bool {
	if len(s) < len(lower) && utf8.RuneCountInString(s) < utf8.RuneCountInString(lower) {
		return false
	}
	if ascii(s) && ascii(lower) {
		return containsASCIIFold(s, lower)
	}
	return strings.Contains(strings.ToLower(s), lower)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsASCIIFold is strings.Contains(strings.ToLower(s), lower) for
// ASCII text, without making the lower-case copy (a search looks at every
// user's names).
func containsASCIIFold(s, lower string) bool {
	n := len(lower)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// idLess orders IDs numerically when they are decimal, and by text
// otherwise (same-length hex IDs compare as their values do).
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

type pageRow struct {
	key   string
	entry UserEntry
}

// before reports whether a comes before b in the page order.
func before(a, b *pageRow, desc bool) bool {
	if a.key != b.key {
		return (a.key < b.key) != desc
	}
	if a.entry.ID == b.entry.ID {
		return false
	}
	return idLess(a.entry.ID, b.entry.ID) != desc
}

// rowHeap keeps the rows that come first, with the last of them on top.
type rowHeap struct {
	rows []*pageRow
	desc bool
}

func (h *rowHeap) Len() int           { return len(h.rows) }
func (h *rowHeap) Less(i, j int) bool { return before(h.rows[j], h.rows[i], h.desc) }
func (h *rowHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *rowHeap) Push(x any)         { h.rows = append(h.rows, x.(*pageRow)) }
func (h *rowHeap) Pop() any {
	n := len(h.rows) - 1
	r := h.rows[n]
	h.rows = h.rows[:n]
	return r
}

// SelectPage picks one page of q (checked with Check) from every user that
// all yields, in any order. It keeps only the page in memory (plus one row to
// know whether more follow), so a page of 100 out of 100,000 costs one pass.
// Adapters that cannot do better (a server without paging) and the embedded
// store both use it, so the order and the cursors are the same everywhere.
func SelectPage(q UserQuery, all iter.Seq[UserEntry]) (*UserPage, error) {
	cur, err := decodeCursor(q)
	if err != nil {
		return nil, err
	}
	var after *pageRow
	if cur != nil {
		after = &pageRow{key: cur.Key, entry: UserEntry{User: User{ID: cur.ID}}}
	}
	search := strings.ToLower(q.Search)
	h := &rowHeap{desc: q.Desc}
	total := 0
	var probe pageRow // compared before a row is kept, so passing rows cost no allocation
	for e := range all {
		if !MatchesSearch(&e.User, search) {
			continue
		}
		total++
		probe.key, probe.entry.ID = SortKey(&e.User, q.Sort), e.ID
		if after != nil && !before(after, &probe, q.Desc) {
			continue
		}
		full := h.Len() > q.Limit
		if full && !before(&probe, h.rows[0], q.Desc) {
			continue
		}
		row := &pageRow{key: probe.key, entry: e}
		if !full {
			heap.Push(h, row)
		} else {
			h.rows[0] = row
			heap.Fix(h, 0)
		}
	}
	more := h.Len() > q.Limit
	if more {
		heap.Pop(h)
	}
	page := &UserPage{Users: make([]UserEntry, h.Len()), Total: total}
	var last *pageRow
	for i := h.Len() - 1; i >= 0; i-- {
		r := heap.Pop(h).(*pageRow)
		if last == nil {
			last = r
		}
		page.Users[i] = r.entry
	}
	if more && last != nil {
		page.Next = encodeCursor(userCursor{Sort: q.Sort, Desc: q.Desc, Search: q.Search, Key: last.key, ID: last.entry.ID})
	}
	return page, nil
}
