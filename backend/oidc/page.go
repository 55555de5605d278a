package oidc

import (
	"html/template"
	"net/http"
)

// The page the browser shows when it comes back to AuthDesk. Self-contained:
// no scripts, images, fonts or styles from anywhere (the listener's CSP
// forbids them), so it works offline and leaks nothing.
const (
	pageSignedIn    = "signed-in"
	pageFailed      = "failed"
	pageAlreadyDone = "already-done"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – AuthDesk</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f8f9fa;color:#212529;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center}
main{background:#fff;border:1px solid #dee2e6;border-radius:.5rem;padding:2rem 2.5rem;max-width:32rem;box-shadow:0 .125rem .25rem rgba(0,0,0,.075)}
h1{font-size:1.5rem;margin:0 0 1rem}
.ok h1{color:#146c43}.bad h1{color:#b02a37}
p{line-height:1.5;margin:.5rem 0}
@media (prefers-color-scheme:dark){body{background:#212529;color:#dee2e6}main{background:#2b3035;border-color:#495057}.ok h1{color:#75b798}.bad h1{color:#ea868f}}
</style>
</head>
<body>
<main class="{{.Class}}" role="main">
<h1>{{.Title}}</h1>
{{range .Lines}}<p>{{.}}</p>
{{end}}</main>
</body>
</html>
`))

type pageData struct {
	Title, Class string
	Lines        []string
}

// writePage writes one of the pages; detail is the person's name or the
// error message (escaped by html/template).
func writePage(w http.ResponseWriter, status int, kind, detail string) {
	var d pageData
	switch kind {
	case pageSignedIn:
		d = pageData{Title: "You are signed in", Class: "ok", Lines: []string{
			"AuthDesk has signed you in" + forName(detail) + ".",
			"You can close this tab and return to AuthDesk.",
		}}
	case pageFailed:
		d = pageData{Title: "Sign-in did not complete", Class: "bad", Lines: []string{
			detail,
			"Return to AuthDesk to try again. You can close this tab.",
		}}
	default:
		d = pageData{Title: "This sign-in is already over", Class: "bad", Lines: []string{
			"AuthDesk has already received an answer for this sign-in.",
			"Return to AuthDesk; you can close this tab.",
		}}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

func forName(name string) string {
	if name == "" {
		return ""
	}
	return " as " + name
}
