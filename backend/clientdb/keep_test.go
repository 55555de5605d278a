package clientdb_test

import (
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

func TestKeepSignedInIsOnUntilTurnedOffAndSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if keep, err := db.KeepSignedIn(); err != nil || !keep {
		t.Fatalf("fresh KeepSignedIn = %v, %v; want on", keep, err)
	}
	if err := db.SetKeepSignedIn(false); err != nil {
		t.Fatal(err)
	}
	// The backend settings are kept apart and unchanged.
	if s, _ := db.Settings(); s != (clientdb.Settings{}) {
		t.Errorf("Settings changed to %+v", s)
	}
	db.Close()
	db = open(t, dir)
	if keep, err := db.KeepSignedIn(); err != nil || keep {
		t.Fatalf("after restart KeepSignedIn = %v, %v; want off", keep, err)
	}
}

func TestSavedSessionsListsEveryBackendAndLeavesOutNoToken(t *testing.T) {
	db := open(t, t.TempDir())
	if list, err := db.SavedSessions(); err != nil || len(list) != 0 {
		t.Fatalf("fresh SavedSessions = %v, %v", list, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, s := range []backend.SavedSession{
		{BackendID: "remote:https://a.example", UserID: "2", Username: "bo", Saved: now},
		{BackendID: "embedded", UserID: "1", Username: "ann", RefreshToken: "old-layout-token", Saved: now},
	} {
		if err := db.SaveSession(s); err != nil {
			t.Fatal(err)
		}
	}
	list, err := db.SavedSessions()
	if err != nil || len(list) != 2 {
		t.Fatalf("SavedSessions = %v, %v", list, err)
	}
	if list[0].BackendID != "embedded" || list[0].RefreshToken != "old-layout-token" || list[1].Username != "bo" || list[1].RefreshToken != "" {
		t.Errorf("SavedSessions = %v / %v", list[0], list[1])
	}
}
