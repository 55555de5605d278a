package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"iter"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

var _ backend.TokenUserPager = (*AuthService)(nil)

// PageUsers is one page of the users the access token may see: an admin
// searches and pages through everyone (with each one's disabled and locked
// state), anyone else gets a page holding only themself. The search and the
// order are backend.SelectPage's, over one read transaction, so the page is a
// consistent snapshot and its cursor stays good while users are added.
func (s *AuthService) PageUsers(ctx context.Context, accessToken string, q backend.UserQuery) (*backend.UserPage, error) {
	caller, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	if err := q.Check(); err != nil {
		return nil, err
	}
	if caller.Role != backend.RoleAdmin {
		self := backend.UserEntry{User: caller.user()}
		return backend.SelectPage(q, func(yield func(backend.UserEntry) bool) { yield(self) })
	}
	now := s.db.Now()
	var page *backend.UserPage
	err = s.db.db.View(func(tx *bolt.Tx) (err error) {
		var bad error
		switch {
		case q.Sort == backend.SortByID && q.Search == "":
			page, err = pageByID(tx, q)
		case q.Sort == backend.SortByUsername && q.Search == "":
			page, err = pageByUsername(tx, q)
		default:
			page, err = backend.SelectPage(q, eachUser(tx, &bad))
		}
		if err != nil {
			return err
		} else if bad != nil {
			return bad
		}
		for i := range page.Users {
			if err := fillAdminState(tx, &page.Users[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, internal(err)
	}
	return page, nil
}

// eachUser yields every stored user; a record that does not decode stops
// the walk and is reported in *bad.
func eachUser(tx *bolt.Tx, bad *error) iter.Seq[backend.UserEntry] {
	return func(yield func(backend.UserEntry) bool) {
		c := tx.Bucket(bucketUsers).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r, err := decodeUserFields(v, false)
			if err != nil {
				*bad = err
				return
			}
			if !yield(backend.UserEntry{User: r.user()}) {
				return
			}
		}
	}
}

// fillAdminState adds what only admins see: whether the account is
// disabled, and until when its next login must wait.
func fillAdminState(tx *bolt.Tx, e *backend.UserEntry, now time.Time) error {
	id, ok := parseUserID(e.ID)
	if !ok {
		return nil
	}
	e.Disabled = isDisabled(tx, id)
	r := userRecord{Username: e.Username}
	th, err := getThrottle(tx, userThrottleKey(&r))
	if err != nil {
		return err
	}
	if th.wait(now) > 0 {
		e.LockedUntil = th.Until
	}
	return nil
}

// pageByID is the page in ID order without a search, read straight from the
// users bucket (its keys are the IDs, big-endian): a page of 100 reads 101
// records whatever the number of users. Cursors are SelectPage's.
func pageByID(tx *bolt.Tx, q backend.UserQuery) (*backend.UserPage, error) {
	var after uint64
	if q.Cursor != "" {
		// Let SelectPage check the cursor against the query, over no users.
		if _, err := backend.SelectPage(q, func(func(backend.UserEntry) bool) {}); err != nil {
			return nil, err
		}
		id, ok := backend.CursorID(q.Cursor)
		if after, ok = parseUserIDOrZero(id, ok); !ok {
			return nil, backend.Errorf(backend.EINVALID, "cursor is not one AuthDesk handed out for this query")
		}
	}
	b := tx.Bucket(bucketUsers)
	c := b.Cursor()
	var k, v []byte
	switch {
	case !q.Desc && after == 0:
		k, v = c.First()
	case !q.Desc:
		k, v = c.Seek(itob(after + 1))
	case after == 0:
		k, v = c.Last()
	default:
		if k, v = c.Seek(itob(after)); k == nil {
			k, v = c.Last()
		}
		for k != nil && binary.BigEndian.Uint64(k) >= after {
			k, v = c.Prev()
		}
	}
	page := &backend.UserPage{Users: make([]backend.UserEntry, 0, q.Limit), Total: b.Stats().KeyN}
	for ; k != nil; k, v = step(c, q.Desc) {
		if len(page.Users) == q.Limit {
			last := page.Users[len(page.Users)-1]
			page.Next = backend.NewCursor(q, "", last.ID)
			break
		}
		r, err := decodeUserFields(v, false)
		if err != nil {
			return nil, err
		}
		page.Users = append(page.Users, backend.UserEntry{User: r.user()})
	}
	return page, nil
}

func step(c *bolt.Cursor, desc bool) ([]byte, []byte) {
	if desc {
		return c.Prev()
	}
	return c.Next()
}

func parseUserIDOrZero(id string, ok bool) (uint64, bool) {
	if !ok {
		return 0, false
	}
	return parseUserID(id)
}

// pageByUsername is the page in username order without a search, read from
// the username index (one key per user, in the order usernames compare), so
// it costs a page's worth of reads too. Its cursors carry the index key.
func pageByUsername(tx *bolt.Tx, q backend.UserQuery) (*backend.UserPage, error) {
	var after []byte
	if q.Cursor != "" {
		if _, err := backend.SelectPage(q, func(func(backend.UserEntry) bool) {}); err != nil {
			return nil, err
		}
		key, ok := backend.CursorKey(q.Cursor)
		if !ok || key == "" {
			return nil, backend.Errorf(backend.EINVALID, "cursor is not one AuthDesk handed out for this query")
		}
		after = []byte(key)
	}
	c := tx.Bucket(bucketUsernames).Cursor()
	var k, v []byte
	switch {
	case !q.Desc && after == nil:
		k, v = c.First()
	case !q.Desc:
		if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
	case after == nil:
		k, v = c.Last()
	default:
		if k, v = c.Seek(after); k == nil {
			k, v = c.Last()
		}
		for k != nil && bytes.Compare(k, after) >= 0 {
			k, v = c.Prev()
		}
	}
	users := tx.Bucket(bucketUsers)
	page := &backend.UserPage{Users: make([]backend.UserEntry, 0, q.Limit), Total: users.Stats().KeyN}
	var lastKey string
	for ; k != nil; k, v = step(c, q.Desc) {
		if len(page.Users) == q.Limit {
			page.Next = backend.NewCursor(q, lastKey, page.Users[len(page.Users)-1].ID)
			break
		}
		rec := users.Get(v)
		if rec == nil {
			continue // an index entry without its user: nothing to show
		}
		r, err := decodeUserFields(rec, false)
		if err != nil {
			return nil, err
		}
		page.Users = append(page.Users, backend.UserEntry{User: r.user()})
		lastKey = string(k)
	}
	return page, nil
}
