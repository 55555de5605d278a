package app

import (
	"log/slog"
	"strings"
)

// Shell is the UI's link to the desktop shell itself: the version to show and
// a way to say the UI has started.
type Shell struct {
	Log        *slog.Logger
	AppVersion string
}

// Ready is called once by the UI after its first route has rendered. The log
// line is what the real-window smoke test waits for, so its wording is part of
// that test's contract.
func (s *Shell) Ready(route string) {
	route = strings.TrimSpace(route)
	if len(route) > 200 {
		route = route[:200]
	}
	s.Log.Info("ui ready", "route", route)
}

// Version returns AuthDesk's version, e.g. for the About line in Settings.
func (s *Shell) Version() string { return s.AppVersion }
