package app

// Event names Go sends to the UI. The UI's copy, frontend/src/api/contract.js,
// is generated from this file (TestUIContract fails when they differ).
const (
	// EventSessionChanged carries SessionChange whenever the session starts,
	// is refreshed or ends.
	EventSessionChanged = "session:changed"
)
