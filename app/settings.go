package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
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
	Backend   string `json:"backend"`   // a registry kind name
	RemoteURL string `json:"remoteUrl"` // the server address, for kinds that have one
	// Provider is the OpenID provider, for kinds that sign in with one.
	Provider ProviderSettingsView `json:"provider"`
	Version  string               `json:"version,omitempty"`
}

// FormCheck is Go's verdict on the form as it is being filled in: the one
// address rule, and whether saving would change anything or switch backends
// (which signs the person out), so the UI never re-derives either.
type FormCheck struct {
	OK        bool   `json:"ok"`
	RemoteURL string `json:"remoteUrl"` // the address as it would be saved, when OK
	Message   string `json:"message"`   // why it is not OK
	Warning   string `json:"warning"`   // OK but risky (plain http off this computer)
	Changed   bool   `json:"changed"`   // saving would change the saved settings
	Switches  bool   `json:"switches"`  // saving would switch the backend in use
}

// SaveResult is what Save did.
type SaveResult struct {
	Settings SettingsView `json:"settings"`
	Switched bool         `json:"switched"` // the backend in use changed (the session ended)
}

// switchTimeout bounds Save's wait for the new backend's first restore
// attempt; the remote client gives up on its own well before.
const switchTimeout = 30 * time.Second

// probeTimeout bounds "Test connection".
const probeTimeout = 20 * time.Second

// Settings is the bound API of the Settings page.
type Settings struct {
	Store    SettingsStore
	Sessions BackendSwitcher
	Backends Backends // the registry main.go builds
	Version  string
	Log      *slog.Logger
}

// Kinds lists the backends a person can choose, in the registry's order.
func (s *Settings) Kinds() []BackendKindView { return s.Backends.views() }

// Get returns the saved settings (the defaults until something was saved).
func (s *Settings) Get() (SettingsView, error) {
	cur, err := s.saved()
	if err != nil {
		return SettingsView{}, err
	}
	return s.view(cur), nil
}

// Check validates a form without saving it.
func (s *Settings) Check(v SettingsView) (FormCheck, error) {
	saved, err := s.saved()
	if err != nil {
		return FormCheck{}, err
	}
	next, warning, err := s.normalise(v, saved)
	if err != nil {
		if backend.ErrorCode(err) != backend.EINVALID {
			return FormCheck{}, err
		}
		return FormCheck{OK: false, Message: backend.ErrorMessage(err)}, nil
	}
	return FormCheck{
		OK:        true,
		RemoteURL: next.RemoteURL,
		Warning:   warning,
		Changed:   next != saved,
		Switches:  s.Backends.id(next) != s.Sessions.Backend().ID,
	}, nil
}

// Save validates and stores v, then switches the session manager if the
// backend in use changed. A switch ends the current session (its refresh
// token is revoked, best effort) and restores one saved earlier for the new
// backend, if any.
func (s *Settings) Save(v SettingsView) (SaveResult, error) {
	saved, err := s.saved()
	if err != nil {
		return SaveResult{}, err
	}
	next, _, err := s.normalise(v, saved)
	if err != nil {
		return SaveResult{}, err
	}
	if err := s.Store.SaveSettings(next); err != nil {
		return SaveResult{}, err
	}
	res := SaveResult{Settings: s.view(next)}
	b := s.Backends.For(next)
	if cur := s.Sessions.Backend(); cur.ID != b.ID {
		s.log().Info("switching backend", "from", cur.Label, "to", b.Label)
		res.Switched = true
		ctx, cancel := context.WithTimeout(context.Background(), switchTimeout)
		defer cancel()
		if err := s.Sessions.Switch(ctx, b); err != nil {
			// Only a timeout gets here: the switch itself happened, and a
			// saved session keeps being restored in the background.
			s.log().Warn("the new backend's saved session is still being restored", "err", err)
		}
	}
	return res, nil
}

// TestConnection asks the server at v's address whether it answers like
// v's kind of backend. An invalid address is an EINVALID error, not a probe
// result.
func (s *Settings) TestConnection(v SettingsView) (ProbeView, error) {
	k, ok := s.Backends.kind(v.Backend)
	if !ok || k.Probe == nil {
		return ProbeView{}, backend.Errorf(backend.EINVALID, "This backend has no server to test")
	}
	norm, _, err := backend.CheckServerURL(v.RemoteURL)
	if err != nil {
		return ProbeView{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	return k.Probe(ctx, norm), nil
}

// normalise checks v against the registry and the address rule. A kind
// without an address still keeps one for the form: a valid typed one, else
// the saved one (a half-typed address is not worth an error there).
func (s *Settings) normalise(v SettingsView, saved clientdb.Settings) (clientdb.Settings, string, error) {
	next := clientdb.Settings{Backend: v.Backend, RemoteURL: v.RemoteURL}
	if next.Backend == "" {
		next.Backend = saved.Backend
	}
	k, ok := s.Backends.kind(next.Backend)
	if !ok {
		return saved, "", backend.Errorf(backend.EINVALID, "Choose one of the backends offered")
	}
	norm, warning, err := backend.CheckServerURL(next.RemoteURL)
	switch {
	case err == nil:
		next.RemoteURL = norm
	case k.NeedsAddress:
		return saved, "", err
	default:
		next.RemoteURL, warning = saved.RemoteURL, ""
	}
	if !k.NeedsAddress {
		warning = ""
	}
	if err := normaliseProvider(&next, v.Provider, saved, k.NeedsProvider); err != nil {
		return saved, "", err
	}
	return next, warning, nil
}

func (s *Settings) saved() (clientdb.Settings, error) {
	cur, err := s.Store.Settings()
	if err != nil {
		return clientdb.Settings{}, err
	}
	return s.Backends.withDefaults(cur), nil
}

func (s *Settings) view(c clientdb.Settings) SettingsView {
	return SettingsView{Backend: c.Backend, RemoteURL: c.RemoteURL, Provider: providerSettingsView(c), Version: s.Version}
}

func (s *Settings) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
