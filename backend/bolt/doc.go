// Package bolt is AuthDesk's embedded backend: users, password hashes, refresh
// tokens and the JWT signing key live in one bbolt file, backend.db, inside the
// data folder.
//
// Layout (schema 1):
//
//	meta            "schema" → "1", "jwt_key" → 32 random bytes
//	users           user ID (8-byte big-endian) → userRecord (binary, see userenc.go)
//	usernames       lower-cased username → user ID
//	tokens          SHA-256(refresh token) → user ID + key in that user's bucket
//	user_tokens/ID  created (8-byte big-endian nanoseconds) + SHA-256 → JSON tokenRecord
//
// Refresh tokens are kept per user and ordered by creation so the purge of old
// inactive tokens, which runs on every login and refresh, reads only the
// tokens it may delete instead of the whole history.
//
// Usernames are unique regardless of case: "Alice" and "alice" are the same
// account, and logging in as "ALICE" works. The stored spelling is the one
// given when the user was added.
package bolt
