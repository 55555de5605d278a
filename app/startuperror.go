package app

import (
	"html/template"
	"net/http"
)

var startupErrorTemplate = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AuthDesk</title>
<style>
body { font: 15px system-ui, sans-serif; margin: 0; padding: 24px; color: #212529; background: #f8f9fa; }
h1 { font-size: 18px; margin: 0 0 12px; }
p { margin: 0 0 20px; overflow-wrap: anywhere; }
button { font: inherit; padding: 6px 16px; border: 0; border-radius: 6px; background: #0d6efd; color: #fff; }
</style></head>
<body><h1>AuthDesk cannot start</h1><p id="message">{{.}}</p>
<button onclick="window.runtime && window.runtime.Quit()">Close</button></body></html>`))

// StartupErrorPage serves a one-page window that explains why AuthDesk could
// not start (data folder locked by another AuthDesk, damaged data file, ...).
// It is used when the normal UI cannot be, so it needs nothing but the message.
func StartupErrorPage(message string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		startupErrorTemplate.Execute(w, message)
	})
}
