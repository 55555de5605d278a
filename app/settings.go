package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/session"
)

// SettingsStore keeps the client's settings (*clientdb.DB).
type SettingsStore interface {
	Settings() (clientdb.Settings, error)
	SaveSettings(clientdb.Settings) error
}

// BackendSwitcher is the part of the session manager Settings needs
// (*session.Manager).
type BackendSwitcher interface {
	Backend() session.Backend
	Switch(ctx context.Context, b session.Backend) error
}

// SettingsView is the Settings page's form.
type SettingsView struct {
	Backend   string `json:"backend"`   // "embedded" or "remote"
	RemoteURL string `json:"remoteUrl"` // the server used in remote mode
	Version   string `json:"version,omitempty"`
}

// URLCheck is the live feedback on a typed server address.
type URLCheck struct {
	OK      bool   `json:"ok"`
	URL     string `json:"url"`     // normalised, when OK
	Message string `json:"message"` // why it is not OK
	Warning string `json:"warning"` // OK but risky (plain http off this computer)
}

// switchTimeout bounds Save's wait for the new backend's first restore
// attempt; the remote client gives up on its own well before.
const switchTimeout = 30 * time.Second

// Settings is the bound API of the Settings page.
type Settings struct {
	Store    SettingsStore
	Sessions BackendSwitcher
	Embedded session.Backend // the backend for "embedded"
	Version  string
	Log      *slog.Logger

	// NewBackend builds the backend for saved settings; nil means BackendFor.
	NewBackend func(clientdb.Settings, session.Backend) session.Backend
}

// Get returns the saved settings.
func (s *Settings) Get() (SettingsView, error) {
	cur, err := s.Store.Settings()
	if err != nil {
		return SettingsView{}, err
	}
	return SettingsView{Backend: cur.Backend, RemoteURL: cur.RemoteURL, Version: s.Version}, nil
}

// Save validates and stores v, then switches the session manager if the
// backend in use changed. A switch ends the current session (its refresh
// token is revoked, best effort) and restores one saved earlier for the new
// backend, if any.
func (s *Settings) Save(v SettingsView) (SettingsView, error) {
	next := clientdb.Settings{Backend: v.Backend, RemoteURL: v.RemoteURL}
	if next.Backend == "" {
		next.Backend = clientdb.BackendEmbedded
	}
	if next.Backend != clientdb.BackendEmbedded && next.Backend != clientdb.BackendRemote {
		return SettingsView{}, backend.Errorf(backend.EINVALID, "Choose the embedded backend or a remote server")
	}
	// The address is kept even in embedded mode (the form remembers it),
	// so it must be valid either way; an empty one takes the default.
	if next.RemoteURL != "" || next.Backend == clientdb.BackendRemote {
		norm, _, err := remote.CheckURL(next.RemoteURL)
		if err != nil {
			return SettingsView{}, err
		}
		next.RemoteURL = norm
	}
	if err := s.Store.SaveSettings(next); err != nil {
		return SettingsView{}, err
	}
	saved, err := s.Store.Settings()
	if err != nil {
		return SettingsView{}, err
	}

	b := s.backendFor(saved)
	if cur := s.Sessions.Backend(); cur.ID != b.ID {
		s.log().Info("switching backend", "from", cur.Label, "to", b.Label)
		ctx, cancel := context.WithTimeout(context.Background(), switchTimeout)
		defer cancel()
		if err := s.Sessions.Switch(ctx, b); err != nil {
			// Only a timeout gets here: the switch itself happened, and a
			// saved session keeps being restored in the background.
			s.log().Warn("the new backend's saved session is still being restored", "err", err)
		}
	}
	return SettingsView{Backend: saved.Backend, RemoteURL: saved.RemoteURL, Version: s.Version}, nil
}

// TestConnection probes a server address for the "Test connection" button.
// An invalid address is an EINVALID error, not a probe result.
func (s *Settings) TestConnection(url string) (remote.ProbeResult, error) {
	norm, _, err := remote.CheckURL(url)
	if err != nil {
		return remote.ProbeResult{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), remote.DefaultTimeout+time.Second)
	defer cancel()
	return remote.Probe(ctx, norm), nil
}

// CheckURL validates a typed address without contacting it.
func (s *Settings) CheckURL(url string) (URLCheck, error) {
	norm, warning, err := remote.CheckURL(url)
	if err != nil {
		return URLCheck{OK: false, Message: backend.ErrorMessage(err)}, nil
	}
	return URLCheck{OK: true, URL: norm, Warning: warning}, nil
}

func (s *Settings) backendFor(c clientdb.Settings) session.Backend {
	if s.NewBackend != nil {
		return s.NewBackend(c, s.Embedded)
	}
	return BackendFor(c, s.Embedded)
}

func (s *Settings) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// BackendFor returns the backend saved settings select: embedded, or a
// remote client for the saved URL. main.go uses it for the start-up backend
// too, so a restart comes back to the same backend and its saved session.
func BackendFor(c clientdb.Settings, embedded session.Backend) session.Backend {
	if c.Backend != clientdb.BackendRemote {
		return embedded
	}
	return session.Backend{
		Auth:  remote.NewClient(c.RemoteURL),
		ID:    "remote:" + c.RemoteURL,
		Kind:  clientdb.BackendRemote,
		Label: c.RemoteURL,
	}
}
