package clientdb_test

import (
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

func TestLanguageDefaultsToSystemAndKeepsAChoice(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	if l, err := db.Language(); err != nil || l != clientdb.LanguageSystem {
		t.Fatalf("fresh Language() = %q, %v; want system", l, err)
	}
	for _, bad := range []string{"", "fr", "DE", "de-AT"} {
		if err := db.SaveLanguage(bad); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("SaveLanguage(%q) = %v, want EINVALID", bad, err)
		}
	}
	if err := db.SaveLanguage("de"); err != nil {
		t.Fatal(err)
	}
	// The theme lives beside it; neither overwrites the other.
	if err := db.SaveAppearance(clientdb.Appearance{Theme: clientdb.ThemeDark}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, dir)
	if l, err := db.Language(); err != nil || l != "de" {
		t.Fatalf("after reopening Language() = %q, %v; want de", l, err)
	}
	if a, _ := db.Appearance(); a.Theme != clientdb.ThemeDark {
		t.Fatalf("theme lost: %+v", a)
	}
}
