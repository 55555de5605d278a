package remote

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// userJSON is a user as either API sends it. The id is a number in one and a
// string in the other, so it is kept raw and turned into a string here.
type userJSON struct {
	ID        json.RawMessage `json:"id"`
	Username  string          `json:"username"`
	FirstName string          `json:"firstName"`
	LastName  string          `json:"lastName"`
	Role      string          `json:"role"`
	JWTToken  string          `json:"jwtToken"`
}

var errNoID = errors.New("user without an id")

// user converts to the domain type. An id that is neither a string nor a
// number means the answer is not a user at all.
func (u userJSON) user() (backend.User, error) {
	id, err := idString(u.ID)
	if err != nil {
		return backend.User{}, err
	}
	return backend.User{
		ID:        id,
		Username:  u.Username,
		FirstName: u.FirstName,
		LastName:  u.LastName,
		Role:      backend.Role(strings.TrimSpace(u.Role)), // optional: one API has no roles
	}, nil
}

func idString(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", errNoID
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s == "" {
			return "", errNoID
		}
		return s, nil
	}
	// A JSON number, kept as written: 1 stays "1" and never becomes "1e+00".
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", errNoID
	}
	return n.String(), nil
}
