// Package closesignal lets a windowless AuthDesk command (serve) stop cleanly
// when the system asks it to close.
//
// On Linux and macOS that is SIGINT or SIGTERM, which main.go already turns
// into a cancelled context with os/signal. On Windows, authdesk.exe is a GUI
// program (the installer's build has no console): console events such as
// Ctrl+C never reach it, and `taskkill` (without /F), Task Manager, logging
// off and shutting down ask a program to close by sending messages to its
// windows. `serve` has none, so on Windows Notify opens a hidden one that
// turns WM_CLOSE and WM_ENDSESSION into the same cancelled context
// (closesignal_windows.go).
package closesignal
