package app

// Event names Go sends to the UI. frontend/src/api/events.js holds the same
// names; keep the two files in step.
const (
	// EventSessionChanged carries SessionChange whenever the session starts,
	// is refreshed or ends.
	EventSessionChanged = "session:changed"
)
