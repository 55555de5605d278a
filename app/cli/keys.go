package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/authdesk/authdesk/backend/bolt"
)

// KeyRotator is what `authdesk keys` needs from the store; *bolt.DB
// implements it.
type KeyRotator interface {
	RotateSigningKey(ctx context.Context) (bolt.KeyRotation, error)
}

// KeysOpener opens the store for `authdesk keys` and returns it with its
// close function; it is called only once the arguments are good.
type KeysOpener func() (KeyRotator, func() error, error)

// OpenBoltKeys returns the KeysOpener for the embedded store in dataDir.
func OpenBoltKeys(dataDir string, opts bolt.Options) KeysOpener {
	return func() (KeyRotator, func() error, error) {
		db := bolt.NewDB(dataDir, opts)
		if err := db.Open(); err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
}

// OpenedBoltKeys is the KeysOpener for a store this process holds open (a
// keys command that came in through the control socket).
func OpenedBoltKeys(db *bolt.DB) KeysOpener {
	return func() (KeyRotator, func() error, error) { return db, func() error { return nil }, nil }
}

const keysUsage = `Usage: authdesk keys <command>

Manage the key that signs the embedded backend's access tokens (JWTs, which
name their key in the "kid" header). While a window or "authdesk serve" has
the same data folder open, the command runs inside it.

Commands:
  rotate   sign access tokens with a new random key from now on. Tokens
           signed with the previous key stay valid until they expire (the
           access token lifetime, --access-ttl), then that key is dropped.
           Sessions go on: refresh tokens do not depend on this key.

Exit codes:
  0  success
  1  the operation failed (data folder in use, damaged file)
  2  usage error
`

// Keys runs `authdesk keys` with args (the words after "keys") and returns
// the process exit code.
func Keys(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, open KeysOpener) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, keysUsage)
		return ExitOK
	case "rotate":
		if len(args) > 1 {
			return report(stderr, usagef("keys rotate takes no arguments"))
		}
	default:
		return report(stderr, usagef("unknown command %q (try: authdesk keys --help)", args[0]))
	}
	store, closeFn, err := open()
	if err != nil {
		return report(stderr, err)
	}
	rot, err := store.RotateSigningKey(ctx)
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return report(stderr, err)
	}
	fmt.Fprintf(stdout, "New signing key %s is in use.\n", rot.NewKeyID)
	fmt.Fprintf(stdout, "Access tokens signed with the previous key %s stay valid until they expire, at the latest %s; then that key is dropped.\n",
		rot.OldKeyID, rot.OldUntil.Local().Format(time.RFC3339))
	if rot.Dropped > 0 {
		fmt.Fprintf(stdout, "%d older key(s) whose tokens had all expired were dropped.\n", rot.Dropped)
	}
	return ExitOK
}
