package clientdb

import (
	"net/url"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// Backend kinds a person can choose between.
const (
	BackendEmbedded = "embedded"
	BackendRemote   = "remote"
)

// DefaultRemoteURL is where the tutorial's API listens when run locally.
const DefaultRemoteURL = "http://localhost:4000"

// Settings are the client's choices that Go owns (the UI's cosmetic
// preferences live in the webview).
type Settings struct {
	Backend   string `json:"backend"`   // BackendEmbedded or BackendRemote
	RemoteURL string `json:"remoteUrl"` // used when Backend is BackendRemote
}

// DefaultSettings is what a fresh install starts with: the embedded backend,
// which works offline.
func DefaultSettings() Settings {
	return Settings{Backend: BackendEmbedded, RemoteURL: DefaultRemoteURL}
}

// withDefaults fills fields an older file or a partial save left empty.
func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	if s.Backend == "" {
		s.Backend = d.Backend
	}
	if s.RemoteURL == "" {
		s.RemoteURL = d.RemoteURL
	}
	return s
}

// Validate returns an EINVALID error a person can act on, or nil.
func (s Settings) Validate() error {
	if s.Backend != BackendEmbedded && s.Backend != BackendRemote {
		return backend.Errorf(backend.EINVALID, "Backend must be %q or %q", BackendEmbedded, BackendRemote)
	}
	u, err := url.Parse(s.RemoteURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return backend.Errorf(backend.EINVALID, "Server address must start with http:// or https:// and name a host")
	}
	return nil
}

// Settings returns the saved settings, or the defaults if none were saved.
func (db *DB) Settings() (Settings, error) {
	var s Settings
	if _, err := db.get(bucketSettings, keySettings, &s); err != nil {
		return Settings{}, err
	}
	return s.withDefaults(), nil
}

// SaveSettings validates and stores s. Empty fields take their defaults.
func (db *DB) SaveSettings(s Settings) error {
	s = s.withDefaults()
	s.RemoteURL = strings.TrimRight(strings.TrimSpace(s.RemoteURL), "/")
	if err := s.Validate(); err != nil {
		return err
	}
	return db.put(bucketSettings, keySettings, s)
}
