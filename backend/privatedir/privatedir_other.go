//go:build !windows

package privatedir

import "os"

// mkdirPrivate creates one folder readable only by its owner.
func mkdirPrivate(dir string) error { return os.Mkdir(dir, 0o700) }
