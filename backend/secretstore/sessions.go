package secretstore

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/keyring"
)

// InMemory says a sign-in lives only in this run: saving it failed (or is
// pending until "Keep me signed in" is turned back on).
const InMemory Location = "memory"

// Notices Sessions raises (Remembered.Notice).
const (
	// NoticeNotSaved: saving the sign-in failed; it lasts until AuthDesk closes.
	NoticeNotSaved = "not_saved"
	// NoticeMovedToFile: the system keyring could not take the sign-in, so it
	// went to the file instead.
	NoticeMovedToFile = "moved_to_file"
)

// MetaStore keeps what is not secret about a saved session (who, which
// backend, until when); *clientdb.DB implements it. Sessions an older
// AuthDesk saved may still carry their refresh token there.
type MetaStore interface {
	backend.SessionStore
	SavedSessions() ([]backend.SavedSession, error)
	// Compact rewrites the file so deleted bytes are gone from it.
	Compact() error
}

// KeepSetting is the "Keep me signed in" choice; *clientdb.DB implements it.
type KeepSetting interface {
	KeepSignedIn() (bool, error)
	SetKeepSignedIn(keep bool) error
}

// Remembered is where one backend's sign-in is kept, for the UI.
type Remembered struct {
	BackendID string   `json:"backendId"`
	Keep      bool     `json:"keep"`     // "Keep me signed in" is on
	Location  Location `json:"location"` // keyring, file, memory or none
	// Problem says in words why the system keyring is not used, or why the
	// last save failed; empty when all is well.
	Problem string `json:"problem,omitempty"`
	// Notice is NoticeNotSaved or NoticeMovedToFile when something happened
	// that a person should be told about now; empty otherwise.
	Notice string `json:"notice,omitempty"`
}

// Sessions is the backend.SessionStore the app uses: the refresh token goes
// to the secret store (the system keyring when usable, else the file), the
// rest to MetaStore, one entry per backend. With "Keep me signed in" off
// nothing is written and what was saved is deleted.
//
// A save that fails keeps the session for this run (the session manager
// holds it) and is reported through OnChange, never silently; the next save
// tries again.
type Sessions struct {
	Meta    MetaStore
	Secrets *Store
	Keep    KeepSetting
	// Label names a backend's keyring entry ("AuthDesk — <label>").
	Label func(backendID string) string

	// OnChange is told when a backend's sign-in moves (keyring, file,
	// memory, none) or a save fails. It must not call back into Sessions.
	OnChange func(Remembered)
	Log      *slog.Logger

	mu    sync.Mutex
	held  map[string]backend.SavedSession // newest session not on disk (keep off, or the save failed)
	where map[string]Location             // where each backend's sign-in was last put
}

var _ backend.SessionStore = (*Sessions)(nil)

func (s *Sessions) init() {
	if s.held == nil {
		s.held = map[string]backend.SavedSession{}
		s.where = map[string]Location{}
	}
}

func (s *Sessions) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Sessions) label(id string) string {
	if s.Label != nil && s.Label(id) != "" {
		return s.Label(id)
	}
	return id
}

// keep reads the setting; a setting that cannot be read counts as on (the
// safer failure: the person stays signed in as before).
func (s *Sessions) keep() bool {
	if s.Keep == nil {
		return true
	}
	keep, err := s.Keep.KeepSignedIn()
	if err != nil {
		s.log().Warn("could not read the keep-me-signed-in setting; keeping the sign-in", "err", err)
		return true
	}
	return keep
}

// background is the context of calls that nobody is waiting on with a
// prompt: the keyring bounds them and never shows an unlock dialog.
func background() context.Context { return context.Background() }

// Start moves what an older AuthDesk left behind and what a keyring that
// appeared since the last run can take: a refresh token inside a saved
// session (the old layout) goes to the secret store and its bytes are
// compacted out of the file; a token in the file fallback moves to the
// keyring if one is usable now. Call it once, before the session manager
// starts.
func (s *Sessions) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	list, err := s.Meta.SavedSessions()
	if err != nil {
		return err
	}
	keep, stripped := s.keep(), false
	var errs []error
	for _, saved := range list {
		id := saved.BackendID
		if saved.RefreshToken == "" {
			if keep {
				loc, err := s.Secrets.Migrate(background(), id, s.label(id))
				s.where[id] = loc
				errs = append(errs, err)
			}
			continue
		}
		if keep {
			loc, err := s.Secrets.Save(background(), id, s.label(id), saved.RefreshToken)
			if err != nil {
				// Leave it where it is: it still works, and the next start tries again.
				s.log().Warn("could not move a saved sign-in out of client.db", "backend", id, "err", err)
				errs = append(errs, err)
				continue
			}
			s.where[id] = loc
			saved.RefreshToken = ""
			errs = append(errs, s.Meta.SaveSession(saved))
			s.log().Info("moved a saved sign-in from the old layout", "backend", id, "now", string(loc))
		} else {
			errs = append(errs, s.Meta.ClearSession(id))
		}
		stripped = true
	}
	if stripped {
		errs = append(errs, s.Meta.Compact())
	}
	return errors.Join(errs...)
}

