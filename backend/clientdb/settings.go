package clientdb

// Settings are the client's choices that Go owns (the UI's cosmetic
// preferences live in the webview). What they mean (which backend kinds
// exist, what a valid address is, the defaults) belongs to the registry of
// backend kinds that main.go builds; this package only keeps them.
type Settings struct {
	Backend   string `json:"backend"`   // a registry kind name; "" until a person chooses
	RemoteURL string `json:"remoteUrl"` // the server address, for kinds that have one

	// The OpenID provider, for kinds that sign in with one: its issuer URL,
	// AuthDesk's client ID there and the scopes, space-separated.
	OIDCIssuer   string `json:"oidcIssuer,omitempty"`
	OIDCClientID string `json:"oidcClientId,omitempty"`
	OIDCScopes   string `json:"oidcScopes,omitempty"`
}

// Settings returns the saved settings, or zero Settings if none were saved.
func (db *DB) Settings() (Settings, error) {
	var s Settings
	if _, err := db.get(bucketSettings, keySettings, &s); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// SaveSettings stores s as it is; the caller has checked it.
func (db *DB) SaveSettings(s Settings) error {
	return db.put(bucketSettings, keySettings, s)
}
