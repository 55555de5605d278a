// Package bolt is AuthDesk's embedded backend: users, password hashes,
// sessions and the keys live in one bbolt file, backend.db, inside the data
// folder. It is opened through backend/boltfile, which checks every page
// before anything is written.
//
// Layout (schema 3; migrate.go moves schema 1 files forward at open; 2 to 3
// moves nothing, see schemaVersion):
//
//	meta               "schema" → "3", "jwt_key" → 32 random bytes (HS256),
//	                   "refresh_key" → 32 random bytes (refresh-token HMAC),
//	                   "mfa_recovery_key" → 32 random bytes (recovery-code HMAC; with the first set-up)
//	users              user ID (8-byte big-endian) → userRecord (binary, see userenc.go)
//	usernames          PRECIS UsernameCaseMapped username → user ID
//	families           session (token family) ID → JSON familyRecord
//	user_families/ID   login time (8-byte big-endian ns) + family ID → nothing
//	legacy_tokens      SHA-256(schema-1 refresh token) → family ID
//	throttle           SHA-256(label + username key) → JSON throttleRecord
//	mfa                user ID (8-byte big-endian) → JSON mfaRecord (second factor; with the first set-up)
//
// A session is one record however often it rotates (tokens.go explains the
// token scheme), a user has at most Options.MaxSessions active ones, and
// ended ones are purged after two days, so what a user can make is bounded.
// Every lookup a request makes (a presented refresh token, an access token's
// session, a username) is by key.
//
// Usernames are stored and compared in their PRECIS UsernameCaseMapped form
// (RFC 8265): "Alice", "ALICE" and a full-width "Ａｌｉｃｅ" are one account.
// Users from schema 1 whose names PRECIS refuses keep their lower-case key
// and can still log in.
package bolt