// LoadSession returns the session saved for backendID with its refresh
// token, or nil when there is none (or "Keep me signed in" is off).
func (s *Sessions) LoadSession(backendID string) (*backend.SavedSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if !s.keep() {
		return nil, nil
	}
	if h, ok := s.held[backendID]; ok {
		return &h, nil // newer than anything on disk
	}
	saved, err := s.Meta.LoadSession(backendID)
	if err != nil || saved == nil {
		return nil, err
	}
	if saved.RefreshToken != "" {
		return saved, nil // the old layout, not moved yet
	}
	secret, loc, err := s.Secrets.Load(background(), backendID)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, nil
	}
	s.where[backendID] = loc
	saved.RefreshToken = secret
	return saved, nil
}

// SaveSession keeps saved: its token in the secret store, the rest in
// MetaStore. It is durable when it returns nil. An error means the session
// is kept for this run only; OnChange has been told.
func (s *Sessions) SaveSession(saved backend.SavedSession) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	id := saved.BackendID
	if id == "" || saved.RefreshToken == "" {
		return backend.Errorf(backend.EINTERNAL, "a saved session must name its backend and carry a token")
	}
	if !s.keep() {
		s.held[id] = saved
		if s.where[id] != Nowhere {
			// Something may be saved from before the setting changed.
			if err := s.clearLocked(id); err != nil {
				return err
			}
		}
		return nil
	}
	return s.saveLocked(saved)
}

func (s *Sessions) saveLocked(saved backend.SavedSession) error {
	id := saved.BackendID
	prev := s.where[id]
	loc, err := s.Secrets.Save(background(), id, s.label(id), saved.RefreshToken)
	if err == nil {
		meta := saved
		meta.RefreshToken = ""
		err = s.Meta.SaveSession(meta)
	}
	if err != nil {
		s.held[id] = saved
		s.where[id] = InMemory
		s.log().Error("could not save the sign-in; it lasts until AuthDesk closes", "backend", id, "err", err)
		s.tell(Remembered{BackendID: id, Keep: true, Location: InMemory,
			Problem: backend.ErrorMessage(err), Notice: NoticeNotSaved})
		return err
	}
	delete(s.held, id)
	s.where[id] = loc
	if loc != prev {
		r := Remembered{BackendID: id, Keep: true, Location: loc}
		if loc == InFile {
			st, _ := s.Secrets.Status(background(), id)
			r.Problem = st.KeyringProblem
			// Settings explains a computer without a keyring; a keyring
			// that is there but failed (locked, not answering) is news.
			if prev == InKeyring || prev == InMemory || s.keyringFailed() {
				r.Notice = NoticeMovedToFile
			}
		}
		s.tell(r)
	}
	return nil
}

// keyringFailed reports whether a keyring is there but cannot be used now,
// as opposed to there being none at all (no D-Bus session, no Secret
// Service, an OS without one).
func (s *Sessions) keyringFailed() bool {
	if s.Secrets.Keyring == nil {
		return false
	}
	err := s.Secrets.Keyring.Available(background())
	if err == nil {
		return false
	}
	for _, none := range []error{keyring.ErrNoSession, keyring.ErrNoService, keyring.ErrUnsupported} {
		if errors.Is(err, none) {
			return false
		}
	}
	return true
}

// ClearSession forgets backendID's saved session everywhere: the keyring
// entry, the file copy (compacted out) and the rest.
func (s *Sessions) ClearSession(backendID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	delete(s.held, backendID)
	return s.clearLocked(backendID)
}

func (s *Sessions) clearLocked(id string) error {
	prev := s.where[id]
	err := errors.Join(s.Meta.ClearSession(id), s.Secrets.Delete(background(), id))
	s.where[id] = Nowhere
	if prev != Nowhere && prev != "" {
		s.tell(Remembered{BackendID: id, Keep: s.keep(), Location: Nowhere})
	}
	return err
}

// SetKeep stores the "Keep me signed in" choice and acts on it at once: off
// deletes every saved sign-in (the sessions stay for this run), on saves the
// ones kept in memory meanwhile.
func (s *Sessions) SetKeep(keep bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if s.Keep == nil {
		return backend.Errorf(backend.EINTERNAL, "this AuthDesk cannot change whether it keeps you signed in")
	}
	if err := s.Keep.SetKeepSignedIn(keep); err != nil {
		return err
	}
	if keep {
		var errs []error
		for _, h := range s.held {
			errs = append(errs, s.saveLocked(h))
		}
		return errors.Join(errs...)
	}
	list, err := s.Meta.SavedSessions()
	if err != nil {
		return err
	}
	var errs []error
	for _, saved := range list {
		id := saved.BackendID
		if _, ok := s.held[id]; !ok {
			// Keep it for this run, so turning the choice back on saves it again.
			if saved.RefreshToken == "" {
				saved.RefreshToken, _, _ = s.Secrets.Load(background(), id)
			}
			if saved.RefreshToken != "" {
				s.held[id] = saved
			}
		}
		errs = append(errs, s.clearLocked(id))
	}
	return errors.Join(errs...)
}

// Status says where backendID's sign-in is kept. It asks the keyring
// (bounded by its timeout).
func (s *Sessions) Status(backendID string) (Remembered, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	r := Remembered{BackendID: backendID, Keep: s.keep(), Location: Nowhere}
	st, err := s.Secrets.Status(background(), backendID)
	if err != nil {
		return r, err
	}
	r.Problem = st.KeyringProblem
	switch {
	case !r.Keep:
	case s.where[backendID] == InMemory:
		r.Location = InMemory
	default:
		r.Location = st.Location
	}
	return r, nil
}

func (s *Sessions) tell(r Remembered) {
	if s.OnChange != nil {
		s.OnChange(r)
	}
}
