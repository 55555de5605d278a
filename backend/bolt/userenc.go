package bolt

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// User records use a small binary form rather than JSON: listing 10,000 users
// decodes every record, and JSON (with its time parsing) made that too slow
// for the admin view. Layout, version 1:
//
//	0x01, uvarint ID, varint created (Unix ns),
//	then username, first name, last name, role, password hash,
//	each as uvarint length + bytes.
const userEncodingV1 = 1

func encodeUser(r *userRecord) []byte {
	buf := make([]byte, 0, 32+len(r.Username)+len(r.FirstName)+len(r.LastName)+len(r.Role)+len(r.PasswordHash))
	buf = append(buf, userEncodingV1)
	buf = binary.AppendUvarint(buf, r.ID)
	buf = binary.AppendVarint(buf, r.Created.UnixNano())
	for _, s := range []string{r.Username, r.FirstName, r.LastName, string(r.Role), r.PasswordHash} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

var errBadUserRecord = errors.New("malformed user record")

// decodeUser reads encodeUser's output; it never panics on damaged input.
func decodeUser(buf []byte) (*userRecord, error) { return decodeUserFields(buf, true) }

// decodeUserFields is decodeUser that, without withHash, leaves the
// password hash out (lists of many users do not need it).
func decodeUserFields(buf []byte, withHash bool) (*userRecord, error) {
	if len(buf) == 0 || buf[0] != userEncodingV1 {
		return nil, errBadUserRecord
	}
	buf = buf[1:]
	var r userRecord
	var n int
	if r.ID, n = binary.Uvarint(buf); n <= 0 {
		return nil, errBadUserRecord
	}
	buf = buf[n:]
	created, n := binary.Varint(buf)
	if n <= 0 {
		return nil, errBadUserRecord
	}
	buf = buf[n:]
	r.Created = time.Unix(0, created).UTC()
	var role string
	for _, dst := range []*string{&r.Username, &r.FirstName, &r.LastName, &role, &r.PasswordHash} {
		l, n := binary.Uvarint(buf)
		if n <= 0 || l > uint64(len(buf)-n) {
			return nil, errBadUserRecord
		}
		if withHash || dst != &r.PasswordHash {
			*dst = string(buf[n : n+int(l)])
		}
		buf = buf[n+int(l):]
	}
	if len(buf) != 0 {
		return nil, errBadUserRecord
	}
	r.Role = backend.Role(role)
	return &r, nil
}
