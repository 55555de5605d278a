package app

// Event names Go sends to the UI. The UI's copy, frontend/src/api/contract.js,
// is generated from this file (TestUIContract fails when they differ).
const (
	// EventSessionChanged carries SessionChange whenever the session starts,
	// is refreshed or ends.
	EventSessionChanged = "session:changed"

	// EventThemeChanged carries ThemeView when the theme setting changes.
	EventThemeChanged = "theme:changed"
	// EventMenuNavigate carries the route a menu item opens, e.g. "/settings".
	EventMenuNavigate = "menu:navigate"
	// EventMenuAbout asks the UI to show the About dialog.
	EventMenuAbout = "menu:about"
	// EventMenuEdit carries an editing command for the focused field: one of
	// "undo", "redo", "cut", "copy", "paste", "selectAll".
	EventMenuEdit = "menu:edit"

	// EventRememberChanged carries RememberView when where the sign-in is
	// kept changes, or saving it failed (its Notice says which).
	EventRememberChanged = "remember:changed"
)
