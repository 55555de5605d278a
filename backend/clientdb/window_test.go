package clientdb_test

import (
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

func TestWindowStateSurvivesReopening(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	if _, found, err := db.Window(); err != nil || found {
		t.Fatalf("fresh Window() found=%v err=%v, want nothing", found, err)
	}
	want := clientdb.WindowState{X: -30, Y: 40, Width: 900, Height: 640, Maximised: true, ScreenWidth: 1920, ScreenHeight: 1080}
	if err := db.SaveWindow(want); err != nil {
		t.Fatal(err)
	}
	db.Close()
	got, found, err := open(t, dir).Window()
	if err != nil || !found || got != want {
		t.Fatalf("after reopening Window() = %+v, %v, %v; want %+v", got, found, err, want)
	}
}

func TestSaveWindowRefusesAnEmptySize(t *testing.T) {
	db := open(t, t.TempDir())
	for _, s := range []clientdb.WindowState{{Width: 0, Height: 500}, {Width: 500, Height: -1}} {
		if err := db.SaveWindow(s); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("SaveWindow(%+v) = %v, want EINVALID", s, err)
		}
	}
	if _, found, _ := db.Window(); found {
		t.Fatal("a refused state was stored")
	}
}

func TestAppearanceDefaultsToSystemAndKeepsAChoice(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	if a, err := db.Appearance(); err != nil || a.Theme != clientdb.ThemeSystem || a.LastDark {
		t.Fatalf("fresh Appearance() = %+v, %v; want system, not dark", a, err)
	}
	if err := db.SaveAppearance(clientdb.Appearance{Theme: "purple"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("SaveAppearance(purple) = %v, want EINVALID", err)
	}
	if err := db.SaveAppearance(clientdb.Appearance{Theme: clientdb.ThemeDark, LastDark: true}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if a, err := open(t, dir).Appearance(); err != nil || a != (clientdb.Appearance{Theme: "dark", LastDark: true}) {
		t.Fatalf("after reopening Appearance() = %+v, %v", a, err)
	}
}
