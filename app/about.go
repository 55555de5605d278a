package app

import (
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"

	"github.com/authdesk/authdesk/backend"
)

// AboutInfo is what the About dialog shows.
type AboutInfo struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Commit    string `json:"commit"` // the source revision built, "" if unknown
	License   string `json:"license"`
	Copyright string `json:"copyright"`
	DataDir   string `json:"dataDir"`
	Website   string `json:"website"`
}

// About is the bound API of the About dialog (Help > About AuthDesk).
type About struct {
	Info    AboutInfo
	Runtime DesktopRuntime
	Log     *slog.Logger
	// OpenFolder opens a folder in the file manager; nil means OpenFolder.
	OpenFolder func(dir string) error
}

// Get returns the About dialog's content.
func (a *About) Get() AboutInfo { return a.Info }

// OpenDataFolder shows the data folder in the file manager.
func (a *About) OpenDataFolder() error {
	open := a.OpenFolder
	if open == nil {
		open = OpenFolder
	}
	if err := open(a.Info.DataDir); err != nil {
		if a.Log != nil {
			a.Log.Warn("cannot open the data folder", "dir", a.Info.DataDir, "err", err)
		}
		return backend.Errorf(backend.EUNAVAILABLE, "Could not open %s in the file manager", a.Info.DataDir)
	}
	return nil
}

// OpenWebsite opens the project's page in the browser.
func (a *About) OpenWebsite() {
	if a.Info.Website != "" {
		a.Runtime.BrowserOpenURL(a.Info.Website)
	}
}

// OpenFolder asks the desktop to show dir in its file manager.
func OpenFolder(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer", dir)
	case "darwin":
		cmd = exec.Command("open", dir)
	default:
		cmd = exec.Command("xdg-open", dir)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; the file manager outlives it or not
	return nil
}

// BuildCommit is the source revision this binary was built from, as the Go
// toolchain stamped it ("" in builds without version control information),
// with "-dirty" when the tree had uncommitted changes.
func BuildCommit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}
