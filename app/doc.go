// Package app is the API the Vue UI calls through Wails bindings: one small
// struct per concern (Auth, Users, Shell, ...), each exported method a binding.
// The structs hold no tokens for the UI's sake: what they return are views
// (SessionView, UserView) that carry no secrets. Calls into the Wails runtime go
// through the Runtime interface so tests and the browser harness can stand in
// for the window.
package app
