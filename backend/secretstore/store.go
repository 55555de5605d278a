// Package secretstore keeps each backend's client-side secret (the refresh
// token that keeps a person signed in) in the safest place available: the OS
// keyring when one is usable, otherwise a file protected by the account's
// permissions (client.db), and says which, so Settings can tell the person.
//
// The keyring is asked again on every save, so one that appears later (the
// person logs in graphically, installs GNOME Keyring, unlocks it) takes over:
// the secret goes to the keyring and the file copy is deleted, its bytes
// compacted out of the file.
//
// Invariant: a secret in the file is never older than the keyring's entry for
// the same backend (a successful keyring save deletes the file copy), so Load
// reads the file first. An empty secret in the file is a tombstone: the
// keyring's entry is stale (a logout happened while the keyring was out of
// reach) and is removed as soon as the keyring answers again.
package secretstore

import (
	"context"
	"io"
	"log/slog"
	"sync"

	"github.com/authdesk/authdesk/backend"
)

// Location says where a backend's secret is.
type Location string

const (
	InKeyring Location = "keyring" // the OS credential store
	InFile    Location = "file"    // client.db, owner-only
	Nowhere   Location = "none"    // not remembered
)

// NoticeFile is what Settings says while the sign-in is kept in the file.
const NoticeFile = "Your sign-in is remembered in a file protected by your account's permissions: no system keyring was found"

// NoticeFileKeyringBack is what Settings says while the sign-in is still in
// the file but a keyring has become usable (the next save moves it).
const NoticeFileKeyringBack = "Your sign-in is remembered in a file protected by your account's permissions; it moves to the system keyring the next time it is saved"

// Keyring is what the store needs from the OS credential store;
// *keyring.Keyring implements it. Errors are *backend.Error values: Get
// returns ENOTFOUND when there is no entry; Delete of an absent entry is nil;
// every call is bounded in time.
type Keyring interface {
	Available(ctx context.Context) error
	Get(ctx context.Context, backendID string) (string, error)
	Set(ctx context.Context, backendID, label, secret string) error
	Delete(ctx context.Context, backendID string) error
}

// FileSecrets is what the store needs from the file fallback; *clientdb.DB
// implements it. PutSecret must be durable when it returns and must keep an
// empty secret as a present value. DeleteSecret must leave no trace of the
// secret's bytes in the file (compact or rewrite it); deleting an absent
// secret is not an error.
type FileSecrets interface {
	GetSecret(backendID string) (secret string, found bool, err error)
	PutSecret(backendID, secret string) error
	DeleteSecret(backendID string) error
}

// Store decides where secrets go. Its methods are safe for concurrent use;
// they run one at a time.
type Store struct {
	// Keyring is the OS credential store; nil when this build has none.
	Keyring Keyring
	// File is the fallback; nil means a secret is never written to a file
	// (the person chose not to be remembered without a keyring).
	File FileSecrets
	// Log records where secrets went and why the keyring was not used
	// (never a secret). Nil discards.
	Log *slog.Logger

	mu      sync.Mutex
	lastLoc Location // where the last Save put a secret, to log changes only
}

// errNoKeyring is the reason when the build has no keyring at all.
var errNoKeyring = backend.Errorf(backend.EUNAVAILABLE, "No system keyring was found: this build of AuthDesk cannot use one")

func (s *Store) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s.Log
}

