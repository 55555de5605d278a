package app

import (
	"log/slog"
	"strings"
)

// WailsLogger sends the Wails runtime's own log lines to our slog logger, so
// there is one log with one format and one level setting.
type WailsLogger struct{ Log *slog.Logger }

func (l WailsLogger) Print(message string)   { l.Log.Info(trim(message)) }
func (l WailsLogger) Trace(message string)   { l.Log.Debug(trim(message)) }
func (l WailsLogger) Debug(message string)   { l.Log.Debug(trim(message)) }
func (l WailsLogger) Info(message string)    { l.Log.Info(trim(message)) }
func (l WailsLogger) Warning(message string) { l.Log.Warn(trim(message)) }
func (l WailsLogger) Error(message string)   { l.Log.Error(trim(message)) }
func (l WailsLogger) Fatal(message string)   { l.Log.Error(trim(message)) }

func trim(s string) string { return strings.TrimRight(s, "\n") }
