package bolt

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// argonParams are argon2id's cost settings. Memory is in KiB.
type argonParams struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  int
}

// defaultArgonParams is OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var defaultArgonParams = argonParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// hashPassword returns password's argon2id hash in PHC string form.
func (db *DB) hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, db.hash.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	release, err := db.acquireHashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	key := argon2.IDKey([]byte(password), salt, db.hash.Time, db.hash.Memory, db.hash.Threads, uint32(db.hash.KeyLen))
	return encodeArgon2id(db.hash, salt, key), nil
}

func encodeArgon2id(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// verifyPassword checks password against a stored argon2id or bcrypt hash.
// needsRehash is true when it matched but the hash is bcrypt or uses other
// argon2id settings than ours, so the caller should store a fresh hash.
func (db *DB) verifyPassword(ctx context.Context, encoded, password string) (match, needsRehash bool, err error) {
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"):
		p, salt, key, err := parseArgon2id(encoded)
		if err != nil {
			return false, false, err
		}
		release, err := db.acquireHashSlot(ctx)
		if err != nil {
			return false, false, err
		}
		defer release()
		got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
		match = subtle.ConstantTimeCompare(got, key) == 1
		return match, match && p != db.hash, nil

	case isBcrypt(encoded):
		release, err := db.acquireHashSlot(ctx)
		if err != nil {
			return false, false, err
		}
		defer release()
		err = bcrypt.CompareHashAndPassword([]byte(encoded), []byte(password))
		switch {
		case err == nil:
			return true, true, nil
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword), errors.Is(err, bcrypt.ErrPasswordTooLong):
			return false, false, nil
		}
		return false, false, err
	}
	return false, false, errors.New("unknown password hash format")
}

// isBcrypt recognises the bcrypt variants the tutorial APIs produce ($2y$ is
// PHP's name for $2b$; Go's bcrypt checks all three alike).
func isBcrypt(encoded string) bool {
	return strings.HasPrefix(encoded, "$2a$") || strings.HasPrefix(encoded, "$2b$") || strings.HasPrefix(encoded, "$2y$")
}

// validHash reports whether encoded is a hash verifyPassword understands, for
// imports.
func validHash(encoded string) bool {
	if isBcrypt(encoded) {
		_, err := bcrypt.Cost([]byte(encoded))
		return err == nil
	}
	_, _, _, err := parseArgon2id(encoded)
	return err == nil
}

// parseArgon2id reads $argon2id$v=19$m=M,t=T,p=P$salt$key. The limits keep a
// bad stored hash from making a login take gigabytes or minutes.
func parseArgon2id(encoded string) (p argonParams, salt, key []byte, err error) {
	bad := func(why string) (argonParams, []byte, []byte, error) {
		return argonParams{}, nil, nil, fmt.Errorf("malformed argon2id hash: %s", why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("layout")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version")
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return bad("parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return bad("parameters")
		}
		if vals[i], err = strconv.ParseUint(v, 10, 32); err != nil {
			return bad("parameters")
		}
	}
	p.Memory, p.Time = uint32(vals[0]), uint32(vals[1])
	if vals[2] < 1 || vals[2] > 16 || p.Time < 1 || p.Time > 16 || p.Memory < 8*uint32(vals[2]) || p.Memory > 1<<20 {
		return bad("parameters out of range")
	}
	p.Threads = uint8(vals[2])
	if salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(salt) < 8 || len(salt) > 64 {
		return bad("salt")
	}
	if key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return bad("key")
	}
	p.SaltLen, p.KeyLen = len(salt), len(key)
	return p, salt, key, nil
}

// Hashing is bounded three ways. At most one argon2 run per CPU (each takes
// 19 MiB); at most hashQueuePerCPU more per CPU may wait for a slot, each for
// at most hashWaitMax; and one client (an IP address for served requests,
// see backend.WithClient) holds at most as many of those places as there are
// slots (at least two, so the login page's demo-account check never turns a
// person's own login away). A request beyond that is answered at once with EBUSY instead of
// joining a queue that would make every login, including the right one from
// another person, wait for minutes. The per-client bound keeps one flooding
// client, even one guessing made-up names that are never throttled, from
// taking the whole queue: slots are handed out in arrival order, so anyone
// else waits at most for the runs ahead of them.
const (
	hashQueuePerCPU = 8
	hashWaitMax     = 1500 * time.Millisecond
	// hashRetryAfter is what a busy answer tells the client to wait.
	hashRetryAfter = time.Second
)

func errBusy() error {
	return backend.RetryAfterError(backend.EBUSY, hashRetryAfter, "AuthDesk is busy, try again in a moment")
}

// acquireHashSlot takes a place in the queue, then waits for a slot.
func (db *DB) acquireHashSlot(ctx context.Context) (release func(), err error) {
	client := []byte(backend.ClientFrom(ctx))
	if db.hashClients.enter(client) > max(2, cap(db.hashSlots)) {
		db.hashClients.leave(client)
		return nil, errBusy()
	}
	select {
	case db.hashQueue <- struct{}{}:
	default:
		db.hashClients.leave(client)
		return nil, errBusy()
	}
	timer := time.NewTimer(hashWaitMax)
	defer timer.Stop()
	select {
	case db.hashSlots <- struct{}{}:
		return func() { <-db.hashSlots; <-db.hashQueue; db.hashClients.leave(client) }, nil
	case <-timer.C:
		err = errBusy()
	case <-ctx.Done():
		err = ctx.Err()
	}
	<-db.hashQueue
	db.hashClients.leave(client)
	return nil, err
}

// newDummyHash returns the hash verified when the username is unknown, so that
// answer takes as long as a wrong password. It needs no real password behind
// it: a random salt and key with our parameters cost the same to check and
// never match.
func newDummyHash(p argonParams) string {
	salt, key := make([]byte, p.SaltLen), make([]byte, p.KeyLen)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	return encodeArgon2id(p, salt, key)
}
