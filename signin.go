package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/secretstore"
)

// openSignIns builds where saved sign-ins go: the refresh token in the
// system keyring (client.db when there is none), the rest in client.db, and
// moves what an older AuthDesk saved in client.db into the keyring.
func openSignIns(dataDir string, db *clientdb.DB, kinds app.Backends, rt app.Runtime, log *slog.Logger) *secretstore.Sessions {
	s := &secretstore.Sessions{
		Meta:     db,
		Secrets:  &secretstore.Store{Keyring: secretstore.Scoped(keyring.New(), keyringScope(dataDir)), File: db, Log: log},
		Keep:     db,
		Label:    keyringLabel(kinds),
		OnChange: app.RememberEvents(rt, log),
		Log:      log,
	}
	if err := s.Start(); err != nil {
		log.Warn("saved sign-ins could not all be moved to the system keyring", "err", err)
	}
	return s
}

// keyringScope keeps apart the keyring entries of AuthDesks on different
// data folders (each has its own embedded backend): entries for the default
// folder are keyed by the backend ID alone ("embedded"), others also by the
// folder ("embedded@/path/to/folder").
func keyringScope(dataDir string) string {
	if base, err := os.UserConfigDir(); err == nil && filepath.Join(base, "authdesk") == dataDir {
		return ""
	}
	return dataDir
}

// keyringLabel names a backend's keyring entry after what Settings calls it:
// "AuthDesk — Embedded (offline)", "AuthDesk — https://auth.example.com".
func keyringLabel(kinds app.Backends) func(backendID string) string {
	return func(id string) string {
		for _, k := range kinds {
			if id == k.Name {
				return k.Label
			}
			if addr, ok := strings.CutPrefix(id, k.Name+":"); ok && k.NeedsAddress {
				return addr
			}
		}
		return id
	}
}
