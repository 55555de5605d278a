package app

import (
	"context"
	"log/slog"
	"runtime"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"

	"github.com/authdesk/authdesk/backend/clientdb"
)

// SignOuter ends the session (*session.Manager).
type SignOuter interface {
	Logout(ctx context.Context) error
}

// Menu builds the application menu. What changes the session or the window
// happens here in Go; what the UI shows (Settings, About) reaches it as an
// event it follows (EventMenuNavigate, EventMenuAbout).
type Menu struct {
	Runtime  DesktopRuntime
	Sessions SignOuter
	Theme    *Theme
	About    *About
	Log      *slog.Logger
	// GOOS picks the platform's conventions; "" means this one.
	GOOS string

	themeItems map[string]*menu.MenuItem
}

// Build returns the menu, with the theme item for the saved setting checked.
//
//	File (AuthDesk on macOS): Settings… Ctrl+,  | Sign out | Close window Ctrl+W, Quit Ctrl+Q
//	Edit: Undo, Redo | Cut, Copy, Paste | Select all
//	View: Theme > System, Light, Dark
//	Help: AuthDesk website | About AuthDesk
func (m *Menu) Build(theme string) *menu.Menu {
	goos := m.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	root := menu.NewMenu()

	fileLabel := "File"
	if goos == "darwin" {
		fileLabel = "AuthDesk"
	}
	file := root.AddSubmenu(fileLabel)
	file.AddText("Settings…", keys.CmdOrCtrl(","), func(*menu.CallbackData) {
		m.log().Debug("menu: settings")
		m.Runtime.ShowWindow()
		m.Runtime.EventsEmit(EventMenuNavigate, "/settings")
	})
	file.AddSeparator()
	file.AddText("Sign out", nil, func(*menu.CallbackData) {
		m.log().Debug("menu: sign out")
		if err := m.Sessions.Logout(context.Background()); err != nil {
			m.log().Warn("sign out from the menu failed", "err", err)
		}
	})
	file.AddSeparator()
	file.AddText("Close window", keys.CmdOrCtrl("w"), func(*menu.CallbackData) {
		m.log().Info("menu: close window")
		m.Runtime.Quit()
	})
	file.AddText("Quit AuthDesk", keys.CmdOrCtrl("q"), func(*menu.CallbackData) {
		m.log().Info("menu: quit")
		m.Runtime.Quit()
	})

	if goos == "darwin" {
		// macOS's own Edit menu acts on the first responder: the focused field.
		root.Append(menu.EditMenu())
	} else {
		// No accelerators here: a GTK or Win32 accelerator would take Ctrl+C
		// and the other keys away from the web view, which handles them
		// itself in the focused field. The items send the command to the UI,
		// which runs it on the focused field.
		edit := root.AddSubmenu("Edit")
		item := func(label, command string) {
			edit.AddText(label, nil, func(*menu.CallbackData) {
				m.Runtime.EventsEmit(EventMenuEdit, command)
			})
		}
		item("Undo", "undo")
		item("Redo", "redo")
		edit.AddSeparator()
		item("Cut", "cut")
		item("Copy", "copy")
		item("Paste", "paste")
		edit.AddSeparator()
		item("Select all", "selectAll")
	}

	view := root.AddSubmenu("View")
	themes := view.AddSubmenu("Theme")
	m.themeItems = map[string]*menu.MenuItem{}
	for _, t := range []struct{ id, label string }{
		{clientdb.ThemeSystem, "Follow the system"},
		{clientdb.ThemeLight, "Light"},
		{clientdb.ThemeDark, "Dark"},
	} {
		m.themeItems[t.id] = themes.AddRadio(t.label, t.id == theme, nil, func(cd *menu.CallbackData) {
			if cd != nil && cd.MenuItem != nil && !cd.MenuItem.Checked {
				return // the item that was unchecked by this click
			}
			if _, err := m.Theme.Set(t.id); err != nil {
				m.log().Warn("cannot change the theme", "err", err)
			}
		})
	}

	help := root.AddSubmenu("Help")
	help.AddText("AuthDesk website", nil, func(*menu.CallbackData) { m.About.OpenWebsite() })
	help.AddSeparator()
	help.AddText("About AuthDesk", nil, func(*menu.CallbackData) {
		m.log().Debug("menu: about")
		m.Runtime.EventsEmit(EventMenuAbout)
	})
	return root
}

// ThemeChanged keeps the radio items in step with a theme set elsewhere
// (the Settings page). The check marks take effect where Wails redraws the
// menu; the stored state is right in any case.
func (m *Menu) ThemeChanged(theme string) {
	for id, item := range m.themeItems {
		item.Checked = id == theme
	}
}

func (m *Menu) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}