// Save keeps secret for backendID and returns where it went. label names the
// keyring entry ("AuthDesk — <label>"). The keyring is tried first, every
// time; if it cannot take the secret, the file does, and the keyring's
// problem is logged. With no keyring and no file the error is EUNAVAILABLE
// and says why: the caller keeps the session for this run only.
func (s *Store) Save(ctx context.Context, backendID, label, secret string) (Location, error) {
	if backendID == "" || secret == "" {
		return Nowhere, backend.Errorf(backend.EINVALID, "A saved sign-in needs a backend and a secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	var kerr error = errNoKeyring
	if s.Keyring != nil {
		kerr = s.Keyring.Set(ctx, backendID, label, secret)
	}
	if kerr == nil {
		// The keyring has the newest secret; an older file copy (or a
		// tombstone) must go, or Load would prefer it.
		if s.File != nil {
			if err := s.File.DeleteSecret(backendID); err != nil {
				return InKeyring, backend.Wrap(backend.EINTERNAL, err,
					"Your sign-in was saved in the system keyring, but an older copy could not be removed from the file")
			}
		}
		s.moved(backendID, InKeyring, nil)
		return InKeyring, nil
	}

	if s.File == nil {
		s.moved(backendID, Nowhere, kerr)
		return Nowhere, backend.Wrap(backend.EUNAVAILABLE, kerr,
			"Your sign-in is not remembered after AuthDesk closes: %s", backend.ErrorMessage(kerr))
	}
	if err := s.File.PutSecret(backendID, secret); err != nil {
		return Nowhere, err
	}
	s.moved(backendID, InFile, kerr)
	return InFile, nil
}

// moved logs where secrets go when that changes.
func (s *Store) moved(backendID string, loc Location, reason error) {
	if loc == s.lastLoc {
		return
	}
	s.lastLoc = loc
	if reason == nil {
		s.log().Info("sign-in remembered in the system keyring", "backend", backendID)
		return
	}
	s.log().Warn("system keyring not usable", "backend", backendID, "now", string(loc),
		"reason", backend.ErrorMessage(reason), "cause", reason)
}

// Load returns the secret kept for backendID and where it was. Nothing saved
// is ("", Nowhere, nil). If the keyring could not be asked and the file has
// nothing, the error is the keyring's (EUNAVAILABLE): the caller shows the
// login page and can say why.
func (s *Store) Load(ctx context.Context, backendID string) (string, Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.File != nil {
		secret, found, err := s.File.GetSecret(backendID)
		if err != nil {
			return "", Nowhere, err
		}
		if found && secret != "" {
			return secret, InFile, nil
		}
		if found { // tombstone: the keyring's entry is stale
			s.clearTombstone(ctx, backendID)
			return "", Nowhere, nil
		}
	}
	if s.Keyring == nil {
		return "", Nowhere, nil
	}
	secret, err := s.Keyring.Get(ctx, backendID)
	switch backend.ErrorCode(err) {
	case "":
		return secret, InKeyring, nil
	case backend.ENOTFOUND:
		return "", Nowhere, nil
	default:
		return "", Nowhere, err
	}
}

// clearTombstone removes a stale keyring entry, then the tombstone, when the
// keyring answers; otherwise both stay for next time.
func (s *Store) clearTombstone(ctx context.Context, backendID string) {
	if s.Keyring == nil || s.Keyring.Delete(ctx, backendID) != nil {
		return
	}
	if err := s.File.DeleteSecret(backendID); err != nil {
		s.log().Warn("could not remove a tombstone from the file", "backend", backendID, "cause", err)
	}
}

// Delete forgets backendID's secret everywhere (logout, a revoked or expired
// session, a backend switch). If the keyring cannot be reached, the file
// records that its entry is stale so it is never used, and it is removed the
// next time the keyring answers. The error is non-nil only when the secret
// may still be used later.
func (s *Store) Delete(ctx context.Context, backendID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	kerr := error(nil)
	if s.Keyring != nil {
		kerr = s.Keyring.Delete(ctx, backendID)
	}
	if s.File == nil {
		if kerr != nil {
			return backend.Wrap(backend.EUNAVAILABLE, kerr,
				"Your saved sign-in could not be removed from the system keyring: %s", backend.ErrorMessage(kerr))
		}
		return nil
	}
	// DeleteSecret first, so the secret's bytes are compacted out even when
	// a tombstone takes its place.
	if err := s.File.DeleteSecret(backendID); err != nil {
		return err
	}
	if kerr != nil {
		s.log().Warn("system keyring not reachable at logout; its entry will be removed later",
			"backend", backendID, "reason", backend.ErrorMessage(kerr), "cause", kerr)
		return s.File.PutSecret(backendID, "")
	}
	return nil
}

// Migrate moves a secret that the file holds into the keyring, if the
// keyring is usable now, and deletes the file copy. Call it at start-up (a
// keyring that appeared since the last run) and whenever the keyring may have
// become usable. It returns where the secret is afterwards; a keyring that is
// still unusable is not an error.
func (s *Store) Migrate(ctx context.Context, backendID, label string) (Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.File == nil {
		return s.keyringHas(ctx, backendID), nil
	}
	secret, found, err := s.File.GetSecret(backendID)
	switch {
	case err != nil:
		return Nowhere, err
	case !found:
		return s.keyringHas(ctx, backendID), nil
	case secret == "":
		s.clearTombstone(ctx, backendID)
		return Nowhere, nil
	case s.Keyring == nil:
		return InFile, nil
	}
	if err := s.Keyring.Set(ctx, backendID, label, secret); err != nil {
		s.moved(backendID, InFile, err)
		return InFile, nil
	}
	if err := s.File.DeleteSecret(backendID); err != nil {
		return InKeyring, backend.Wrap(backend.EINTERNAL, err,
			"Your sign-in was moved to the system keyring, but its copy could not be removed from the file")
	}
	s.log().Info("sign-in moved from the file to the system keyring", "backend", backendID)
	s.lastLoc = InKeyring
	return InKeyring, nil
}

func (s *Store) keyringHas(ctx context.Context, backendID string) Location {
	if s.Keyring == nil {
		return Nowhere
	}
	if _, err := s.Keyring.Get(ctx, backendID); err == nil {
		return InKeyring
	}
	return Nowhere
}

// Status is what Settings shows about a backend's saved sign-in.
type Status struct {
	Location Location `json:"location"`
	// KeyringProblem says, in words, why the system keyring is not in use;
	// empty when it is usable.
	KeyringProblem string `json:"keyringProblem,omitempty"`
	// Notice is the sentence for Settings; empty when there is nothing to say.
	Notice string `json:"notice,omitempty"`
}

// Status reports where backendID's secret is and whether the keyring is
// usable. It probes the keyring (bounded by the keyring's timeout).
func (s *Store) Status(ctx context.Context, backendID string) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	var st Status
	var kerr error = errNoKeyring
	if s.Keyring != nil {
		kerr = s.Keyring.Available(ctx)
	}
	if kerr != nil {
		st.KeyringProblem = backend.ErrorMessage(kerr)
	}

	st.Location = Nowhere
	if s.File != nil {
		secret, found, err := s.File.GetSecret(backendID)
		if err != nil {
			return Status{}, err
		}
		if found && secret != "" {
			st.Location = InFile
		}
	}
	if st.Location == Nowhere && kerr == nil {
		st.Location = s.keyringHas(ctx, backendID)
	}
	switch {
	case st.Location == InFile && kerr != nil:
		st.Notice = NoticeFile
	case st.Location == InFile:
		st.Notice = NoticeFileKeyringBack
	case kerr != nil && s.File == nil:
		st.Notice = "Your sign-in is not remembered after AuthDesk closes: " + st.KeyringProblem
	}
	return st, nil
}
