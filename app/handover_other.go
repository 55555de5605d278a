//go:build !linux

package app

// HandOver is done by Wails' single-instance lock on this system (see
// showStartupError in main.go); there is nothing to do first.
func HandOver(uniqueID string) bool { return false }
