package app

import (
	"context"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/oidc"
	"github.com/authdesk/authdesk/backend/session"
)

// BackendKind is one kind of backend a person can choose in Settings. The
// registry (Backends) is built in main.go, the one place that knows every
// adapter; Settings and the UI only read it.
type BackendKind struct {
	Name        string // saved in the settings and sent to the UI: "embedded", "remote"
	Label       string // the choice in Settings, and the session's label when there is no address
	Description string // the line under the choice

	// NeedsAddress: the kind talks to a server whose address the person
	// types (checked by backend.CheckServerURL); DefaultAddress fills the
	// field until they do.
	NeedsAddress   bool
	DefaultAddress string

	// Open returns the adapter for address ("" when the kind needs none).
	Open func(address string) backend.Refresher
	// Probe, when set, tells whether address answers like this kind of
	// backend (Settings' "Test connection").
	Probe func(ctx context.Context, address string) ProbeView

	// NeedsProvider: the kind signs in with an OpenID provider the person
	// configures (issuer, client ID, scopes; see provider.go), and
	// OpenProvider returns the adapter for that configuration.
	NeedsProvider bool
	OpenProvider  func(cfg oidc.Config) backend.Refresher
}

// BackendKindView is a registry entry as the Settings page lists it.
type BackendKindView struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	Description  string `json:"description"`
	NeedsAddress bool   `json:"needsAddress"`
	CanProbe     bool   `json:"canProbe"`
	// NeedsProvider: the form asks for an OpenID provider (ProviderSettingsView).
	NeedsProvider bool `json:"needsProvider"`
}

// Backends is the registry of backend kinds; the first is the default.
type Backends []BackendKind

func (r Backends) kind(name string) (BackendKind, bool) {
	for _, k := range r {
		if k.Name == name {
			return k, true
		}
	}
	return BackendKind{}, false
}

// defaultAddress is what the address field starts with.
func (r Backends) defaultAddress() string {
	for _, k := range r {
		if k.NeedsAddress && k.DefaultAddress != "" {
			return k.DefaultAddress
		}
	}
	return ""
}

// withDefaults fills what a fresh install (or an older file) left empty.
func (r Backends) withDefaults(s clientdb.Settings) clientdb.Settings {
	if s.Backend == "" && len(r) > 0 {
		s.Backend = r[0].Name
	}
	if s.RemoteURL == "" {
		s.RemoteURL = r.defaultAddress()
	}
	return s
}

// For returns the backend that saved settings select. A kind the registry
// does not know (a file from a newer AuthDesk) falls back to the default.
func (r Backends) For(s clientdb.Settings) session.Backend {
	k, s := r.resolve(s)
	if k.NeedsProvider {
		return providerBackend(k, s)
	}
	if !k.NeedsAddress {
		return session.Backend{Auth: k.Open(""), ID: k.Name, Kind: k.Name, Label: k.Label}
	}
	return session.Backend{Auth: k.Open(s.RemoteURL), ID: r.id(s), Kind: k.Name, Label: s.RemoteURL}
}

// id is the ID of the backend s selects: the kind's name, plus the address
// for kinds that have one. Saved sessions are keyed by it.
func (r Backends) id(s clientdb.Settings) string {
	k, s := r.resolve(s)
	if k.NeedsProvider {
		return providerID(k, s)
	}
	if !k.NeedsAddress {
		return k.Name
	}
	return k.Name + ":" + s.RemoteURL
}

func (r Backends) resolve(s clientdb.Settings) (BackendKind, clientdb.Settings) {
	s = r.withDefaults(s)
	k, ok := r.kind(s.Backend)
	if !ok {
		k = r[0]
	}
	return k, s
}

// views lists the registry for the UI.
func (r Backends) views() []BackendKindView {
	out := make([]BackendKindView, 0, len(r))
	for _, k := range r {
		out = append(out, BackendKindView{
			Name: k.Name, Label: k.Label, Description: k.Description,
			NeedsAddress: k.NeedsAddress, CanProbe: k.Probe != nil, NeedsProvider: k.NeedsProvider,
		})
	}
	return out
}
