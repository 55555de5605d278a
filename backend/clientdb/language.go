package clientdb

import (
	"slices"

	"github.com/authdesk/authdesk/backend"
)

var keyLanguage = []byte("language")

// LanguageSystem follows the operating system's language; the others are
// the languages the UI is complete in (frontend/src/i18n).
const LanguageSystem = "system"

// Languages lists the languages a person can choose besides the system's.
var Languages = []string{"en", "de"}

// ValidLanguage reports whether l is LanguageSystem or one of Languages.
func ValidLanguage(l string) bool { return l == LanguageSystem || slices.Contains(Languages, l) }

type languageRecord struct {
	Language string `json:"language"`
}

// Language returns the UI language setting; a fresh install (or a language
// this version no longer offers) follows the system.
func (db *DB) Language() (string, error) {
	var r languageRecord
	if _, err := db.get(bucketDesktop, keyLanguage, &r); err != nil {
		return LanguageSystem, err
	}
	if !ValidLanguage(r.Language) {
		return LanguageSystem, nil
	}
	return r.Language, nil
}

// SaveLanguage stores the UI language setting; anything else than
// LanguageSystem or one of Languages is an EINVALID error.
func (db *DB) SaveLanguage(l string) error {
	if !ValidLanguage(l) {
		return backend.Errorf(backend.EINVALID, "Language must be %q or one of %q", LanguageSystem, Languages)
	}
	return db.put(bucketDesktop, keyLanguage, languageRecord{Language: l})
}
