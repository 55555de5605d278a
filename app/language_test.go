package app_test

import (
	"testing"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
)

func TestLanguageSettingIsKeptAndChecked(t *testing.T) {
	dir := t.TempDir()
	l := &app.Language{Store: openClientDB(t, dir)}
	if v, err := l.Get(); err != nil || v.Language != "system" {
		t.Fatalf("fresh Get() = %+v, %v; want system", v, err)
	}
	if _, err := l.Set("fr"); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("Set(fr) = %v, want EINVALID", err)
	}
	if v, err := l.Set("de"); err != nil || v.Language != "de" {
		t.Fatalf("Set(de) = %+v, %v", v, err)
	}
	if v, _ := l.Get(); v.Language != "de" {
		t.Fatalf("Get() after Set(de) = %+v", v)
	}
}
