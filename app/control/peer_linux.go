package control

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// checkPeer refuses a peer whose user id (from the kernel, SO_PEERCRED) is not
// want.
func checkPeer(c *net.UnixConn, want int) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return err
	}
	if cerr != nil {
		return fmt.Errorf("cannot check who is connecting: %w", cerr)
	}
	if int(cred.Uid) != want {
		return &wrongUser{want: fmt.Sprintf("user id %d", want), got: fmt.Sprintf("user id %d", cred.Uid)}
	}
	return nil
}

// restrict makes the socket owner-only (the folder is 0700 too).
func restrict(path string) error { return os.Chmod(path, 0o600) }
