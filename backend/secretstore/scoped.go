package secretstore

import "context"

// Scoped returns k with every entry's key and label naming scope as well:
// "embedded@/path/to/folder", "AuthDesk — Embedded (offline)
// (/path/to/folder)". The keyring is shared by every AuthDesk of the
// account, while each data folder has its own embedded backend under the
// same backend ID, so entries of AuthDesks on different folders must not
// replace each other. An empty scope returns k unchanged (the default
// folder keeps the plain names). The file fallback needs no scope: it lives
// in the folder itself.
func Scoped(k Keyring, scope string) Keyring {
	if scope == "" || k == nil {
		return k
	}
	return scoped{k: k, scope: scope}
}

type scoped struct {
	k     Keyring
	scope string
}

func (s scoped) id(backendID string) string { return backendID + "@" + s.scope }

func (s scoped) Available(ctx context.Context) error { return s.k.Available(ctx) }

func (s scoped) Get(ctx context.Context, backendID string) (string, error) {
	return s.k.Get(ctx, s.id(backendID))
}

func (s scoped) Set(ctx context.Context, backendID, label, secret string) error {
	if label == "" {
		label = backendID
	}
	return s.k.Set(ctx, s.id(backendID), label+" ("+s.scope+")", secret)
}

func (s scoped) Delete(ctx context.Context, backendID string) error {
	return s.k.Delete(ctx, s.id(backendID))
}
