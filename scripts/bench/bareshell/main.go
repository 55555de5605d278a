//go:build bench

// Command bareshell is the baseline of `make bench`'s start-up table: the
// smallest Wails v2 app with a Vue page, as `wails init -t vue` makes it (a
// window, a heading, a text field and a button), built with the same Wails
// version, flags and tags as AuthDesk. Its page reports its first painted
// frame the way AuthDesk's does ("ui painted", through the Wails runtime's
// log), so both are timed alike. The build tag keeps it out of `go vet
// ./...` and `go build ./...`, which have no frontend build for it.
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
)

//go:embed all:frontend/dist
var assets embed.FS

// App is what the template binds: one method the page may call.
type App struct{}

// Greet returns a greeting for the given name.
func (a *App) Greet(name string) string { return fmt.Sprintf("Hello %s, It's show time!", name) }

func main() {
	err := wails.Run(&options.App{
		Title:              "bareshell",
		Width:              1024,
		Height:             720,
		AssetServer:        &assetserver.Options{Assets: assets},
		BackgroundColour:   &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		Bind:               []any{&App{}},
		LogLevelProduction: logger.INFO, // the page's "ui painted" line
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareshell:", err)
		os.Exit(1)
	}
}
