package app

import (
	"log/slog"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

// LanguageStore keeps the UI language setting (*clientdb.DB).
type LanguageStore interface {
	Language() (string, error)
	SaveLanguage(string) error
}

// LanguageView is the language setting as the UI sees it: "system" (follow
// the operating system) or a language the UI is complete in ("en", "de").
type LanguageView struct {
	Language string `json:"language"`
}

// Language is the bound API of the UI language setting. Go only keeps the
// choice; the UI translates itself (vue-i18n) and works out what "system"
// means from the web view's languages.
type Language struct {
	Store LanguageStore
	Log   *slog.Logger
}

// Get returns the language setting.
func (l *Language) Get() (LanguageView, error) {
	lang, err := l.Store.Language()
	return LanguageView{Language: lang}, err
}

// Set stores the language setting; an unknown language is an EINVALID error.
func (l *Language) Set(lang string) (LanguageView, error) {
	if !clientdb.ValidLanguage(lang) {
		return LanguageView{}, backend.Errorf(backend.EINVALID, "Choose the system language or one of %q", clientdb.Languages)
	}
	if err := l.Store.SaveLanguage(lang); err != nil {
		return LanguageView{}, err
	}
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.Info("language changed", "language", lang)
	return LanguageView{Language: lang}, nil
}
